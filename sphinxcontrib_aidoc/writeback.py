"""Write docstrings into Python source, leaving every other byte as it was.

The file is parsed with libcst, a concrete syntax tree that keeps comments,
blank lines, quotes, line endings (LF or CRLF), indentation (spaces or tabs)
and the declared source encoding (PEP 263); one string statement is added as
the first statement of each selected class or function, and the tree is
written back. A file libcst cannot parse (a syntax error anywhere in it) is
left untouched and reported; a docstring that cannot be written safely (a
one-line body such as ``def f(): ...``, text the file's encoding cannot hold,
an empty text: nothing known beyond the name)
is skipped with its reason.

No Sphinx, no docutils: :mod:`sphinxcontrib_aidoc.commands.apply` chooses
what to write, this module only writes it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

#: Column width of the files docstrings are written into.
LINE_WIDTH = 88
#: Narrowest text width a deeply indented docstring is wrapped at.
MIN_WIDTH = 40
_TAB_WIDTH = 8

_Def = TypeVar("_Def", cst.ClassDef, cst.FunctionDef)

#: Renders a docstring's lines (unindented, no quotes) for a text width.
Render = Callable[[int], Sequence[str]]


@dataclass(frozen=True, slots=True)
class Insertion:
    """One docstring to write.

    Attributes:
        local_name: The dotted name inside its module (``Class.method``).
        lineno: The line of its ``def`` or ``class`` keyword (not of a
            decorator); tells apart a property's getter and setter.
        render: Returns the docstring lines for a text width.
    """

    local_name: str
    lineno: int
    render: Render


@dataclass(frozen=True, slots=True)
class Rewrite:
    """What writing docstrings into one file gives.

    Attributes:
        original: The file's bytes before.
        updated: The file's bytes after (equal to *original* when nothing
            was written or the file could not be parsed).
        written: Local names that received a docstring, in file order.
        skipped: ``(local name, reason)`` of insertions not made.
        error: Why the file was left untouched as a whole ("" when parsed).
    """

    original: bytes
    updated: bytes
    written: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    error: str = ""

    @property
    def changed(self) -> bool:
        """Whether the file's bytes differ."""
        return self.updated != self.original


def rewrite_file(path: Path, insertions: Sequence[Insertion]) -> Rewrite:
    """Return *path*'s bytes with *insertions* made; the file is not written.

    Raises:
        OSError: The file cannot be read.
    """
    return rewrite_source(path.read_bytes(), insertions)


def rewrite_source(source: bytes, insertions: Sequence[Insertion]) -> Rewrite:
    """Return *source* with a docstring added for each of *insertions*.

    An insertion whose object is not found, already has a docstring, has a
    one-line body or holds text the file's encoding cannot represent is
    skipped with its reason; everything else in the file keeps its bytes.
    """
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        line = f"line {exc.raw_line}: " if exc.raw_line else ""
        return Rewrite(source, source, error=f"cannot parse ({line}{exc.message})")
    except (LookupError, UnicodeDecodeError, SyntaxError) as exc:
        return Rewrite(source, source, error=f"cannot decode ({exc})")
    wanted = {(i.local_name, i.lineno): i for i in insertions}
    writer = _Writer(module, wanted, _quote_of(module))
    updated_module = MetadataWrapper(module, unsafe_skip_copy=True).visit(writer)
    skipped = list(writer.skipped)
    skipped.extend(
        (name, "not found in the file (changed since it was analysed?)")
        for name, line in wanted
        if (name, line) not in writer.seen
    )
    if not writer.written:
        return Rewrite(source, source, skipped=tuple(skipped))
    updated = updated_module.bytes
    problem = _verify(updated)
    if problem:
        return Rewrite(source, source, skipped=tuple(skipped), error=problem)
    written = tuple(name for _, name in sorted(writer.written))
    return Rewrite(source, updated, written, tuple(skipped))


