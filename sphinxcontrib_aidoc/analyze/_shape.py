"""The shape of a body: control flow, source, docstring.

McCabe complexity, nesting depth, whether a body always exits, whether a
function is a generator (by astroid's rules), the object's docstring, and
where its source and docstrings stand (:mod:`._records` takes its text and
a docstring-insensitive hash from those). Pure functions of :mod:`ast`
nodes.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable

from sphinxcontrib_aidoc.analyze._nodes import (
    FUNCTIONS,
    SCOPES,
    TRY,
    Definition,
    body_of,
    docstring_node,
)
from sphinxcontrib_aidoc.analyze._records import Source, Span

_BRANCHES = (
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.ExceptHandler,
    ast.IfExp,
    ast.Assert,
    ast.match_case,
)
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_WITH = (ast.With, ast.AsyncWith)
_YIELDS = (ast.Yield, ast.YieldFrom)


def always_exits(
    body: list[ast.stmt], ends: Callable[[ast.stmt], bool] | None = None
) -> bool:
    """Whether control can never fall off the end of *body*.

    *ends* tells of a last statement that it never completes (a call of a
    function that always raises).
    """
    if not body:
        return False
    last = body[-1]
    if isinstance(last, (ast.Return, ast.Raise)):
        return True
    if ends is not None and ends(last):
        return True
    if isinstance(last, ast.If):
        return always_exits(last.body, ends) and always_exits(last.orelse, ends)
    if isinstance(last, TRY):
        if last.finalbody and always_exits(last.finalbody, ends):
            return True
        main = (
            always_exits(last.orelse, ends)
            if last.orelse
            else always_exits(last.body, ends)
        )
        return main and all(always_exits(h.body, ends) for h in last.handlers)
    if isinstance(last, _WITH):
        return always_exits(last.body, ends)
    if isinstance(last, ast.While):
        infinite = isinstance(last.test, ast.Constant) and bool(last.test.value)
        return infinite and not _breaks(last)
    if isinstance(last, ast.Match):
        wildcard = any(
            isinstance(c.pattern, ast.MatchAs)
            and c.pattern.pattern is None
            and c.guard is None
            for c in last.cases
        )
        return wildcard and all(always_exits(c.body, ends) for c in last.cases)
    return False


def called(stmt: ast.stmt) -> ast.Call | None:
    """The call a statement only makes (``self.fail(...)``), or None."""
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        return stmt.value
    return None


def ends_in_calls(body: list[ast.stmt]) -> bool:
    """Whether *body* falls off its end only after a statement that is a call."""
    return not always_exits(body) and always_exits(
        body, lambda stmt: called(stmt) is not None
    )


def _breaks(loop: ast.While) -> bool:
    """Whether a ``break`` belongs to *loop* (not to a loop or scope inside)."""
    stack: list[ast.AST] = list(ast.iter_child_nodes(loop))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Break):
            return True
        if not isinstance(node, (*_LOOPS, *SCOPES)):
            stack.extend(ast.iter_child_nodes(node))
    return False


def complexity(own: list[ast.AST]) -> int:
    """McCabe cyclomatic complexity of a body (its :func:`own_nodes`)."""
    total = 1
    for node in own:
        if isinstance(node, _BRANCHES):
            total += 1
        elif isinstance(node, ast.BoolOp):
            total += len(node.values) - 1
        elif isinstance(node, ast.comprehension):
            total += 1 + len(node.ifs)
    return total


def nesting(scope: Definition) -> int:
    """Deepest nesting of compound statements in the body of *scope*."""
    return _depth(body_of(scope), 0)


def _depth(body: list[ast.stmt], level: int) -> int:
    deepest = level
    for stmt in body:
        inner = level + 1
        blocks: list[tuple[list[ast.stmt], int]]
        if isinstance(stmt, ast.If):
            elif_ = (
                len(stmt.orelse) == 1
                and isinstance(stmt.orelse[0], ast.If)
                and stmt.orelse[0].col_offset == stmt.col_offset
            )
            blocks = [(stmt.body, inner), (stmt.orelse, level if elif_ else inner)]
        elif isinstance(stmt, _LOOPS):
            blocks = [(stmt.body, inner), (stmt.orelse, inner)]
        elif isinstance(stmt, TRY):
            blocks = [(stmt.body, inner), (stmt.orelse, inner)]
            blocks += [(stmt.finalbody, inner)]
            blocks += [(h.body, inner) for h in stmt.handlers]
        elif isinstance(stmt, _WITH):
            blocks = [(stmt.body, inner)]
        elif isinstance(stmt, ast.Match):
            blocks = [(c.body, inner) for c in stmt.cases]
        else:
            continue
        deepest = max(deepest, inner)
        for block, at in blocks:
            deepest = max(deepest, _depth(block, at))
    return deepest


def is_generator(body: list[ast.stmt]) -> bool:
    """Whether a function with *body* is a generator, as astroid decides it.

    astroid finds a ``yield`` only as a whole statement, the value of an
    assignment or augmented assignment, or the test of ``if``/``while``,
    in any block except nested functions and classes; this follows it, so
    both engines agree on which functions are generators.
    """
    for stmt in body:
        if isinstance(stmt, (ast.Expr, ast.Assign, ast.AugAssign)):
            if isinstance(stmt.value, _YIELDS):
                return True
        elif isinstance(stmt, (ast.If, ast.While)):
            if (
                isinstance(stmt.test, _YIELDS)
                or is_generator(stmt.body)
                or is_generator(stmt.orelse)
            ):
                return True
        elif isinstance(stmt, _LOOPS):
            if is_generator(stmt.body) or is_generator(stmt.orelse):
                return True
        elif isinstance(stmt, TRY):
            blocks = [stmt.body, stmt.orelse, stmt.finalbody]
            blocks += [h.body for h in stmt.handlers]
            if any(is_generator(b) for b in blocks):
                return True
        elif isinstance(stmt, _WITH):
            if is_generator(stmt.body):
                return True
        elif isinstance(stmt, ast.Match) and any(
            is_generator(c.body) for c in stmt.cases
        ):
            return True
    return False


def docstring(node: Definition) -> str | None:
    """The node's own docstring, cleaned with :func:`inspect.cleandoc`."""
    doc = docstring_node(node)
    return None if doc is None else inspect.cleandoc(str(doc.value))


