"""autodoc hooks: fill or augment docstrings, keep undocumented members.

Decision on ``autodoc-skip-member``: with ``aidoc_mode`` other than
``"off"`` (and ``aidoc_undoc_members`` on), a public function, method, class
or property that autodoc would drop only because it has no docstring is
kept, since aidoc is about to write one. The other handlers (the user's, a
theme's) keep the last word: aidoc's handler runs first and asks them again
as for a kept member (``skip=False``); private, special, excluded and
``__all__``-filtered members are left to autodoc's rules.

Objects are found where they are defined (:meth:`Runtime.resolve`) and
recorded under the name the page shows; objects defined outside the project
are left as autodoc shows them. Nothing user code does on attribute access
stops the build: a failure is reported (``aidoc.parse``) and the docstring
is left as autodoc made it.
"""

from __future__ import annotations

import hashlib
import sys
from typing import TYPE_CHECKING, Any

from sphinxcontrib_aidoc.model import CLASS_KINDS, ObjectSnapshot
from sphinxcontrib_aidoc.sphinxext.deferred import (
    DIRECTIVE as PENDING,
)
from sphinxcontrib_aidoc.sphinxext.deferred import (
    PRIORITY,
    Entry,
    annotations_of,
    called_by_autodoc,
    fill_deferred,
    not_documented,
)
from sphinxcontrib_aidoc.sphinxext.domain import aidoc_domain
from sphinxcontrib_aidoc.sphinxext.fields import built_fields
from sphinxcontrib_aidoc.sphinxext.marker import marker_lines
from sphinxcontrib_aidoc.sphinxext.members import (
    MemberOptions,
    definition,
    fragile,
    kind_of,
    members,
    safe_getattr,
    shows_text,
    unwrap,
)
from sphinxcontrib_aidoc.sphinxext.preread import (
    deferring,
    finish_preparation,
    member_keeper,
)
from sphinxcontrib_aidoc.sphinxext.rendering import (
    augment_docstring,
    render_docstring,
    runtime_fields,
    spaced_types_read,
    sphinx_lines,
)
from sphinxcontrib_aidoc.sphinxext.reporting import logger
from sphinxcontrib_aidoc.sphinxext.runtime import runtime_of
from sphinxcontrib_aidoc.sphinxext.settings import get_config
from sphinxcontrib_aidoc.store import text_hash

if TYPE_CHECKING:
    from collections.abc import Callable, Container

    from sphinx.application import Sphinx

    from sphinxcontrib_aidoc.model import Draft, ObjectInfo
    from sphinxcontrib_aidoc.sphinxext.runtime import Runtime

_SKIP_WHAT = frozenset({"attribute", "data", "type"})
_CONTAINERS = CLASS_KINDS | {"module"}


def setup_autodoc(app: Sphinx) -> None:
    """Connect the autodoc handlers (before napoleon's, at 500)."""
    app.connect("autodoc-process-docstring", on_process_docstring, priority=PRIORITY)
    app.connect("autodoc-skip-member", on_skip_member, priority=1)


def on_process_docstring(  # noqa: PLR0917 (autodoc's event signature)
    app: Sphinx,
    what: str,
    name: str,
    obj: Any,  # noqa: ANN401 (any documented object)
    options: Any,  # noqa: ANN401 (autodoc's options object)
    lines: list[str],
) -> None:
    """Fill an empty docstring, or add what a partial one lacks (augment)."""
    if what in _SKIP_WHAT or obj is None:
        return  # sphinx-autoapi emits the event without an object: see autoapi.py
    runtime = runtime_of(app)
    if (
        deferring(runtime)
        and called_by_autodoc()
        and _defer(app, runtime, what, name, obj, options, lines)
    ):
        return  # decided once every document is read (deferred.py)
    # The pre-read's analyses and drafts, if this is the first object a page
    # shows that the scan did not foresee (``.. include::``, another
    # extension's directive): outside the ``try`` below, a failure of the
    # pre-read fails the build as it would have before reading.
    finish_preparation(app)
    try:
        if what in _CONTAINERS and runtime.config.mode != "off":
            _prefetch_members(app, runtime, what, name, obj, options)
        if what == "module" or _dropped_import(app, name, obj, options):
            return
        info = runtime.resolve(name, obj)
        if info is not None:
            _document(app, runtime, what, name, obj, options, lines, info)
    except Exception as exc:  # noqa: BLE001 (user code behind any attribute)
        not_documented(runtime, name, exc)


