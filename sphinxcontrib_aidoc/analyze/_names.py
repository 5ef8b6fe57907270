"""What the project-wide pass knows of a name read in a function.

Besides the values a function binds to the name (``Solver._bound_types``),
two more things can tell: a check around the read (``isinstance``, a
truth or ``is not None`` test: :mod:`._narrowing`), and, for a name the
function does not bind, the one value its module binds it to
(:mod:`._globals`). A name ``with manager as name`` binds holds what
the manager's ``__enter__`` returns (:meth:`Names.entered`).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._call_resolution import CLASS_DECORATORS
from sphinxcontrib_aidoc.analyze._casts import annotation_types
from sphinxcontrib_aidoc.analyze._frame import Entered, Frame
from sphinxcontrib_aidoc.analyze._globals import ModuleValues
from sphinxcontrib_aidoc.analyze._index import Scope
from sphinxcontrib_aidoc.analyze._known_calls import imported_name
from sphinxcontrib_aidoc.analyze._narrowing import Excluded, Proof, narrowed_reads
from sphinxcontrib_aidoc.analyze._nodes import body_of, decorator_names
from sphinxcontrib_aidoc.analyze._reaching import Reaching
from sphinxcontrib_aidoc.analyze._rules import BUILTIN_EXCEPTIONS, last_part
from sphinxcontrib_aidoc.analyze._stdlib_objects import ENTER_SELF
from sphinxcontrib_aidoc.analyze._stubs import stub_class
from sphinxcontrib_aidoc.analyze._type_rules import class_type, split_union

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._project import Solver

#: Builtin classes an ``isinstance`` check narrows a name to.
_NARROWING_BUILTINS = frozenset(
    {"str", "bytes", "bytearray", "int", "float", "bool", "complex"}
)
_NO_SCOPE = Scope("", package=False)


class Names:
    """Checks around reads of names, and module-level values (see module doc)."""

    def __init__(self, solver: Solver) -> None:
        self.solver = solver
        self.index = solver.index
        self.globals = ModuleValues(self.index, solver.attributes.open)
        #: What checks prove at each read of a name, and the values that
        #: reach each read, per frame: by id, kept with the frame itself (a
        #: frame let go, such as a module's read once, could give its id to
        #: another function's frame, which would read the first one's).
        self._reads: dict[int, tuple[Frame, dict[int, Proof]]] = {}
        self._module_frames: dict[str, Frame] = {}
        self._reaching: dict[int, tuple[Frame, Reaching]] = {}

    def checked(self, expr: ast.Name, frame: Frame) -> tuple[list[str] | None, bool]:
        """The types an ``isinstance`` check proves at this read, and whether any."""
        proof = self._proofs(frame).get(id(expr))
        return (list(proof), True) if isinstance(proof, list) else (None, False)

    def excluded(self, expr: ast.Name, frame: Frame) -> tuple[str, ...]:
        """The classes a failed ``isinstance`` check proves this read is not of."""
        proof = self._proofs(frame).get(id(expr))
        return proof.classes if isinstance(proof, Excluded) else ()

    def not_none(self, expr: ast.Name, frame: Frame) -> bool:
        """Whether a check around this read proves the name is not ``None``."""
        reads = self._proofs(frame)
        return id(expr) in reads and reads[id(expr)] is None

    def reaching(self, expr: ast.Name, frame: Frame) -> list[ast.expr] | None:
        """The values that reach this read (``._reaching``), or None."""
        kept = self._reaching.get(id(frame))
        if kept is None or kept[0] is not frame:
            body = body_of(frame.definition.node) if frame.definition else []
            kept = self._reaching[id(frame)] = (frame, Reaching(body))
        return kept[1].values(expr)

    def _proofs(self, frame: Frame) -> dict[int, Proof]:
        kept = self._reads.get(id(frame))
        if kept is None or kept[0] is not frame:
            body = body_of(frame.definition.node) if frame.definition else []
            reads = narrowed_reads(body, lambda spec: self._classes(spec, frame))
            kept = self._reads[id(frame)] = (frame, reads)
        return kept[1]

    def _classes(self, spec: ast.expr, frame: Frame) -> list[str] | None:
        """The types an ``isinstance`` class (or tuple of classes) names, or None.

        A builtin scalar class (not shadowed) or a project class; anything
        else (a container, an imported class) proves nothing here.
        """
        return self._named_classes(spec, frame, _NARROWING_BUILTINS)

    def caught(self, kind: ast.expr, frame: Frame) -> list[str] | None:
        """What ``except kind as name`` binds: an instance of the classes *kind* names.

        A builtin exception class (not shadowed) or a project class, or a
        tuple of them; anything else (an imported class, a computed tuple)
        proves nothing.
        """
        return self._named_classes(kind, frame, BUILTIN_EXCEPTIONS)

    def _named_classes(
        self, spec: ast.expr, frame: Frame, builtin: frozenset[str]
    ) -> list[str] | None:
        """The classes *spec* (a class, or a tuple of them) names, or None.

        Each a *builtin* class by its name (not shadowed by the function or
        its module), a project class, or a standard-library class the module
        imports whose stub is not generic (``isinstance(value, datetime)``:
        a ``datetime.datetime``).
        """
        found: list[str] = []
        names = self.index.scopes.get(frame.module, _NO_SCOPE).names
        for elt in spec.elts if isinstance(spec, ast.Tuple) else [spec]:
            if isinstance(elt, ast.Name) and (
                elt.id in frame.local or elt.id in frame.params
            ):
                return None  # a local, not the module's class
            if isinstance(elt, ast.Name) and elt.id in builtin and elt.id not in names:
                found.append(elt.id)
                continue
            cls = self.index.resolve(frame.module, elt)
            definition = self.index.defs.get(cls or "")
            if cls is None or definition is None:
                stub = imported_name(self.solver, elt, frame)
                if stub is None or stub_class(stub) is None:
                    return None
                found.append(stub)
                continue
            if not isinstance(definition.node, ast.ClassDef):
                return None
            found.append(class_type(cls))
        return found or None

    def class_object(self, expr: ast.Attribute, frame: Frame) -> list[str] | None:
        """``type[Class]`` for ``module.Class`` naming a project class, else None.

        The module is a name the function's module binds once to a module
        (not a local, a parameter or ``self``), and no code of the project
        assigns an attribute of the class's name.
        """
        root: ast.expr = expr
        while isinstance(root, ast.Attribute):
            root = root.value
        if (
            not isinstance(root, ast.Name)
            or root.id in frame.local
            or root.id in frame.params
            or root.id == frame.self_name
            or expr.attr in self.globals.open_names
            or not self.globals.bound_once(frame.module, root.id)
        ):
            return None
        found = self.index.resolve(frame.module, expr)
        cls = self._plain_class(found)
        return None if cls is None else [f"type[{class_type(cls)}]"]

    def _class_named(self, name: str, module: str) -> str | None:
        """The project class *name* stands for in *module*, bound once, or None."""
        if name in self.globals.open_names or not self.globals.bound_once(module, name):
            return None
        return self._plain_class(self.index.lookup(module, name))

    def _plain_class(self, found: str | None) -> str | None:
        """*found* if it is a project class whose decorators keep it, else None."""
        definition = self.index.defs.get(found) if found else None
        if definition is None or not isinstance(definition.node, ast.ClassDef):
            return None
        decorators = decorator_names(definition.node)
        if not all(last_part(d) in CLASS_DECORATORS for d in decorators):
            return None
        return definition.qualname

    def entered(self, expr: Entered, frame: Frame, depth: int) -> list[str] | None:
        """What ``with manager as name`` binds: ``manager.__enter__()``.

        A file or in-memory stream enters as itself; an instance of a project
        class gives what its ``__enter__`` (every override) returns.
        """
        managers = self.solver.types_of(expr.manager, frame, depth + 1)
        if not managers:
            return None
        found: list[str] = []
        for manager in managers:
            if manager in ENTER_SELF:
                found.append(manager)
                continue
            if not manager.startswith("~"):
                return None
            methods = self.index.dispatch(manager[1:], "__enter__")
            if not methods:
                return None
            for method in methods:
                returned = self.solver.return_type(method)
                if not returned:
                    return None
                found.extend(split_union(returned))
        return found

    def global_types(self, name: str, frame: Frame, depth: int) -> list[str] | None:
        """The types of a module-level name the module binds once (``._globals``).

        A name bound once to a project class (defined or imported, with no
        decorator but those that return the class) holds the class object:
        ``type[Class]``.
        """
        value = self.globals.value_of(frame.module, name)
        if value is None:
            cls = self._class_named(name, frame.module)
            return None if cls is None else [f"type[{class_type(cls)}]"]
        module = self._module_frame(frame.module)
        annotation = self.globals.annotation_of(frame.module, name)
        if annotation is not None:  # the author's statement, whatever is added
            declared = annotation_types(self.solver, module, annotation)
            if declared is not None:
                return declared
        found = self.solver.types_of(value, module, depth + 1)
        if found is None or self.globals.only_read(frame.module, name):
            return found
        # A mutable container some code may add to: its items are not proven.
        return [_bare_if_mutable(t) for t in found]

    def global_item_types(
        self, name: str, index: int, frame: Frame, depth: int
    ) -> list[str] | None:
        """The types of ``NAME[index]``, *NAME* a module's tuple display.

        A tuple bound once at module level (``HELLO = (Command(...), {...})``)
        keeps its items: item *index* is the one written there, whatever
        the other items are (the whole tuple may be of unknown type).
        """
        if name in frame.local or name in frame.params or name in frame.shadowing():
            return None
        value = self.globals.value_of(frame.module, name)
        if (
            not isinstance(value, ast.Tuple)
            or self.globals.annotation_of(frame.module, name) is not None
            or any(isinstance(e, ast.Starred) for e in value.elts)
            or not -len(value.elts) <= index < len(value.elts)
        ):
            return None
        module = self._module_frame(frame.module)
        found = self.solver.types_of(value.elts[index], module, depth + 1)
        if found is None or self.globals.only_read(frame.module, name):
            return found
        return [_bare_if_mutable(t) for t in found]

    def _module_frame(self, module: str) -> Frame:
        """The frame that reads names as *module*'s top level binds them."""
        found = self._module_frames.get(module)
        if found is None:
            found = Frame(None, module, [], None, None, {}, {})
            self._module_frames[module] = found
        return found


#: Containers whose items code may add to after the binding.
_MUTABLE = frozenset({"list", "set", "dict"})


def _bare_if_mutable(type_: str) -> str:
    """``list[str]`` -> ``list`` (also ``set``, ``dict``); any other type as is."""
    kind, bracket, _ = type_.partition("[")
    return kind if bracket and kind in _MUTABLE else type_
