"""Type names both engines write: unions, literals, containers, iterators.

No astroid and no :mod:`ast` here (see :mod:`._rules`): the walker and
the oracle find the types of values in their own trees and join, wrap and
compare them as plain strings with these functions, so that both write the
same type for the same evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence, Sized
from typing import TypeVar

from sphinxcontrib_aidoc.analyze._rules import last_part
from sphinxcontrib_aidoc.model import Returns

#: Names of generic iterator annotations whose first argument is the item type.
ITERATOR_ANNOTATIONS = frozenset(
    {
        "Iterator",
        "Iterable",
        "Generator",
        "AsyncIterator",
        "AsyncIterable",
        "AsyncGenerator",
    }
)
#: Methods that only lists have (so a call on a parameter says "list").
#: Builtin classes whose call, as a default value, gives that class.
BUILTIN_CONSTRUCTORS = frozenset({"list", "dict", "set", "tuple", "frozenset"})
#: Types of literal constants a default value's type is read from.
DEFAULT_TYPES = frozenset({"int", "float", "str", "bytes", "bool"})
#: What special methods of fixed protocols return (Python requires it).
PROTOCOL_RETURNS: dict[str, str] = {
    "__len__": "int",
    "__length_hint__": "int",
    "__hash__": "int",
    "__index__": "int",
    "__int__": "int",
    "__sizeof__": "int",
    "__float__": "float",
    "__complex__": "complex",
    "__bool__": "bool",
    "__contains__": "bool",
    "__str__": "str",
    "__repr__": "str",
    "__format__": "str",
    "__bytes__": "bytes",
}
#: Types a parameter's default proves (see ``_facts._param_type``).
SCALAR_TYPES = DEFAULT_TYPES
#: Types of constants a returned or inferred value's type is read from.
CONST_TYPES = DEFAULT_TYPES | {"complex"}
#: Syntax node classes (by name, the same in astroid and ast) of a default
#: value whose type the syntax fixes.
DEFAULT_CONTAINERS: dict[str, str] = {
    "List": "list",
    "ListComp": "list",
    "Tuple": "tuple",
    "Dict": "dict",
    "DictComp": "dict",
    "Set": "set",
    "SetComp": "set",
    "JoinedStr": "str",
}
#: Expression node classes (by name) whose value's type the syntax fixes.
SYNTAX_TYPES: dict[str, str] = {
    "ListComp": "list",
    "SetComp": "set",
    "DictComp": "dict",
    "JoinedStr": "str",
}
#: Builtins whose call always gives one type, whatever the arguments.
BUILTIN_RESULTS: dict[str, str] = {
    **dict.fromkeys(("len", "hash", "id", "ord", "int"), "int"),
    **dict.fromkeys(
        ("str", "repr", "ascii", "chr", "hex", "oct", "bin", "format"), "str"
    ),
    **dict.fromkeys(
        ("bool", "callable", "isinstance", "issubclass", "hasattr", "any", "all"),
        "bool",
    ),
    "float": "float",
    "bytes": "bytes",
    "bytearray": "bytearray",
    "sorted": "list",
}
#: Elements of a container literal looked at to find a uniform element type.
MAX_ELEMENTS = 16
#: A syntax node (either engine's).
N = TypeVar("N")


#: How each bracket changes the nesting depth of a type's text.
_DEPTH = {"[": 1, "(": 1, "]": -1, ")": -1}


def split_union(text: str) -> list[str]:
    """Split ``A | B[C | D]`` at top-level ``|`` into ``["A", "B[C | D]"]``."""
    if "|" not in text:  # (most types: no union to split)
        stripped = text.strip()
        return [stripped] if stripped else []
    parts: list[str] = []
    depth = 0
    current = ""
    for char in text:
        depth += _DEPTH.get(char, 0)
        if char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return [p for p in parts if p]


def join_types(parts: list[str]) -> str:
    """Join type names with `` | ``: deduplicated, sorted, ``None`` last.

    A bare name absorbs its subscripted forms: ``tuple | tuple[int, str]``
    is ``tuple`` (what one branch gives is not known more precisely).
    Tuples of one item type and different lengths are one variadic tuple:
    ``tuple[str] | tuple[str, str]`` is ``tuple[str, ...]``.
    """
    names = {p for p in parts if p != "None"}
    names = {n for n in names if n.partition("[")[0] not in names or "[" not in n}
    joined = sorted(_variadic(names))
    if "None" in parts:
        joined.append("None")
    return " | ".join(joined)


def arguments(text: str) -> list[str]:
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


def _variadic(names: set[str]) -> set[str]:
    """*names* with its tuples of one item type merged into ``tuple[T, ...]``."""
    tuples = {n for n in names if n.startswith("tuple[") and n.endswith("]")}
    if len(tuples) < 2:
        return names
    items = {
        item
        for t in tuples
        for item in arguments(t[len("tuple[") : -1])
        if item != "..."
    }
    if len(items) != 1:
        return names
    return (names - tuples) | {f"tuple[{items.pop()}, ...]"}


def join_all(found: Iterable[list[str] | None]) -> str | None:
    """:func:`join_types` of several values' types; None once one is unknown."""
    parts: list[str] = []
    for types in found:
        if types is None:
            return None
        parts.extend(types)
    return join_types(parts)


