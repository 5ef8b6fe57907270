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
from collections.abc import Iterator
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
    Attributes.family`) is a plain class-body ``name = ProjectClass``; the
    name itself passes :func:`bound_only_in_class_bodies` and no method of
    the family has it. One class per binding, in the family's order.
    """
    if not bound_only_in_class_bodies(solver, name):
        return None
    family = solver.attributes.family(cls)
    if family is None or any(f"{c}.{name}" in solver.index.defs for c in family):
        return None
    found: list[str] = []
    for owner in sorted(family):
        definition = solver.index.defs[owner]
        for bound, value in class_bindings(definition.node):
            if bound != name:
                continue
            held = solver.index.resolve(definition.module, value)
            target = solver.index.defs.get(held or "")
            if held is None or not isinstance(
                getattr(target, "node", None), ast.ClassDef
            ):
                return None
            found.append(held)
    return found or None


def bound_only_in_class_bodies(solver: Solver, name: str) -> bool:
    """Whether the attribute *name* may hold only what class bodies bind to it.

    Some class body binds it to a name (``context_class = Context``), and
    it is not a dunder, no instance assigns it and it is never read unseen
    (a ``setattr`` with a computed name included).
    """
    attributes = solver.attributes
    return not (
        attributes.dynamic
        or name in attributes.open
        or name.startswith("__")
        or name not in class_bound_names(solver.index)  # the cheap test first
        or any(owner[0] for owner in attributes.values.get(name, []) if owner[1])
    )


def class_bindings(node: ast.AST) -> Iterator[tuple[str, ast.expr]]:
    """What a class body binds to one plain name: ``name = v``, ``name: T = v``."""
    for stmt in getattr(node, "body", []):
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
        ):
            yield stmt.targets[0].id, stmt.value
        elif (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and stmt.value is not None
        ):
            yield stmt.target.id, stmt.value


#: Names some project class body binds to a plain name, per index.
_HELD: weakref.WeakKeyDictionary[ProjectIndex, frozenset[str]] = (
    weakref.WeakKeyDictionary()
)


def class_bound_names(index: ProjectIndex) -> frozenset[str]:
    """Names some project class body binds to another name (``handler = run``)."""
    found = _HELD.get(index)
    if found is None:
        found = _HELD[index] = frozenset(
            name
            for definition in index.defs.values()
            if isinstance(definition.node, ast.ClassDef)
            for name, value in class_bindings(definition.node)
            if isinstance(value, (ast.Name, ast.Attribute))
        )
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