class _Writer(cst.CSTTransformer):
    """Adds the wanted docstrings while walking classes and functions."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(
        self,
        module: cst.Module,
        wanted: dict[tuple[str, int], Insertion],
        quote: str,
    ) -> None:
        super().__init__()
        self.module = module
        self.wanted = wanted
        self.quote = quote
        self.names: list[str] = []
        self.indents: list[str] = []
        self.seen: set[tuple[str, int]] = set()
        self.written: list[tuple[int, str]] = []
        self.skipped: list[tuple[str, str]] = []

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:  # noqa: N802 (libcst API)
        self.names.append(node.name.value)
        return True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:  # noqa: N802
        self.names.append(node.name.value)
        return True

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> bool:  # noqa: N802
        self.indents.append(self._indent_of(node))
        return True

    def leave_IndentedBlock(  # noqa: N802
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        del original_node
        self.indents.pop()
        return updated_node

    def leave_ClassDef(  # noqa: N802
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        return self._leave(original_node, updated_node)

    def leave_FunctionDef(  # noqa: N802
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        return self._leave(original_node, updated_node)

    def _indent_of(self, block: cst.IndentedBlock) -> str:
        return self.module.default_indent if block.indent is None else block.indent

    def _leave(self, original: _Def, updated: _Def) -> _Def:
        local_name = ".".join(self.names)
        self.names.pop()
        line = self.get_metadata(PositionProvider, original.name).start.line
        insertion = self.wanted.get((local_name, line))
        if insertion is None:
            return updated
        self.seen.add((local_name, line))
        body = updated.body
        if not isinstance(body, cst.IndentedBlock):
            self.skipped.append((local_name, "one-line body: not rewritten"))
            return updated
        if original.get_docstring(clean=False) is not None:
            self.skipped.append((local_name, "already has a docstring"))
            return updated
        indent = "".join(self.indents) + self._indent_of(body)
        width = max(MIN_WIDTH, LINE_WIDTH - len(indent.expandtabs(_TAB_WIDTH)))
        lines = [line.rstrip() for line in insertion.render(width)]
        if not any(lines):
            self.skipped.append((local_name, "nothing known beyond its name"))
            return updated
        literal = string_literal(lines, indent, self.module.default_newline, self.quote)
        try:
            literal.encode(self.module.encoding)
        except UnicodeEncodeError:
            self.skipped.append(
                (local_name, f"text not representable in {self.module.encoding}")
            )
            return updated
        statement = cst.SimpleStatementLine([cst.Expr(cst.SimpleString(literal))])
        self.written.append((line, local_name))
        rest: list[cst.BaseStatement] = list(body.body)
        if isinstance(updated, cst.ClassDef) and rest:
            rest[0] = _after_blank_line(rest[0])
        return updated.with_changes(body=body.with_changes(body=[statement, *rest]))


def _after_blank_line(statement: cst.BaseStatement) -> cst.BaseStatement:
    """Return *statement* after a blank line (as ruff and black put it)."""
    if not isinstance(statement, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
        return statement
    leading = statement.leading_lines
    if leading and leading[0].comment is None:
        return statement
    return statement.with_changes(leading_lines=[cst.EmptyLine(indent=False), *leading])


def string_literal(
    lines: Sequence[str], indent: str, newline: str = "\n", quote: str = '"'
) -> str:
    """Return the Python string literal of a docstring (PEP 257 layout).

    One line gives ``\"\"\"Text.\"\"\"``; more give the summary on the first
    line, the rest indented by *indent* (blank lines without it) and the
    closing quotes on their own line. Text with a backslash is written as a
    raw string where that is possible, escaped otherwise.
    """
    body = list(lines)
    while body and not body[-1].strip():
        body.pop()
    triple = quote * 3
    text = "\n".join(body)
    prefix = ""
    if "\\" in text:
        if triple not in text and not text.endswith((quote, "\\")):
            prefix = "r"
        else:
            text = text.replace("\\", "\\\\")
    if not prefix and (triple in text or text.endswith(quote)):
        text = text.replace(quote, "\\" + quote)
    parts = text.split("\n")
    if len(parts) == 1:
        return f"{prefix}{triple}{parts[0]}{triple}"
    rest = [f"{indent}{part}" if part else "" for part in parts[1:]]
    return newline.join([f"{prefix}{triple}{parts[0]}", *rest, f"{indent}{triple}"])


def _quote_of(module: cst.Module) -> str:
    """The quote character of the file's docstrings: ``'`` when most use it."""
    finder = _QuoteCounter()
    module.visit(finder)
    return "'" if finder.single > finder.double else '"'


class _QuoteCounter(cst.CSTVisitor):
    """Counts the file's docstrings by quote: single or double triple quotes."""

    def __init__(self) -> None:
        super().__init__()
        self.single = 0
        self.double = 0

    def _count(self, node: cst.Module | cst.ClassDef | cst.FunctionDef) -> None:
        body = node.body if isinstance(node, cst.Module) else node.body.body
        first = body[0] if body else None
        if not isinstance(first, cst.SimpleStatementLine):
            return
        expr = first.body[0] if first.body else None
        if isinstance(expr, cst.Expr) and isinstance(expr.value, cst.SimpleString):
            quote = expr.value.quote
            if quote == "'''":
                self.single += 1
            elif quote == '"""':
                self.double += 1

    def visit_Module(self, node: cst.Module) -> None:  # noqa: N802 (libcst API)
        self._count(node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:  # noqa: N802
        self._count(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:  # noqa: N802
        self._count(node)


def _verify(updated: bytes) -> str:
    """Return why *updated* is not valid Python, or ""."""
    try:
        ast.parse(updated)
    except (SyntaxError, ValueError) as exc:
        return f"the rewritten file would not parse ({exc}); left untouched"
    return ""