def _defer(  # noqa: PLR0917
    app: Sphinx,
    runtime: Runtime,
    what: str,
    name: str,
    obj: Any,  # noqa: ANN401
    options: Any,  # noqa: ANN401
    lines: list[str],
) -> bool:
    """Note the object for the end of reading; False if it needs the analysis now.

    Its empty docstring becomes a pending node. What needs no analysis is
    decided here as :func:`on_process_docstring` would: a module, an
    imported member autodoc drops, an object defined outside the project.
    A class whose lines show no text of its own (what aidoc would replace)
    is left to the wait.
    """
    try:
        if what == "module" or _dropped_import(app, name, obj, options):
            return True
        where = definition(obj)
        module = (
            where.module
            if where is not None
            else safe_getattr(unwrap(obj), "__module__")
        )
        if isinstance(module, str) and runtime.is_external(module):
            return True
        empty = not any(line.strip() for line in lines)
        if not empty and _shown_empty(app, what, obj, options, lines):
            return False
    except Exception:  # noqa: BLE001 (user code: the usual path reports it)
        return False
    env = app.env
    key = runtime.deferred.new_key() if empty else 0
    runtime.deferred.add(
        Entry(
            docname=env.docname,
            what=what,
            name=name,
            obj=obj,
            options=options,
            lines=list(lines),
            key=key,
            annotations=annotations_of(env, name) if empty else None,
        )
    )
    if empty:
        lines[:] = [f".. {PENDING}:: {key}", ""]
    return True


def fill_after_reading(app: Sphinx) -> None:
    """Decide and write the objects noted while reading (:mod:`.deferred`)."""
    runtime = runtime_of(app)
    entries = runtime.deferred.entries
    if not entries:
        return
    # Drafted in one batch, as the pre-read's are.
    todo = late_batch(runtime, entries, runtime.resolve, runtime.drafts)
    runtime.draft_batch(list(todo.values()), late=True)
    runtime.drop_drafts_ahead()

    def document(entry: Entry, lines: list[str]) -> bool:
        info = runtime.resolve(entry.name, entry.obj)
        if info is None:
            return False
        before = list(lines)
        _document(
            app, runtime, entry.what, entry.name, entry.obj, entry.options, lines, info
        )
        return lines != before

    written = fill_deferred(app, runtime, document)
    logger.verbose(
        "aidoc: %d of %d object(s) shown while the analyses ran written after reading",
        written,
        len(entries),
    )


def late_batch(
    runtime: Runtime,
    entries: list[Entry],
    resolve: Callable[[str, object], ObjectInfo | None],
    drafted: Container[str],
) -> dict[str, ObjectInfo]:
    """The records of the noted objects with no docstring to draft, not *drafted*.

    Resolved through *resolve* (the runtime's, or :mod:`.ahead`'s).
    """
    todo: dict[str, ObjectInfo] = {}
    for entry in entries:
        info = _to_fill(runtime, entry, resolve) if entry.key else None
        if info is not None and info.qualname not in drafted:
            todo[info.qualname] = info
    return todo


def _to_fill(
    runtime: Runtime,
    entry: Entry,
    resolve: Callable[[str, object], ObjectInfo | None],
) -> ObjectInfo | None:
    """The analysis of a noted object with no docstring aidoc will write."""
    from sphinxcontrib_aidoc.plan import decide  # noqa: PLC0415

    try:
        info = resolve(entry.name, entry.obj)
    except Exception:  # noqa: BLE001 (reported when it is documented)
        return None
    review = runtime.reviews.get(entry.name)
    if info is None or (
        decide(
            info,
            runtime.config,
            shown_empty=True,
            shown_name=entry.name,
            review=review,
        )
        != "fill"
    ):
        return None
    return info


def _document(  # noqa: PLR0917
    app: Sphinx,
    runtime: Runtime,
    what: str,
    name: str,
    obj: Any,  # noqa: ANN401
    options: Any,  # noqa: ANN401
    lines: list[str],
    info: ObjectInfo,
) -> None:
    composed = compose(
        app, runtime, what, name, obj, options, lines, info, runtime.draft_for
    )
    if composed is None:
        return  # a second chunk of the same object (autoclass_content = "both")
    shown, draft, written = composed
    if written is not None:
        lines[:] = written
    docname = app.env.docname
    aidoc_domain(app.env).note_object(
        docname, snapshot_of(info, name, docname, shown, draft)
    )


