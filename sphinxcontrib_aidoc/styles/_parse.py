"""Read Google, NumPy and reST docstrings into sections with line spans.

:func:`parse_layout` keeps where each section starts and ends so that
``augment`` can insert lines into the author's text; ``parse_docstring`` in
the package ``__init__`` turns a layout into a
:class:`~sphinxcontrib_aidoc.model.ParsedDocstring`. Nothing here raises on
odd input: text that fits no rule is left out of the structure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from sphinxcontrib_aidoc.styles._text import (
    dedent,
    indent_of,
    looks_like_type,
    min_indent,
    plain_name,
    split_colon,
    strip_blank_edges,
)

#: Section titles (lower case) of Google and NumPy docstrings, normalised.
SECTION_NAMES: dict[str, str] = {
    **dict.fromkeys(
        (
            "args",
            "arguments",
            "parameters",
            "params",
            "keyword args",
            "keyword arguments",
            "kwargs",
            "other parameters",
            "other params",
            "other arguments",
        ),
        "params",
    ),
    **dict.fromkeys(("returns", "return"), "returns"),
    **dict.fromkeys(("yields", "yield"), "yields"),
    **dict.fromkeys(("raises", "raise", "exceptions", "except", "throws"), "raises"),
    **dict.fromkeys(("attributes", "attribute"), "attributes"),
    **dict.fromkeys(("example", "examples"), "examples"),
    **dict.fromkeys(("note", "notes"), "notes"),
    **dict.fromkeys(
        (
            "see also",
            "warning",
            "warnings",
            "warns",
            "references",
            "todo",
            "methods",
            "receives",
            "tip",
            "important",
            "caution",
            "danger",
            "error",
            "hint",
            "attention",
        ),
        "other",
    ),
}
_REST_KINDS: dict[str, str] = {
    **dict.fromkeys(
        ("param", "parameter", "arg", "argument", "key", "keyword", "type"), "params"
    ),
    **dict.fromkeys(("returns", "return", "rtype"), "returns"),
    **dict.fromkeys(("yields", "yield", "ytype"), "yields"),
    **dict.fromkeys(("raises", "raise", "except", "exception"), "raises"),
    **dict.fromkeys(("var", "ivar", "cvar", "vartype"), "attributes"),
}
_STRUCTURED = frozenset({"params", "returns", "yields", "raises"})
_UNDERLINE = re.compile(r"^\s*([-=~^])\1+\s*$")
_TITLE = re.compile(r"^[A-Za-z][A-Za-z ]{0,30}$")
_GOOGLE_HEADER = re.compile(r"^\s*([A-Za-z][A-Za-z ]*?)\s*:\s*$")
_REST_FIELD = re.compile(
    r"^\s*:(?P<name>[^:\s`](?:[^:`]|`[^`]*`)*):(?:\s+(?P<body>.*))?$"
)
_REST_DETECT = re.compile(
    r"(?i)^\s*:(param|parameter|arg|argument|key|keyword|type|returns?|rtype|raises?"
    r"|except|exception|yields?|ytype|var|ivar|cvar|vartype)\b[^:]*:(\s|$)"
)
_NAMES = re.compile(r"^\\?\*{0,2}[A-Za-z_][\w.]*(?:\s*,\s*\\?\*{0,2}[A-Za-z_][\w.]*)*")
_EXC_NAME = re.compile(r"^[\w.~!`:\\]+$")
_REST_EXAMPLES = re.compile(r"(?i)^\s*(>>>|(\.\. rubric:: )?examples?:{0,2}\s*$)")


@dataclass(slots=True)
class Entry:
    """One documented item: a parameter, exception, attribute or value."""

    name: str
    type: str
    desc: str


@dataclass(slots=True)
class Section:
    """A section and the lines it spans (``end`` is past its last text line)."""

    kind: str
    start: int
    end: int
    header_indent: int
    #: Indentation of the section's entries; -1 when it has none.
    entry_indent: int = -1
    entries: list[Entry] = field(default_factory=list)
    empty: bool = False


@dataclass(slots=True)
class Layout:
    """A docstring cut into summary, description and sections."""

    style: str
    summary: str = ""
    description: str = ""
    sections: list[Section] = field(default_factory=list)


def detect_style(lines: list[str]) -> str | None:
    """Return the style *lines* are written in, or None when they show none.

    Underlined NumPy sections win, except that a docstring whose only
    underlined sections are prose ones (``Notes``) and that has reST fields
    (``:param x:``) is reST. Google needs a known ``Title:`` header.
    """
    underlined = {
        SECTION_NAMES[line.strip().lower()]
        for line, below in pairwise(lines)
        if line.strip().lower() in SECTION_NAMES and _UNDERLINE.match(below)
    }
    if underlined & _STRUCTURED:
        return "numpy"
    if any(_REST_DETECT.match(line) for line in lines):
        return "rest"
    if underlined:
        return "numpy"
    base = min_indent(lines)
    for line in lines:
        match = _GOOGLE_HEADER.match(line)
        if match and indent_of(line) == base and match[1].lower() in SECTION_NAMES:
            return "google"
    return None


def parse_layout(lines: list[str], style: str | None = None) -> Layout:
    """Parse *lines* in *style* (detected when None; Google by default)."""
    chosen = style or detect_style(lines) or "google"
    if chosen == "numpy":
        return _numpy(lines)
    if chosen == "rest":
        return _rest(lines)
    return _google(lines)


def _preamble(layout: Layout, lines: list[str]) -> None:
    """Fill summary (first paragraph) and description (the rest) from *lines*."""
    text = strip_blank_edges(lines)
    cut = next((n for n, line in enumerate(text) if not line.strip()), len(text))
    layout.summary = " ".join(line.strip() for line in text[:cut])
    layout.description = "\n".join(strip_blank_edges(dedent(text[cut:])))


def _last_text(lines: list[str], start: int, stop: int) -> int:
    """Return one past the last non-blank line in ``lines[start:stop]``."""
    end = stop
    while end > start and not lines[end - 1].strip():
        end -= 1
    return end


def _entries(body: list[str], kind: str, numpy: bool) -> tuple[list[Entry], int]:
    """Parse the entry list of a params/raises/attributes body.

    Entry lines sit at the body's smallest indentation; deeper or blank lines
    continue the previous entry. ``a, b: text`` gives two entries sharing
    the text. Lines at entry indentation that are not entries continue the
    previous entry (or are skipped before the first one).
    """
    indent = min_indent(body)
    groups: list[tuple[list[str], str, list[str]]] = []
    for line in body:
        parsed = None
        if line.strip() and indent_of(line) == indent:
            parsed = _entry(line.strip(), kind, numpy)
        if parsed is not None:
            names, type_, first = parsed
            groups.append((names, type_, [first] if first else []))
        elif groups:
            groups[-1][2].append(line)
    entries: list[Entry] = []
    for names, type_, text in groups:
        head = text[:1] if text and not text[0][:1].isspace() else []
        desc = "\n".join(strip_blank_edges(head + dedent(text[len(head) :])))
        entries.extend(Entry(name, type_, desc) for name in names)
    return entries, indent


def _entry(text: str, kind: str, numpy: bool) -> tuple[list[str], str, str] | None:
    """Split an entry line into ``(names, type, first description line)``."""
    if kind == "raises":
        before, after, found = split_colon(text)
        names = [plain_name(n) for n in before.split(",") if n.strip()]
        if not names or not all(_EXC_NAME.match(n) for n in names):
            return None
        return names, "", after if found else ""
    if numpy:
        before, after, _found = split_colon(text)
        match = _NAMES.fullmatch(before)
        if not match:
            return None
        return _split_names(before), after, ""
    match = _NAMES.match(text)
    if not match:
        return None
    rest = text[match.end() :].lstrip()
    type_ = ""
    if rest.startswith("("):
        close = _closing(rest)
        if close < 0:
            return None
        type_ = rest[1:close].strip()
        rest = rest[close + 1 :].lstrip()
    if not rest:
        return _split_names(match[0]), type_, ""
    if rest.startswith(":") and not rest.startswith("::"):
        return _split_names(match[0]), type_, rest[1:].strip()
    return None


def _split_names(text: str) -> list[str]:
    return [n.strip().replace("\\", "") for n in text.split(",") if n.strip()]


def _closing(text: str) -> int:
    """Return the index of the parenthesis closing ``text[0]``, or -1."""
    depth = 0
    for index, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return index if char == ")" else -1
    return -1


def _value(body: list[str], numpy: bool) -> list[Entry]:
    """Parse a Returns/Yields body into one entry (type, description)."""
    text = strip_blank_edges(dedent(body))
    if not text:
        return []
    if numpy:
        heads = [line for line in text if line.strip() and not line[0].isspace()]
        if len(heads) != 1:
            return [Entry("", "", "\n".join(text))]
        before, after, found = split_colon(text[0])
        type_ = after if found else before
        return [Entry("", type_, "\n".join(strip_blank_edges(dedent(text[1:]))))]
    before, after, found = split_colon(text[0])
    if found and looks_like_type(before):
        return [Entry("", before, "\n".join(strip_blank_edges([after, *text[1:]])))]
    return [Entry("", "", "\n".join(text))]


def _fill(section: Section, lines: list[str], body_start: int, numpy: bool) -> None:
    body = lines[body_start : section.end]
    section.empty = not any(line.strip() for line in body)
    if section.empty:
        return
    if section.kind in ("params", "raises", "attributes"):
        section.entries, section.entry_indent = _entries(body, section.kind, numpy)
    elif section.kind in ("returns", "yields"):
        section.entries = _value(body, numpy)
        section.entry_indent = min_indent(body)


def _google(lines: list[str]) -> Layout:
    layout = Layout("google")
    base = min_indent(lines)
    headers: list[tuple[int, str]] = []
    for number, line in enumerate(lines):
        match = _GOOGLE_HEADER.match(line)
        if match and indent_of(line) == base:
            kind = SECTION_NAMES.get(match[1].lower())
            if kind:
                headers.append((number, kind))
    _preamble(layout, lines[: headers[0][0] if headers else len(lines)])
    for start, kind in headers:
        stop = start + 1
        while stop < len(lines) and (
            not lines[stop].strip() or indent_of(lines[stop]) > base
        ):
            stop += 1
        end = _last_text(lines, start + 1, stop)
        section = Section(kind, start, end, base)
        _fill(section, lines, start + 1, numpy=False)
        layout.sections.append(section)
    return layout


def _numpy(lines: list[str]) -> Layout:
    layout = Layout("numpy")
    base = min_indent(lines)
    headers: list[tuple[int, str]] = []
    for number, line in enumerate(lines[:-1]):
        title = line.strip()
        if (
            indent_of(line) == base
            and _TITLE.match(title)
            and _UNDERLINE.match(lines[number + 1])
        ):
            headers.append((number, SECTION_NAMES.get(title.lower(), "other")))
    _preamble(layout, lines[: headers[0][0] if headers else len(lines)])
    for position, (start, kind) in enumerate(headers):
        stop = headers[position + 1][0] if position + 1 < len(headers) else len(lines)
        end = _last_text(lines, start + 2, stop)
        section = Section(kind, start, max(end, start + 2), base)
        _fill(section, lines, start + 2, numpy=True)
        layout.sections.append(section)
    return layout


def _rest(lines: list[str]) -> Layout:
    layout = Layout("rest")
    base = min_indent(lines)
    fields: list[tuple[int, int, list[str], str]] = []
    number = 0
    while number < len(lines):
        match = _REST_FIELD.match(lines[number])
        if not match or indent_of(lines[number]) != base:
            number += 1
            continue
        stop = number + 1
        while stop < len(lines) and (
            not lines[stop].strip() or indent_of(lines[stop]) > base
        ):
            stop += 1
        end = _last_text(lines, number + 1, stop)
        body = [match["body"] or "", *dedent(lines[number + 1 : end])]
        text = "\n".join(strip_blank_edges(body))
        fields.append((number, end, match["name"].split(), text))
        number = stop
    _preamble(layout, lines[: fields[0][0] if fields else len(lines)])
    by_kind: dict[str, Section] = {}
    for start, end, words, text in fields:
        kind = _REST_KINDS.get(words[0].lower(), "other")
        section = by_kind.get(kind)
        if section is None:
            section = by_kind[kind] = Section(kind, start, end, base, base)
            layout.sections.append(section)
        section.end = max(section.end, end)
        _rest_field(section, words, text)
    for section in layout.sections:
        if section.kind in ("returns", "yields"):
            section.empty = not any(e.type or e.desc for e in section.entries)
    extra = [
        (n, "examples" if _REST_EXAMPLES.match(line) else "notes")
        for n, line in enumerate(lines[: fields[0][0] if fields else len(lines)])
        if _REST_EXAMPLES.match(line) or line.strip().startswith(".. note::")
    ]
    seen: set[str] = set()
    for n, kind in extra:
        if kind not in seen:
            seen.add(kind)
            layout.sections.append(Section(kind, n, n + 1, base))
    layout.sections.sort(key=lambda s: s.start)
    return layout


def _rest_field(section: Section, words: list[str], text: str) -> None:
    """Record one ``:word args: text`` field in its section."""
    word = words[0].lower()
    args = [a.replace("\\", "") for a in words[1:]]
    if section.kind in ("params", "attributes") and args:
        name = args[-1]
        entry = next((e for e in section.entries if e.name == name), None)
        if entry is None:
            entry = Entry(name, "", "")
            section.entries.append(entry)
        if word in ("type", "vartype"):
            entry.type = " ".join(text.split())
        else:
            entry.desc = text
            entry.type = entry.type or " ".join(args[:-1])
    elif section.kind in ("returns", "yields"):
        if not section.entries:
            section.entries.append(Entry("", "", ""))
        entry = section.entries[0]
        if word in ("rtype", "ytype"):
            entry.type = " ".join(text.split())
        elif section.kind == "yields" and " -- " in text:
            type_, _, desc = text.partition(" -- ")
            entry.type, entry.desc = type_.strip(), desc.strip()
        elif section.kind == "yields" and "\n" not in text and looks_like_type(text):
            entry.type = text.strip()
        else:
            entry.desc = text
    elif section.kind == "raises":
        names = [plain_name(n) for n in " ".join(args).split(",") if n.strip()]
        if not names and text.strip():
            first, _, text = text.strip().partition(" ")
            names = [plain_name(first.rstrip(":,"))]
        section.entries.extend(Entry(n, "", text.strip()) for n in names)
