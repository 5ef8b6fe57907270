"""Which assignment a read of a local name sees (reaching definitions).

The project-wide pass types a local from *every* value the function binds
to it; a read that only one of them can reach is typed more exactly:

.. code-block:: python

    value = ask()          # unknown
    value = str(value)     # the only binding that reaches the return
    return value

For a read of a name, :func:`reaching_values` walks back through the
statements before it (out of ``if``/``with``/``try`` blocks, never out of
a loop's body, which an earlier iteration may re-enter) to the bindings
that reach it: a plain ``name = value``, or an ``if`` whose every branch
ends binding the name (or exits). Anything else that binds the name on
the way (``for``, ``with ... as``, a binding in a loop or a ``try``,
``global``) answers "not known here" (None), and the caller falls back to
every value the function binds. ``name op= value`` outside a loop is a
binding too (:class:`Updated`): ``name op value``, with *name* holding
what reaches that statement. Reaching the function's start
gives :data:`START` (the parameter's value, when it is one). A value that
reaches past ``if name is None: name = default`` (or ``if not name:``) is
marked :class:`NotNone`: that path only runs when it is not ``None``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from sphinxcontrib_aidoc.analyze._frame import Augmented
from sphinxcontrib_aidoc.analyze._nodes import SCOPES, TRY, child_nodes, walk
from sphinxcontrib_aidoc.analyze._shape import always_exits


class _Start(ast.expr):
    """Stands for the value a name has when the function starts."""


#: The value at the function's start (a parameter's argument).
START = _Start()


class NotNone(ast.expr):
    """Stands for a value that a check proved is not ``None`` where it is read."""

    _fields = ("value",)

    def __init__(self, value: ast.expr) -> None:
        super().__init__()
        self.value = value


class Updated(ast.expr):
    """Stands for what ``name op= value`` binds: ``name op value``, once.

    *before* are the values that reach the statement (themselves of any
    of these kinds).
    """

    _fields = ("update", "before")

    def __init__(self, update: Augmented, before: list[ast.expr]) -> None:
        super().__init__()
        self.update = update
        self.before = before


_UNTOUCHED = object()
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_SKIPPED = (*SCOPES, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@dataclass(frozen=True, slots=True)
class _Place:
    block: list[ast.stmt]
    index: int
    parent: ast.stmt | None
    #: Whether the block is a loop's body (or ``else``): a dead end.
    loop: bool


class Reaching:
    """Reaching bindings of the reads of names in one function body."""

    def __init__(self, body: list[ast.stmt]) -> None:
        self._places: dict[int, _Place] = {}
        #: The names each node binds anywhere inside it, by id (see :func:`_bound`).
        self._bound_names: dict[int, frozenset[str]] = {}
        self._memo: dict[tuple[int, str], list[ast.expr] | object | None] = {}
        #: The statement each read (an ``ast.Name`` load) belongs to, by id.
        self._owners: dict[int, ast.stmt] = {}
        self._index(body, None, loop=False)

    def values(self, read: ast.Name) -> list[ast.expr] | None:
        """The values (or :data:`START`) that reach *read*; None if not known."""
        owner = self._owners.get(id(read))
        if owner is None or not (
            self._plain_owner(owner, read.id) or _read_first(owner, read)
        ):
            return None
        found = self._before(owner, read.id)
        return found if isinstance(found, list) else None

    # -- building -----------------------------------------------------------
    def _index(
        self, block: list[ast.stmt], parent: ast.stmt | None, *, loop: bool
    ) -> None:
        for index, stmt in enumerate(block):
            self._places[id(stmt)] = _Place(block, index, parent, loop)
            for read in _header_reads(stmt):
                self._owners[id(read)] = stmt
            for inner, is_loop in _blocks(stmt):
                self._index(inner, stmt, loop=is_loop)

    # -- walking back ---------------------------------------------------------
    def _binds(self, node: ast.AST, name: str) -> bool:
        found = self._bound_names.get(id(node))
        if found is None:
            found = self._bound_names[id(node)] = _bound(node)
        return name in found

    def _plain_owner(self, stmt: ast.stmt, name: str) -> bool:
        """Whether the statement holding a read binds the name only after it.

        ``name = f(name)`` reads first and binds after; a statement that may
        bind it before the read (``(name := ...)``, ``with a as name, b(name)``,
        a ``while`` test its body rebinds) is not walked back from.
        """
        if isinstance(stmt, ast.Assign):
            return (
                len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
                and not self._binds(stmt.value, name)
            )
        if isinstance(stmt, ast.If):
            return not self._binds(stmt.test, name)
        if isinstance(stmt, (ast.For, ast.AsyncFor)):
            return not self._binds(stmt.iter, name)
        return not self._binds(stmt, name)

    def _enters_bound(self, parent: ast.stmt, name: str) -> bool:
        """Whether entering a block of *parent* may bind *name* first."""
        if isinstance(parent, TRY):
            return self._binds(parent, name)
        if isinstance(parent, ast.If):
            return self._binds(parent.test, name)
        if isinstance(parent, (ast.With, ast.AsyncWith)):
            return any(self._binds(item, name) for item in parent.items)
        return isinstance(parent, ast.Match)

    def _before(self, stmt: ast.stmt, name: str) -> list[ast.expr] | object | None:
        key = (id(stmt), name)
        if key not in self._memo:
            self._memo[key] = None  # a cycle proves nothing
            self._memo[key] = self._walk_back(stmt, name)
        return self._memo[key]

    def _walk_back(self, stmt: ast.stmt, name: str) -> list[ast.expr] | object | None:
        place = self._places[id(stmt)]
        for earlier in reversed(place.block[: place.index]):
            found = self._bound_by(earlier, name)
            if found is not _UNTOUCHED:
                return found
        parent = place.parent
        if parent is None:
            return [START]
        if place.loop or self._enters_bound(parent, name):
            return None  # an earlier iteration, a half-run ``try``, ``as name``
        return self._before(parent, name)

    def _bound_by(self, stmt: ast.stmt, name: str) -> list[ast.expr] | object | None:
        """What *stmt* leaves bound to *name*: values, untouched, or None."""
        if not self._binds(stmt, name):
            return _UNTOUCHED
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and not self._binds(stmt.value, name)
        ):
            return [stmt.value]
        if (
            isinstance(stmt, ast.AugAssign)
            and isinstance(stmt.target, ast.Name)
            and not self._binds(stmt.value, name)
        ):
            before = self._before(stmt, name)
            if not isinstance(before, list):
                return None
            return [Updated(Augmented(stmt.op, stmt.value), before)]
        if isinstance(stmt, ast.If) and not self._binds(stmt.test, name):
            values: list[ast.expr] = []
            checked = _not_none_when(stmt.test, name)
            for branch, holds in zip((stmt.body, stmt.orelse), checked, strict=True):
                found = self._end_of(branch, name)
                if found is _UNTOUCHED:
                    found = self._before(stmt, name)
                    if holds and isinstance(found, list):  # ``if x is None: x = 1``
                        found = [NotNone(v) for v in found]
                if not isinstance(found, list):
                    return None
                values.extend(found)
            return values
        return None

    def _end_of(
        self, branch: list[ast.stmt], name: str
    ) -> list[ast.expr] | object | None:
        """What the end of an ``if`` branch leaves bound (``[]``: it exits)."""
        if branch and always_exits(branch):
            return []
        for stmt in reversed(branch):
            found = self._bound_by(stmt, name)
            if found is not _UNTOUCHED:
                return found
        return _UNTOUCHED


def _read_first(stmt: ast.stmt, read: ast.Name) -> bool:
    """Whether an assignment evaluates *read* before it binds anything.

    ``obj, name = split(name)`` (or ``name: str = clean(name)``): the value
    is evaluated first, then the targets are bound, so a read in the value sees what reached the
    statement (unless the value itself binds the name: ``(name := ...)``).
    """
    if not isinstance(stmt, (ast.Assign, ast.AnnAssign)) or stmt.value is None:
        return False
    inside = walk(stmt.value)
    return any(n is read for n in inside) and not any(
        isinstance(n, ast.NamedExpr) for n in inside
    )


def _not_none_when(test: ast.expr, name: str) -> tuple[bool, bool]:
    """Whether *test* proves *name* not ``None`` when true, and when false."""
    if isinstance(test, ast.Name) and test.id == name:
        return True, False
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        true, false = _not_none_when(test.operand, name)
        return false, true
    if (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == name
        and len(test.ops) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        if isinstance(test.ops[0], ast.IsNot):
            return True, False
        if isinstance(test.ops[0], ast.Is):
            return False, True
    return False, False


def _bound(node: ast.AST) -> frozenset[str]:
    """The names *node* binds or deletes anywhere (or declares global)."""
    found: set[str] = set()
    for inner in walk(node):
        if isinstance(inner, ast.Name):
            if not isinstance(inner.ctx, ast.Load):
                found.add(inner.id)
        elif isinstance(inner, (ast.Global, ast.Nonlocal)):
            found.update(inner.names)
        elif isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(inner.name)
        elif isinstance(inner, (ast.Import, ast.ImportFrom)):
            found.update(a.asname or a.name.partition(".")[0] for a in inner.names)
        elif isinstance(inner, ast.ExceptHandler) and inner.name:
            found.add(inner.name)
    return frozenset(found)


def _blocks(stmt: ast.stmt) -> Iterator[tuple[list[ast.stmt], bool]]:
    """The statement blocks inside *stmt*, and whether each is a loop's."""
    if isinstance(stmt, _LOOPS):
        yield stmt.body, True
        yield stmt.orelse, True
    elif isinstance(stmt, ast.If):
        yield stmt.body, False
        yield stmt.orelse, False
    elif isinstance(stmt, (ast.With, ast.AsyncWith)):
        yield stmt.body, False
    elif isinstance(stmt, TRY):
        yield stmt.body, False
        for handler in stmt.handlers:
            yield handler.body, False
        yield stmt.orelse, False
        yield stmt.finalbody, False
    elif isinstance(stmt, ast.Match):
        for case in stmt.cases:
            yield case.body, False


def _header_reads(stmt: ast.stmt) -> Iterator[ast.Name]:
    """The name loads of *stmt* itself (not its inner blocks, lambdas, comprehensions)."""
    if isinstance(stmt, (*SCOPES, ast.Match)):
        return
    stack: list[ast.AST] = [
        child
        for child in child_nodes(stmt)
        if not isinstance(child, (ast.stmt, ast.ExceptHandler))
    ]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            yield node
        elif not isinstance(node, _SKIPPED):
            stack.extend(child_nodes(node))
