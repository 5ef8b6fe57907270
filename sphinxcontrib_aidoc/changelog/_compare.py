"""The changes between two build snapshots."""

from __future__ import annotations

from collections.abc import Iterable

from sphinxcontrib_aidoc.changelog._signature import breaking_reasons
from sphinxcontrib_aidoc.model import CHANGE_KINDS, ChangeEvent, ObjectSnapshot

_ORDER = {kind: index for index, kind in enumerate(CHANGE_KINDS)}
#: Object kinds called without parentheses.
_ATTRIBUTE_KINDS = frozenset({"property"})


def compare(
    old: Iterable[ObjectSnapshot], new: Iterable[ObjectSnapshot]
) -> list[ChangeEvent]:
    """Return what changed from snapshot *old* to snapshot *new*.

    Objects are matched by qualified name. Per object, in this order:

    * ``added`` (plus ``generated`` when aidoc wrote its docstring) and
      ``removed`` (breaking when the object is public);
    * ``signature_changed``, breaking by the rules of
      :func:`breaking_reasons`, or when an object turns into a property or
      back;
    * ``deprecated`` when the flag went from false to true;
    * one docstring change: ``documented`` (a human docstring where there was
      none or a generated one), ``docstring_changed`` (a human edit),
      ``generated`` (aidoc's docstring where there was none or a human one)
      or ``regenerated`` (aidoc's text changed, written by the same writer).

    A generated docstring whose text changed only because another writer
    wrote it (the provider or model changed, or was unavailable for one
    build, so the offline fallback wrote it) is not a change of the API:
    no event. Its signature and deprecation are still compared.

    The result is sorted by qualname, then by kind (``CHANGE_KINDS``
    order); equal snapshots give ``[]``.
    """
    before = {s.qualname: s for s in old}
    after = {s.qualname: s for s in new}
    events: list[ChangeEvent] = []
    for qualname in sorted(before.keys() | after.keys()):
        was, now = before.get(qualname), after.get(qualname)
        if was is None and now is not None:
            events.extend(_added(now))
        elif now is None and was is not None:
            events.append(_removed(was))
        elif was is not None and now is not None:
            events.extend(_changed(was, now))
    return sorted(events, key=lambda e: (e.qualname, _ORDER.get(e.kind, 99)))


def is_public(qualname: str, module: str = "") -> bool:
    """Whether no part of *qualname* below *module* is private (``_x``).

    Special names (``__call__``) count as public.
    """
    local = (
        qualname[len(module) + 1 :]
        if module and qualname.startswith(module + ".")
        else qualname
    )
    return not any(
        part.startswith("_") and not (part.startswith("__") and part.endswith("__"))
        for part in local.split(".")
    )


def _event(
    kind: str,
    snapshot: ObjectSnapshot,
    *,
    before: str = "",
    after: str = "",
    breaking: bool = False,
    detail: str = "",
) -> ChangeEvent:
    return ChangeEvent(
        kind=kind,
        qualname=snapshot.qualname,
        module=snapshot.module,
        object_kind=snapshot.kind,
        before=before,
        after=after,
        breaking=breaking,
        detail=detail,
        docname=snapshot.docname,
    )


def _added(now: ObjectSnapshot) -> list[ChangeEvent]:
    events = [_event("added", now, after=now.signature)]
    if now.generated:
        events.append(_event("generated", now, after=now.summary))
    return events


def _removed(was: ObjectSnapshot) -> ChangeEvent:
    public = is_public(was.qualname, was.module)
    return _event(
        "removed",
        was,
        before=was.signature,
        breaking=public,
        detail="public object removed" if public else "",
    )


def _changed(was: ObjectSnapshot, now: ObjectSnapshot) -> list[ChangeEvent]:
    events: list[ChangeEvent] = []
    if was.signature != now.signature or was.kind != now.kind:
        reasons = _signature_reasons(was, now)
        events.append(
            _event(
                "signature_changed",
                now,
                before=was.signature,
                after=now.signature,
                breaking=bool(reasons) and is_public(now.qualname, now.module),
                detail="; ".join(reasons),
            )
        )
    if now.deprecated and not was.deprecated:
        events.append(_event("deprecated", now, after=now.summary))
    docstring = _docstring_kind(was, now)
    if docstring:
        events.append(_event(docstring, now, before=was.summary, after=now.summary))
    return events


def _signature_reasons(was: ObjectSnapshot, now: ObjectSnapshot) -> list[str]:
    reasons = []
    if was.kind != now.kind:
        if (was.kind in _ATTRIBUTE_KINDS) != (now.kind in _ATTRIBUTE_KINDS):
            reasons.append(f"{was.kind} became a {now.kind}")
        if was.kind in _ATTRIBUTE_KINDS or now.kind in _ATTRIBUTE_KINDS:
            return reasons
    return reasons + breaking_reasons(was.signature, now.signature)


def _other_writer(was: ObjectSnapshot, now: ObjectSnapshot) -> bool:
    """Whether two generated docstrings come from different writers.

    Rows recorded before writers were (``""``) are told apart by their
    draft source: the offline fallback's (``inference``) against a model's
    (``llm``); a cached draft's writer is unknown there.
    """
    if was.writer and now.writer:
        return was.writer != now.writer
    kinds = {was.source, now.source}
    return kinds == {"inference", "llm"}


def _docstring_kind(was: ObjectSnapshot, now: ObjectSnapshot) -> str:
    if was.docstring_hash == now.docstring_hash:
        return ""
    had_text = bool(was.docstring.strip()) or was.generated
    has_text = bool(now.docstring.strip()) or now.generated
    if now.generated:
        if not was.generated:
            return "generated"
        return "" if _other_writer(was, now) else "regenerated"
    if not has_text:
        return "docstring_changed" if had_text else ""
    if was.generated or not had_text:
        return "documented"
    return "docstring_changed"
