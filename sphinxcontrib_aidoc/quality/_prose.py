"""Style (``AID3xx``) and clarity (``AID4xx``) checks: how a docstring reads.

Style: the configured convention (sections of another style are a
finding), sections in the conventional order (Args, Attributes, Returns or
Yields, Raises; others anywhere), a summary that is one sentence ending with
a period, the imperative mood for functions and methods ("Return", not
"Returns" or "This function..."), no empty sections, and lines that fit in
88 columns in the source (indentation estimated at 4 spaces per level).

Clarity: a summary that only restates the name (``get_name``: "Get name.";
see :mod:`._words`), one shorter than three words or longer than 120
characters, placeholder text (TODO, FIXME, XXX, "Description of ...", Lorem
ipsum), entries that only repeat their name or type ("value (int): The
value.") and circular Raises conditions ("If a key error occurs.").
"""

from __future__ import annotations

import re
from itertools import pairwise

from sphinxcontrib_aidoc.quality._context import Context
from sphinxcontrib_aidoc.quality._credit import (
    bare_params,
    bare_value,
    circular_raises,
    summary_restates,
)
from sphinxcontrib_aidoc.quality._records import Finding

MAX_LINE = 88
MIN_SUMMARY_WORDS = 3
MAX_SUMMARY_CHARS = 120

