"""Strip every docstring from Python sources, keeping line numbers.

Docstrings of modules, classes, functions and methods are found with
:mod:`ast` and their exact character spans are blanked. A class or function
body whose only statement was its docstring gets ``...`` so the code still
imports. Line numbers stay as they were (the lines are emptied, not removed).

Usage::

    python benchmarks/strip_docstrings.py DIRECTORY   # strips in place
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

_OWNERS = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _docstring_nodes(tree: ast.Module) -> list[tuple[ast.Expr, bool, bool]]:
    """Return (docstring node, is the only statement, owner is the module)."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, _OWNERS) or not node.body:
            continue
        first = node.body[0]
        if (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        ):
            found.append((first, len(node.body) == 1, isinstance(node, ast.Module)))
    return found


def strip_source(text: str) -> tuple[str, int]:
    """Return *text* without docstrings and the number of docstrings removed."""
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    spans = sorted(
        _docstring_nodes(tree), key=lambda item: (item[0].lineno, item[0].col_offset)
    )
    # Replace from the end so earlier offsets stay valid.
    for node, only, is_module in reversed(spans):
        assert node.end_lineno is not None and node.end_col_offset is not None
        start, end = node.lineno - 1, node.end_lineno - 1
        head = lines[start][: _char_col(lines[start], node.col_offset)]
        tail = lines[end][_char_col(lines[end], node.end_col_offset) :]
        residue = tail.strip()
        if residue.startswith(";"):
            tail = tail.replace(";", "", 1)
            residue = tail.strip()
        filler = "..." if (only and not is_module) or head.strip() else ""
        if residue and not residue.startswith("#"):
            filler = "..."
        replacement = head + filler + tail
        blank = ["\n"] * (end - start)
        lines[start : end + 1] = [replacement, *blank]
    stripped = "".join(lines)
    _check(stripped)
    return stripped, len(spans)


def _char_col(line: str, byte_col: int) -> int:
    """Convert an ast byte column into a character index of *line*."""
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))


def _check(text: str) -> None:
    """Fail when *text* does not parse or still has a docstring."""
    tree = ast.parse(text)
    left = [
        node
        for node in ast.walk(tree)
        if isinstance(node, _OWNERS) and ast.get_docstring(node, clean=False)
    ]
    if left:
        msg = f"{len(left)} docstring(s) left after stripping"
        raise ValueError(msg)


def strip_tree(root: Path) -> tuple[int, int]:
    """Strip every ``*.py`` file under *root* in place.

    Returns:
        (files changed, docstrings removed).
    """
    files = removed = 0
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        stripped, count = strip_source(text)
        if count:
            path.write_text(stripped, encoding="utf-8")
            files += 1
            removed += count
    return files, removed


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        changed, gone = strip_tree(Path(arg))
        print(f"{arg}: {gone} docstrings removed from {changed} files")
