"""What a call of a function nested in the caller returns.

h11's ``test__body_framing`` defines ``def resp(status_code=200, ...):
return Response(...)`` and calls ``resp(**kwargs)``: the call gives what
``resp``'s own ``return`` statements give, read in ``resp``'s frame
(:mod:`._inner_frames`: it sees the names of the function around it).

Only a plain nested function: defined once in the caller, by a ``def``
that no decorator wraps, not a generator, its name never bound otherwise
(no assignment, ``global`` or ``nonlocal`` of it). A call it makes of
itself is read as the other ``return`` statements give (as for project
functions, :func:`~._fixed_point.function_returns`).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._inner_frames import nested_definitions, nested_frame
from sphinxcontrib_aidoc.analyze._shape import (
    does_nothing,
    is_generator,
    not_implemented,
)
from sphinxcontrib_aidoc.analyze._type_rules import split_union

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._frame import Frame
    from sphinxcontrib_aidoc.analyze._project import Solver


def nested_call_types(solver: Solver, call: ast.Call, frame: Frame) -> list[str] | None:
    """The types ``helper(...)`` gives when ``helper`` is nested in *frame*'s function."""
    func = call.func
    definition = frame.definition
    if (
        not isinstance(func, ast.Name)
        or definition is None
        or func.id in frame.local
        or func.id in frame.params
        or func.id not in frame.shadowing()  # no nested ``def`` of that name
    ):
        return None
    defined = nested_by_name(solver, frame).get(func.id, [])
    if len(defined) != 1:
        return None
    node = defined[0]
    if (
        node.decorator_list
        or is_generator(node.body)
        or _declared(frame, func.id)
        or not_implemented(node)
        or does_nothing(node)  # not a hook of the class around it
    ):
        return None
    busy = solver.nested_busy
    if id(node) in busy:
        return None  # a call of itself: the other returns say
    # one frame per enclosing frame (a specialized one reads narrower types)
    cached = solver.nested_frames.get(id(node))
    if cached is not None and cached[0] is frame:
        inner = cached[1]
    else:
        inner = nested_frame(node, frame, definition)
        solver.nested_frames[id(node)] = (frame, inner)
    return nested_returns(solver, node, inner)


def nested_by_name(
    solver: Solver, frame: Frame
) -> dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]]:
    """The functions *frame*'s function defines in its blocks, by name (read once).

    Kept by the function's node, which the project's trees keep alive.
    """
    definition = frame.definition
    if definition is None:
        return {}
    by_name = solver.nested_defs.get(id(definition.node))
    if by_name is None:
        by_name = solver.nested_defs[id(definition.node)] = {}
        for child in nested_definitions(frame):
            by_name.setdefault(child.name, []).append(child)
    return by_name


def nested_returns(
    solver: Solver, node: ast.FunctionDef | ast.AsyncFunctionDef, inner: Frame
) -> list[str] | None:
    """What the nested function *node* returns, read in its frame *inner*.

    A call of itself while it is read is read as its other returns give.
    """
    from sphinxcontrib_aidoc.analyze._fixed_point import (  # noqa: PLC0415 (cycle)
        function_returns,
    )

    busy = solver.nested_busy
    if id(node) in busy:
        return None
    busy.add(id(node))
    try:
        assert inner.definition is not None
        found = function_returns(solver, inner.definition.qualname, inner)
    finally:
        busy.discard(id(node))
    return split_union(found) if found else None


def _declared(frame: Frame, name: str) -> bool:
    """Whether the function declares *name* ``global`` or ``nonlocal``."""
    return any(
        isinstance(n, (ast.Global, ast.Nonlocal)) and name in n.names for n in frame.own
    )