def inferred_returns(found: str | None, *, falls_off: bool, evidence: str) -> Returns:
    """The returns of a plain function from its ``return`` values' types.

    Args:
        found: The joined types of every ``return`` (None: unknown).
        falls_off: Whether control can reach the end of the body (``None``).
        evidence: What found the types (``"syntax"`` or ``"inference"``).
    """
    if found is None:
        return Returns(None, inferred=True)
    parts = split_union(found)
    if falls_off:
        parts.append("None")  # control can fall off the end
    return Returns(join_types(parts) or "None", inferred=True, evidence=evidence)


def iterator_item(
    name: str, args: Sequence[N], text: Callable[[N], str | None]
) -> tuple[str, str] | None:
    """For ``Iterator[T]``-like annotations, ``(T, R)``; R is the return type.

    Args:
        name: The subscripted name (``typing.Generator``).
        args: The subscript's arguments.
        text: An argument's annotation text.

    Returns:
        None unless *name* is an iterator type; R is ``Generator[Y, S, R]``'s
        third argument, ``""`` for other forms.
    """
    kind = last_part(name)
    if kind not in ITERATOR_ANNOTATIONS:
        return None
    item = text(args[0]) or ""
    ret = ""
    if kind == "Generator" and len(args) == 3:
        ret = text(args[2]) or ""
    return item, ret


def constant_type(value: object, types: frozenset[str] = CONST_TYPES) -> str | None:
    """The type of a constant (``"None"`` for None), if among *types*."""
    if value is None:
        return "None"
    name = type(value).__name__
    return name if name in types else None


def sized(elts: Sized) -> bool:
    """Whether a container literal is small enough to type its elements."""
    return 0 < len(elts) <= MAX_ELEMENTS


def one_type(names: Iterable[str | None]) -> str | None:
    """The one type all elements share, or None (mixed, or one unknown)."""
    found = set(names)
    if len(found) != 1 or None in found:
        return None
    return found.pop()


def class_type(qualname: str) -> str:
    """How a class is written as a type: ``~pkg.mod.Class``.

    Module-qualified, so that Sphinx resolves it without ambiguity, and
    shown by its last name (the ``~``).
    """
    return f"~{qualname}"


def container_type(container: str, element: str | None) -> str:
    """``list[int]`` for a uniform element type, else the bare container."""
    return f"{container}[{element}]" if element else container


def tuple_type(names: Sequence[str | None]) -> str:
    """``tuple[int, str]`` when every element's type is known, else ``tuple``."""
    if any(n is None for n in names):
        return "tuple"
    return f"tuple[{', '.join(n for n in names if n)}]"


def dict_type(keys: str | None, values: str | None) -> str:
    """``dict[K, V]`` for uniform keys and values, else what is known.

    Uniform keys with values of several or unknown types (a record such as
    ``{"name": ..., "size": ...}``) give ``dict[K, typing.Any]``: a claim
    about the keys, none about the values.
    """
    if keys and values:
        return f"dict[{keys}, {values}]"
    return f"dict[{keys}, typing.Any]" if keys else "dict"
