"""Containers a function builds and returns: their element types, by syntax.

``rows = []`` then ``rows.append(row)`` in a loop, then ``return rows``:
inference sees the empty list it was bound to and says ``list``. Read from
the function's own statements, the list holds what was appended, so its
type is ``list[T]`` for the types of the appended values.

The rule is conservative. The name must be bound exactly once, to an empty
``[]``/``{}``/``list()``/``dict()``/``set()``, and used only to add to it
(``append``, ``insert``, ``add``, ``name[k] = v``; ``extend``, a set's
``update`` or ``+=`` with a display, a comprehension or a value whose
proven type fixes its items; a dict's ``setdefault(k, [])`` with what the
same expression appends to the new item), to read it (``len()``, iteration, ``in``, indexing,
truth tests, methods that do not add), to return it, or to hand it to a
call as the function returns (``return Headers(rows)``: what the callee
adds, the function never reads). Passed anywhere else, it could be
filled there, and nothing is claimed. Every added value
must have a known type.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from sphinxcontrib_aidoc.analyze._displays import empty_kind, iterated
from sphinxcontrib_aidoc.analyze._nodes import child_nodes, walk
from sphinxcontrib_aidoc.analyze._type_rules import arguments, join_types, split_union

#: The types of one expression, or None when unknown.
TypesOf = Callable[[ast.expr], list[str] | None]

_EMPTY_CALLS = {"list": "list", "dict": "dict", "set": "set"}
#: Methods that add their argument(s) to the container.
_ADDERS = frozenset({"append", "insert", "add", "extend"})
#: What ``name.setdefault(key, []).method(x)`` may add to a new item, by kind.
_ITEM_ADDERS = {"list": ("append", "extend"), "set": ("add",)}
#: Methods that read or remove but never add.
_READERS = frozenset(
    {
        "copy",
        "count",
        "index",
        "pop",
        "remove",
        "discard",
        "clear",
        "sort",
        "reverse",
        "get",
        "keys",
        "values",
        "items",
        "__len__",
    }
)
#: Builtins that read an argument without keeping it.
_READING_CALLS = frozenset(
    {"len", "bool", "sorted", "list", "tuple", "set", "frozenset", "any", "all"}
)
_SIMPLE_PARENTS = (ast.Return, ast.Compare, ast.If, ast.While, ast.BoolOp, ast.UnaryOp)


class _NotProvenError(Exception):
    """The container's content cannot be proven."""


def built_type(name: str, own: list[ast.AST], types_of: TypesOf) -> str | None:
    """The type of the container *name* a function built, or None.

    Args:
        name: The returned local name.
        own: The function's own nodes (:func:`._nodes.own_nodes`).
        types_of: The types of an added value (None: unknown).
    """
    kind = _bound_empty(name, own)
    if kind is None:
        return None
    content = _read_uses(_Content(kind, own, types_of), name, own)
    return None if content is None else content.type()


class _Syntax:
    """What the syntax of one function's nodes says, read once (see :func:`_read`)."""

    def __init__(self, own: list[ast.AST]) -> None:
        self.own = own  # held: its id stays this function's
        self.kinds: dict[str, str | None] = {}
        self._parents: dict[int, ast.AST] | None = None
        self._adds: frozenset[str] | None = None

    @property
    def adds(self) -> frozenset[str]:
        """Local names the function adds items to (``name.append(x)``, ``name[k] = v``)."""
        if self._adds is None:
            found: set[str] = set()
            for node in self.own:
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr in MUTATORS
                    and isinstance(node.value, ast.Name)
                ) or (
                    isinstance(node, ast.Subscript)
                    and isinstance(node.ctx, ast.Store)
                    and isinstance(node.value, ast.Name)
                ):
                    found.add(node.value.id)
            self._adds = frozenset(found)
        return self._adds

    @property
    def parents(self) -> dict[int, ast.AST]:
        if self._parents is None:
            self._parents = {id(c): n for n in self.own for c in child_nodes(n)}
        return self._parents


#: Syntax read per function (by the id of its node list); bounded.
_READ: dict[int, _Syntax] = {}
_MAX_READ = 2048


def _read(own: list[ast.AST]) -> _Syntax:
    found = _READ.get(id(own))
    if found is None or found.own is not own:
        if len(_READ) >= _MAX_READ:
            _READ.clear()
        found = _READ[id(own)] = _Syntax(own)
    return found


def _bound_empty(name: str, own: list[ast.AST]) -> str | None:
    """:func:`_bound_once_empty`, read once per function and name."""
    kinds = _read(own).kinds
    if name not in kinds:
        kinds[name] = _bound_once_empty(name, own)
    return kinds[name]


