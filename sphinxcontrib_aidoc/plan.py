"""Which objects get a generated docstring, and what a partial one lacks."""

from __future__ import annotations

from sphinxcontrib_aidoc.model import KINDS, ObjectInfo
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
