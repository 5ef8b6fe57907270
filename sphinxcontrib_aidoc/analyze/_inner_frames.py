"""Where else a project's calls are: nested functions, and calls meant to fail.

The call-site reader (:mod:`._callsites`) reads the calls of every project
function and test; :func:`nested_frames` adds the functions nested in
project functions (callbacks, closures), whose calls would otherwise be
unseen and leave their callees open. :func:`expected_to_raise` names the
calls a test makes inside ``with pytest.raises(...)`` (or
``self.assertRaises(...)``): they pass what the function rejects, so they
are no evidence of what it takes.
"""

from __future__ import annotations

import ast
from bisect import bisect_right
from collections import ChainMap
from collections.abc import Iterable, Iterator, Mapping, MutableMapping

from sphinxcontrib_aidoc.analyze._frame import Frame, Returned, _locals, filled_default
from sphinxcontrib_aidoc.analyze._index import Definition
from sphinxcontrib_aidoc.analyze._nodes import (
    BLOCKS,
    FUNCTIONS,
    SCOPES,
    body_of,
    child_nodes,
    child_statements,
    own_nodes,
    walk,
)
from sphinxcontrib_aidoc.analyze._type_rules import join_types, split_union

#: Context managers a test wraps a call in when the call must raise.
_RAISES = frozenset({"raises", "assertRaises", "assertRaisesRegex"})


def expected_to_raise(own: list[ast.AST]) -> set[int]:
    """Ids of the calls under a ``with`` of :data:`_RAISES` (its body only)."""
    found: set[int] = set()
    for node in own:
        if isinstance(node, (ast.With, ast.AsyncWith)) and any(
            isinstance(item.context_expr, ast.Call)
            and _last(item.context_expr.func) in _RAISES
            for item in node.items
        ):
            found.update(
                id(n)
                for stmt in node.body
                for n in walk(stmt)
                if isinstance(n, ast.Call)
            )
    return found


