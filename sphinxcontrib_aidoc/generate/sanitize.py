"""Clean a model's words before they are used: characters, whitespace, length.

A model's answer is untrusted plain text. This module does not look for
markup in it (the text is never markup: the styles escape every model text
for reST when they render it, see :mod:`sphinxcontrib_aidoc.styles.escape`).
It only makes the words fit a docstring:

* control characters, bidirectional overrides and isolates, zero-width
  and other invisible format characters, surrogates and private-use
  characters are removed, so the page shows what a reader of the source
  sees and no text is reordered or hidden;
* every line break that is not a paragraph break becomes a space (a
  summary or a field is one paragraph; a description keeps its paragraphs,
  separated by one blank line), and runs of whitespace become one space;
* each part is capped (:data:`SUMMARY_MAX`, :data:`DESCRIPTION_MAX`,
  :data:`FIELD_MAX`) on a word boundary, ending with an ellipsis.

What was removed or cut is named in the returned list, and providers report
it once per object as an ``aidoc.sanitize`` warning.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from sphinxcontrib_aidoc.model import Draft

#: Length caps (characters) of the parts of a draft.
SUMMARY_MAX = 300
DESCRIPTION_MAX = 2000
FIELD_MAX = 1000

#: Unicode categories removed: controls, format (bidi, zero-width, BOM),
#: surrogates, private use, unassigned.
_REMOVED = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
#: Characters that break lines (``str.splitlines`` splits on all of them).
_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")


def sanitize_text(text: str, *, max_len: int) -> tuple[str, list[str]]:
    """Return *text* cleaned, with its paragraphs, and what was changed.

    Returns:
        ``(clean, changes)``: paragraphs separated by one blank line, each
        on one line, and one short label per kind of change (``"control or
        invisible characters"``, ``"text cut to N characters"``).
    """
    found: list[str] = []
    lines = _BREAKS.sub(lambda m: "\n\n" if m[0] == "\u2029" else "\n", text)
    kept = "".join(
        ch for ch in lines if ch.isspace() or unicodedata.category(ch) not in _REMOVED
    )
    if len(kept) != len(lines):
        found.append("control or invisible characters")
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", kept)]
    clean = "\n\n".join(p for p in paragraphs if p)
    if len(clean) > max_len:
        clean = _cut(clean, max_len)
        found.append(f"text cut to {max_len} characters")
    return clean, found


def sanitize_inline(text: str, *, max_len: int) -> tuple[str, list[str]]:
    """Like :func:`sanitize_text`, with everything in one paragraph.

    Used for the summary and for parameter, return and exception texts.
    """
    clean, found = sanitize_text(text, max_len=max_len)
    return " ".join(clean.split()), found


def sanitize_draft(draft: Draft) -> tuple[Draft, list[str]]:
    """Clean every text of *draft*; return the copy and what was changed."""
    found: list[str] = []

    def clean(text: str, cap: int, *, inline: bool = True) -> str:
        sanitize = sanitize_inline if inline else sanitize_text
        result, labels = sanitize(text, max_len=cap)
        found.extend(label for label in labels if label not in found)
        return result

    safe = replace(
        draft,
        summary=clean(draft.summary, SUMMARY_MAX),
        description=clean(draft.description, DESCRIPTION_MAX, inline=False),
        params=tuple((name, clean(text, FIELD_MAX)) for name, text in draft.params),
        returns=clean(draft.returns, FIELD_MAX),
        yields=clean(draft.yields, FIELD_MAX),
        raises=tuple((name, clean(text, FIELD_MAX)) for name, text in draft.raises),
    )
    return safe, found


def _cut(text: str, max_len: int) -> str:
    head = text[: max(max_len - 1, 0)]
    space = head.rfind(" ")
    if space > max_len // 2:
        head = head[:space]
    return head.rstrip() + "\u2026"
