"""Which objects get a generated docstring, and what a partial one lacks."""

from __future__ import annotations

from collections.abc import Sequence

from sphinxcontrib_aidoc.model import KINDS, ObjectInfo
from sphinxcontrib_aidoc.optout import matching_pattern, opted_out
from sphinxcontrib_aidoc.styles import parse_docstring

#: Kinds aidoc writes docstrings for: every kind analysis reports.
DOCUMENTED_KINDS = frozenset(KINDS)
_NO_RETURNS_KINDS = frozenset({"class", "exception", "property"})


def missing_parts(info: ObjectInfo, docstring: str | None = None) -> list[str]:
    """Return labels of what *docstring* (default: the own one) does not cover.

    Labels: ``"summary"``, ``"param <name>"``, ``"returns"``, ``"yields"``,
    ``"raises <Name>"``.
    """
    text = info.docstring if docstring is None else docstring
    if not text or not text.strip():
        return ["summary"]
    parsed = parse_docstring(text)
    documented = set(parsed.param_names)
    missing = [
        f"param {p.name}" for p in info.documented_params if p.name not in documented
    ]
    if (
        info.kind not in _NO_RETURNS_KINDS
        and info.returns is not None
        and info.returns.type not in (None, "None")
        and parsed.returns is None
    ):
        missing.append("returns")
    if info.yields is not None and parsed.yields is None:
        missing.append("yields")
    raised = {n.rpartition(".")[2] for n in parsed.raise_names}
    missing.extend(
        f"raises {name}"
        for name in info.raises
        if name.rpartition(".")[2] not in raised
    )
    return missing


def wants_draft(info: ObjectInfo, mode: str) -> bool:
    """Whether *info* needs generated prose in *mode*."""
    if mode == "off" or not info.is_public or info.kind not in DOCUMENTED_KINDS:
        return False
    if not info.has_docstring:
        return True
    return mode == "augment" and bool(missing_parts(info))


def action(
    info: ObjectInfo,
    mode: str,
    *,
    shown_empty: bool,
    public: bool | None = None,
    exclude: Sequence[str] = (),
    shown_name: str = "",
) -> str | None:
    """What aidoc does with *info* as a page shows it.

    Returns ``"fill"`` (the page shows no text: write the whole docstring),
    ``"augment"`` (a partial docstring gets what it lacks) or None. *public*
    defaults to the object's own name; a page may show a public name for an
    object defined under a private one, and the shown name decides. An
    object opted out (an *exclude* pattern matching its defined or shown
    name, or a ``# aidoc: skip`` marker in its source) gets None.
    """
    if public is None:
        public = info.is_public
    if mode == "off" or not public or info.kind not in DOCUMENTED_KINDS:
        return None
    if opted_out(info, exclude) or (
        shown_name and matching_pattern(shown_name, exclude) is not None
    ):
        return None
    if shown_empty and not info.has_docstring:
        return "fill"
    if mode == "augment" and not shown_empty and info.has_docstring:
        return "augment" if missing_parts(info) else None
    return None
