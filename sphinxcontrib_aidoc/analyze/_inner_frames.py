"""Where else a project's calls are: nested functions, and calls meant to fail.

The call-site reader (:mod:`._callsites`) reads the calls of every project
function and test; :func:`nested_frames` adds the functions nested in
project functions (callbacks, closures), whose calls would otherwise be
unseen and leave their callees open. :func:`expected_to_raise` names the
calls a test makes inside ``with pytest.raises(...)`` (or
``self.assertRaises(...)``): they pass what the function rejects, so they
are no evidence of what it takes.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from sphinxcontrib_aidoc.analyze._frame import Frame, _locals
from sphinxcontrib_aidoc.analyze._index import Definition
from sphinxcontrib_aidoc.analyze._nodes import FUNCTIONS, own_nodes

#: Context managers a test wraps a call in when the call must raise.
_RAISES = frozenset({"raises", "assertRaises", "assertRaisesRegex"})


def expected_to_raise(own: list[ast.AST]) -> set[int]:
    """Ids of the calls under a ``with`` of :data:`_RAISES` (its body only)."""
    found: set[int] = set()
    for node in own:
        if isinstance(node, (ast.With, ast.AsyncWith)) and any(
            isinstance(item.context_expr, ast.Call)
            and _last(item.context_expr.func) in _RAISES
            for item in node.items
        ):
            found.update(
                id(n)
                for stmt in node.body
                for n in ast.walk(stmt)
                if isinstance(n, ast.Call)
            )
    return found


def _last(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def nested_frames(frames: Iterable[Frame]) -> Iterator[Frame]:
    """Frames of the functions nested in project functions (callbacks, closures).

    Read as test functions are: their parameters of unknown type, and a
    name a function around them binds a local of unknown value.
    """
    for frame in frames:
        definition = frame.definition
        if definition is None:
            continue
        outer = set(frame.params) | set(frame.local)
        if frame.self_name:
            outer.add(frame.self_name)
        yield from _nested_in([definition.node, *frame.own], definition, outer)


#: Nodes whose blocks hold statements.
_BLOCKS = (
    *FUNCTIONS,
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.ExceptHandler,
    ast.match_case,
    *((ast.TryStar,) if hasattr(ast, "TryStar") else ()),
)


def _block_statements(node: ast.AST) -> Iterator[ast.AST]:
    for name in ("body", "orelse", "finalbody"):
        block = getattr(node, name, None)
        if isinstance(block, list):
            yield from block


def _nested_in(
    own: list[ast.AST], definition: Definition, outer: set[str]
) -> Iterator[Frame]:
    for node in own:
        if not isinstance(node, _BLOCKS):
            continue  # a function is defined by a statement in a block
        for child in _block_statements(node):
            if not isinstance(child, FUNCTIONS):
                continue
            nodes = own_nodes(child)
            local = _locals(nodes)
            for name in outer:
                local.setdefault(name, None)
            arguments = child.args
            params: dict[str, str | None] = {
                a.arg: None
                for a in (
                    *arguments.posonlyargs,
                    *arguments.args,
                    *arguments.kwonlyargs,
                    *(a for a in (arguments.vararg, arguments.kwarg) if a),
                )
            }
            inner = Definition(
                f"{definition.qualname}.<nested>.{child.name}",
                child,
                definition.module,
                None,
            )
            yield Frame(inner, definition.module, nodes, None, None, local, params)
            yield from _nested_in(
                [child, *nodes], inner, outer | set(local) | set(params)
            )
