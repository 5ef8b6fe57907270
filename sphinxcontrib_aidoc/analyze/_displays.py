"""Types of displays, comprehensions and subscripts the project-wide pass reads.

``(a, b)``, ``[a, b]``, ``{k: v}``, ``{a}``, their comprehensions, ``a or
b``/``a and b``, an item or slice of a proven builtin value (``s[1:]``
of a ``str``, ``row[0]`` of a ``tuple[int, str]``, ``d[k]`` of a
``dict[str, int]``), and a builtin collection of a proven iterable
(``sorted(names)``, ``list(mapping)``): the type follows from the types of the parts, which
the pass (:class:`~._project.Solver`) proves, calls into the project
included. Every part must be proven and complete, else nothing is claimed.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._frame import ItemOf, complete
from sphinxcontrib_aidoc.analyze._library_bases import text_base
from sphinxcontrib_aidoc.analyze._stdlib_objects import OBJECT_ITEMS
from sphinxcontrib_aidoc.analyze._type_rules import (
    MAX_ELEMENTS,
    arguments,
    join_types,
    split_union,
)

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._frame import Frame
    from sphinxcontrib_aidoc.analyze._project import Solver


def display_types(
    solver: Solver, expr: ast.expr, frame: Frame, depth: int
) -> list[str] | None:
    """The types of a display, comprehension or boolean operation, or None."""
    if isinstance(expr, ast.BoolOp):
        return _operands(solver, expr, frame, depth)
    if isinstance(expr, ast.Subscript) and isinstance(expr.ctx, ast.Load):
        return _subscript(solver, expr, frame, depth)
    if isinstance(expr, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
        return _display(solver, expr, frame, depth)
    if isinstance(expr, (ast.ListComp, ast.SetComp)):
        item = _proven(solver, expr.elt, frame, depth)
        if item is None:
            return None
        kind = "list" if isinstance(expr, ast.ListComp) else "set"
        return [f"{kind}[{join_types(item)}]"]
    if isinstance(expr, ast.GeneratorExp):
        item = _proven(solver, expr.elt, frame, depth)
        return None if item is None else [f"Generator[{join_types(item)}, None, None]"]
    if isinstance(expr, ast.DictComp):
        key_types = _proven(solver, expr.key, frame, depth)
        value_types = _proven(solver, expr.value, frame, depth)
        if key_types is None or value_types is None:
            return None
        return [f"dict[{join_types(key_types)}, {join_types(value_types)}]"]
    return None


def _display(
    solver: Solver,
    expr: ast.Tuple | ast.List | ast.Set | ast.Dict,
    frame: Frame,
    depth: int,
) -> list[str] | None:
    """A tuple, list, set or dict display, from its elements' types."""
    starred = (
        any(isinstance(e, ast.Starred) for e in expr.elts)
        if not isinstance(expr, ast.Dict)
        else False
    )
    if isinstance(expr, ast.Tuple) and not starred:
        items = _elements(solver, expr.elts, frame, depth)
        if not items:
            return None
        return [f"tuple[{', '.join(join_types(i) for i in items)}]"]
    if isinstance(expr, (ast.List, ast.Set, ast.Tuple)):
        items = (
            _unpacked(solver, expr.elts, frame, depth)
            if starred
            else _elements(solver, expr.elts, frame, depth)
        )
        if not items:
            return None
        joined = join_types([t for i in items for t in i])
        if isinstance(expr, ast.Tuple):
            return [f"tuple[{joined}, ...]"]
        kind = "list" if isinstance(expr, ast.List) else "set"
        return [f"{kind}[{joined}]"]
    if any(k is None for k in expr.keys):
        return None  # ``{**other}``
    keys = _elements(solver, [k for k in expr.keys if k], frame, depth)
    values = _elements(solver, expr.values, frame, depth)
    if not keys or not values:
        return None
    key = join_types([t for i in keys for t in i])
    return [f"dict[{key}, {join_types([t for i in values for t in i])}]"]


def _proven(
    solver: Solver, expr: ast.expr, frame: Frame, depth: int
) -> list[str] | None:
    found = solver.types_of(expr, frame, depth + 1)
    return found if found and complete(found) else None


def _elements(
    solver: Solver, elts: list[ast.expr], frame: Frame, depth: int
) -> list[list[str]] | None:
    """The proven types of each element (None: empty, starred, too many, unknown)."""
    if not 0 < len(elts) <= MAX_ELEMENTS or any(
        isinstance(e, ast.Starred) for e in elts
    ):
        return None
    found: list[list[str]] = []
    for elt in elts:
        types = _proven(solver, elt, frame, depth)
        if types is None:
            return None
        found.append(types)
    return found


