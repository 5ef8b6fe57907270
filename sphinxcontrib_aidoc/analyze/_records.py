"""The records of one module's walk, shared by both engines (no astroid, no ast).

:class:`Walk` holds what both engines' walks keep (module, file, source
lines, the records found so far) and builds the fields every kind of record
shares from plain values; the engines subclass it and read those values
from their own syntax trees. Source text and the docstring-insensitive
source hash are computed from the module's lines and line/column spans.
"""

from __future__ import annotations

import hashlib
import textwrap
from dataclasses import dataclass, field
from typing import cast

from sphinxcontrib_aidoc.analyze._rules import (
    is_deprecated,
)
from sphinxcontrib_aidoc.model import Kind, ObjectInfo

#: Where a docstring stands: ``(line, column, end line, end column)``.
Span = tuple[int, int, int, int]
#: A definition's source: ``(first line, last line, docstring spans)``, the
#: first line counting decorators, the spans of its own docstring and of the
#: docstrings of everything defined inside it.
Source = tuple[int, int, list[Span]]


@dataclass(kw_only=True)
class Walk:
    """State for analysing one module."""

    module: str
    file: str
    lines: list[str]
    found: dict[str, ObjectInfo] = field(default_factory=dict)

    def qualname(self, local: str) -> str:
        """Full dotted name of a module-local name."""
        return f"{self.module}.{local}" if self.module else local

    def keep(self, qualname: str, info: ObjectInfo) -> None:
        """Remember *info*; a later definition of the same name wins."""
        self.found.pop(qualname, None)
        self.found[qualname] = info

    def records(self) -> list[ObjectInfo]:
        """Every record found, sorted by line."""
        return sorted(self.found.values(), key=lambda i: (i.lineno, i.qualname))

    def failed(
        self,
        qualname: str,
        *,
        is_class: bool,
        lineno: int,
        end_lineno: int,
        doc: str | None,
    ) -> ObjectInfo:
        """The record of an object whose analysis failed: where it is, its doc."""
        return ObjectInfo(
            qualname=qualname,
            module=self.module,
            kind="class" if is_class else "function",
            file=self.file,
            lineno=lineno,
            end_lineno=end_lineno,
            docstring=doc,
        )

    def record(
        self,
        qualname: str,
        kind: str,
        *,
        lineno: int,
        end_lineno: int,
        decorators: tuple[str, ...],
        doc: str | None,
        complexity: int,
        nesting: int,
        sources: list[Source],
    ) -> ObjectInfo:
        """The fields every kind shares; *sources* are the definitions shown."""
        return ObjectInfo(
            qualname=qualname,
            module=self.module,
            kind=cast("Kind", kind),  # until the walker types its kinds (issue 10)
            file=self.file,
            lineno=lineno,
            end_lineno=end_lineno,
            decorators=decorators,
            docstring=doc,
            complexity=complexity,
            nesting=nesting,
            source_hash=source_hash(self.lines, sources),
            source="\n".join(source_text(self.lines, s, e) for s, e, _ in sources),
            deprecated=is_deprecated(decorators, doc),
        )


def source_text(lines: list[str], start: int, end: int) -> str:
    """The dedented source of lines *start* to *end* (counted from 1)."""
    return textwrap.dedent("".join(lines[start - 1 : end])).rstrip() + "\n"


def source_hash(lines: list[str], sources: list[Source]) -> str:
    """Hash of the source of *sources* with every docstring span removed.

    Trailing whitespace and blank lines are ignored, so editing only a
    docstring (its own, or a nested function's) keeps the hash.
    """
    digest = hashlib.sha256()
    for start, end, spans in sources:
        chunk = [line.rstrip("\r\n").encode("utf-8") for line in lines[start - 1 : end]]
        for l0, c0, l1, c1 in sorted(spans, reverse=True):
            i0, i1 = l0 - start, l1 - start
            if not (0 <= i0 <= i1 < len(chunk)):
                continue
            chunk[i0 : i1 + 1] = [chunk[i0][:c0] + chunk[i1][c1:]]
        text = "\n".join(
            line.decode("utf-8", "replace").rstrip() for line in chunk if line.strip()
        )
        digest.update(textwrap.dedent(text).encode("utf-8") + b"\n\x00")
    return digest.hexdigest()
