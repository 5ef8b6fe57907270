"""Types of arithmetic and string operators on values of builtin types.

The project-wide pass (:mod:`._project`) proves the types of both operands
of ``a + b`` (or ``a += b``); this module says what the operator gives
when every operand type is a builtin whose operator Python fixes:

* numbers (``bool``, ``int``, ``float``, ``complex``): ``+ - * // %`` give
  the wider of the two (``bool`` counts as ``int``), ``/`` gives ``float``
  (``complex`` with a complex operand); bitwise operators on integers give
  ``int`` (``bool`` for ``& | ^`` of two ``bool``);
* ``str`` and ``bytes``: ``+`` of two of the same type, ``*`` by an
  integer, and ``%`` formatting (whatever the right operand) give the same
  type;
* ``list[X] + list[Y]`` gives ``list[X | Y]``, ``list[X] * n`` a ``list[X]``;
* ``text + x`` and ``text % x`` (and ``text += x``) where ``text`` is a
  ``str`` (``bytes``) and ``x`` of unknown type give a ``str`` (``bytes``):
  what ``str.__add__`` and ``str.__mod__`` return, as type checkers read
  them; ``x`` would have to be of a class whose ``__radd__`` (``__rmod__``)
  takes a string and returns something else.

Anything else (a project class that may overload the operator, ``**``
whose result type depends on the values' signs, an unknown operand) is not
claimed: None.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._frame import complete
from sphinxcontrib_aidoc.analyze._stdlib_objects import path_operator
from sphinxcontrib_aidoc.analyze._type_rules import join_types, split_union

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._frame import Augmented, Frame
    from sphinxcontrib_aidoc.analyze._project import Solver

#: Number types, narrowest first (the result of mixing two is the wider).
_NUMBERS = ("bool", "int", "float", "complex")
_INTEGERS = frozenset({"bool", "int"})
_ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Mod)
_BITWISE = (ast.BitAnd, ast.BitOr, ast.BitXor, ast.LShift, ast.RShift)
_TEXT = frozenset({"str", "bytes"})
#: What ``bytearray + x`` accepts (giving a ``bytearray``).
_BUFFERS = frozenset({"bytes", "bytearray"})


def operator_types(
    left: Sequence[str], op: ast.operator, right: Sequence[str]
) -> list[str] | None:
    """The types ``left op right`` may give, or None when not fixed.

    Args:
        left: The proven types of the left operand (a union's members).
        op: The operator.
        right: The proven types of the right operand.
    """
    if not left or not right:
        return None
    found: list[str] = []
    for one in left:
        for other in right:
            result = _result(one, op, other)
            if result is None:
                return None
            found.extend(split_union(result))
    return sorted(set(found), key=found.index)


def _result(left: str, op: ast.operator, right: str) -> str | None:
    """The type of ``left op right`` for one type of each operand."""
    path = path_operator(left, op, right)
    if path is not None:
        return path
    if left in _NUMBERS and right in _NUMBERS:
        return _numbers(left, op, right)
    if left == "bytearray" and isinstance(op, ast.Add) and right in _BUFFERS:
        return left
    if left in _TEXT:
        if isinstance(op, ast.Mod):
            return left  # ``%`` formatting, whatever the right operand
        if isinstance(op, ast.Add) and right == left:
            return left
        if isinstance(op, ast.Mult) and right in _INTEGERS:
            return left
        return None
    if right in _TEXT and isinstance(op, ast.Mult) and left in _INTEGERS:
        return right
    return _lists(left, op, right)


def _numbers(left: str, op: ast.operator, right: str) -> str | None:
    wider = max(_NUMBERS.index(left), _NUMBERS.index(right), 1)
    if isinstance(op, ast.Div):
        return "complex" if wider == 3 else "float"
    if isinstance(op, _ARITHMETIC):
        if wider == 3 and isinstance(op, (ast.FloorDiv, ast.Mod)):
            return None  # a TypeError
        return _NUMBERS[wider]
    if isinstance(op, _BITWISE) and left in _INTEGERS and right in _INTEGERS:
        both_bool = left == right == "bool"
        return (
            "bool"
            if both_bool and not isinstance(op, (ast.LShift, ast.RShift))
            else "int"
        )
    return None


def _lists(left: str, op: ast.operator, right: str) -> str | None:
    item = _list_item(left)
    if item is None:
        return None
    if isinstance(op, ast.Mult) and right in _INTEGERS:
        return left
    other = _list_item(right)
    if isinstance(op, ast.Add) and other is not None:
        return f"list[{join_types([*split_union(item), *split_union(other)])}]"
    return None


def _list_item(text: str) -> str | None:
    """``X`` of ``list[X]``, or None."""
    if text.startswith("list[") and text.endswith("]"):
        return text[5:-1]
    return None


def unary_types(op: ast.unaryop, operand: Sequence[str]) -> list[str] | None:
    """The types ``-x``, ``+x`` or ``~x`` give for the operand's types, or None.

    (``not x`` is always a ``bool``: the syntax fixes it.)
    """
    found: list[str] = []
    for one in operand:
        if one not in _NUMBERS:
            return None
        if isinstance(op, ast.Invert):
            if one not in _INTEGERS:
                return None
            found.append("int")
        elif isinstance(op, (ast.USub, ast.UAdd)):
            found.append("int" if one == "bool" else one)
        else:
            return None
    return sorted(set(found), key=found.index) or None


def operation_types(
    solver: Solver, expr: ast.expr, frame: Frame, depth: int
) -> list[str] | None:
    """The types of ``a op b`` or ``op a`` from its operands' proven types."""
    if isinstance(expr, ast.BinOp):
        left = _proven(solver, expr.left, frame, depth)
        if left is None:
            return None
        right = _proven(solver, expr.right, frame, depth)
        if right is None:
            return _concatenated(left, expr.op)
        return operator_types(left, expr.op, right)
    if isinstance(expr, ast.UnaryOp) and not isinstance(expr.op, ast.Not):
        operand = _proven(solver, expr.operand, frame, depth)
        return None if operand is None else unary_types(expr.op, operand)
    return None


def augmented_types(
    solver: Solver,
    before: list[str],
    updates: list[Augmented],
    frame: Frame,
    depth: int,
) -> list[str] | None:
    """The types of a local that ``name op= value`` statements update.

    *before* are the types of the values it is otherwise bound to; each
    update may apply to any value the name holds (loops repeat them), so
    the updates are applied until the set of types stops growing.
    """
    current = list(before)
    if not current:
        return None
    overloaded = _overloaded(solver, current, updates)
    if overloaded is not None:
        return overloaded
    rights: list[list[str]] = []
    for update in updates:
        right = _right_operand(solver, current, update, frame, depth)
        if right is None:
            return None
        rights.append(right)
    for _ in range(_MAX_UPDATES):
        grown = list(current)
        for update, right in zip(updates, rights, strict=True):
            result = operator_types(current, update.op, right)
            if result is None:
                return None
            grown.extend(t for t in result if t not in grown)
        if len(grown) == len(current):
            return current
        current = grown
    return None


def updated_types(
    solver: Solver, before: list[str], update: Augmented, frame: Frame, depth: int
) -> list[str] | None:
    """The types ``name op= value`` binds, run once with *name* holding *before*.

    Outside a loop the statement runs once: the name then holds the
    operator's result only (:class:`._reaching.Updated`).
    """
    if not before:
        return None
    overloaded = _overloaded(solver, before, [update])
    if overloaded is not None:
        return overloaded
    right = _right_operand(solver, before, update, frame, depth)
    return None if right is None else operator_types(before, update.op, right)


def _right_operand(
    solver: Solver, left: list[str], update: Augmented, frame: Frame, depth: int
) -> list[str] | None:
    """The types the right operand of ``name op= value`` counts as, or None."""
    right = _proven(solver, update.value, frame, depth)
    if right is None and _in_place(left, update.op):
        right = ["bytes"]  # extends the bytearray, or raises: whatever it is
    if right is None:
        right = _concatenated(left, update.op)  # ``text += part``
    return right


#: The in-place method ``name op= value`` calls, by operator.
_IN_PLACE = {
    ast.Add: "__iadd__",
    ast.Sub: "__isub__",
    ast.Mult: "__imul__",
    ast.BitOr: "__ior__",
    ast.BitAnd: "__iand__",
}


def _overloaded(
    solver: Solver, current: list[str], updates: list[Augmented]
) -> list[str] | None:
    """``buf += data`` on instances of project classes defining ``__iadd__``.

    Each class the name may hold (and every project subclass overriding
    it) must define the in-place method, with a proven return type that
    is, again, one of those classes: the name then holds what the methods
    return, whatever the right operand. Otherwise (a builtin value, a
    method inherited from outside the project, one that may return
    ``NotImplemented``): None.
    """
    if not all(t.startswith("~") for t in current):
        return None
    index = solver.index
    found = list(current)
    for update in updates:
        name = _IN_PLACE.get(type(update.op))
        if name is None:
            return None
        for cls in current:
            methods = index.dispatch(cls[1:], name)
            if not methods:
                return None
            for method in methods:
                result = solver.return_type(method)
                if result is None:
                    return None
                found.extend(t for t in split_union(result) if t not in found)
    return found if set(found) == set(current) else None


def _concatenated(left: list[str], op: ast.operator) -> list[str] | None:
    """``text + x`` or ``text % x`` with ``x`` unknown: *left*'s string type, else None."""
    if isinstance(op, (ast.Add, ast.Mod)) and len(set(left)) == 1 and left[0] in _TEXT:
        return [left[0]]
    return None


def _in_place(current: list[str], op: ast.operator) -> bool:
    """Whether ``name += x`` keeps a ``bytearray`` one, whatever ``x`` is."""
    return isinstance(op, ast.Add) and all(t == "bytearray" for t in current)


#: Rounds of applying augmented assignments before giving up.
_MAX_UPDATES = 3


def _proven(
    solver: Solver, expr: ast.expr, frame: Frame, depth: int
) -> list[str] | None:
    found = solver.types_of(expr, frame, depth + 1)
    return found if found and complete(found) else None
