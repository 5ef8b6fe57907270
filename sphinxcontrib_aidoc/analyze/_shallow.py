"""Keep a module analysable when one expression in it is nested too deeply.

Python parses expressions far deeper than the analysis engines can walk
(a generated ``a + a + ... + a`` of a few thousand terms, a huge literal).
Rather than losing the whole module, the bodies of the functions that hold
such code are replaced by ``...`` (line numbers kept, docstrings kept), so
every other object is analysed as usual and those functions are documented
from their signatures only.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass

#: Subtree depth above which a statement is cut (engines recurse two to
#: three frames per level against Python's default limit of 1,000).
DEPTH_LIMIT = 150


@dataclass(frozen=True, slots=True)
class Cut:
    """A part of the source replaced by ``...``: what it was and where."""

    name: str
    lineno: int


def shallow_source(source: str, limit: int = DEPTH_LIMIT) -> tuple[str, list[Cut]]:
    """Return *source* with too-deep function bodies replaced, and the cuts.

    Returns *source* unchanged and no cuts when it does not parse or holds
    nothing deeper than *limit*.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source + "\n")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return source, []
    depths = _depths(tree)
    lines = source.splitlines(keepends=True)
    cuts: list[Cut] = []
    for node, name in _innermost_deep(tree, depths, limit):
        body = node.body if isinstance(node, _SCOPES) else [node]
        first = body[0]
        if (
            isinstance(node, _SCOPES)
            and len(body) > 1
            and isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        ):
            first = body[1]  # keep the docstring
        start, end = first.lineno - 1, (body[-1].end_lineno or first.lineno) - 1
        if start == node.lineno - 1 and isinstance(node, _SCOPES):
            continue  # a one-line "def f(): ..." cannot be cut line-wise
        indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
        lines[start] = f"{indent}...\n"
        for index in range(start + 1, end + 1):
            lines[index] = "\n"
        cuts.append(Cut(name, node.lineno))
    return "".join(lines), cuts


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef)


def _depths(tree: ast.AST) -> dict[int, int]:
    """Subtree depth of every node, by ``id``, without recursion."""
    depths: dict[int, int] = {}
    stack: list[tuple[ast.AST, bool]] = [(tree, False)]
    while stack:
        node, done = stack.pop()
        if done:
            children = [depths[id(c)] for c in ast.iter_child_nodes(node)]
            depths[id(node)] = 1 + max(children, default=0)
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in ast.iter_child_nodes(node))
    return depths


def _innermost_deep(
    tree: ast.Module, depths: dict[int, int], limit: int
) -> list[tuple[ast.stmt, str]]:
    """Functions (or other statements) holding code deeper than *limit*.

    For each too-deep part, the innermost enclosing function is cut; code
    outside any function is cut statement by statement.
    """
    found: list[tuple[ast.stmt, str]] = []
    stack: list[tuple[ast.AST, str]] = [(tree, "")]
    while stack:
        node, prefix = stack.pop()
        for child in ast.iter_child_nodes(node):
            if depths[id(child)] <= limit or not isinstance(child, ast.stmt):
                continue
            if isinstance(child, (*_SCOPES, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                if isinstance(child, _SCOPES) and not _deep_scope_inside(
                    child, depths, limit
                ):
                    found.append((child, name))
                else:
                    stack.append((child, f"{name}."))
            elif _deep_scope_inside(child, depths, limit):
                stack.append((child, prefix))
            else:
                found.append((child, f"{prefix}<statement>"))
    return sorted(found, key=lambda item: item[0].lineno)


def _deep_scope_inside(node: ast.AST, depths: dict[int, int], limit: int) -> bool:
    """Whether a function or class nested in *node* holds the deep code."""
    stack = list(ast.iter_child_nodes(node))
    while stack:
        child = stack.pop()
        if depths[id(child)] <= limit:
            continue
        if isinstance(child, (*_SCOPES, ast.ClassDef)):
            return True
        stack.extend(ast.iter_child_nodes(child))
    return False
