"""Which project methods a call on a value of proven type reaches.

A receiver proven an instance of one of several project classes (``x``
is a ``Cat`` or a ``Dog``) reaches each class's method of that name as
the instance finds it (inherited or overridden) and the overrides of its
project subclasses; calling an instance itself (``obj(...)``,
``self.callback(...)`` where the attribute holds an instance) reaches its
class's ``__call__`` the same way. ``None`` among the types reaches
nothing (the call fails); any other type that is not a project class
leaves the call unresolved.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._frame import Frame
    from sphinxcontrib_aidoc.analyze._project import Solver


def instances_of(solver: Solver, expr: ast.expr, frame: Frame) -> list[str] | None:
    """The project classes *expr* is proven an instance of, or None."""
    types = solver.types_of(expr, frame, 1)
    if not types:
        return None
    classes: list[str] = []
    for type_ in types:
        if type_ == "None":
            continue
        definition = solver.index.defs.get(type_[1:]) if type_[:1] == "~" else None
        if definition is None or not isinstance(definition.node, ast.ClassDef):
            return None
        classes.append(type_[1:])
    return classes or None


def methods_reached(
    solver: Solver, receiver: ast.expr, name: str, frame: Frame
) -> list[str] | None:
    """Every project method ``receiver.name(...)`` may run, or None if unknown."""
    classes = instances_of(solver, receiver, frame)
    if classes is None:
        return None
    found: list[str] = []
    for cls in classes:
        methods = solver.index.dispatch(cls, name)
        if methods is None:
            return None
        found.extend(m for m in methods if m not in found)
    return found


def called_instance(solver: Solver, func: ast.expr, frame: Frame) -> list[str] | None:
    """The ``__call__`` methods calling the value *func* runs, or None."""
    return methods_reached(solver, func, "__call__", frame)