def compose(  # noqa: PLR0917
    app: Sphinx,
    runtime: Runtime,
    what: str,
    name: str,
    obj: Any,  # noqa: ANN401
    options: Any,  # noqa: ANN401
    lines: list[str],
    info: ObjectInfo,
    draft_of: Callable[[ObjectInfo], Draft],
) -> tuple[list[str], Draft | None, list[str] | None] | None:
    """What :func:`_document` does for one object, but record it.

    Returns the docstring shown (recorded in the snapshot), the draft it
    used, and the lines autodoc then gets (None: its own, unchanged); None
    for a second chunk of an object already filled. Nothing is changed
    but what *draft_of* does (:meth:`~.runtime.Runtime.draft_for` counts
    the draft as shown).
    """
    config = runtime.config
    empty = _shown_empty(app, what, obj, options, lines)
    previous = aidoc_domain(app.env).seen(app.env.docname, name)
    if previous is not None and previous.generated and empty:
        return None
    draft: Draft | None = None
    shown = list(lines)
    written: list[str] | None = None
    review = runtime.reviews.get(name)
    # The planner loads with the first object a page shows.
    from sphinxcontrib_aidoc.plan import decide  # noqa: PLC0415

    decision = decide(info, config, shown_empty=empty, shown_name=name, review=review)
    if decision == "fill":
        draft = draft_of(info)
        state = review.state_for(info.source_hash) if review else ""
        if review is not None and state == "edited":
            shown = given = review.text.splitlines()
        else:
            shown = render_docstring(app, info, draft)
            given = built_fields(
                app,
                sphinx_lines(
                    runtime_fields(shown, info), spaced_types=spaced_types_read(app)
                ),
            )
            if review is not None:
                state = review.state_for(info.source_hash, text_hash("\n".join(shown)))
        if runtime.reviews and not state:
            state = "new"  # the project reviews, and nobody has looked at this yet
        # Nothing known beyond the name (the offline wording writes no filler):
        # the entry stays as autodoc shows it, with no note over nothing.
        if any(line.strip() for line in given):
            written = given + marker_lines(draft, config.mark_generated, review=state)
    elif decision == "augment":
        candidate = draft_of(info)
        shown, added = augment_docstring(app, list(lines), info, candidate)
        if added:
            draft = candidate
            written = runtime_fields(shown, info) + marker_lines(
                draft, config.mark_generated, added
            )
    return shown, draft, written


def _shown_empty(
    app: Sphinx,
    what: str,
    obj: Any,  # noqa: ANN401
    options: Any,  # noqa: ANN401
    lines: list[str],
) -> bool:
    """Whether the entry shows no text of the object's own (what aidoc fills).

    Blank lines; for a class, also lines that are not its own docstring
    (what ``autoclass_content`` and inherited docstrings put there).
    """
    if not any(line.strip() for line in lines):
        return True
    return what in CLASS_KINDS and not shows_text(
        obj,
        what,
        inherit_docstrings=bool(app.config.autodoc_inherit_docstrings),
        class_content=_class_content(app, options),
    )


def _dropped_import(app: Sphinx, name: str, obj: Any, options: Any) -> bool:  # noqa: ANN401
    """Whether autodoc loads *name* only to drop it as an imported member.

    Sphinx 9 loads (and emits ``autodoc-process-docstring`` for) every member
    of an ``automodule`` before it drops those imported from elsewhere
    (unless ``__all__`` lists them or ``:imported-members:`` is given); such
    an object is on no page, so aidoc neither drafts nor records it.
    """
    modname = _autodoc_module(app)
    if not modname or name.rpartition(".")[0] != modname:
        return False
    wanted = MemberOptions.from_autodoc(options)
    if not wanted.wants_all or wanted.imported_members:
        return False
    module = sys.modules.get(modname)
    if not wanted.ignore_module_all and safe_getattr(module, "__all__") is not None:
        return False
    return bool(safe_getattr(unwrap(obj), "__module__") != modname)


def _autodoc_module(app: Sphinx) -> str | None:
    """The module whose members autodoc is documenting right now, if any."""
    document = getattr(app.env, "current_document", None)  # Sphinx 9
    modname = getattr(document, "autodoc_module", None)
    if modname is None:
        modname = app.env.temp_data.get("autodoc:module")  # Sphinx 8
    return modname if isinstance(modname, str) else None


def _class_content(app: Sphinx, options: Any) -> str:  # noqa: ANN401
    chosen = safe_getattr(options, "class_doc_from")
    if chosen is None and isinstance(options, dict):
        chosen = options.get("class-doc-from")
    return str(chosen or app.config.autoclass_content or "class")


