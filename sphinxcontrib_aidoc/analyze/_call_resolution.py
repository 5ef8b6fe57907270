"""What a call in the project gives and reaches (part of the project pass).

The part of the project pass (:class:`~._project.Solver`) that answers,
for a call, which project functions, methods or classes it may call
(:func:`targets`: ``self.m()`` reaches every project
override, ``super()`` the next project class, a call on a value of proven
class that class's method) and what calling one of them gives
(:func:`return_type`: the proven or stated return type, an instance for a
class that builds one, :data:`BOTTOM` for a function that only raises).
They read the solver's index and what it has proven so far.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._casts import written_type
from sphinxcontrib_aidoc.analyze._class_attrs import held_attribute_classes
from sphinxcontrib_aidoc.analyze._frame import Frame, is_super, raises_only
from sphinxcontrib_aidoc.analyze._held_classes import held_classes
from sphinxcontrib_aidoc.analyze._index import Definition, bases_known, plain
from sphinxcontrib_aidoc.analyze._known_calls import imported_here
from sphinxcontrib_aidoc.analyze._nodes import FUNCTIONS, decorator_names, text
from sphinxcontrib_aidoc.analyze._receivers import called_instance, methods_reached
from sphinxcontrib_aidoc.analyze._rules import BUILTIN_EXCEPTIONS, last_part
from sphinxcontrib_aidoc.analyze._shape import new_owners
from sphinxcontrib_aidoc.analyze._stubs import constructs
from sphinxcontrib_aidoc.analyze._type_rules import class_type

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._project import Solver

#: Class decorators that return the class itself (calling it still builds one).
CLASS_DECORATORS = frozenset(
    {"dataclass", "total_ordering", "final", "runtime_checkable", "unique"}
)
#: A return type that contributes nothing to a union (the call never returns).
BOTTOM = "NoReturn"
FUNCTION_KINDS = frozenset({"function", "method", "classmethod", "staticmethod"})


def return_type(solver: Solver, qualname: str) -> str | None:
    """The stated or proven return type of a call to *qualname*, or None."""
    definition = solver.index.defs.get(qualname)
    record = solver.index.records.get(qualname)
    if definition is None or record is None:
        return None
    if isinstance(definition.node, ast.ClassDef):
        if not all(
            last_part(d) in CLASS_DECORATORS for d in decorator_names(definition.node)
        ):
            return None
        return class_type(qualname) if _constructs(solver, qualname) else None
    if not plain(definition):
        return None
    if record.kind not in FUNCTION_KINDS or record.is_async or record.is_generator:
        return None
    raising = solver.raising.get(qualname)
    if raising is None:  # (asked at every call of it: read once)
        raising = solver.raising[qualname] = raises_only(definition.node)
    if raising:
        return BOTTOM
    proven = solver.returns.get(qualname)
    if proven is not None:
        return proven
    stated = record.returns.type if record.returns else None
    if stated is None:
        return None
    written = solver.written.get(qualname)
    if written is None:
        frame = solver.frames.get(qualname)
        written = stated if frame is None else written_type(solver, frame, stated)
        solver.written[qualname] = written
    return written


def _constructs(solver: Solver, cls: str) -> bool:
    """Whether calling *cls* gives an instance of it (no ``__new__`` of its own)."""
    new = solver.index.method(cls, "__new__")
    if new is not None:  # ``return Base.__new__(cls, ...)`` only
        owners = new_owners(solver.index.defs[new].node)
        return owners is not None and not any(
            solver.index.resolve(solver.index.defs[new].module, o) in solver.index.defs
            for o in owners
        )
    return solver.index.method(cls, "__init__") is not None or _plain_bases(solver, cls)


def _plain_bases(solver: Solver, cls: str) -> bool:
    """Whether *cls* and its ancestors are project classes or builtin exceptions.

    ``object`` and the builtin exception classes make an instance of the
    class they are called through (``class ParseError(Exception)``).
    """
    seen: set[str] = set()
    stack = [cls]
    while stack:
        current = stack.pop()
        definition = solver.index.defs.get(current)
        if current in seen:
            continue
        if definition is None or not (
            bases_known(definition, solver.index)
            or _exception_bases(definition, solver)
        ):
            return False
        seen.add(current)
        stack.extend(solver.index.bases.get(current, ()))
    return True


def _exception_bases(definition: Definition, solver: Solver) -> bool:
    """Whether each base of a class is a project class or constructs its subclass.

    A builtin exception, or a standard-library class whose stub declares
    no ``__new__`` giving anything but ``Self`` (``textwrap.TextWrapper``).
    """
    node = definition.node
    if not isinstance(node, ast.ClassDef) or node.keywords:
        return False
    names = solver.index.scopes[definition.module].names
    for base in node.bases:
        if solver.index.resolve(definition.module, base) in solver.index.defs:
            continue
        if isinstance(base, ast.Name) and base.id in BUILTIN_EXCEPTIONS:
            if base.id in names:  # shadowed by the module
                return False
            continue
        first, _, rest = text(base).partition(".")
        origin = names.get(first)
        if origin is None or not constructs(".".join(filter(None, (origin, rest)))):
            return False
    return True


def targets(solver: Solver, call: ast.Call, frame: Frame) -> list[str] | None:
    """The project functions and classes *call* may call, or None if unknown."""
    func = call.func
    index = solver.index
    if isinstance(func, ast.Name):
        if func.id in frame.local or func.id in frame.params:
            return _held(solver, frame, func.id) or called_instance(solver, func, frame)
        found = _imported_project_name(solver, frame, func.id)
        if found is None:
            if func.id in frame.shadowing():  # a nested def, not the module's
                return None
            found = index.lookup(frame.module, func.id)
        return [found] if found in index.defs else None
    if not isinstance(func, ast.Attribute):
        return None
    owner = func.value
    if frame.cls is not None and (
        (isinstance(owner, ast.Name) and owner.id == frame.self_name) or is_super(owner)
    ):
        return _own_call(solver, func, frame.cls, frame)
    if isinstance(owner, ast.Name) and (
        owner.id in frame.local or owner.id in frame.params
    ):
        return methods_reached(solver, owner, func.attr, frame)
    if not isinstance(owner, ast.Name):
        reached = methods_reached(solver, owner, func.attr, frame)
        if reached is not None:
            return reached
    found = index.resolve(frame.module, func)
    if found in index.defs and index.defs[found].owner is None:
        return [found]
    cls = index.resolve(frame.module, owner)
    if cls in index.defs and isinstance(index.defs[cls].node, ast.ClassDef):
        method = index.method(cls, func.attr)
        record = index.records.get(method or "")
        if record is not None and record.kind in ("staticmethod", "classmethod"):
            return [method] if method else None
    return None


def _held(solver: Solver, frame: Frame, name: str) -> list[str] | None:
    """The project classes the local *name* holds to call (:mod:`._held_classes`)."""
    node = frame.definition.node if frame.definition else None
    if not isinstance(node, FUNCTIONS):
        return None
    held = solver.held.get(id(node))
    if held is None:
        held = solver.held[id(node)] = held_classes(node)
    leaves = held.get(name)
    if leaves is None:
        return None
    found = [solver.index.resolve(frame.module, leaf) for leaf in leaves]
    index = solver.index
    if all(
        f in index.defs and isinstance(index.defs[f].node, ast.ClassDef) for f in found
    ):
        return sorted({f for f in found if f is not None})
    return None


def unbound_method(solver: Solver, call: ast.Call, frame: Frame) -> str | None:
    """The method ``Base.name(self, ...)`` calls on a project class, or None.

    A method read from the class itself (not an instance) is the plain
    function: the instance is the first argument (``Item.__init__(self,
    trivia)`` in a subclass's ``__init__``). Static and class methods are
    :func:`targets`' own.
    """
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    owner = func.value
    if isinstance(owner, ast.Name) and (
        owner.id in frame.local
        or owner.id in frame.params
        or owner.id in frame.shadowing()
    ):
        return None
    index = solver.index
    cls = index.resolve(frame.module, owner)
    if cls not in index.defs or not isinstance(index.defs[cls].node, ast.ClassDef):
        return None
    method = index.method(cls, func.attr)
    record = index.records.get(method or "")
    return method if record is not None and record.kind == "method" else None


def _imported_project_name(solver: Solver, frame: Frame, name: str) -> str | None:
    """The project object *name* stands for when the function imports it itself.

    ``from .impl import helper`` in a function's body binds ``helper`` in
    that function only (any use of it there is that import's), following
    re-exports as a module-level import does; None for anything else.
    """
    index = solver.index
    origin = imported_here(frame, name, index.scopes.get(frame.module))
    if origin is None:
        return None
    if origin in index.defs:
        return origin
    module, _, last = origin.rpartition(".")
    return index.lookup(module, last) if module in index.scopes else None


def _own_call(
    solver: Solver, func: ast.Attribute, cls: str, frame: Frame
) -> list[str] | None:
    """What ``self.name(...)`` or ``super().name(...)`` in a method of *cls* calls."""
    index = solver.index
    if is_super(func.value):
        bases = index.bases.get(cls, [])
        if len(bases) == 1:
            found = index.method(bases[0], func.attr)
        else:  # several: the first base follows the class in its MRO
            found = _first_base_own(solver, cls, func.attr)
        return [found] if found else None
    methods = index.dispatch(cls, func.attr)
    if methods is None:  # an attribute holding a class, or an instance
        return held_attribute_classes(solver, cls, func.attr) or called_instance(
            solver, func, frame
        )
    return methods


def _first_base_own(solver: Solver, cls: str, name: str) -> str | None:
    """*cls*'s first listed base's own method *name*, if that base is ours."""
    definition = solver.index.defs[cls]
    node = definition.node
    if not isinstance(node, ast.ClassDef) or not node.bases:
        return None
    first = solver.index.resolve(definition.module, node.bases[0])
    found = f"{first}.{name}"
    return found if first in solver.index.defs and found in solver.index.defs else None


def without_bottom(parts: list[str]) -> list[str]:
    """*parts* without :data:`BOTTOM`, unless nothing else is left."""
    kept = [p for p in parts if p != BOTTOM]
    return kept if kept or not parts else [BOTTOM]
