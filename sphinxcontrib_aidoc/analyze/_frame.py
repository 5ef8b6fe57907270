"""What the code of one project function can tell about its names.

The frame of a function (:class:`Frame`) is what the project-wide pass
(:mod:`._project`) reads to type values in it: its own nodes, the class
``self`` is an instance of, its locals and the values plainly assigned to
them, and its parameters' known types.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, field

from sphinxcontrib_aidoc.analyze._index import Definition, ProjectIndex
from sphinxcontrib_aidoc.analyze._narrowing import Excluded, subject_key, tested
from sphinxcontrib_aidoc.analyze._nodes import (
    BLOCKS,
    FUNCTIONS,
    TRY,
    body_of,
    child_nodes,
    child_statements,
    own_nodes,
    walk,
)
from sphinxcontrib_aidoc.analyze._shape import always_exits
from sphinxcontrib_aidoc.model import OPEN_CONTAINERS

_CONTAINERS = OPEN_CONTAINERS


def complete(types: Iterable[str]) -> bool:
    """Whether every member is a full type (no container without its elements)."""
    return all(
        (t and t.partition("[")[0] not in _CONTAINERS) or "[" in t for t in types
    )


@dataclass
class Frame:
    """What the code of one function (or module) can tell about its names."""

    definition: Definition | None
    module: str
    own: list[ast.AST]
    #: The class whose instance ``self`` is (methods only).
    cls: str | None
    self_name: str | None
    #: Names bound in the scope: the values assigned when every binding is a
    #: plain ``name = value``, else None.
    local: dict[str, list[ast.expr] | None]
    #: Parameters and their known types (a nested function's chains to the
    #: enclosing function's: :func:`~._inner_frames.nested_frames`).
    params: MutableMapping[str, str | None]
    #: A class method's first parameter (``cls``) and the class defining it.
    class_param: tuple[str, str] | None = None
    #: The ``import`` statements among :attr:`own` (read by
    #: :func:`~._known_calls.imported_here` on every name it is asked).
    imports: list[ast.Import | ast.ImportFrom] | None = field(
        default=None, repr=False, compare=False
    )
    #: What :meth:`shadowing` found.
    shadows: frozenset[str] | None = field(default=None, repr=False, compare=False)

    def shadowing(self) -> frozenset[str]:
        """Names the function binds other than by assignment (found once).

        A nested ``def`` or ``class``, an ``import``, ``except ... as name``:
        a read of such a name is never the module's global of that name.
        """
        if self.shadows is None:
            found: set[str] = set()
            node = self.definition.node if self.definition else None
            parents = [*self.own, *([node] if node is not None else [])]
            for parent in parents:
                if isinstance(parent, (ast.Import, ast.ImportFrom)):
                    found.update(
                        a.asname or a.name.partition(".")[0] for a in parent.names
                    )
                elif isinstance(parent, ast.ExceptHandler) and parent.name:
                    found.add(parent.name)
                if not isinstance(parent, BLOCKS):
                    continue  # (no block of statements)
                for child in child_statements(parent):
                    if isinstance(
                        child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
                    ):
                        found.add(child.name)
            self.shadows = frozenset(found)
        return self.shadows

    def own_imports(self) -> list[ast.Import | ast.ImportFrom]:
        """The ``import`` statements of the function itself (found once)."""
        if self.imports is None:
            self.imports = [
                n for n in self.own if isinstance(n, (ast.Import, ast.ImportFrom))
            ]
        return self.imports


def frame_of(definition: Definition, index: ProjectIndex) -> Frame:
    """The :class:`Frame` of a project function."""
    node = definition.node
    assert isinstance(node, FUNCTIONS)
    own = own_nodes(node)
    record = index.records[definition.qualname]
    params: dict[str, str | None] = {
        p.name: _held_type(p.kind, p.type)
        if p.evidence in ("annotation", "call sites")
        else None
        for p in record.params
    }
    cls = self_name = None
    class_param = None
    first = record.params[0].name if record.params else None
    if definition.owner is not None and first is not None:
        if record.kind in ("method", "property"):
            cls, self_name = definition.owner, first
            params.pop(first, None)
        elif record.kind == "classmethod":
            class_param = (first, definition.owner)
    local = _locals(own)
    return Frame(
        definition, definition.module, own, cls, self_name, local, params, class_param
    )


def _held_type(kind: str, type_: str | None) -> str | None:
    """What a parameter of *kind* typed *type_* holds: ``*args: str`` a tuple of str."""
    if type_ is None:
        return None
    if kind == "var_positional":
        return f"tuple[{type_}, ...]"
    if kind == "var_keyword":
        return f"dict[str, {type_}]"
    return type_


def site_frame(definition: Definition, index: ProjectIndex) -> Frame:
    """The :class:`Frame` of a function that only calls the project (a test).

    Its parameters have no known type; a name a function around it binds is
    a local of unknown value (never the module-level name it may shadow).
    """
    node = definition.node
    assert isinstance(node, FUNCTIONS)
    own = own_nodes(node)
    local = _locals(own)
    for name in index.enclosing.get(id(node), ()):
        local.setdefault(name, None)
    arguments = node.args
    every = (
        *arguments.posonlyargs,
        *arguments.args,
        *arguments.kwonlyargs,
        *(a for a in (arguments.vararg, arguments.kwarg) if a is not None),
    )
    params: dict[str, str | None] = {a.arg: None for a in every}
    return Frame(definition, definition.module, own, None, None, local, params)


def module_code_frame(module: str, tree: ast.Module) -> Frame:
    """The :class:`Frame` of what a test module runs when imported.

    Its top-level statements and what its definitions evaluate at once:
    decorators (``@pytest.mark.parametrize("t", [File(), Path()])``),
    default values and class bases; never a function's body, nor a class
    body (another scope).
    """
    own: list[ast.AST] = []
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, FUNCTIONS):
            stack.extend(node.decorator_list)
            stack.extend(node.args.defaults)
            stack.extend(d for d in node.args.kw_defaults if d is not None)
            continue
        if isinstance(node, ast.ClassDef):
            stack.extend(node.decorator_list)
            stack.extend(node.bases)
            stack.extend(k.value for k in node.keywords)
            continue
        if isinstance(node, ast.Lambda):
            continue  # its body runs when called
        own.append(node)
        stack.extend(child_nodes(node))
    return Frame(None, module, own, None, None, _locals(own), {})


class ItemOf(ast.expr):
    """Stands, in :attr:`Frame.local`, for an item of ``for name in iterable``.

    Not a node of any tree: a value bound to a loop's (or comprehension's)
    plain name target is one of the items iterating *iterable* gives.
    """

    _fields = ("iterable",)

    def __init__(self, iterable: ast.expr) -> None:
        super().__init__()
        self.iterable = iterable


class Augmented(ast.expr):
    """Stands, in :attr:`Frame.local`, for the value ``name op= value`` binds.

    Not a node of any tree: the new value is ``name op value`` with *name*
    holding any of its other values (see ``Solver._name_types``).
    """

    _fields = ("op", "value")

    def __init__(self, op: ast.operator, value: ast.expr) -> None:
        super().__init__()
        self.op = op
        self.value = value


class Entered(ast.expr):
    """Stands, in :attr:`Frame.local`, for what ``with manager as name`` binds.

    Not a node of any tree: the value ``manager.__enter__()`` returns.
    """

    _fields = ("manager",)

    def __init__(self, manager: ast.expr) -> None:
        super().__init__()
        self.manager = manager


class Caught(ast.expr):
    """Stands, in :attr:`Frame.local`, for what ``except kind as name`` binds.

    Not a node of any tree: an instance of the class (or one of the classes)
    *kind* names, or of a subclass.
    """

    _fields = ("kind",)

    def __init__(self, kind: ast.expr) -> None:
        super().__init__()
        self.kind = kind


class Returned(ast.expr):
    """Stands, in :attr:`Frame.local`, for what a function of the tests returns.

    Not a node of any tree: one of *values*, each read in *frame* (a pytest
    fixture's ``return`` values, bound to the parameters of that name:
    :mod:`._fixtures`).
    """

    _fields = ("values",)

    def __init__(self, frame: Frame, values: list[ast.expr]) -> None:
        super().__init__()
        self.frame = frame
        self.values = values


class Unpacked(ast.Subscript):
    """Stands, in :attr:`Frame.local`, for the *i*-th name ``a, b = call()`` binds.

    Not a node of any tree: the item at that position of what *call*
    returns (typed as a subscript is, and else by the returns of the
    project functions the call reaches: :mod:`._unpacked`); *width* is how
    many names the target unpacks.
    """

    def __init__(self, call: ast.Call, position: int, width: int) -> None:
        super().__init__(value=call, slice=ast.Constant(position), ctx=ast.Load())
        self.call = call
        self.position = position
        self.width = width


def _entered(own: list[ast.AST]) -> dict[int, Entered]:
    """The plain name targets of ``with`` items (not ``async with``)."""
    return {
        id(item.optional_vars): Entered(item.context_expr)
        for node in own
        if isinstance(node, ast.With)
        for item in node.items
        if isinstance(item.optional_vars, ast.Name)
    }


def _augmented(own: list[ast.AST]) -> dict[int, Augmented]:
    """The plain name targets of augmented assignments (``total += n``)."""
    return {
        id(node.target): Augmented(node.op, node.value)
        for node in own
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name)
    }


def _loop_items(own: list[ast.AST]) -> dict[int, ast.expr]:
    """The plain name targets of ``for`` loops and comprehensions (not async).

    ``for key, value in pairs`` binds each name to its part of an item
    (:func:`_parts`).
    """
    items: dict[int, ast.expr] = {}
    for node in own:
        loop = node if isinstance(node, (ast.For, ast.comprehension)) else None
        if loop is None or getattr(loop, "is_async", False):
            continue
        if isinstance(loop.target, ast.Name):
            items[id(loop.target)] = ItemOf(loop.iter)
        else:
            items.update(_parts(loop.target, ItemOf(loop.iter)))
    return items


def _unpacked(own: list[ast.AST]) -> dict[int, ast.expr]:
    """The names ``a, b = value`` binds: each its part of *value* (:func:`_parts`)."""
    found: dict[int, ast.expr] = {}
    for node in own:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            parts = _parts(node.targets[0], node.value)
            if isinstance(node.value, ast.Call):
                width = len(parts)
                parts = {k: Unpacked(node.value, i, width) for i, k in enumerate(parts)}
            found.update(parts)
    return found


def _parts(target: ast.expr, value: ast.expr) -> dict[int, ast.expr]:
    """``value[i]`` for the *i*-th name of a tuple (or list) target of plain names.

    Not nodes of any tree: the item at that position (typed as a subscript
    is, so a ``tuple[str, int]`` gives ``str`` then ``int``, a ``list[str]``
    ``str`` each; anything else, unknown). A starred or nested target binds
    nothing known.
    """
    if not isinstance(target, (ast.Tuple, ast.List)) or not all(
        isinstance(e, ast.Name) for e in target.elts
    ):
        return {}
    return {
        id(e): ast.Subscript(value=value, slice=ast.Constant(i), ctx=ast.Load())
        for i, e in enumerate(target.elts)
    }


def _locals(own: list[ast.AST]) -> dict[str, list[ast.expr] | None]:
    """Names bound in a scope, with their values when plainly bound.

    Plainly: only by ``name = value``, or ``for name in iterable`` (its value
    an :class:`ItemOf`).
    """
    found: dict[str, list[ast.expr] | None] = {}
    #: The value each plain name target binds, by the target's id.
    bound: dict[int, ast.expr] = {}
    for node in own:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            bound[id(node.targets[0])] = node.value
    bound.update(_unpacked(own))
    bound.update(_loop_items(own))
    bound.update(_augmented(own))
    bound.update(_entered(own))
    stores: list[ast.Name] = []
    for node in own:
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            stores.append(node)
            if id(node) in bound:
                found.setdefault(node.id, [])
            else:
                found[node.id] = None
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                found[name] = None
    for store in stores:
        values = found.get(store.id)
        if values is not None and id(store) in bound:
            values.append(bound[id(store)])
    _caught(own, found)
    return found


def _caught(own: list[ast.AST], found: dict[str, list[ast.expr] | None]) -> None:
    """Add what each ``except kind as name`` binds to *found*."""
    for node in own:
        if isinstance(node, ast.ExceptHandler) and node.name:
            values = found.setdefault(node.name, [])
            if values is not None and node.type is not None:
                values.append(Caught(node.type))


def raises_only(node: ast.AST) -> bool:
    """Whether a function body always raises (``raise NotImplementedError``...)."""
    return (
        isinstance(node, FUNCTIONS)
        and not any(isinstance(n, ast.Return) for n in ast.walk(node))
        and always_exits(body_of(node))
    )


def if_none_name(stmt: ast.stmt) -> str | None:
    """``name`` for ``if name is None:`` with no ``else``; else None."""
    if (
        isinstance(stmt, ast.If)
        and not stmt.orelse
        and isinstance(stmt.test, ast.Compare)
        and isinstance(stmt.test.left, ast.Name)
        and len(stmt.test.ops) == 1
        and isinstance(stmt.test.ops[0], ast.Is)
        and isinstance(stmt.test.comparators[0], ast.Constant)
        and stmt.test.comparators[0].value is None
    ):
        return stmt.test.left.id
    return None


def filled_default(stmt: ast.stmt) -> ast.Assign | None:
    """The assignment of ``if name is None: name = value`` (nothing else), or None."""
    name = if_none_name(stmt)
    if name is None or not isinstance(stmt, ast.If) or len(stmt.body) != 1:
        return None
    assign = stmt.body[0]
    if (
        isinstance(assign, ast.Assign)
        and len(assign.targets) == 1
        and isinstance(assign.targets[0], ast.Name)
        and assign.targets[0].id == name
    ):
        return assign
    return None


def not_none(body: list[ast.stmt], frame: Frame) -> set[int]:
    """``return name`` statements a preceding ``if name is None:`` exit guards.

    Only statements of the function's own top-level block count, after an
    ``if name is None:`` (no ``else``) whose body always exits, with *name*
    a local (not a parameter) bound once by ``name = value`` (``Frame.local``;
    so before the check): the returned value is then never ``None``.
    """
    guarded: set[str] = set()
    found: set[int] = set()
    for stmt in body:
        name = if_none_name(stmt)
        if (
            name is not None
            and isinstance(stmt, ast.If)
            and len(frame.local.get(name) or ()) == 1
            and not _loop_bound(frame, name)
            and name not in frame.params
            and always_exits(stmt.body)
        ):
            guarded.add(name)
        elif (
            isinstance(stmt, ast.Return)
            and isinstance(stmt.value, ast.Name)
            and stmt.value.id in guarded
        ):
            found.add(id(stmt))
    _inside_checks(body, frozenset(), found)
    return found


def _inside_checks(
    body: list[ast.stmt], narrowed: frozenset[str], found: set[int]
) -> None:
    """Add ``return name`` statements inside a check that *name* is not ``None``.

    ``if name:``, ``if name is not None:``, ``if isinstance(name, C):`` (and
    ``and`` of these) hold for their body; ``if name is None:``/``if not
    name:`` for their ``else``. A name the block assigns anywhere (or
    deletes) is no longer checked in it. ``return obj.attr`` counts too,
    checked the same way, while nothing between could rebind it
    (:func:`_kept`).
    """
    for stmt in body:
        if (
            isinstance(stmt, ast.Return)
            and stmt.value is not None
            and subject_key(stmt.value, attributes=True) in narrowed
        ):
            found.add(id(stmt))
        elif isinstance(stmt, ast.If):
            true, false = _checked(stmt.test)
            _inside_checks(stmt.body, _kept(narrowed | true, stmt.body), found)
            _inside_checks(stmt.orelse, _kept(narrowed | false, stmt.orelse), found)
        elif isinstance(
            stmt, (ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith)
        ):
            for block in (stmt.body, getattr(stmt, "orelse", [])):
                _inside_checks(block, _kept(narrowed, block), found)
        elif isinstance(stmt, TRY):
            blocks = [stmt.body, stmt.orelse, stmt.finalbody]
            blocks.extend(h.body for h in stmt.handlers)
            for block in blocks:
                _inside_checks(block, _kept(narrowed, block), found)


def _kept(narrowed: frozenset[str], block: list[ast.stmt]) -> frozenset[str]:
    """*narrowed* without the names *block* binds or deletes anywhere.

    A checked attribute (``"self.x"``) is dropped when the block rebinds its
    object's name, or runs anything that could rebind the attribute: a call,
    an ``await``, a ``yield``, an assignment to any attribute.
    """
    if not narrowed:
        return narrowed
    bound: set[str] = set()
    changes = False
    for stmt in block:
        for node in walk(stmt):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                bound.add(node.id)
            elif isinstance(node, _MAY_CHANGE) or (
                isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load)
            ):
                changes = True
    return frozenset(
        n
        for n in narrowed
        if n not in bound
        and not ("." in n and (changes or n.partition(".")[0] in bound))
    )


#: Nodes whose running may rebind an attribute checked before them.
_MAY_CHANGE = (ast.Call, ast.Await, ast.Yield, ast.YieldFrom)


def _checked(test: ast.expr) -> tuple[frozenset[str], frozenset[str]]:
    """Names *test* proves not ``None`` when it is true, and when it is false.

    The names :func:`~._narrowing.tested` proves anything of (truthiness,
    ``is not None``, an ``isinstance`` whose classes cannot be ``None``).
    """
    true, false = tested(test, _not_none_classes, attributes=True)
    true = {k: v for k, v in true.items() if not isinstance(v, Excluded)}
    false = {k: v for k, v in false.items() if not isinstance(v, Excluded)}
    if any(isinstance(n, _MAY_CHANGE) for n in ast.walk(test)):
        true = {k: v for k, v in true.items() if "." not in k}
        false = {k: v for k, v in false.items() if "." not in k}
    return frozenset(true), frozenset(false)


def _not_none_classes(spec: ast.expr) -> list[str] | None:
    """A non-empty answer when the ``isinstance`` class admits no ``None``."""
    return ["object"] if _not_none_class(spec) else None


def _not_none_class(spec: ast.expr) -> bool:
    """Whether an ``isinstance`` class (or tuple of them) is written by name only.

    ``type(None)`` and ``NoneType`` would let ``None`` through.
    """
    specs = spec.elts if isinstance(spec, ast.Tuple) else [spec]
    return all(
        isinstance(s, (ast.Name, ast.Attribute))
        and not (isinstance(s, ast.Name) and s.id == "NoneType")
        and not (isinstance(s, ast.Attribute) and s.attr == "NoneType")
        for s in specs
    )


def _loop_bound(frame: Frame, name: str) -> bool:
    return any(
        isinstance(v, ItemOf)
        or (isinstance(v, ast.Subscript) and isinstance(v.value, ItemOf))
        for v in frame.local.get(name) or ()
    )


def empty(value: ast.expr) -> bool:
    return (
        isinstance(value, (ast.List, ast.Dict, ast.Set))
        and not getattr(value, "elts", getattr(value, "keys", None))
    ) or (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id in ("list", "dict", "set")
        and not value.args
    )


def is_super(expr: ast.expr) -> bool:
    return (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Name)
        and expr.func.id == "super"
        and not expr.args
    )
