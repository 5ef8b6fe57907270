"""Generated info fields built as nodes: no docutils state machine per field.

docutils parses a field list by starting a new state machine for the list
and another for each field's body (``nested_parse``): about thirty states,
each compiling its transitions, for a body that is one line of text. For
the field lists aidoc writes (``:param int x: text``, ``:returns:``,
``:raises ValueError: text``...) that was most of what reading a
generated docstring cost, and the garbage those machines leave most of
the collector's extra work.

So the fields of a generated docstring are given to Sphinx as the content
of an ``.. aidoc-fields::`` directive, which builds the same nodes
docutils would: a ``field_list`` of ``field`` nodes, each name and each
one-paragraph body parsed with the inline parser only. A body that is not
one plain paragraph (a blank line inside it, lines indented differently,
a first line that would start a list, a table, a literal block...) is
parsed by docutils as before. The list is a child of the object's
content, as a parsed one would be, so Sphinx's field transformer, autodoc's
type hints and every later handler see what they saw.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes
from docutils.parsers.rst import states
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx

DIRECTIVE = "aidoc-fields"

#: A field marker as docutils reads one (``:name:`` then spaces or the end).
_MARKER = re.compile(states.Body.patterns["field_marker"])
#: What starts a block other than a paragraph at the start of a body.
_BLOCKS = re.compile(
    "|".join(
        f"(?:{getattr(pattern, 'pattern', pattern)})"
        for name, pattern in states.Body.patterns.items()
        if name != "text"
    )
)
#: A line docutils could read as a section title's underline.
_UNDERLINE = re.compile(states.Body.patterns["line"])
#: A paragraph ending in ``::`` (a literal block follows, the colons change).
_LITERAL = re.compile(r"(?<!\\)(\\\\)*::$")


def field_lines(lines: list[str]) -> int | None:
    """Where the trailing info fields of a generated docstring start, or None.

    The fields run to the end: every line from there is a field marker at
    the margin, a body line indented under it, or blank. None when the
    docstring has no such block.
    """
    start = None
    for index, line in enumerate(lines):
        if _MARKER.match(line):
            if start is None:
                start = index
        elif line[:1] not in ("", " "):
            start = None  # text at the margin after fields: not a trailing block
    return start


def directive_lines(fields: list[str]) -> list[str]:
    """*fields* (info field lines) as an ``aidoc-fields`` directive."""
    return [f".. {DIRECTIVE}::", "", *(f"   {line}" if line else "" for line in fields)]


def built_fields(app: Sphinx, lines: list[str]) -> list[str]:
    """*lines* (a generated docstring) with its trailing fields as a directive.

    Unchanged when it has none, or when ``sphinx_autodoc_typehints`` is
    loaded: it edits the ``:param:`` lines of the docstring it is given.
    """
    start = field_lines(lines)
    if start is None or "sphinx_autodoc_typehints" in app.extensions:
        return lines
    head = lines[:start]
    if head and head[-1].strip():
        head.append("")
    return [*head, *directive_lines(lines[start:])]


class AidocFieldsDirective(SphinxDirective):
    """``.. aidoc-fields::`` with info field lines: the field list they make."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        """Return the field list, as docutils would have parsed it."""
        field_list = nodes.field_list()
        self.set_source_info(field_list)
        lines = list(self.content)
        if any(line[:1] not in ("", " ") and not _MARKER.match(line) for line in lines):
            return self._parsed()  # text at the margin (not aidoc's writing)
        index = 0
        while index < len(lines):
            match = _MARKER.match(lines[index])
            if match is None:  # a body before any field: docutils reads it all
                return self._parsed()
            end = index + 1
            while end < len(lines) and not _MARKER.match(lines[end]):
                end += 1
            field_list += self._field(match, lines[index:end], index)
            index = end
        return [field_list]

    def _parsed(self) -> list[nodes.Node]:
        holder = nodes.Element()
        self.state.nested_parse(self.content, self.content_offset, holder)
        return list(holder.children)

    def _field(self, match: re.Match[str], lines: list[str], index: int) -> nodes.field:
        """One field: its marker line *lines[0]* and the lines under it."""
        lineno = self.content_offset + index + 1
        name = match.group()[1:]
        name = name[: name.rfind(":")]
        field = nodes.field()
        field.source, field.line = self.state_machine.get_source_and_line(lineno)
        name_nodes, messages = self.state.inline_text(name, lineno)
        field += nodes.field_name(name, "", *name_nodes)
        body_lines = _body(lines[0][match.end() :], lines[1:])
        body = nodes.field_body("\n".join(body_lines or ()), *messages)
        field += body
        if body_lines is None:
            # Not one plain paragraph: as docutils parses a field body.
            where = [self.content.info(index + i) for i in range(len(lines))]
            rest = StringList(
                [lines[0][match.end() :].strip(), *_dedented(lines[1:])],
                items=[(source, offset or 0) for source, offset in where],
            )
            self.state.nested_parse(rest, self.content_offset + index, body)
        elif body_lines:
            data = "\n".join(body_lines).rstrip()
            text_nodes, text_messages = self.state.inline_text(data, lineno)
            paragraph = nodes.paragraph(data, "", *text_nodes)
            paragraph.source, paragraph.line = field.source, field.line
            body += paragraph
            body += text_messages
        return field


def _body(first: str, rest: list[str]) -> list[str] | None:
    """The lines of a one-paragraph field body, or None when it is more.

    *first* is what follows the marker, *rest* the lines under it (indented).
    """
    while rest and not rest[-1].strip():
        rest = rest[:-1]
    lines = [first.strip()] if first.strip() else []
    if not first.strip() and rest:
        return None  # a body starting on the next line: docutils decides
    indents = {len(line) - len(line.lstrip()) for line in rest}
    if len(indents) > 1 or any(not line.strip() for line in rest):
        return None  # nested blocks (a definition list, a second paragraph)
    lines.extend(line.strip() for line in rest)
    if not lines:
        return lines
    if _BLOCKS.match(lines[0]) or any(_UNDERLINE.match(line) for line in lines[1:]):
        return None
    if _LITERAL.search("\n".join(lines).rstrip()):
        return None
    return lines


def _dedented(lines: list[str]) -> list[str]:
    """*lines* less their common indentation, one for one (blank lines kept)."""
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return [line[cut:] for line in lines]


def setup_fields(app: Sphinx) -> None:
    """Register the ``aidoc-fields`` directive."""
    app.add_directive(DIRECTIVE, AidocFieldsDirective)