def _prefetch_members(  # noqa: PLR0917
    app: Sphinx,
    runtime: Runtime,
    what: str,
    name: str,
    obj: Any,  # noqa: ANN401
    options: Any,  # noqa: ANN401
) -> None:
    """Draft, in one batch, the members autodoc is about to document.

    The pre-read scan foresees most of them; this covers what it could not
    (a directive generated by another extension, a name resolved at read
    time), so late objects still go to the provider together. A container
    the scan listed with the same options (and classes' text read as the
    configuration says) has no member the pre-read did not decide on.
    """
    wanted = MemberOptions.from_autodoc(options)
    if not wanted.wants_members:
        return
    inherit = bool(app.config.autodoc_inherit_docstrings)
    content = _class_content(app, options)
    if (name, wanted) in runtime.members_drafted and content == str(
        app.config.autoclass_content or "class"
    ):
        return
    todo: list[ObjectInfo] = []
    keep = member_keeper(app, runtime)
    for member, value, kind in members(
        obj, what, wanted, inherit_docstrings=inherit, keep=keep
    ):
        parent = obj if what != "module" else None
        shown_name = f"{name}.{member}"
        info = runtime.resolve(shown_name, value)
        if info is None or info.qualname in runtime.drafts:
            continue
        empty = not shows_text(
            value,
            kind,
            parent,
            member,
            inherit_docstrings=inherit,
            class_content=content,
        )
        review = runtime.reviews.get(shown_name)
        from sphinxcontrib_aidoc.plan import decide  # noqa: PLC0415

        if decide(
            info,
            runtime.config,
            shown_empty=empty,
            shown_name=shown_name,
            review=review,
        ):
            todo.append(info)
    runtime.draft_batch(todo, late=True)


def on_skip_member(  # noqa: PLR0917 (autodoc's event signature)
    app: Sphinx,
    what: str,
    name: str,
    obj: Any,  # noqa: ANN401 (any member)
    skip: bool,
    options: Any,  # noqa: ANN401 (autodoc's options object)
) -> bool | None:
    """Keep public undocumented members that aidoc will document."""
    if (what, name) in _ASKING:
        return None  # the inner question of _ask_others
    if not skip or name.startswith("_") or what not in _CONTAINERS:
        return None
    config = get_config(app)
    if config.mode == "off" or not getattr(config, "undoc_members", True):
        return None
    modname = _autodoc_module(app) if what == "module" else None
    parent = sys.modules.get(modname or "") if what == "module" else None
    if fragile(parent) or fragile(obj):
        return None
    if (
        modname
        and _dropped_import(app, f"{modname}.{name}", obj, options)
        and (safe_getattr(obj, "__module__") or modname) != modname
    ):
        # autodoc drops it anyway (its own test: the member's ``__module__``),
        # after loading it: kept, it would make the page depend on the file it
        # is imported from (read again when that file changes, though the
        # page never shows it).
        return None
    excluded = safe_getattr(options, "exclude_members") or ()
    kind = kind_of(obj)
    if name in excluded or not kind:
        return None
    if shows_text(obj, kind, inherit_docstrings=True):
        return None  # skipped for another reason than a missing docstring
    return _ask_others(app, what, name, obj, options)


_ASKING: set[tuple[str, str]] = set()


def _ask_others(
    app: Sphinx,
    what: str,
    name: str,
    obj: Any,  # noqa: ANN401
    options: Any,  # noqa: ANN401
) -> bool:
    """Let the other ``autodoc-skip-member`` handlers decide, as for a kept member.

    autodoc skips a member without a docstring; aidoc is about to write one,
    so the member counts as kept, and the other handlers (the user's, a
    theme's) are asked again with ``skip=False``: a handler that only echoes
    ``skip`` (as ``pallets_sphinx_themes`` does) no longer hides it, while
    one that excludes it on purpose still does. aidoc's handler runs first
    (priority 1) and answers None to this inner question.
    """
    key = (what, name)
    _ASKING.add(key)
    try:
        verdict = app.emit_firstresult(
            "autodoc-skip-member", what, name, obj, False, options
        )
    except Exception:  # noqa: BLE001 (a failing handler is no opinion)
        verdict = None
    finally:
        _ASKING.discard(key)
    return bool(verdict) if verdict is not None else False


def snapshot_of(
    info: ObjectInfo, name: str, docname: str, shown: list[str], draft: Draft | None
) -> ObjectSnapshot:
    """What the domain records of *info* shown as *name* with the lines *shown*."""
    text = "\n".join(shown).strip()
    summary = (
        draft.summary
        if draft
        else next((line.strip() for line in shown if line.strip()), "")
    )
    return ObjectSnapshot(
        qualname=name,
        module=info.module,
        kind=info.kind,
        signature=info.signature,
        docstring_hash=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
        generated=draft is not None,
        source=draft.source if draft else "human",
        summary=summary,
        docname=docname,
        file=info.file,
        lineno=info.lineno,
        deprecated=info.deprecated,
        docstring=text,
        target=info.qualname,
        writer=f"{draft.provider}/{draft.model}".rstrip("/") if draft else "",
    )