def _unpacked(
    solver: Solver, elts: list[ast.expr], frame: Frame, depth: int
) -> list[list[str]] | None:
    """The proven types of each element, a ``*iterable``'s being its items'."""
    if len(elts) > MAX_ELEMENTS:
        return None
    found: list[list[str]] = []
    for elt in elts:
        if isinstance(elt, ast.Starred):
            types = items_of(solver, elt.value, frame, depth)
        else:
            types = _proven(solver, elt, frame, depth)
        if not types:
            return None
        found.append(types)
    return found or None


def _operands(
    solver: Solver, expr: ast.BoolOp, frame: Frame, depth: int
) -> list[str] | None:
    """The types of ``a or b``/``a and b``: one of its operands.

    ``or`` never gives a ``None`` but the last operand's (``None`` is false).
    """
    parts: list[str] = []
    kinds: list[str] = []
    last = len(expr.values) - 1
    for index, value in enumerate(expr.values):
        kind = empty_kind(value)
        if kind is not None and index == last:
            kinds.append(kind)  # ``items or []``: takes the others' type
            continue
        found = solver.types_of(value, frame, depth + 1)
        if found is None:
            return None
        if isinstance(expr.op, ast.Or) and index < last:
            found = [t for t in found if t != "None"]
        parts.extend(found)
    if kinds and not (parts and absorbed(kinds, parts)):
        return None
    return parts


def _subscript(
    solver: Solver, expr: ast.Subscript, frame: Frame, depth: int
) -> list[str] | None:
    """An item or slice of a value whose every possible type is a builtin.

    An instance of a project class deriving from ``str`` or ``bytes`` that
    does not define ``__getitem__`` counts as that builtin
    (:func:`~._library_bases.text_base`).
    """
    if _enumerated_index(solver, expr, frame):
        return ["int"]  # ``for i, x in enumerate(anything)``: ``i``
    index = _constant_int(expr.slice)
    if isinstance(expr.value, ast.Name) and index is not None:
        held = solver.names.global_item_types(expr.value.id, index, frame, depth)
        if held is not None:
            return held  # ``HELLO[0]`` of a module's ``HELLO = (Command(), ...)``
    receiver = _proven(solver, expr.value, frame, depth)
    if receiver is None:
        return None
    found: list[str] = []
    for member in receiver:
        base = (
            text_base(solver.index, member[1:], "__getitem__")
            if member.startswith("~")
            else None
        )
        item = _item_type(base or member, expr.slice)
        if item is None:
            return None
        found.extend(split_union(item))
    return found


def _enumerated_index(solver: Solver, expr: ast.Subscript, frame: Frame) -> bool:
    """Whether *expr* is the count ``enumerate`` gives with each item.

    The index a loop over the builtin ``enumerate(x)`` binds first is an
    ``int`` whatever ``x`` holds (no ``start`` of unknown type).
    """
    value = expr.value
    if not isinstance(value, ItemOf) or _constant_int(expr.slice) != 0:
        return False
    call = value.iterable
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == "enumerate"
        and 1 <= len(call.args) <= 2
        and not any(isinstance(a, ast.Starred) for a in call.args)
        and all(k.arg == "start" for k in call.keywords)
    ):
        return False
    name = call.func.id
    scope = solver.index.scopes.get(frame.module)
    if name in frame.local or name in frame.params or (scope and name in scope.names):
        return False  # not the builtin
    starts = [*call.args[1:], *(k.value for k in call.keywords)]
    return all(solver.types_of(s, frame, 1) == ["int"] for s in starts)


def _item_type(member: str, index: ast.expr) -> str | None:
    """The type ``value[index]`` has for a value of type *member*, or None."""
    sliced = isinstance(index, ast.Slice)
    name, _, rest = member.partition("[")
    args = arguments(rest[:-1]) if rest.endswith("]") else []
    if name == "str" and not rest:
        return "str"
    if name == "os._Environ" and len(args) == 1 and not sliced:
        return args[0]
    if name in ("bytes", "bytearray") and not rest:
        return name if sliced else "int"
    if name == "list" and len(args) == 1:
        return member if sliced else args[0]
    if name == "dict" and len(args) == 2 and not sliced:
        return args[1]
    position = _constant_int(index)
    if (
        name == "tuple"
        and args
        and "..." not in args
        and position is not None
        and -len(args) <= position < len(args)
    ):
        return args[position]
    return None


def _constant_int(index: ast.expr) -> int | None:
    """``2`` for ``2``, ``-1`` for ``-1``; None for anything else."""
    sign = 1
    if isinstance(index, ast.UnaryOp) and isinstance(index.op, ast.USub):
        sign, index = -1, index.operand
    if isinstance(index, ast.Constant) and type(index.value) is int:
        return sign * index.value
    return None