def first_line(node: Definition) -> int:
    """The first source line of *node*, counting its decorators."""
    if node.decorator_list:
        return min(d.lineno for d in node.decorator_list)
    return node.lineno


def source(node: Definition) -> Source:
    """Lines and docstring spans of *node* (:func:`._shape.source`)."""
    spans: list[Span] = []
    for inner in _definitions_in(node):
        doc = docstring_node(inner)
        if doc is not None and doc.end_lineno is not None:
            end_col = doc.end_col_offset or 0
            spans.append((doc.lineno, doc.col_offset, doc.end_lineno, end_col))
    return first_line(node), node.end_lineno or node.lineno, spans


def _definitions_in(node: Definition) -> list[Definition]:
    """*node* and every function and class inside it, at any depth.

    Definitions are statements, so only statement blocks are searched.
    """
    out: list[Definition] = []
    stack: list[ast.stmt] = [node]
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, (*FUNCTIONS, ast.ClassDef)):
            out.append(stmt)
        for name in ("body", "orelse", "finalbody"):
            block = getattr(stmt, name, None)
            if isinstance(block, list):
                stack.extend(block)
        for handler in getattr(stmt, "handlers", ()):
            stack.extend(handler.body)
        if isinstance(stmt, ast.Match):
            for case in stmt.cases:
                stack.extend(case.body)
    return out


def new_owners(node: ast.AST) -> list[ast.expr] | None:
    """The classes a ``__new__`` delegates to, when it only builds its class.

    Every ``return`` must be ``Base.__new__(cls, ...)`` (``super()`` counts
    as no class: None is never listed for it) with ``cls`` its first
    parameter, never rebound, and the body must never fall off its end:
    the instance is then one of ``cls``. The written ``Base`` of each such
    call is given (the caller checks they are not project classes, whose
    own ``__new__`` may return anything); None when the shape differs.
    """
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    positional = [*node.args.posonlyargs, *node.args.args]
    if isinstance(node, ast.AsyncFunctionDef) or not positional:
        return None
    first = positional[0].arg
    owners: list[ast.expr] = []
    for inner in ast.walk(node):
        if isinstance(inner, (ast.Yield, ast.YieldFrom, ast.Lambda)) or (
            isinstance(inner, ast.Name)
            and inner.id == first
            and not isinstance(inner.ctx, ast.Load)
        ):
            return None
        if isinstance(inner, ast.Return):
            owner = _delegated(inner.value, first)
            if owner is None:
                return None
            if not _is_super_call(owner):
                owners.append(owner)
    if not always_exits(node.body):
        return None
    return owners


def _delegated(value: ast.expr | None, first: str) -> ast.expr | None:
    """``Base`` of ``Base.__new__(first, ...)``, else None."""
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == "__new__"
        and value.args
        and isinstance(value.args[0], ast.Name)
        and value.args[0].id == first
    ):
        return value.func.value
    return None


def _is_super_call(expr: ast.expr) -> bool:
    return (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Name)
        and expr.func.id == "super"
        and not expr.args
    )


def not_implemented(node: ast.AST) -> bool:
    """Whether a function only raises ``NotImplementedError`` (an abstract method).

    Its body, past a docstring, is ``raise NotImplementedError`` (or a call
    of it) and nothing else.
    """
    body = list(getattr(node, "body", []))
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        body = body[1:]
    if len(body) != 1 or not isinstance(body[0], ast.Raise):
        return False
    raised = body[0].exc
    if isinstance(raised, ast.Call):
        raised = raised.func
    return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"


def does_nothing(node: ast.AST) -> bool:
    """Whether a function's body, past a docstring, is only ``pass`` or ``...``.

    A hook a base class declares for its subclasses to fill in: it returns
    ``None`` itself.
    """
    body = list(getattr(node, "body", []))
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        body = body[1:]
    return all(
        isinstance(stmt, ast.Pass)
        or (
            isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Constant)
            and stmt.value.value is Ellipsis
        )
        for stmt in body
    )
