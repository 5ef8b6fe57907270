"""Iterators, reductions and container methods over proven builtin values.

Rules of the project-wide pass (:class:`~._project.Solver`), each exact
for every argument of the proven types (as typeshed states them):

* ``enumerate(x)``, ``zip(a, b)``, ``reversed(x)``, ``iter(x)`` of proven
  iterables are ``enumerate[T]``, ``zip[tuple[A, B]]``, ``reversed[T]``,
  ``Iterator[T]`` (iterating them gives ``tuple[int, T]``, ``tuple[A, B]``,
  ``T``);
* ``max``/``min`` of proven values (or of one proven iterable, with its
  ``default=`` if given) are one of them;
* a method of a proven ``dict``/``list``/``set`` whose result its element
  types fix: ``d.items()`` is ``ItemsView[K, V]``, ``d.get(k)`` is ``V |
  None``, ``d.get(k, x)`` ``V`` or ``x``'s types, ``l.pop()`` is ``T``,
  ``.copy()`` the receiver's own type.

Any part not proven (an argument, the receiver, a starred argument or
``**kwargs``): nothing is claimed.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._displays import items_of
from sphinxcontrib_aidoc.analyze._frame import complete
from sphinxcontrib_aidoc.analyze._type_rules import arguments, join_types, split_union

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._frame import Frame
    from sphinxcontrib_aidoc.analyze._project import Solver

#: Builtins that wrap one iterable's items, by the type they give.
_WRAPPERS = {
    "enumerate": "enumerate[{}]",
    "reversed": "reversed[{}]",
    "iter": "Iterator[{}]",
}
#: Builtins handled here (the caller checked the name is not shadowed).
BUILTINS = frozenset({*_WRAPPERS, "zip", "max", "min"})
#: Container methods this module knows (a cheap first test).
CONTAINER_METHODS = frozenset(
    {"items", "keys", "values", "get", "copy", "pop", "popitem"}
)


def builtin_types(solver: Solver, call: ast.Call, frame: Frame) -> list[str] | None:
    """The types a call of one of :data:`BUILTINS` gives, or None."""
    func = call.func
    assert isinstance(func, ast.Name)
    args = call.args
    if any(isinstance(a, ast.Starred) for a in args) or any(
        k.arg is None for k in call.keywords
    ):
        return None
    if func.id in _WRAPPERS:
        if len(args) != 1 or (call.keywords and func.id != "enumerate"):
            return None
        items = items_of(solver, args[0], frame, 0)
        return None if items is None else [_WRAPPERS[func.id].format(join_types(items))]
    if func.id == "zip":
        parts = [items_of(solver, a, frame, 0) for a in args]
        if not parts or any(p is None for p in parts) or call.keywords:
            return None
        joined = ", ".join(join_types(p) for p in parts if p is not None)
        return [f"zip[tuple[{joined}]]"]
    return _extreme(solver, call, frame)


def _extreme(solver: Solver, call: ast.Call, frame: Frame) -> list[str] | None:
    """``max``/``min``: one of the values compared (or the default)."""
    keywords = {k.arg: k.value for k in call.keywords}
    if set(keywords) - {"key", "default"} or not call.args:
        return None
    parts: list[str] = []
    if len(call.args) == 1:
        items = items_of(solver, call.args[0], frame, 0)
        if items is None:
            return None
        parts.extend(items)
        if "default" in keywords:
            default = solver.types_of(keywords["default"], frame, 1)
            if not default or not complete(default):
                return None
            parts.extend(default)
    else:
        if "default" in keywords:
            return None  # a TypeError
        for arg in call.args:
            found = solver.types_of(arg, frame, 1)
            if not found or not complete(found):
                return None
            parts.extend(found)
    return list(dict.fromkeys(parts))


def container_method_types(
    solver: Solver, call: ast.Call, frame: Frame
) -> list[str] | None:
    """The types ``value.name(...)`` gives for a proven builtin container, or None."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in CONTAINER_METHODS:
        return None
    if any(isinstance(a, ast.Starred) for a in call.args) or call.keywords:
        return None
    receiver = solver.types_of(func.value, frame, 1)
    if not receiver or not complete(receiver):
        return None
    found: list[str] = []
    for member in receiver:
        result = _method_result(solver, member, func.attr, call, frame)
        if result is None:
            return None
        found.extend(t for t in result if t not in found)
    return found


def _method_result(
    solver: Solver, member: str, name: str, call: ast.Call, frame: Frame
) -> list[str] | None:
    kind, _, rest = member.partition("[")
    args = arguments(rest[:-1]) if rest.endswith("]") else []
    count = len(call.args)
    if name == "copy" and count == 0 and kind in ("dict", "list", "set") and args:
        return [member]
    if kind == "dict" and len(args) == 2:
        key, value = args
        if count == 0 and name in ("items", "keys", "values"):
            view = {
                "items": f"ItemsView[{key}, {value}]",
                "keys": f"KeysView[{key}]",
                "values": f"ValuesView[{value}]",
            }
            return [view[name]]
        if name in ("get", "pop") and count == 1:
            held = split_union(value)
            return [*held, "None"] if name == "get" else held
        if name in ("get", "pop") and count == 2:
            default = solver.types_of(call.args[1], frame, 1)
            if not default or not complete(default):
                return None
            return [*split_union(value), *default]
        if name == "popitem" and count == 0:
            return [f"tuple[{key}, {value}]"]
        return None
    if kind == "list" and len(args) == 1 and name == "pop" and count <= 1:
        return split_union(args[0])
    if kind == "set" and len(args) == 1 and name == "pop" and count == 0:
        return split_union(args[0])
    return None
