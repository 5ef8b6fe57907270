"""Whether aidoc writes an object's docstring, and what a partial one lacks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol

from sphinxcontrib_aidoc.model import CLASS_KINDS
from sphinxcontrib_aidoc.optout import matching_pattern, opted_out
from sphinxcontrib_aidoc.styles import parse_docstring

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.config import AidocConfig
    from sphinxcontrib_aidoc.model import ObjectInfo

#: What aidoc does with a docstring (write it whole, or complete it).
Action = Literal["fill", "augment"]


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
        info.kind not in CLASS_KINDS
        and info.kind != "property"
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


class Reviewed(Protocol):
    """A review decision (``store.Review`` is one): its state for some code."""

    def state_for(self, source_hash: str) -> str | None:
        """The decision's state for the code hashed *source_hash*, or None."""


def decide(
    info: ObjectInfo,
    config: AidocConfig,
    *,
    shown_empty: bool | None = None,
    shown_name: str = "",
    review: Reviewed | None = None,
) -> Action | None:
    """Return what aidoc writes for *info*: ``"fill"``, ``"augment"`` or None.

    The one decision of every caller: autodoc's event, the pre-read batch,
    sphinx-autoapi pages, ``aidoc generate`` and ``aidoc apply``. ``"fill"``:
    nothing is shown and the object has no docstring of its own, so the whole
    docstring is written; ``"augment"`` (``aidoc_mode = "augment"``): a
    partial docstring gets what it lacks. None when the mode is ``off``, the
    name is private, the object is opted out (an ``aidoc_exclude`` pattern
    matching its defined or shown name, or a ``# aidoc: skip`` marker) or a
    review rejected its generated text for the current code.

    Args:
        info: The analysed object.
        config: The validated settings (mode and exclusions).
        shown_empty: Whether the page shows no text of the object's own;
            None (the command line) reads the source's docstring.
        shown_name: The name a page shows the object under (its defined
            name when empty); a public name decides for an object defined
            under a private one.
        review: The review decision recorded under that name, if any.
    """
    if shown_empty is None:
        shown_empty = not info.has_docstring
    public = (
        not shown_name.rpartition(".")[2].startswith("_")
        if shown_name
        else info.is_public
    )
    if config.mode == "off" or not public:
        return None
    if opted_out(info, config.exclude) or (
        shown_name and matching_pattern(shown_name, config.exclude) is not None
    ):
        return None
    if review is not None and review.state_for(info.source_hash) == "rejected":
        return None  # not written again until the code changes
    if shown_empty and not info.has_docstring:
        return "fill"
    if config.mode == "augment" and not shown_empty and info.has_docstring:
        return "augment" if missing_parts(info) else None
    return None
