"""The shape of a function or class body: control flow, source, docstring.

McCabe complexity, nesting depth, whether a body always exits, the object's
own docstring, and where its source and docstrings stand (from which
:mod:`._records` takes its text and a docstring-insensitive hash). Pure
functions of astroid nodes.
"""

from __future__ import annotations

import inspect

from astroid import nodes  # type: ignore[import-untyped]  # astroid ships no py.typed

from sphinxcontrib_aidoc.analyze._nodes import SCOPES, own_nodes
from sphinxcontrib_aidoc.analyze._records import Source, Span


def always_exits(body: list[nodes.NodeNG]) -> bool:
    """Whether control can never fall off the end of *body*."""
    if not body:
        return False
    last = body[-1]
    if isinstance(last, (nodes.Return, nodes.Raise)):
        return True
    if isinstance(last, nodes.If):
        return always_exits(last.body) and always_exits(last.orelse)
    if isinstance(last, (nodes.Try, nodes.TryStar)):
        if last.finalbody and always_exits(last.finalbody):
            return True
        main = always_exits(last.orelse) if last.orelse else always_exits(last.body)
        return main and all(always_exits(h.body) for h in last.handlers)
    if isinstance(last, (nodes.With, nodes.AsyncWith)):
        return always_exits(last.body)
    if isinstance(last, nodes.While):
        infinite = isinstance(last.test, nodes.Const) and bool(last.test.value)
        return infinite and not any(
            isinstance(n, nodes.Break) and _loop_of(n) is last
            for n in last.nodes_of_class(nodes.Break)
        )
    if isinstance(last, nodes.Match):
        wildcard = any(
            isinstance(c.pattern, nodes.MatchAs)
            and c.pattern.pattern is None
            and c.guard is None
            for c in last.cases
        )
        return wildcard and all(always_exits(c.body) for c in last.cases)
    return False


def _loop_of(node: nodes.NodeNG) -> nodes.NodeNG | None:
    """The innermost loop around a ``break``/``continue``."""
    parent = node.parent
    while parent is not None and not isinstance(
        parent, (nodes.For, nodes.AsyncFor, nodes.While, *SCOPES)
    ):
        parent = parent.parent
    return parent


def complexity(scope: nodes.NodeNG) -> int:
    """McCabe cyclomatic complexity of the body of *scope* (nested defs aside)."""
    total = 1
    for node in own_nodes(scope):
        if isinstance(
            node,
            (
                nodes.If,
                nodes.For,
                nodes.AsyncFor,
                nodes.While,
                nodes.ExceptHandler,
                nodes.IfExp,
                nodes.Assert,
                nodes.MatchCase,
            ),
        ):
            total += 1
        elif isinstance(node, nodes.BoolOp):
            total += len(node.values) - 1
        elif isinstance(node, nodes.Comprehension):
            total += 1 + len(node.ifs)
    return total


def nesting(scope: nodes.NodeNG) -> int:
    """Deepest nesting of compound statements in the body of *scope*."""
    return _depth(scope.body, 0)


def _depth(body: list[nodes.NodeNG], level: int) -> int:
    deepest = level
    for stmt in body:
        inner = level + 1
        blocks: list[tuple[list[nodes.NodeNG], int]] = []
        if isinstance(stmt, nodes.If):
            elif_ = (
                len(stmt.orelse) == 1
                and isinstance(stmt.orelse[0], nodes.If)
                and stmt.orelse[0].col_offset == stmt.col_offset
            )
            blocks = [(stmt.body, inner), (stmt.orelse, level if elif_ else inner)]
        elif isinstance(stmt, (nodes.For, nodes.AsyncFor, nodes.While)):
            blocks = [(stmt.body, inner), (stmt.orelse, inner)]
        elif isinstance(stmt, (nodes.Try, nodes.TryStar)):
            blocks = [(stmt.body, inner), (stmt.orelse, inner)]
            blocks += [(stmt.finalbody, inner)]
            blocks += [(h.body, inner) for h in stmt.handlers]
        elif isinstance(stmt, (nodes.With, nodes.AsyncWith)):
            blocks = [(stmt.body, inner)]
        elif isinstance(stmt, nodes.Match):
            blocks = [(c.body, inner) for c in stmt.cases]
        else:
            continue
        deepest = max(deepest, inner)
        for block, at in blocks:
            deepest = max(deepest, _depth(block, at))
    return deepest


def docstring(node: nodes.NodeNG) -> str | None:
    """The node's own docstring, cleaned with :func:`inspect.cleandoc`."""
    doc_node = getattr(node, "doc_node", None)
    if doc_node is None or not isinstance(doc_node.value, str):
        return None
    return inspect.cleandoc(doc_node.value)


def def_line(node: nodes.NodeNG) -> int:
    """The line of the ``def``/``class`` keyword (after any decorators).

    astroid's ``lineno`` of a decorated definition is its first decorator's.
    """
    position = getattr(node, "position", None)
    if position is not None and position.lineno:
        return int(position.lineno)
    return int(node.fromlineno or node.lineno or 0)


def first_line(node: nodes.NodeNG) -> int:
    """The first source line of *node*, counting its decorators."""
    decorators = getattr(node, "decorators", None)
    if decorators is not None and decorators.nodes:
        return int(min(d.fromlineno for d in decorators.nodes))
    return int(node.fromlineno)


def source(node: nodes.NodeNG) -> Source:
    """Lines and docstring spans of *node* (decorators included).

    The spans are those of every docstring inside *node*, its own first.
    """
    spans: list[Span] = []
    # nodes_of_class() starts with *node* itself.
    for inner in node.nodes_of_class((nodes.FunctionDef, nodes.ClassDef)):
        doc = getattr(inner, "doc_node", None)
        if doc is not None and doc.lineno is not None:
            spans.append(
                (doc.lineno, doc.col_offset, doc.end_lineno, doc.end_col_offset)
            )
    return first_line(node), node.end_lineno or node.fromlineno, spans