#: Builtins that collect the items of one iterable, by the container they give.
_COLLECTORS = {
    "list": "list[{}]",
    "sorted": "list[{}]",
    "set": "set[{}]",
    "frozenset": "frozenset[{}]",
    "tuple": "tuple[{}, ...]",
}


def collection_types(solver: Solver, call: ast.Call, frame: Frame) -> list[str] | None:
    """``list(x)``, ``sorted(x)``, ``set(x)``... of a proven iterable *x*.

    The caller has checked that the name is the builtin (not shadowed).
    """
    func = call.func
    pattern = _COLLECTORS.get(func.id) if isinstance(func, ast.Name) else None
    if pattern is None or len(call.args) != 1 or isinstance(call.args[0], ast.Starred):
        return None
    if any(k.arg is None for k in call.keywords):
        return None
    items = items_of(solver, call.args[0], frame, 0)
    return None if items is None else [pattern.format(join_types(items))]


def items_of(
    solver: Solver, iterable: ast.expr, frame: Frame, depth: int
) -> list[str] | None:
    """The types of the items iterating *iterable* gives, or None."""
    found = _proven(solver, iterable, frame, depth)
    if found is None:
        return None
    items: list[str] = []
    for member in found:
        item = iterated(member)
        if item is None:
            return None
        items.extend(split_union(item))
    return items


#: Generic iterables whose items are their first type argument.
_FIRST_ARGUMENT = frozenset(
    {
        "list",
        "set",
        "frozenset",
        "dict",
        "Generator",
        "Iterator",
        "Iterable",
        "reversed",
        "zip",
        "KeysView",
        "ValuesView",
        "Sequence",
        "MutableSequence",
        "Collection",
        "AbstractSet",
        "MutableSet",
        "Mapping",
        "MutableMapping",
        "Reversible",
        "deque",
        "defaultdict",
        "OrderedDict",
        "Counter",
    }
)


def iterated(member: str) -> str | None:
    """The type of the items iterating a value of type *member* gives, or None."""
    name, _, rest = member.partition("[")
    args = arguments(rest[:-1]) if rest.endswith("]") else []
    if not rest and name in ("str", "bytes", "range"):
        return {"str": "str", "bytes": "int", "range": "int"}[name]
    if not rest and name in OBJECT_ITEMS:
        return OBJECT_ITEMS[name]
    if (name in _FIRST_ARGUMENT or name == "os._Environ") and args:
        return args[0]
    if name in ("enumerate", "ItemsView") and args:
        return (
            f"tuple[int, {args[0]}]"
            if name == "enumerate"
            else f"tuple[{', '.join(args)}]"
        )
    if name == "tuple" and args:
        kept = [a for a in args if a != "..."]
        return join_types(kept) if kept else None
    return None


#: Builtins whose call without arguments is an empty container.
_EMPTY_CALLS = frozenset({"list", "dict", "set", "tuple"})


def empty_kind(expr: ast.expr) -> str | None:
    """``list``/``dict``/``set``/``tuple`` for an empty display or call, else None.

    ``[]``, ``{}``, ``()``, ``list()``, ``dict()``, ``set()``, ``tuple()``.
    """
    if isinstance(expr, (ast.List, ast.Tuple, ast.Set)) and not expr.elts:
        return type(expr).__name__.lower()
    if isinstance(expr, ast.Dict) and not expr.keys:
        return "dict"
    if (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Name)
        and expr.func.id in _EMPTY_CALLS
        and not expr.args
        and not expr.keywords
    ):
        return expr.func.id
    return None


def absorbed(kinds: list[str], found: list[str]) -> bool:
    """Whether an empty container of each of *kinds* is a value of a type in *found*.

    An empty list is a ``list[T]`` whatever ``T``; likewise a dict, a set;
    an empty tuple is a ``tuple[T, ...]`` (never a ``tuple[A, B]``).
    """
    for kind in kinds:
        if kind == "tuple":
            fits = any(t.startswith("tuple[") and t.endswith(", ...]") for t in found)
        else:
            fits = any(t.startswith(f"{kind}[") for t in found)
        if not fits:
            return False
    return True


def join_with_empty(
    solver: Solver, values: list[ast.expr], frame: Frame, depth: int
) -> list[str] | None:
    """The types of one of *values*, empty containers taking the others' types.

    ``[x] if flag else []``, ``items or {}``: the empty display adds no
    type when another value is a container of its kind (:func:`absorbed`);
    otherwise, or when a value is not proven, None.
    """
    parts: list[str] = []
    kinds: list[str] = []
    for value in values:
        kind = empty_kind(value)
        if kind is not None:
            kinds.append(kind)
            continue
        found = solver.types_of(value, frame, depth + 1)
        if found is None:
            return None
        parts.extend(found)
    if kinds and not (parts and absorbed(kinds, parts)):
        return None
    return parts
