"""Docstring styles: render a Draft, parse a docstring, complete a docstring.

Three conventions are supported: ``google`` and ``numpy`` (read by
``sphinx.ext.napoleon``) and ``rest`` (Sphinx info field lists). Nothing in
this package imports Sphinx or docutils.
"""

from __future__ import annotations

import inspect
import logging

from sphinxcontrib_aidoc.model import ParsedDocstring
from sphinxcontrib_aidoc.styles._augment import augment
from sphinxcontrib_aidoc.styles._parse import Layout, detect_style, parse_layout
from sphinxcontrib_aidoc.styles._registry import (
    STYLE_NAMES,
    get_style,
    normalize_style,
)
from sphinxcontrib_aidoc.styles.base import DocstringStyle

__all__ = [
    "STYLE_NAMES",
    "DocstringStyle",
    "augment",
    "detect_style",
    "get_style",
    "normalize_style",
    "parse_docstring",
]

logger = logging.getLogger(__name__)


def _to_parsed(layout: Layout) -> ParsedDocstring:
    params: list[tuple[str, str, str]] = []
    attributes: list[tuple[str, str, str]] = []
    raises: list[tuple[str, str]] = []
    values: dict[str, tuple[str, str]] = {}
    for section in layout.sections:
        triples = [(e.name, e.type, e.desc) for e in section.entries]
        if section.kind == "params":
            params.extend(triples)
        elif section.kind == "attributes":
            attributes.extend(triples)
        elif section.kind == "raises":
            raises.extend((e.name, e.desc) for e in section.entries)
        elif section.kind in ("returns", "yields") and section.entries:
            first = section.entries[0]
            values.setdefault(section.kind, (first.type, first.desc))
    kinds = [s.kind for s in layout.sections]
    empty = [s.kind for s in layout.sections if s.empty]
    return ParsedDocstring(
        style=layout.style,
        summary=layout.summary,
        description=layout.description,
        params=tuple(params),
        returns=values.get("returns"),
        yields=values.get("yields"),
        raises=tuple(raises),
        attributes=tuple(attributes),
        sections=tuple(dict.fromkeys(kinds)),
        empty_sections=tuple(dict.fromkeys(empty)),
    )


def parse_docstring(text: str, style: str | None = None) -> ParsedDocstring:
    """Parse *text* (a raw ``__doc__`` or cleaned docstring) in *style*.

    With *style* None the style is detected: NumPy when a known section
    title is underlined with dashes, reST when it has info fields such as
    ``:param x:``, Google otherwise. Never raises: text that fits no rule
    stays out of the structure, and an unknown *style* is detected instead.
    """
    try:
        chosen = normalize_style(style) if style else None
    except ValueError:
        chosen = None
    try:
        lines = inspect.cleandoc(text or "").splitlines()
        return _to_parsed(parse_layout(lines, chosen))
    except Exception:  # a parser bug must not break a docs build
        logger.debug("could not parse docstring", exc_info=True)
        summary = (text or "").strip().partition("\n")[0].strip()
        return ParsedDocstring(style=chosen or "google", summary=summary)
