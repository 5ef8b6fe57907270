"""Small text helpers shared by the renderers, the parser and ``augment``.

Pure string functions: wrapping prose into indented blocks, measuring
indentation and splitting ``name : type`` style lines on their colon while
ignoring colons inside reST roles and inline literals.
"""

from __future__ import annotations

import re
import textwrap

#: Lines that must keep their own line breaks: lists, doctests, directives,
#: literal-block markers, tables and line blocks.
_STRUCTURED = re.compile(r"^(\s|[-*+•] |\d+[.)] |#\. |>>>|\.\. |\||\+[-=])")
#: A role with its target (``:class:`x```) or an inline literal.
_ROLE_OR_CODE = re.compile(r"(?::[\w.+:-]+:)?`[^`]*`+|``.+?``")
#: A colon that separates fields: not part of ``::`` nor followed by ``//``.
_FIELD_COLON = re.compile(r"(?<!:):(?!:)(?!//)")


def indent_of(line: str) -> int:
    """Return the number of leading spaces of *line* (tabs count as 8)."""
    expanded = line.expandtabs(8)
    return len(expanded) - len(expanded.lstrip(" "))


def min_indent(lines: list[str]) -> int:
    """Return the smallest indentation of the non-blank *lines* (0 if none)."""
    indents = [indent_of(line) for line in lines if line.strip()]
    return min(indents) if indents else 0


def dedent(lines: list[str]) -> list[str]:
    """Remove the common indentation of *lines*; blank lines become ``""``."""
    cut = min_indent(lines)
    return [line.expandtabs(8)[cut:] if line.strip() else "" for line in lines]


def strip_blank_edges(lines: list[str]) -> list[str]:
    """Return *lines* without leading and trailing blank lines."""
    start = 0
    end = len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def paragraphs(text: str) -> list[list[str]]:
    """Split *text* into paragraphs (lists of lines) on blank lines."""
    result: list[list[str]] = []
    current: list[str] = []
    for line in textwrap.dedent(text.expandtabs(8)).splitlines():
        if line.strip():
            current.append(line.rstrip())
        elif current:
            result.append(current)
            current = []
    if current:
        result.append(current)
    return result


def is_structured(paragraph: list[str]) -> bool:
    """Whether *paragraph* has layout (lists, code) that wrapping would break."""
    return any(_STRUCTURED.match(line) for line in paragraph) or paragraph[-1].endswith(
        "::"
    )


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    wrapper = textwrap.TextWrapper(
        width=max(width, len(first) + 20, len(rest) + 20),
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [line.rstrip() for line in wrapper.wrap(text)] or [first.rstrip()]


def wrap_text(text: str, width: int, prefix: str = "", indent: str = "") -> list[str]:
    """Wrap *text* into lines no wider than *width* where possible.

    The first line starts with *prefix*; every other line (including later
    paragraphs, separated by a blank line) starts with *indent*. Paragraphs
    with their own layout (lists, doctests, directives) keep their line
    breaks and relative indentation. Returns ``[prefix]`` (right-stripped)
    for empty text.
    """
    paras = paragraphs(text)
    if not paras:
        return [prefix.rstrip()] if prefix.strip() else []
    lines: list[str] = []
    for number, para in enumerate(paras):
        first = prefix if number == 0 else indent
        if number:
            lines.append("")
        if is_structured(para):
            body = [indent + line if line else "" for line in para]
            if number == 0 and prefix.strip():
                lines.append(prefix.rstrip())
                lines.extend(body)
            else:
                lines.extend(body)
            continue
        joined = " ".join(line.strip() for line in para)
        lines.extend(_wrap(joined, width, first, indent))
    return lines


def split_colon(line: str) -> tuple[str, str, bool]:
    """Split *line* on its first field colon, ignoring roles and literals.

    Returns ``(before, after, found)`` with both parts stripped. A colon
    followed by ``//`` (a URL) or doubled (``::``) does not count.
    """
    position = 0
    for match in _ROLE_OR_CODE.finditer(line):
        colon = _FIELD_COLON.search(line, position, match.start())
        if colon:
            break
        position = match.end()
    else:
        colon = _FIELD_COLON.search(line, position)
    if colon is None:
        return line.strip(), "", False
    return line[: colon.start()].strip(), line[colon.end() :].strip(), True


def plain_name(text: str) -> str:
    """Return *text* without reST markup: ``:exc:`~a.B``` gives ``a.B``."""
    name = re.sub(r"^:[\w.+:-]+:", "", text.strip())
    name = name.strip("`").lstrip("~!").strip()
    return name.replace("\\", "")


def looks_like_type(text: str) -> bool:
    """Whether *text* reads as a type expression rather than a sentence."""
    stripped = text.strip()
    if not stripped or stripped.endswith(".") or len(stripped) > 80:
        return False
    if re.match(r"(?i)(the|a|an|if|when|this|it)\b", stripped):
        return False
    outside = re.sub(r"\[[^\]]*\]|\([^)]*\)|`[^`]*`", "", stripped)
    return len(outside.split()) <= 3