def _last(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def nested_frames(frames: Iterable[Frame]) -> Iterator[Frame]:
    """Frames of the functions nested in project functions (callbacks, closures).

    Their own parameters are of unknown type (unless their calls tell:
    :mod:`._local_calls`). A name the enclosing function binds holds one of
    the values it binds there, read in the enclosing frame (:func:`closed`),
    and its parameters and ``self``, when neither it nor the nested
    function rebinds them, the value the enclosing call received, so the
    enclosing frame's types hold (read live: :attr:`Frame.params` of the
    nested frame chains to the enclosing one's, as the project pass proves
    or assumes them).
    """
    for frame in frames:
        if frame.definition is not None:
            yield from _nested_in(frame)


def closed(enclosing: Frame, name: str, shared: set[str]) -> list[ast.expr] | None:
    """What a nested function reads as *name*, bound by *enclosing*: or None.

    A closure reads the value the enclosing function bound last, so one of
    the values it binds (a :class:`~._frame.Returned` read in *enclosing*),
    when it binds the name plainly, it is none of its parameters, and no
    function in it declares the name ``nonlocal`` (*shared*).
    """
    values = enclosing.local.get(name)
    if not values or name in enclosing.params or name in shared:
        return None
    return [Returned(enclosing, list(values))]


def close_over(frames: Iterable[Frame]) -> None:
    """Give the nested functions of tests the names their enclosing ones bind.

    A test's nested function (a site frame of its own) reads the names of
    the test around it as :func:`closed` tells, and the test's parameters
    as the test's frame types them (a fixture's value, say).
    """
    frames = list(frames)
    by_node = {id(f.definition.node): f for f in frames if f.definition}
    for frame in enclosing_frames(frames):
        node = frame.definition.node if frame.definition else None
        if not isinstance(node, FUNCTIONS):
            continue
        shared = _nonlocal(node)
        for child in nested_functions(node):
            inner = by_node.get(id(child))
            if inner is None:
                continue
            own = _locals(inner.own)
            for name, value in list(inner.local.items()):
                if value is not None or name in own or name in inner.params:
                    continue
                if name in frame.params and name not in frame.local:
                    if name not in shared:
                        read = ast.Name(id=name, ctx=ast.Load())
                        inner.local[name] = [Returned(frame, [read])]
                    continue
                inner.local[name] = closed(frame, name, shared)


def enclosing_frames(frames: Iterable[Frame]) -> list[Frame]:
    """The *frames* whose function has another of *frames* inside it.

    Found by lines (a function's ``def`` within another's), so that only
    those few functions are walked for what is nested in them.
    """
    by_module: dict[str, list[tuple[int, Frame]]] = {}
    for frame in frames:
        node = frame.definition.node if frame.definition else None
        if isinstance(node, FUNCTIONS):
            by_module.setdefault(frame.module, []).append((node.lineno, frame))
    found: list[Frame] = []
    for entries in by_module.values():
        entries.sort(key=lambda e: e[0])
        starts = [line for line, _ in entries]
        for line, frame in entries:
            node = frame.definition.node if frame.definition else None
            end = getattr(node, "end_lineno", None) or line
            after = bisect_right(starts, line)
            if after < len(starts) and starts[after] <= end:
                found.append(frame)
    return found


def nested_functions(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions defined directly in *function*'s body (any block)."""
    stack: list[ast.AST] = list(body_of(function))
    while stack:
        node = stack.pop()
        if isinstance(node, FUNCTIONS):
            yield node
            continue
        if isinstance(node, SCOPES):
            continue
        stack.extend(child_nodes(node))


def _nonlocal(function: ast.AST) -> set[str]:
    """Names some function inside *function* declares ``nonlocal``."""
    return {
        name
        for node in walk(function)
        if isinstance(node, ast.Nonlocal)
        for name in node.names
    }


def _nested_in(enclosing: Frame) -> Iterator[Frame]:
    definition = enclosing.definition
    assert definition is not None
    for child in nested_definitions(enclosing):
        yield from _nested_frame(child, enclosing, definition)


def nested_definitions(
    enclosing: Frame,
) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions *enclosing*'s function defines in its own blocks."""
    definition = enclosing.definition
    assert definition is not None
    for node in [definition.node, *enclosing.own]:
        if not isinstance(node, BLOCKS):
            continue  # a function is defined by a statement in a block
        for child in child_statements(node):
            if isinstance(child, FUNCTIONS):
                yield child


def _nested_frame(
    child: ast.FunctionDef | ast.AsyncFunctionDef,
    enclosing: Frame,
    definition: Definition,
) -> Iterator[Frame]:
    frame = nested_frame(child, enclosing, definition)
    yield frame
    yield from _nested_in(frame)


def nested_frame(
    child: ast.FunctionDef | ast.AsyncFunctionDef,
    enclosing: Frame,
    definition: Definition,
) -> Frame:
    """The frame of *child*, a function nested in *enclosing* (see :func:`nested_frames`)."""
    nodes = own_nodes(child)
    local = _locals(nodes)
    shared = _nonlocal(definition.node)
    for name in enclosing.local:
        local.setdefault(name, closed(enclosing, name, shared))
    arguments = child.args
    own: dict[str, str | None] = {
        a.arg: None
        for a in (
            *arguments.posonlyargs,
            *arguments.args,
            *arguments.kwonlyargs,
            *(a for a in (arguments.vararg, arguments.kwarg) if a),
        )
    }
    # the enclosing parameters it rebinds hold what it assigns: unknown here,
    # but for ``if cls is None: cls = Command`` (the parameter, or that)
    defaulted = _none_defaulted(enclosing, definition.node, child)
    for name, read in defaulted.items():
        local[name] = [read]
    rebound: dict[str, str | None] = {
        n: None for n in enclosing.local if n in enclosing.params and n not in defaulted
    }
    seen: MutableMapping[str, str | None] = enclosing.params
    if defaulted:  # read through the local bound above, not as parameters
        seen = _Without(enclosing.params, frozenset(defaulted))
    params: ChainMap[str, str | None] = ChainMap(own, rebound, seen)
    self_name = enclosing.self_name
    if self_name is not None and (self_name in local or self_name in own):
        self_name = None
    inner = Definition(
        f"{definition.qualname}.<nested>.{child.name}",
        child,
        definition.module,
        None,
    )
    cls = enclosing.cls if self_name is not None else None
    return Frame(inner, definition.module, nodes, cls, self_name, local, params)


def _none_defaulted(
    enclosing: Frame, node: ast.AST, child: ast.AST
) -> dict[str, ast.expr]:
    """Parameters *enclosing* rebinds only by ``if p is None: p = value``, read after it.

    Only such a statement of *node*'s body that comes before the function
    *child* is defined: every call of *child* runs after it.

    What a nested function then reads as ``p`` is the parameter unless it
    is ``None``, else *value*: the parameter's types but ``None`` (read
    under another name, :class:`_NotNone`), with *value*'s as *enclosing*
    reads it. A parameter known to be ``None`` (a specialized frame's) is
    *value* alone; one known never to be, itself alone.
    """
    found: dict[str, ast.expr] = {}
    for stmt in getattr(node, "body", []):
        assign = filled_default(stmt)
        if assign is None or stmt.lineno >= getattr(child, "lineno", 0):
            continue
        target = assign.targets[0]
        assert isinstance(target, ast.Name)
        name = target.id
        if name not in enclosing.params or [
            v is assign.value for v in enclosing.local.get(name) or []
        ] != [True]:
            continue
        held = enclosing.params[name]
        values: list[ast.expr] = []
        if not held or "None" in split_union(held):  # else never rebound
            values.append(Returned(enclosing, [assign.value]))
        if held != "None":
            alias = f"{name} (not None)"
            plain = Frame(
                enclosing.definition,
                enclosing.module,
                [],
                None,
                None,
                {},
                _NotNone(enclosing.params, alias, name),
            )
            values.append(Returned(plain, [ast.Name(id=alias, ctx=ast.Load())]))
        found[name] = Returned(enclosing, values) if len(values) > 1 else values[0]
    return found


class _NotNone(MutableMapping[str, "str | None"]):
    """A live view of one parameter's types but ``None``, under another name."""

    def __init__(self, params: Mapping[str, str | None], alias: str, name: str) -> None:
        self._params = params
        self._alias = alias
        self._name = name

    def __getitem__(self, alias: str) -> str | None:
        if alias != self._alias:
            raise KeyError(alias)
        known = self._params.get(self._name)
        if not known:
            return None
        kept = [t for t in split_union(known) if t != "None"]
        return join_types(kept) if kept else None

    def __iter__(self) -> Iterator[str]:
        return iter((self._alias,))

    def __setitem__(self, name: str, value: str | None) -> None:
        raise TypeError("a read-only view of a frame's parameters")

    def __delitem__(self, name: str) -> None:
        raise TypeError("a read-only view of a frame's parameters")

    def __len__(self) -> int:
        return 1


class _Without(MutableMapping[str, "str | None"]):
    """A live view of a frame's parameters without some of them."""

    def __init__(self, params: Mapping[str, str | None], left: frozenset[str]) -> None:
        self._params = params
        self._left = left

    def __getitem__(self, name: str) -> str | None:
        if name in self._left:
            raise KeyError(name)
        return self._params[name]

    def __iter__(self) -> Iterator[str]:
        return (n for n in self._params if n not in self._left)

    def __setitem__(self, name: str, value: str | None) -> None:
        raise TypeError("a read-only view of a frame's parameters")

    def __delitem__(self, name: str) -> None:
        raise TypeError("a read-only view of a frame's parameters")

    def __len__(self) -> int:
        return sum(1 for _ in self)
