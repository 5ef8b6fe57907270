"""The record of one object, from plain values (no astroid, no :mod:`ast`).

:func:`record` builds the fields every kind of record shares; the source
text and the docstring-insensitive source hash are computed from the
module's lines and the line/column spans the walker found.
"""

from __future__ import annotations

import hashlib
import textwrap

#: Where a docstring stands: ``(line, column, end line, end column)``.
Span = tuple[int, int, int, int]
#: A definition's source: ``(first line, last line, docstring spans)``, the
#: first line counting decorators, the spans of its own docstring and of the
#: docstrings of everything defined inside it.
Source = tuple[int, int, list[Span]]


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
