"""Everything the checks need about one docstring, computed once.

A :class:`Context` holds the object, its docstring (cleaned, split and
parsed), the configured style and the source facts, and maps a line of the
docstring to a line of the source file when the docstring is the object's
own (a generated docstring's findings point at the definition).
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field

from sphinxcontrib_aidoc.model import (
    CLASS_KINDS,
    ROUTINE_KINDS,
    BodyFacts,
    ObjectInfo,
    ParsedDocstring,
)
from sphinxcontrib_aidoc.styles import parse_docstring

#: Section titles (lower case, Google and NumPy) to the parser's section kinds.
_TITLES: dict[str, str] = {
    **dict.fromkeys(
        ("args", "arguments", "parameters", "params", "keyword args"), "params"
    ),
    **dict.fromkeys(("keyword arguments", "kwargs", "other parameters"), "params"),
    **dict.fromkeys(("returns", "return"), "returns"),
    **dict.fromkeys(("yields", "yield"), "yields"),
    **dict.fromkeys(("raises", "raise", "exceptions", "except"), "raises"),
    **dict.fromkeys(("attributes", "attribute"), "attributes"),
    **dict.fromkeys(("example", "examples"), "examples"),
    **dict.fromkeys(("note", "notes"), "notes"),
}
_REST_FIELDS: dict[str, str] = {
    **dict.fromkeys(("param", "parameter", "arg", "argument", "type"), "params"),
    **dict.fromkeys(("returns", "return", "rtype"), "returns"),
    **dict.fromkeys(("yields", "yield", "ytype"), "yields"),
    **dict.fromkeys(("raises", "raise", "except", "exception"), "raises"),
    **dict.fromkeys(("var", "ivar", "cvar", "vartype"), "attributes"),
}
_HEADER = re.compile(r"^\s*([A-Za-z][A-Za-z ]*?)\s*:?\s*$")
_FIELD = re.compile(r"^\s*:(\w+)")


@dataclass(frozen=True, slots=True)
class Context:
    """One object and one docstring, ready to check."""

    info: ObjectInfo
    #: The docstring, cleaned (``inspect.cleandoc``); "" when there is none.
    text: str
    #: The configured style.
    style: str
    #: The docstring parsed in the style it is written in.
    parsed: ParsedDocstring
    #: What analysis read in the body ("unknown" defaults when it did not).
    facts: BodyFacts
    generated: bool = False
    #: The class's ``__init__`` docstring, parsed (classes only).
    init_doc: ParsedDocstring | None = None
    #: Source line of the docstring's first cleaned line; 0 when unknown.
    first_line: int = 0
    lines: tuple[str, ...] = field(default=())

    @property
    def is_function(self) -> bool:
        """Functions and methods of every kind, not properties or classes."""
        return self.info.kind in ROUTINE_KINDS

    @property
    def is_class(self) -> bool:
        """Classes and exceptions."""
        return self.info.kind in CLASS_KINDS

    def line(self, index: int = 0) -> int:
        """Source line of docstring line *index*, else the definition's line."""
        if self.first_line and 0 <= index < max(len(self.lines), 1):
            return self.first_line + index
        return self.info.lineno

    def section_line(self, kind: str) -> int:
        """Source line of the first header of section *kind*, else line 0's."""
        return self.line(self._section_index(kind) or 0)

    def entry_line(self, name: str, kind: str) -> int:
        """Source line of the entry *name* in section *kind*, else its header."""
        start = self._section_index(kind)
        if start is None:
            return self.line(0)
        pattern = re.compile(
            rf"^\s*(?::\w+\s+(?:[^:]*\s)?)?(?:\\?\*{{0,2}}){re.escape(name)}\b"
        )
        for index in range(start, len(self.lines)):
            if pattern.match(self.lines[index]):
                return self.line(index)
        return self.line(start)

    def _section_index(self, kind: str) -> int | None:
        for index, text in enumerate(self.lines):
            field_match = _FIELD.match(text)
            if field_match and _REST_FIELDS.get(field_match[1].lower()) == kind:
                return index
            header = _HEADER.match(text)
            if header and _TITLES.get(header[1].lower()) == kind:
                return index
        return None


def build_context(
    info: ObjectInfo,
    docstring: str | None,
    *,
    style: str,
    generated: bool,
    init_docstring: str | None,
) -> Context:
    """Clean, parse and locate *docstring* of *info* (the own one by default)."""
    raw = info.docstring if docstring is None else docstring
    text = inspect.cleandoc(raw or "")
    parsed = parse_docstring(text)
    facts = info.body or BodyFacts()
    own = (info.docstring is not None) and inspect.cleandoc(info.docstring) == text
    first = facts.doc_line if own and not generated else 0
    init_doc = None
    if init_docstring and init_docstring.strip():
        init_doc = parse_docstring(inspect.cleandoc(init_docstring))
    return Context(
        info=info,
        text=text,
        style=style,
        parsed=parsed,
        facts=facts,
        generated=generated,
        init_doc=init_doc,
        first_line=first,
        lines=tuple(text.splitlines()),
    )
