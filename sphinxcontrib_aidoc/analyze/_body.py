"""What an object's body says to the quality evaluator (:class:`BodyFacts`).

Where its docstring's text starts, whether it returns a value, whether an
exception could reach its caller from other code, and a class's annotated
attributes (documented in place or not). Read from the walker's own
:mod:`ast` nodes, so no object's source is parsed twice.
"""

from __future__ import annotations

import ast

from sphinxcontrib_aidoc.analyze._nodes import FUNCTIONS, own_nodes
from sphinxcontrib_aidoc.model import BodyFacts

#: Builtins whose calls do not raise the exceptions docstrings document.
_SAFE_CALLS = frozenset(
    {"isinstance", "issubclass", "len", "repr", "bool", "callable", "id", "type"}
)
#: Statements and expressions through which other code runs (and may raise).
_INDIRECT = (
    ast.Await,
    ast.YieldFrom,
    ast.For,
    ast.AsyncFor,
    ast.With,
    ast.AsyncWith,
    ast.comprehension,
    ast.Subscript,
    ast.Assert,
)
_Def = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


def body_facts(node: _Def, lines: list[str]) -> BodyFacts:
    """The facts of the definition *node* of a module of *lines*.

    For a class, returns and raised exceptions are those of its own
    ``__init__``; without one they count as unknown (conservative).
    """
    body: _Def | None = node
    attributes: tuple[str, ...] = ()
    documented: tuple[str, ...] = ()
    has_init = False
    if isinstance(node, ast.ClassDef):
        attributes, documented = _class_attributes(node, lines)
        body = next(
            (n for n in node.body if isinstance(n, FUNCTIONS) and n.name == "__init__"),
            None,
        )
        has_init = body is not None
    own = own_nodes(body, annotations=False) if body is not None else None
    return BodyFacts(
        doc_line=_doc_line(node),
        returns_value=own is not None and _returns_value(own),
        may_raise_elsewhere=own is None or _may_raise_elsewhere(own),
        attributes=attributes,
        documented_attributes=documented,
        has_init=has_init,
    )


def _doc_line(node: _Def) -> int:
    """Line of the first text line of *node*'s docstring, 0 without one."""
    first = node.body[0] if node.body else None
    if not (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return 0
    lines = first.value.value.splitlines()
    blank = next((i for i, line in enumerate(lines) if line.strip()), 0)
    return first.lineno + blank


def _returns_value(own: list[ast.AST]) -> bool:
    for node in own:
        if isinstance(node, ast.Return) and node.value is not None:
            value = node.value
            if not (isinstance(value, ast.Constant) and value.value is None):
                return True
    return False


def _may_raise_elsewhere(own: list[ast.AST]) -> bool:
    """Whether an exception could reach *scope*'s caller from other code.

    True when the body calls, awaits, iterates, indexes, asserts, enters a
    context manager, or raises something other than a named exception
    (``raise err``). The exception of ``raise E("...")`` does not count as a
    call, nor do calls of a few builtins (``isinstance``, ``len``...).
    """
    raised: set[int] = set()
    for node in own:
        if not isinstance(node, ast.Raise) or node.exc is None:
            continue
        exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        if isinstance(node.exc, ast.Call):
            raised.add(id(node.exc))
        if not _names_class(exc):
            return True
    for node in own:
        if isinstance(node, _INDIRECT):
            return True
        if not isinstance(node, ast.Call) or id(node) in raised:
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in _SAFE_CALLS:
            continue
        return True
    return False


def _names_class(node: ast.expr) -> bool:
    """Whether *node* names a class by convention (``ValueError``, ``mod.Err``)."""
    if isinstance(node, ast.Attribute):
        return node.attr[:1].isupper()
    return isinstance(node, ast.Name) and node.id[:1].isupper()


def _class_attributes(
    node: ast.ClassDef, lines: list[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Public names annotated at class level, and those documented in place.

    In place means Sphinx's attribute documentation: a ``#:`` comment on
    the line above or at the end of the line, or a string literal right
    below the assignment.
    """
    names: list[str] = []
    documented: list[str] = []
    for index, stmt in enumerate(node.body):
        if not (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and not stmt.target.id.startswith("_")
        ):
            continue
        names.append(stmt.target.id)
        above = lines[stmt.lineno - 2].strip() if stmt.lineno >= 2 else ""
        line = lines[stmt.lineno - 1] if stmt.lineno <= len(lines) else ""
        below = node.body[index + 1] if index + 1 < len(node.body) else None
        if (
            above.startswith("#:")
            or "#:" in line
            or (
                isinstance(below, ast.Expr)
                and isinstance(below.value, ast.Constant)
                and isinstance(below.value.value, str)
            )
        ):
            documented.append(stmt.target.id)
    return tuple(dict.fromkeys(names)), tuple(dict.fromkeys(documented))
