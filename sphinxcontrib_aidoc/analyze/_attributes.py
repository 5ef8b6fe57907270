"""Types of instance attributes, from every assignment the project makes.

``self.name = value`` in any method, ``name = value`` in a class body: an
attribute read on an instance of a project class holds one of the values
assigned to it in that class, its project ancestors or its project
subclasses (the instance may be of any of them). Its type is the union of
those values' types, and only when all of these hold:

* every assignment to an attribute of that name anywhere in the project is
  a plain ``self.name = value``, ``self.name op= value`` (keeping one of
  the types the plain assignments give) or a class-body ``name = value``
  (an assignment to another object's attribute, unpacking, ``del``, a
  ``setattr`` call: nothing is claimed for the name);
* every class of the family has only project (or ``object``) bases and no
  metaclass, and none defines a method or property of that name;
* every value's type is proven and complete.

"The project" is its own modules: what its tests (the call-site modules
of :class:`~._index.ProjectIndex`) write to an object's attributes, by
assignment or ``setattr``, is a test's doing, not the library's, and
neither types nor opens a name (a test's ``setattr(obj, key, value)``
with a computed name would otherwise leave every attribute of the
project unknown).

Two other readings come first (:meth:`Attributes.read`): an attribute the
class (or a project ancestor) declares in its body (``name: T``, a
dataclass field) has the declared type, however it is assigned; and a
property (``@property``, ``@cached_property``) has the type its getter
returns, every override in a project subclass included.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._attr_items import Fills
from sphinxcontrib_aidoc.analyze._displays import absorbed, empty_kind
from sphinxcontrib_aidoc.analyze._frame import Augmented
from sphinxcontrib_aidoc.analyze._index import PLAIN_DECORATORS, bases_known
from sphinxcontrib_aidoc.analyze._library_bases import closed_without
from sphinxcontrib_aidoc.analyze._module_walks import written_names
from sphinxcontrib_aidoc.analyze._nodes import (
    annotation_string,
    decorator_names,
    text,
    well_formed,
)
from sphinxcontrib_aidoc.analyze._operators import augmented_types
from sphinxcontrib_aidoc.analyze._rules import PROPERTY_DECORATORS, last_part
from sphinxcontrib_aidoc.analyze._type_rules import class_type, split_union

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._frame import Frame
    from sphinxcontrib_aidoc.analyze._project import Solver

#: Decorators a property getter may have (its value stays what it returns).
_PROPERTY_DECORATORS = PROPERTY_DECORATORS | PLAIN_DECORATORS
#: Where a value was assigned: the class, the method's frame (None: the
#: class body), and the value.
_Assigned = tuple[str, "Frame | None", ast.expr]


class Attributes:
    """The types of instance attributes of project classes (see module doc)."""

    def __init__(self, solver: Solver) -> None:
        self.solver = solver
        self.index = solver.index
        self.values: dict[str, list[_Assigned]] = {}
        self.open: set[str] = set()
        #: Names of attributes something adds items to (``x.name.append``).
        self.mutated: set[str] = set()
        #: A ``setattr`` with a computed name: no attribute is known.
        self.dynamic = False
        #: Answers of :meth:`types`, in the order they were first asked.
        self.memo: dict[tuple[str, str], list[str] | None] = {}
        #: Empty containers the project fills elsewhere (:mod:`._attr_items`).
        self.fills = Fills(self)
        self._collect()

    def _collect(self) -> None:
        plain = self._in_methods()
        self._in_class_bodies()
        self._elsewhere(plain)

    def _in_methods(self) -> set[int]:
        """Record ``self.name = value``; the ids of those targets."""
        plain: set[int] = set()
        for frame in self.solver.frames.values():
            if frame.cls is None:
                continue
            for node in frame.own:
                if (
                    isinstance(node, ast.Assign)
                    and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Attribute)
                    and isinstance(node.targets[0].value, ast.Name)
                    and node.targets[0].value.id == frame.self_name
                ):
                    target = node.targets[0]
                    plain.add(id(target))
                    self.values.setdefault(target.attr, []).append(
                        (frame.cls, frame, node.value)
                    )
                elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                    self._unpacked(frame, node.targets[0], node.value, plain)
                elif (
                    isinstance(node, ast.AugAssign)
                    and isinstance(node.target, ast.Attribute)
                    and isinstance(node.target.value, ast.Name)
                    and node.target.value.id == frame.self_name
                ):
                    plain.add(id(node.target))
                    self.values.setdefault(node.target.attr, []).append(
                        (frame.cls, frame, Augmented(node.op, node.value))
                    )
        return plain

    def _unpacked(
        self, frame: Frame, target: ast.expr, value: ast.expr, plain: set[int]
    ) -> None:
        """``self.a, self.b = value``: each attribute its part, ``value[i]``."""
        if not isinstance(target, (ast.Tuple, ast.List)) or not all(
            isinstance(e, ast.Name)
            or (
                isinstance(e, ast.Attribute)
                and isinstance(e.value, ast.Name)
                and e.value.id == frame.self_name
            )
            for e in target.elts
        ):
            return
        assert frame.cls is not None
        for position, element in enumerate(target.elts):
            if isinstance(element, ast.Attribute):
                plain.add(id(element))
                part = ast.Subscript(
                    value=value, slice=ast.Constant(position), ctx=ast.Load()
                )
                self.values.setdefault(element.attr, []).append(
                    (frame.cls, frame, part)
                )

    def _in_class_bodies(self) -> None:
        for qualname, definition in self.index.defs.items():
            if isinstance(definition.node, ast.ClassDef):
                for stmt in definition.node.body:
                    if (
                        isinstance(stmt, ast.Assign)
                        and len(stmt.targets) == 1
                        and isinstance(stmt.targets[0], ast.Name)
                    ):
                        name = stmt.targets[0].id
                        self.values.setdefault(name, []).append(
                            (qualname, None, stmt.value)
                        )

    def _elsewhere(self, plain: set[int]) -> None:
        """Names assigned any other way (in the project's own modules) are open.

        Per module, what :func:`~._module_walks.written_names` finds, kept
        from the last pass while the module is unchanged.
        """
        walks = self.solver.walks
        for module in self.index.trees:
            if module in self.index.site_modules:
                continue
            walk = walks.kept(module)
            if walk is None:
                written, dynamic, mutated = written_names(walks.nodes(module), plain)
                walks.record_written(module, written, dynamic, mutated)
            else:
                written, dynamic, mutated = walk.written, walk.dynamic, walk.mutated
            self.open.update(written)
            self.mutated.update(mutated)
            self.dynamic = self.dynamic or dynamic

    def read(self, cls: str, name: str) -> list[str] | None:
        """The types reading attribute *name* of an instance of *cls* gives."""
        declared = self._declared(cls, name)
        if declared is not None:
            return declared
        found = self.types(cls, name)
        return found if found is not None else self._property(cls, name)

    def _declared(self, cls: str, name: str) -> list[str] | None:
        """The type *cls* or its nearest project ancestor declares for *name*."""
        seen: set[str] = set()
        queue = [cls]
        while queue:
            current = queue.pop(0)
            definition = self.index.defs.get(current)
            if current in seen or definition is None:
                continue
            seen.add(current)
            node = definition.node
            if f"{current}.{name}" in self.index.defs or not isinstance(
                node, ast.ClassDef
            ):
                return None
            for stmt in node.body:
                if (
                    isinstance(stmt, ast.AnnAssign)
                    and isinstance(stmt.target, ast.Name)
                    and stmt.target.id == name
                ):
                    written = self._annotation(stmt.annotation, definition.module)
                    return None if written is None else split_union(written)
            queue.extend(self.index.bases.get(current, ()))
        return None

    def _annotation(self, node: ast.expr, module: str) -> str | None:
        """A declared attribute type as a stated type (a project class qualified)."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                node = ast.parse(node.value.strip(), mode="eval").body
            except SyntaxError:
                return None
        if (
            isinstance(node, ast.Subscript)
            and last_part(text(node.value)) == "ClassVar"
        ):
            node = node.slice
        if isinstance(node, (ast.Name, ast.Attribute)):
            if last_part(text(node)) in ("Final", "ClassVar", "InitVar"):
                return None
            found = self.index.resolve(module, node)
            if found is not None and isinstance(
                getattr(self.index.defs.get(found), "node", None), ast.ClassDef
            ):
                return class_type(found)
        if isinstance(node, ast.Subscript) and last_part(text(node.value)) in (
            "Final",
            "InitVar",
            "Annotated",
        ):
            return None
        written = annotation_string(node)
        return written if written and well_formed(written) else None

    def _property(self, cls: str, name: str) -> list[str] | None:
        """The types the property *name* of an instance of *cls* gives, or None."""
        getters = self.index.dispatch(cls, name)
        family = self.family(cls)
        if not getters or family is None:
            return None
        if any(a[0] in family and a[1] is None for a in self.values.get(name, [])):
            return None  # a class of the family binds the name in its body
        parts: list[str] = []
        for getter in getters:
            record = self.index.records.get(getter)
            definition = self.index.defs.get(getter)
            if record is None or definition is None or record.kind != "property":
                return None
            if not all(
                last_part(d) in _PROPERTY_DECORATORS
                for d in decorator_names(definition.node)
            ):
                return None
            stated = record.returns.type if record.returns else None
            found = self.solver.returns.get(getter) or stated
            if not found:
                return None
            parts.extend(t for t in split_union(found) if t != "NoReturn")
        return parts or None

    def reset(self) -> None:
        """Forget answers (the types they depend on have grown)."""
        self.memo.clear()

    def types(self, cls: str, name: str) -> list[str] | None:
        """The types attribute *name* of an instance of *cls* may hold, or None."""
        if self.dynamic or name in self.open or name.startswith("__"):
            return None
        key = (cls, name)
        if key in self.memo:
            return self.memo[key]
        self.memo[key] = None  # a cycle proves nothing
        found = self.fills.read(cls, name)
        if found is None:
            found = self._types(cls, name)
            family = self.family(cls, name) if name in self.mutated else None
            if found is not None and family is not None:  # items added elsewhere
                found = self.fills.widened(family, name, found)
        self.memo[key] = found
        return found

    def _types(self, cls: str, name: str) -> list[str] | None:
        family = self.family(cls, name)
        if family is None or any(f"{c}.{name}" in self.index.defs for c in family):
            return None
        parts: list[str] = []
        assigned = [a for a in self.values.get(name, []) if a[0] in family]
        updates = [(f, v) for _, f, v in assigned if isinstance(v, Augmented)]
        if not assigned:
            return None
        kinds: list[str] = []
        for _, frame, value in assigned:
            if isinstance(value, Augmented):
                continue
            kind = empty_kind(value)
            if kind is not None and frame is not None and name not in self.mutated:
                kinds.append(kind)  # takes the other values' type, if any fits
                continue
            if frame is None:
                found = _class_level(value)
            else:
                found = self.solver.types_of(value, frame)
            if not found:
                return None
            parts.extend(found)
        if kinds and not absorbed(kinds, parts):
            return None
        for frame, update in updates:  # ``self.name op= value``
            if frame is None:
                return None
            found = augmented_types(self.solver, parts, [update], frame, 0)
            if found is None or set(found) != set(parts):
                return None  # a type the other values do not have
        return parts

    def family(self, cls: str, name: str | None = None) -> set[str] | None:
        """The classes whose methods may run on an instance of *cls*.

        Its project subclasses (the instance may be of any of them) and
        every project ancestor of those (a sibling's methods never run on
        it); None if one is not plain. With *name*, a class may also have
        closed standard-library bases that lack that attribute
        (:func:`~._library_bases.closed_without`).
        """
        below = {cls}
        stack = [cls]
        while stack:
            for other in self.index.subclasses.get(stack.pop(), ()):
                if other not in below:
                    below.add(other)
                    stack.append(other)
        family = set(below)
        stack = list(below)
        while stack:
            current = stack.pop()
            definition = self.index.defs.get(current)
            if definition is None or not (
                bases_known(definition, self.index)
                or (name is not None and closed_without(definition, self.index, name))
            ):
                return None
            for other in self.index.bases.get(current, ()):
                if other not in family:
                    family.add(other)
                    stack.append(other)
        return family


def _class_level(value: ast.expr) -> list[str] | None:
    """The type of a class-body value: a literal scalar or ``None`` only."""
    if isinstance(value, ast.Constant) and (
        value.value is None or type(value.value) in (str, int, float, bool, bytes)
    ):
        return split_union(
            "None" if value.value is None else type(value.value).__name__
        )
    return None
