"""Items the project adds to an attribute's container, across its methods.

.. code-block:: python

    class Registry:
        def __init__(self):
            self.names = []          # an empty container...

        def add(self, item):
            self.names.append(str(item))   # ...filled elsewhere

        def all(self):
            return list(self.names)        # list[str]

An attribute every class of its family (:mod:`._attributes`) binds only
to empty containers of one kind (``[]``, ``{}``, ``set()``) holds what the
project adds to it: ``append``/``insert``/``add`` add a value,
``extend``/a set's ``update`` the items of an iterable (a display, a
comprehension, a value of proven type), ``name[key] = value`` and
``setdefault(key, value)`` a dict's key and value. Its type is the kind
with those items' types, and only when every such place in the project's
own modules (not its tests) is found and typed:

* on ``obj.name`` where ``obj`` is proven an instance of project classes
  (one outside the family adds to another attribute of that name and is
  left out; an object of unknown class claims nothing);
* inside a function, a nested one included (one at module or class
  level, a bound method taken as a value, ``obj.name[k] op= v``, a
  dict's ``update``: nothing is claimed).

A container passed elsewhere (an alias, an argument, a lambda's body) may
be filled there unseen; as for the values assigned to attributes
(:mod:`._attributes`), that is not followed.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._built import MUTATORS
from sphinxcontrib_aidoc.analyze._displays import empty_kind, iterated
from sphinxcontrib_aidoc.analyze._frame import complete
from sphinxcontrib_aidoc.analyze._inner_frames import nested_frames
from sphinxcontrib_aidoc.analyze._nodes import FUNCTIONS
from sphinxcontrib_aidoc.analyze._receivers import instances_of
from sphinxcontrib_aidoc.analyze._type_rules import arguments, join_types, split_union

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._attributes import Attributes
    from sphinxcontrib_aidoc.analyze._frame import Frame
    from sphinxcontrib_aidoc.analyze._project import Solver

#: Where items are added: the function's frame, the object, the method
#: (``__setitem__`` for ``obj.name[key] = value``) and its arguments.
_Site = tuple["Frame", ast.expr, str, list[ast.expr]]
#: What each kind of container accepts, by method.
_ACCEPTS = {
    "list": frozenset({"append", "insert", "extend"}),
    "set": frozenset({"add", "update"}),
    "dict": frozenset({"__setitem__", "setdefault"}),
}


class Fills:
    """Every place the project's own code adds items to ``obj.name``."""

    def __init__(self, attributes: Attributes) -> None:
        self.attributes = attributes
        self.solver = attributes.solver
        self._sites: dict[str, list[_Site]] | None = None
        #: Names something adds to in a way not followed (see module doc).
        self._unknown: set[str] = set()

    def read(self, cls: str, name: str) -> list[str] | None:
        """The type of attribute *name* of a *cls* when it is such a container."""
        attributes = self.attributes
        if name not in attributes.mutated:
            return None
        family = attributes.family(cls, name)
        index = self.solver.index
        if family is None or any(f"{c}.{name}" in index.defs for c in family):
            return None
        kinds = {
            empty_kind(v) if f is not None else None
            for c, f, v in attributes.values.get(name, [])
            if c in family
        }
        if len(kinds) != 1 or None in kinds:
            return None
        return self.types(family, name, kinds.pop() or "")

    def types(self, family: set[str], name: str, kind: str) -> list[str] | None:
        """``[kind[items]]`` for attribute *name* of *family*, or None."""
        added = self._collect(family, name, kind)
        if added is None or not added[1]:
            return None
        keys, items = added
        if kind == "dict":
            return [f"dict[{join_types(keys)}, {join_types(items)}]"]
        return [f"{kind}[{join_types(items)}]"]

    def widened(self, family: set[str], name: str, types: list[str]) -> list[str]:
        """*types* of attribute *name* with what the project adds to it elsewhere.

        Each ``list[X]``, ``set[X]`` or ``dict[K, V]`` among the values
        assigned to it takes the types the project adds (see :meth:`types`);
        when those are not all proven, its bare kind (``list``: the element
        types are not known).
        """
        found: list[str] = []
        for type_ in types:
            kind, _, rest = type_.partition("[")
            args = arguments(rest[:-1]) if rest.endswith("]") else []
            if kind not in _ACCEPTS or len(args) != (2 if kind == "dict" else 1):
                found.append(type_)
                continue
            added = self._collect(family, name, kind)
            if added is None:
                found.append(kind)
            elif kind == "dict":
                keys = join_types([*split_union(args[0]), *added[0]])
                values = join_types([*split_union(args[1]), *added[1]])
                found.append(f"dict[{keys}, {values}]")
            else:
                items = join_types([*split_union(args[0]), *added[1]])
                found.append(f"{kind}[{items}]")
        return found

    def _collect(
        self, family: set[str], name: str, kind: str
    ) -> tuple[list[str], list[str]] | None:
        """The key and item types the project adds to *name* of *family*."""
        sites = self._read()
        if name in self._unknown or kind not in _ACCEPTS:
            return None
        keys: list[str] = []
        items: list[str] = []
        for frame, owner, method, args in sites.get(name, []):
            classes = instances_of(self.solver, owner, frame)
            if classes is None:
                return None
            if not family.intersection(classes):
                continue  # another class's attribute of that name
            if method not in _ACCEPTS[kind]:
                return None
            added = _added(self.solver, frame, method, args)
            if added is None:
                return None
            keys.extend(added[0])
            items.extend(added[1])
        return keys, items

    def _read(self) -> dict[str, list[_Site]]:
        if self._sites is not None:
            return self._sites
        self._sites = {}
        index = self.solver.index
        frames = [
            f for f in self.solver.frames.values() if f.module not in index.site_modules
        ]
        for frame in (*frames, *nested_frames(frames)):
            self._scan(frame.own, frame)
        for module, tree in index.trees.items():
            if module not in index.site_modules:
                self._scan(list(_outside_functions(tree.body)), None)
        return self._sites

    def _scan(self, nodes: list[ast.AST], frame: Frame | None) -> None:
        assert self._sites is not None
        called: set[int] = set()
        stored: set[int] = set()
        for node in nodes:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                filled = _filled(node.func.value)
                if filled is not None and node.func.attr in MUTATORS:
                    called.add(id(node.func))
                    self._add(frame, filled, node.func.attr, list(node.args), node)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if not isinstance(target, ast.Subscript):
                        continue
                    filled = _filled(target.value)
                    if filled is not None:
                        stored.add(id(target))
                        self._add(
                            frame, filled, "__setitem__", [target.slice, node.value]
                        )
        for node in nodes:
            if (
                isinstance(node, ast.Attribute)
                and node.attr in MUTATORS
                and id(node) not in called
                and _filled(node.value) is not None
            ) or (
                isinstance(node, ast.Subscript)
                and isinstance(node.ctx, ast.Store)
                and id(node) not in stored
                and _filled(node.value) is not None
            ):
                filled = _filled(node.value)
                assert filled is not None
                self._unknown.add(filled.attr)

    def _add(
        self,
        frame: Frame | None,
        filled: ast.Attribute,
        method: str,
        args: list[ast.expr],
        call: ast.Call | None = None,
    ) -> None:
        assert self._sites is not None
        if (
            frame is None
            or (call is not None and call.keywords)
            or any(isinstance(a, ast.Starred) for a in args)
        ):
            self._unknown.add(filled.attr)
            return
        self._sites.setdefault(filled.attr, []).append(
            (frame, filled.value, method, args)
        )


