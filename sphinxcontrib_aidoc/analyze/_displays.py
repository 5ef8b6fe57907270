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

from sphinxcontrib_aidoc.analyze._frame import complete
from sphinxcontrib_aidoc.analyze._type_rules import (
    MAX_ELEMENTS,
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
    if isinstance(expr, ast.Tuple):
        items = _elements(solver, expr.elts, frame, depth)
        if not items:
            return None
        return [f"tuple[{', '.join(join_types(i) for i in items)}]"]
    if isinstance(expr, (ast.List, ast.Set)):
        items = _elements(solver, expr.elts, frame, depth)
        if not items:
            return None
        kind = "list" if isinstance(expr, ast.List) else "set"
        return [f"{kind}[{join_types([t for i in items for t in i])}]"]
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


def _operands(
    solver: Solver, expr: ast.BoolOp, frame: Frame, depth: int
) -> list[str] | None:
    """The types of ``a or b``/``a and b``: one of its operands.

    ``or`` never gives a ``None`` but the last operand's (``None`` is false).
    """
    parts: list[str] = []
    last = len(expr.values) - 1
    for index, value in enumerate(expr.values):
        found = solver.types_of(value, frame, depth + 1)
        if found is None:
            return None
        if isinstance(expr.op, ast.Or) and index < last:
            found = [t for t in found if t != "None"]
        parts.extend(found)
    return parts


def _subscript(
    solver: Solver, expr: ast.Subscript, frame: Frame, depth: int
) -> list[str] | None:
    """An item or slice of a value whose every possible type is a builtin."""
    receiver = _proven(solver, expr.value, frame, depth)
    if receiver is None:
        return None
    found: list[str] = []
    for member in receiver:
        item = _item_type(member, expr.slice)
        if item is None:
            return None
        found.extend(split_union(item))
    return found


def _item_type(member: str, index: ast.expr) -> str | None:
    """The type ``value[index]`` has for a value of type *member*, or None."""
    sliced = isinstance(index, ast.Slice)
    name, _, rest = member.partition("[")
    args = _arguments(rest[:-1]) if rest.endswith("]") else []
    if name == "str" and not rest:
        return "str"
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


def _arguments(text: str) -> list[str]:
    """``"str, list[int]"`` split at its top-level commas."""
    parts: list[str] = []
    depth = start = 0
    for position, char in enumerate(text):
        depth += char == "["
        depth -= char == "]"
        if char == "," and depth == 0:
            parts.append(text[start:position].strip())
            start = position + 1
    tail = text[start:].strip()
    return [*parts, tail] if tail else parts


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


def iterated(member: str) -> str | None:
    """The type of the items iterating a value of type *member* gives, or None."""
    name, _, rest = member.partition("[")
    args = _arguments(rest[:-1]) if rest.endswith("]") else []
    if not rest and name in ("str", "bytes", "range"):
        return {"str": "str", "bytes": "int", "range": "int"}[name]
    if name in ("list", "set", "frozenset", "dict") and args:
        return args[0]
    if name == "tuple" and args:
        kept = [a for a in args if a != "..."]
        return join_types(kept) if kept else None
    return None