#: Rank of each section in the conventional order (others are unranked).
_ORDER = {"params": 0, "attributes": 1, "returns": 2, "yields": 2, "raises": 3}
_TITLES = {
    "params": "Args",
    "attributes": "Attributes",
    "returns": "Returns",
    "yields": "Yields",
    "raises": "Raises",
    "examples": "Examples",
    "notes": "Notes",
    "other": "a section",
}
#: Abbreviations whose period does not end a sentence.
_ABBREVIATIONS = re.compile(
    r"\b(?:e\.g|i\.e|etc|vs|cf|approx|resp|Mr|Dr|No)\.", re.IGNORECASE
)
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z(`*]")
#: First words that are not verbs in the imperative.
_NOT_IMPERATIVE = frozenset({"this", "these", "that", "a", "an", "the", "function"})
#: Imperative verbs (and words) that end in "s" anyway.
_S_ENDINGS = ("ss", "us", "is", "ys", "as")
#: Placeholders: the usual markers (upper case only: "todo" is ordinary prose),
#: template text (a bare "Description of x.") and filler.
_PLACEHOLDER = re.compile(
    r"\b(?:TODO|FIXME|XXX|TBD)\b|\b[Ll]orem ipsum\b"
    r"|(?:^\s*|:\s+)Description of [`*]{0,2}\w+[`*]{0,2}\.?\s*$"
)


def style(ctx: Context) -> list[Finding]:
    """Return the style findings of *ctx*."""
    found: list[Finding] = []
    parsed = ctx.parsed
    # Generated text inside Sphinx is info fields whatever aidoc_style says
    # (see sphinxext.rendering); the style rule judges what people write.
    if parsed.sections and parsed.style != ctx.style and not ctx.generated:
        found.append(
            Finding(
                "AID301",
                f"sections are written in {parsed.style} style, not {ctx.style}",
                line=ctx.line(0),
            )
        )
    ranked = [s for s in parsed.sections if s in _ORDER]
    for before, after in pairwise(ranked):
        if _ORDER[after] < _ORDER[before]:
            found.append(
                Finding(
                    "AID302",
                    f"{_TITLES[after]} comes after {_TITLES[before]}",
                    line=ctx.section_line(after),
                )
            )
            break
    found.extend(_summary_style(ctx))
    found.extend(
        Finding(
            "AID305",
            f"the {_TITLES.get(kind, kind)} section is empty",
            line=ctx.section_line(kind),
        )
        for kind in parsed.empty_sections
    )
    found.extend(_long_lines(ctx))
    return found


def _summary_style(ctx: Context) -> list[Finding]:
    summary = ctx.parsed.summary.strip()
    if not summary:
        return []
    found: list[Finding] = []
    plain = _ABBREVIATIONS.sub("", summary)
    if not summary.endswith(".") or _SENTENCE_BREAK.search(plain):
        found.append(
            Finding(
                "AID303",
                "the summary is not one sentence ending with a period",
                line=ctx.line(0),
            )
        )
    if ctx.is_function and not _imperative(summary):
        found.append(
            Finding(
                "AID304",
                f"the summary starts with {summary.split()[0]!r}, not a verb in the "
                "imperative mood",
                line=ctx.line(0),
            )
        )
    return found


def _imperative(summary: str) -> bool:
    """Whether *summary* plausibly starts with an imperative verb."""
    word = summary.split(maxsplit=1)[0].strip(".,:;!?\"'")
    if not word.isalpha() or word.isupper():
        return True  # a literal, a name or an acronym: no opinion
    lower = word.lower()
    if lower in _NOT_IMPERATIVE:
        return False
    return not (
        len(lower) > 3 and lower.endswith("s") and not lower.endswith(_S_ENDINGS)
    )


def _long_lines(ctx: Context) -> list[Finding]:
    indent = 4 * (ctx.info.local_name.count(".") + 1)
    long_lines = [
        index
        for index, text in enumerate(ctx.lines)
        # the first line follows the opening quotes
        if indent + len(text) + (3 if index == 0 else 0) > MAX_LINE
    ]
    if not long_lines:
        return []
    extra = f" (and {len(long_lines) - 1} more)" if len(long_lines) > 1 else ""
    return [
        Finding(
            "AID306",
            f"a docstring line is longer than {MAX_LINE} characters{extra}",
            line=ctx.line(long_lines[0]),
        )
    ]


def clarity(ctx: Context) -> list[Finding]:
    """Return the clarity findings of *ctx*."""
    found: list[Finding] = []
    summary = ctx.parsed.summary.strip()
    if summary:
        if summary_restates(ctx.info, summary):
            found.append(
                Finding(
                    "AID401",
                    f"the summary {summary!r} only restates the name or signature "
                    f"of {ctx.info.name!r}",
                    line=ctx.line(0),
                )
            )
        words = len(summary.split())
        if words < MIN_SUMMARY_WORDS:
            found.append(
                Finding(
                    "AID402",
                    f"the summary has {words} word{'s' * (words != 1)}",
                    line=ctx.line(0),
                )
            )
        if len(summary) > MAX_SUMMARY_CHARS:
            found.append(
                Finding(
                    "AID403",
                    f"the summary is {len(summary)} characters long",
                    line=ctx.line(0),
                )
            )
    for index, text in enumerate(ctx.lines):
        match = _PLACEHOLDER.search(text)
        if match:
            found.append(
                Finding(
                    "AID404",
                    f"placeholder text {match[0].strip(' :')!r}",
                    line=ctx.line(index),
                )
            )
            break
    found.extend(_entries(ctx))
    return found


def _entries(ctx: Context) -> list[Finding]:
    """AID405 (once) for entries that repeat names; AID406 per circular condition."""
    found: list[Finding] = []
    bare = bare_params(ctx)
    annotation = ctx.info.returns.type if ctx.info.returns else None
    for kind in ("returns", "yields"):
        value = ctx.parsed.returns if kind == "returns" else ctx.parsed.yields
        if value is not None and bare_value(ctx, value[0], value[1], annotation):
            bare.append(_TITLES[kind])
    bare.extend(name for name, text in ctx.parsed.raises if not text.strip())
    if bare:
        many = len(bare) > 1
        found.append(
            Finding(
                "AID405",
                f"{len(bare)} entr{'ies' if many else 'y'} say{'' if many else 's'} "
                f"nothing beyond {'their' if many else 'its'} name or type: "
                + ", ".join(bare),
                line=ctx.line(0),
            )
        )
    found.extend(
        Finding(
            "AID406",
            f"the condition of {name} only restates its name",
            line=ctx.entry_line(name, "raises"),
        )
        for name in circular_raises(ctx)
    )
    return found