def _bound_once_empty(name: str, own: list[ast.AST]) -> str | None:
    """``list``/``dict``/``set`` when *name* is bound once, to an empty one."""
    found: str | None = None
    for node in own:
        if (
            isinstance(node, ast.Name)
            and node.id == name
            and isinstance(node.ctx, ast.Del)
        ):
            return None
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.For, ast.AsyncFor)):
            targets = [node.target]
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            targets = [i.optional_vars for i in node.items if i.optional_vars]
        elif isinstance(node, ast.NamedExpr):
            targets = [node.target]
        bound = [
            n
            for t in targets
            for n in walk(t)
            if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
        ]
        if not bound:
            continue
        value = getattr(node, "value", None)
        if (
            found is not None
            or not isinstance(node, ast.Assign)
            or bound != node.targets
        ):
            return None
        found = _empty_kind(value)
        if found is None:
            return None
    return found


def _empty_kind(value: ast.expr | None) -> str | None:
    if isinstance(value, ast.List) and not value.elts:
        return "list"
    if isinstance(value, ast.Dict) and not value.keys:
        return "dict"
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and not value.args
        and not value.keywords
    ):
        return _EMPTY_CALLS.get(value.func.id)
    return None


class _Content:
    """What the uses of one built container add to it."""

    def __init__(self, kind: str, own: list[ast.AST], types_of: TypesOf) -> None:
        self.kind = kind
        self.parents = _read(own).parents
        self.types_of = types_of
        self.keys: list[str] = []
        self.values: list[str] = []

    def type(self) -> str:
        """``list[T]``, ``dict[K, V]``... (bare when nothing is added)."""
        if not self.values and not self.keys:
            return self.kind  # nothing added: the element type is not known
        if self.kind == "dict":
            return f"dict[{join_types(self.keys)}, {join_types(self.values)}]"
        return f"{self.kind}[{join_types(self.values)}]"

    def use(self, node: ast.Name) -> None:
        """Record what one use adds; raise :class:`_NotProvenError` if unsafe."""
        parent = self.parents.get(id(node))
        if isinstance(parent, ast.AugAssign) and parent.target is node:
            if self.kind != "list" or not isinstance(parent.op, ast.Add):
                raise _NotProvenError
            self._add_items(parent.value)
        elif isinstance(node.ctx, ast.Store):
            return  # the one binding
        elif isinstance(parent, ast.Attribute):
            self._method(parent)
        elif isinstance(parent, ast.Subscript) and parent.value is node:
            self._item(parent)
        elif isinstance(parent, ast.Call) and node in parent.args:
            if not (
                isinstance(parent.func, ast.Name) and parent.func.id in _READING_CALLS
            ) and not self._handed_on_last(parent, node):
                raise _NotProvenError
        elif not (
            isinstance(parent, (ast.For, ast.comprehension)) and parent.iter is node
        ) and not isinstance(parent, _SIMPLE_PARENTS):
            raise _NotProvenError

    def _handed_on_last(self, call: ast.Call, node: ast.Name) -> bool:
        """``return Headers(rows)``: passed on as the function returns.

        What the callee then adds, the function never reads: the value
        passed holds what the function added (the name read once there).
        """
        returned = self.parents.get(id(call))
        return (
            isinstance(returned, ast.Return)
            and returned.value is call
            and sum(isinstance(n, ast.Name) and n.id == node.id for n in ast.walk(call))
            == 1
        )

    def _method(self, attribute: ast.Attribute) -> None:
        call = self.parents.get(id(attribute))
        if not isinstance(call, ast.Call) or call.func is not attribute:
            raise _NotProvenError
        if attribute.attr in _READERS:
            return
        if attribute.attr == "setdefault" and self.kind == "dict":
            self._set_default(call)
            return
        if attribute.attr == "update" and self.kind == "set" and not call.keywords:
            for argument in call.args:
                self._add_items(argument)
            return
        if attribute.attr not in _ADDERS or self.kind == "dict":
            raise _NotProvenError
        if attribute.attr == "extend":
            self._add_items(call.args[0] if call.args else None)
        else:
            self._add(call.args[-1:])

    def _set_default(self, call: ast.Call) -> None:
        """``name.setdefault(key, default)``, and what is added to the item.

        ``groups.setdefault(key, []).append(value)``: the item is a list of
        what is appended (``add`` for a set, ``extend`` for a list); the
        item used any other way, only a default that is not empty.
        """
        if len(call.args) != 2 or call.keywords:
            raise _NotProvenError
        key, default = call.args
        self.keys.extend(_known(self.types_of(key)))
        kind = _empty_kind(default)
        if kind is None:
            self.values.extend(_known(self.types_of(default)))
            return
        method = self.parents.get(id(call))
        outer = self.parents.get(id(method))
        if (
            kind == "dict"
            or not isinstance(method, ast.Attribute)
            or not isinstance(outer, ast.Call)
            or outer.func is not method
            or method.attr not in _ITEM_ADDERS[kind]
            or len(outer.args) != 1
            or outer.keywords
        ):
            raise _NotProvenError
        added = _Content(kind, [], self.types_of)
        added.parents = self.parents
        if method.attr == "extend":
            added._add_items(outer.args[0])
        else:
            added._add(outer.args)
        self.values.append(added.type())

    def _item(self, subscript: ast.Subscript) -> None:
        if not isinstance(subscript.ctx, ast.Store):
            return  # reading an item
        assign = self.parents.get(id(subscript))
        if self.kind != "dict" or not isinstance(assign, ast.Assign):
            raise _NotProvenError
        self.keys.extend(_known(self.types_of(subscript.slice)))
        self.values.extend(_known(self.types_of(assign.value)))

    def _add(self, added: list[ast.expr]) -> None:
        for value in added:
            self.values.extend(_known(self.types_of(value)))

    def _add_items(self, iterable: ast.expr | None) -> None:
        """Add the items of *iterable* (``extend``, ``update``, ``+=``).

        A display adds its elements, a comprehension its element expression,
        any other value the items its proven type gives when iterated.
        """
        if isinstance(iterable, (ast.List, ast.Tuple, ast.Set)):
            self._add(_literal_items(iterable))
        elif isinstance(iterable, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            self._add([iterable.elt])
        elif iterable is None or isinstance(iterable, ast.Starred):
            raise _NotProvenError
        else:
            for type_ in _known(self.types_of(iterable)):
                item = iterated(type_)
                if item is None:
                    raise _NotProvenError
                self.values.extend(split_union(item))


def _literal_items(value: ast.expr | None) -> list[ast.expr]:
    if isinstance(value, (ast.List, ast.Tuple, ast.Set)) and not any(
        isinstance(e, ast.Starred) for e in value.elts
    ):
        return list(value.elts)
    raise _NotProvenError


def _known(types: list[str] | None) -> list[str]:
    if not types:
        raise _NotProvenError
    return types


#: Methods that put an item into a list, set or dict.
MUTATORS = frozenset({*_ADDERS, "update", "setdefault", "__setitem__", "__iadd__"})


def added_types(
    name: str, kind: str, own: list[ast.AST], types_of: TypesOf
) -> list[str] | None:
    """The types of what a function adds to its local container *name*, or None.

    *name* is bound (maybe more than once) and used as :func:`built_type`
    requires of a container it builds; None when a use is not one of those
    (passed to a call, aliased) or an added value is not proven. A ``dict``
    gives its added values' types, a ``list``/``set`` its items'.
    """
    content = _read_uses(_Content(kind, own, types_of), name, own)
    return None if content is None else content.values


def keeps_items(
    name: str,
    values: list[ast.expr],
    found: list[str],
    own: list[ast.AST],
    types_of: TypesOf,
) -> bool:
    """Whether a local some of whose *values* are empty holds only *found* items.

    What the function adds to it (``append``...) must be of the item types
    *found* already gives, and it is never passed on or aliased
    (:func:`added_types`). True when no value is an empty container.
    """
    kinds = {k for k in map(empty_kind, values) if k is not None}
    if not kinds:
        return True
    if kinds - {"list", "set", "dict"} or len(kinds) > 1:
        return False
    kind = kinds.pop()
    added = added_types(name, kind, own, types_of)
    if added is None:
        return False
    items = [iterated(t) if kind != "dict" else _value_of(t) for t in found]
    return all(
        item is not None and set(added) <= set(split_union(item)) for item in items
    )


def widened(
    name: str, found: list[str], own: list[ast.AST], types_of: TypesOf
) -> list[str]:
    """*found* (a local's types) with what the function adds to it.

    ``rows = [first]`` then ``rows.append(other)``: each ``list[X]``,
    ``set[X]`` or ``dict[K, V]`` among *found* takes the types added by the
    uses :func:`built_type` reads; when one is not proven (or a use may add
    anything: the name passed to a call), its bare kind. Unchanged when the
    function adds nothing to *name*.
    """
    if name not in _read(own).adds:
        return found
    out: list[str] = []
    for type_ in found:
        kind, _, rest = type_.partition("[")
        args = arguments(rest[:-1]) if rest.endswith("]") else []
        if kind not in _EMPTY_CALLS or len(args) != (2 if kind == "dict" else 1):
            out.append(type_)
            continue
        content = _read_uses(_Content(kind, own, types_of), name, own)
        if content is None:
            out.append(kind)
        elif kind == "dict":
            keys = join_types([*split_union(args[0]), *content.keys])
            values = join_types([*split_union(args[1]), *content.values])
            out.append(f"dict[{keys}, {values}]")
        else:
            out.append(
                f"{kind}[{join_types([*split_union(args[0]), *content.values])}]"
            )
    return out


def _value_of(type_: str) -> str | None:
    """``V`` of ``dict[K, V]``, else None."""
    name, _, rest = type_.partition("[")
    args = arguments(rest[:-1]) if name == "dict" and rest.endswith("]") else []
    return args[1] if len(args) == 2 else None


def _read_uses(content: _Content, name: str, own: list[ast.AST]) -> _Content | None:
    """*content* after every use of *name* in *own*; None if one is not proven."""
    try:
        for node in own:
            if isinstance(node, ast.Name) and node.id == name:
                content.use(node)
    except _NotProvenError:
        return None
    return content
