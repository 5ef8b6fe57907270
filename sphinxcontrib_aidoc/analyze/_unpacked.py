"""What ``a, b = call()`` binds, from the returns of the project code called.

A project function whose result is unpacked usually returns tuple
displays (``return name, cmd, rest``): the *i*-th name holds the *i*-th
element of one of them, typed where it is written (in the callee's frame,
whose parameters hold what every call passes). :func:`unpacked_types`
gives the union over every function the call may reach and every
``return`` of a display as wide as the target; a ``return`` of ``None``,
or of a display of another width, cannot be unpacked (the assignment
raises), so it adds nothing. Any other ``return`` (a name, a call), a
starred element, a class, a decorated, generator or ``async`` function, or
an element of unknown type leaves the name unknown.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._frame import Unpacked, complete
from sphinxcontrib_aidoc.analyze._index import plain
from sphinxcontrib_aidoc.analyze._nodes import body_of
from sphinxcontrib_aidoc.analyze._shape import is_generator

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._frame import Frame
    from sphinxcontrib_aidoc.analyze._project import Solver


def unpacked_types(
    solver: Solver, expr: Unpacked, frame: Frame, depth: int
) -> list[str] | None:
    """The types of the element *expr* names, or None (see module doc)."""
    targets = solver.targets(expr.call, frame)
    if not targets:
        return None
    parts: list[str] = []
    for target in targets:
        found = _element(solver, target, expr, depth)
        if found is None:
            return None
        parts.extend(t for t in found if t not in parts)
    return parts or None


def _element(
    solver: Solver, target: str, expr: Unpacked, depth: int
) -> list[str] | None:
    definition = solver.index.defs.get(target)
    callee = solver.frames.get(target)
    if definition is None or callee is None or not plain(definition):
        return None
    node = definition.node
    if not isinstance(node, ast.FunctionDef) or is_generator(body_of(node)):
        return None
    parts: list[str] = []
    for stmt in callee.own:
        if not isinstance(stmt, ast.Return) or stmt.value is None:
            continue
        value = stmt.value
        if isinstance(value, ast.Constant) and value.value is None:
            continue
        if not isinstance(value, ast.Tuple) or any(
            isinstance(e, ast.Starred) for e in value.elts
        ):
            return None
        if len(value.elts) != expr.width:
            continue
        found = solver.types_of(value.elts[expr.position], callee, depth + 1)
        if not found or not complete(found):
            return None
        parts.extend(found)
    return parts