def _filled(expr: ast.expr) -> ast.Attribute | None:
    """``obj.name`` when *expr* is one (the container items are added to)."""
    return expr if isinstance(expr, ast.Attribute) else None


def _outside_functions(body: list[ast.stmt]) -> list[ast.AST]:
    """The nodes of a module's statements outside its functions' bodies."""
    found: list[ast.AST] = []
    for stmt in body:
        if isinstance(stmt, FUNCTIONS):
            continue
        if isinstance(stmt, ast.ClassDef):
            found.extend(_outside_functions(stmt.body))
            continue
        found.extend(ast.walk(stmt))
    return found


def _added(
    solver: Solver, frame: Frame, method: str, args: list[ast.expr]
) -> tuple[list[str], list[str]] | None:
    """The key and item types one call adds, or None when not proven."""
    if method in ("append", "add") and len(args) == 1:
        found = _proven(solver, args[0], frame)
        return None if found is None else ([], found)
    if method == "insert" and len(args) == 2:
        found = _proven(solver, args[1], frame)
        return None if found is None else ([], found)
    if method in ("extend", "update") and args:
        items: list[str] = []
        for iterable in args:
            found = _items(solver, iterable, frame)
            if found is None:
                return None
            items.extend(found)
        return [], items
    if method in ("__setitem__", "setdefault") and len(args) == 2:
        key = _proven(solver, args[0], frame)
        value = _proven(solver, args[1], frame)
        return None if key is None or value is None else (key, value)
    return None


def _items(solver: Solver, iterable: ast.expr, frame: Frame) -> list[str] | None:
    """The types of the items of *iterable* (display, comprehension, typed value)."""
    if isinstance(iterable, (ast.List, ast.Tuple, ast.Set)):
        found: list[str] = []
        for element in iterable.elts:
            one = (
                None
                if isinstance(element, ast.Starred)
                else _proven(solver, element, frame)
            )
            if one is None:
                return None
            found.extend(one)
        return found
    if isinstance(iterable, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        return _proven(solver, iterable.elt, frame)
    types = _proven(solver, iterable, frame)
    if types is None:
        return None
    items: list[str] = []
    for type_ in types:
        item = iterated(type_)
        if item is None:
            return None
        items.extend(split_union(item))
    return items


def _proven(solver: Solver, expr: ast.expr, frame: Frame) -> list[str] | None:
    found = solver.types_of(expr, frame, 1)
    return found if found and complete(found) else None
