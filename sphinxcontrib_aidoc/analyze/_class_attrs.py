"""Calls of a class held in a class attribute (``self.context_class(...)``).

A class often names, in its body, the class it builds its helpers with
(``context_class = Context``), and a method calls it on ``self``. Such a
call builds an instance of one of the classes the project binds to that
name in the class's family (itself, its project ancestors and subclasses,
as :class:`~._attributes.Attributes` reads them), and only when every
binding of the name is a plain class-body ``name = ProjectClass`` (never
assigned on an instance or anywhere else, never a method) and each of
those classes is built by calling it (:meth:`~._project.Solver.return_type`).
The same call is a call site of those classes (:mod:`._call_resolution`),
and naming the class in the class body hands it to nothing else
(:data:`~._module_walks.CLASS_HELD`).
"""

from __future__ import annotations

import ast
import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._frame import Frame
    from sphinxcontrib_aidoc.analyze._index import ProjectIndex
    from sphinxcontrib_aidoc.analyze._project import Solver


def held_class_call(solver: Solver, call: ast.Call, frame: Frame) -> list[str] | None:
    """The types ``self.name(...)`` gives when ``name`` holds project classes."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    cls = solver._instance_of(func.value, frame, 1)
    classes = None if cls is None else held_attribute_classes(solver, cls, func.attr)
    if classes is None:
        return None
    found: list[str] = []
    for held in classes:
        built = solver.return_type(held)
        if built is None:
            return None
        found.append(built)
    return found or None


def held_attribute_classes(solver: Solver, cls: str, name: str) -> list[str] | None:
    """The project classes ``name`` holds, for an instance of *cls*, if only classes.

    Each binding of *name* in the class's family (:meth:`~._attributes.
    Attributes.family`) is a plain class-body ``name = ProjectClass``; no
    instance assigns it, no method of the family has the name and it is
    never read unseen (``setattr`` with a computed name included).
    One class per binding, in the family's order.
    """
    attributes = solver.attributes
    if (
        attributes.dynamic
        or name in attributes.open
        or name.startswith("__")
        or name not in _held_names(solver.index)  # the cheap test first
        or any(owner[0] for owner in attributes.values.get(name, []) if owner[1])
    ):
        return None
    family = attributes.family(cls)
    if family is None or any(f"{c}.{name}" in solver.index.defs for c in family):
        return None
    found: list[str] = []
    for owner in sorted(family):
        definition = solver.index.defs[owner]
        for value in _bound(definition.node, name):
            held = solver.index.resolve(definition.module, value)
            target = solver.index.defs.get(held or "")
            if held is None or not isinstance(
                getattr(target, "node", None), ast.ClassDef
            ):
                return None
            found.append(held)
    return found or None


#: Names some project class body binds to a plain name, per index.
_HELD: weakref.WeakKeyDictionary[ProjectIndex, frozenset[str]] = (
    weakref.WeakKeyDictionary()
)


def _held_names(index: ProjectIndex) -> frozenset[str]:
    found = _HELD.get(index)
    if found is None:
        names: set[str] = set()
        for definition in index.defs.values():
            if isinstance(definition.node, ast.ClassDef):
                for stmt in definition.node.body:
                    value = getattr(stmt, "value", None)
                    if isinstance(value, (ast.Name, ast.Attribute)):
                        targets = getattr(
                            stmt, "targets", [getattr(stmt, "target", None)]
                        )
                        names.update(t.id for t in targets if isinstance(t, ast.Name))
        found = _HELD[index] = frozenset(names)
    return found


def _bound(node: ast.AST, name: str) -> list[ast.expr]:
    """The values a class body binds to *name* (``name = v``, ``name: T = v``)."""
    found: list[ast.expr] = []
    for stmt in getattr(node, "body", []):
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and stmt.targets[0].id == name
        ) or (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and stmt.target.id == name
            and stmt.value is not None
        ):
            assert stmt.value is not None
            found.append(stmt.value)
    return found


def local_class_call(solver: Solver, call: ast.Call, frame: Frame) -> list[str] | None:
    """The types ``name(...)`` gives when the local *name* only holds project classes.

    ``factory = Inline if flag else Table`` then ``factory(...)``: every
    value bound to the local (through conditional expressions) must name a
    project class built by calling it (:meth:`~._project.Solver.return_type`).
    """
    func = call.func
    if not isinstance(func, ast.Name) or func.id in frame.params:
        return None
    values = frame.local.get(func.id)
    if not values:
        return None
    found: list[str] = []
    stack = list(values)
    while stack:
        value = stack.pop()
        if isinstance(value, ast.IfExp):
            stack.extend((value.body, value.orelse))
            continue
        if not isinstance(value, (ast.Name, ast.Attribute)) or (
            isinstance(value, ast.Name)
            and (value.id in frame.local or value.id in frame.params)
        ):
            return None
        held = solver.index.resolve(frame.module, value)
        target = solver.index.defs.get(held or "")
        if held is None or not isinstance(getattr(target, "node", None), ast.ClassDef):
            return None
        built = solver.return_type(held)
        if built is None:
            return None
        found.append(built)
    return found or None
