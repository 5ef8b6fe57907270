"""What a check in a function proves about a name where it is read.

Inside ``if isinstance(value, bytes):`` the name ``value`` holds a
``bytes`` (so it does inside ``if type(value) is bytes:``), and in its
``else:`` no ``bytes`` (:class:`Excluded`: of the types the value is
proven to have, the bytes go); inside ``if value:`` or ``if value is not
None:`` it is not ``None``; after ``if not isinstance(value, str): raise ...`` (a check whose
body always exits) or ``assert isinstance(value, str)`` the rest of the
block reads a ``str``. The project-wide
pass (:mod:`._project`) asks, for each read of a name (an :class:`ast.Name`
node), what these checks proved there (:func:`narrowed_reads`).

A check holds from the test to the first statement that binds the name
again (inside a loop: nowhere in the loop, as the loop may come back to
the read after the binding), and only in the function's own code (never
inside a nested function or lambda, which may run later).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sphinxcontrib_aidoc.analyze._nodes import SCOPES, TRY, child_nodes, walk
from sphinxcontrib_aidoc.analyze._shape import always_exits


@dataclass(frozen=True)
class Excluded:
    """What a failed ``isinstance`` check proves: the name holds none of these."""

    classes: tuple[str, ...]


#: What a check proves of a name: its types, the classes it is not an
#: instance of, or (None) that it is not None.
Proof = list[str] | Excluded | None
#: The class (or tuple of classes) of an ``isinstance`` test as types, or None.
Classes = Callable[[ast.expr], list[str] | None]
_LOOPS = (ast.For, ast.AsyncFor, ast.While)


def narrowed_reads(body: list[ast.stmt], classes: Classes) -> dict[int, Proof]:
    """What checks prove at each read of a name in *body*, by the read's id."""
    found: dict[int, Proof] = {}
    _block(body, {}, classes, found)
    return found


def _block(
    body: list[ast.stmt],
    narrowed: dict[str, Proof],
    classes: Classes,
    found: dict[int, Proof],
) -> None:
    narrowed = dict(narrowed)
    for stmt in body:
        if isinstance(stmt, ast.If):
            _test_reads(stmt.test, narrowed, classes, found)
            true, false = tested(stmt.test, classes)
            _block(stmt.body, _with(narrowed, true), classes, found)
            _block(stmt.orelse, _with(narrowed, false), classes, found)
            _forget(narrowed, [stmt])
            if always_exits(stmt.body) and not stmt.orelse:
                # ``if not ok: raise``: ok from here on
                narrowed.update(_with(narrowed, false))
        elif isinstance(stmt, _LOOPS):
            kept = _without(narrowed, [stmt])
            if isinstance(stmt, ast.While):  # tested again after each turn
                _test_reads(stmt.test, kept, classes, found)
            else:  # the iterable is evaluated once, before the loop
                _reads(stmt.iter, narrowed, found)
            _block(stmt.body, kept, classes, found)
            _block(stmt.orelse, kept, classes, found)
            _forget(narrowed, [stmt])
        elif isinstance(stmt, (*TRY, ast.With, ast.AsyncWith)):
            _entered(stmt, narrowed, classes, found)
            _forget(narrowed, [stmt])
        elif isinstance(stmt, ast.Assert):
            _test_reads(stmt.test, narrowed, classes, found)
            if stmt.msg is not None:
                _reads(stmt.msg, narrowed, found)
            narrowed.update(tested(stmt.test, classes)[0])  # holds from here on
        elif not isinstance(stmt, SCOPES):
            _reads(stmt, narrowed, found)
            _forget(narrowed, [stmt])
        else:
            _forget(narrowed, [stmt])


def _entered(
    stmt: ast.stmt,
    narrowed: dict[str, Proof],
    classes: Classes,
    found: dict[int, Proof],
) -> None:
    """The blocks of a ``try`` or ``with`` statement."""
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        for item in stmt.items:
            _reads(item.context_expr, narrowed, found)
        _block(stmt.body, _without(narrowed, stmt.items), classes, found)
        return
    assert isinstance(stmt, TRY)
    _block(stmt.body, narrowed, classes, found)
    after = _without(narrowed, stmt.body)  # a handler may run after any part
    for handler in stmt.handlers:
        _block(handler.body, after, classes, found)
    _block(stmt.orelse, _without(narrowed, [stmt]), classes, found)
    _block(stmt.finalbody, _without(narrowed, [stmt]), classes, found)


def _with(narrowed: dict[str, Proof], proofs: dict[str, Proof]) -> dict[str, Proof]:
    """What holds where both *narrowed* and *proofs* hold.

    A name proven of some classes, then proven not of some of them, is of
    the others (``isinstance(x, (str, bytes))``, then the ``else`` of
    ``isinstance(x, bytes)``: a ``str``).
    """
    merged = {**narrowed, **proofs}
    for name, proof in proofs.items():
        earlier = narrowed.get(name)
        if isinstance(proof, Excluded) and isinstance(earlier, list):
            kept = [t for t in earlier if t not in proof.classes]
            merged[name] = kept or earlier
    return merged


def _test_reads(
    test: ast.expr,
    narrowed: dict[str, Proof],
    classes: Classes,
    found: dict[int, Proof],
) -> None:
    """Record the reads of a test: ``a and b`` reads *b* where *a* held.

    ``type(event) is Request and expects(event)``: the second operand runs
    only when the first is true (with ``or``, only when it is false).
    """
    if not isinstance(test, ast.BoolOp):
        _reads(test, narrowed, found)
        return
    current = dict(narrowed)
    for value in test.values:
        _test_reads(value, current, classes, found)
        if _binds_in(value):
            current = _without(current, [value])  # a walrus rebinding
        true, false = tested(value, classes)
        current.update(true if isinstance(test.op, ast.And) else false)


def _binds_in(node: ast.AST) -> bool:
    return any(isinstance(n, ast.NamedExpr) for n in ast.walk(node))


def _reads(node: ast.AST, narrowed: dict[str, Proof], found: dict[int, Proof]) -> None:
    """Record the checked names *node* reads (not inside nested scopes)."""
    if not narrowed:
        return
    stack: list[ast.AST] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Name) and isinstance(current.ctx, ast.Load):
            if current.id in narrowed:
                found[id(current)] = narrowed[current.id]
        elif isinstance(current, (*SCOPES, ast.NamedExpr)):
            continue  # runs later, or binds a name mid-expression
        stack.extend(child_nodes(current))


def _stores(nodes: Sequence[ast.AST]) -> set[str]:
    """The names *nodes* bind, or declare ``global`` or ``nonlocal`` (one walk)."""
    found: set[str] = set()
    for node in nodes:
        for n in walk(node):
            if isinstance(n, ast.Name):
                if not isinstance(n.ctx, ast.Load):
                    found.add(n.id)
            elif isinstance(n, (ast.Global, ast.Nonlocal)):
                found.update(n.names)
    return found


def _forget(narrowed: dict[str, Proof], nodes: Sequence[ast.AST]) -> None:
    if not narrowed:
        return
    for name in _stores(nodes) & narrowed.keys():
        del narrowed[name]


def _without(narrowed: dict[str, Proof], nodes: Sequence[ast.AST]) -> dict[str, Proof]:
    kept = dict(narrowed)
    _forget(kept, nodes)
    return kept


def tested(
    test: ast.expr, classes: Classes, *, attributes: bool = False
) -> tuple[dict[str, Proof], dict[str, Proof]]:
    """What *test* proves of names when it is true, and when it is false.

    With *attributes*, also of ``name.attr`` (keyed ``"name.attr"``) by
    truthiness and ``is (not) None``: the caller decides how long that holds.
    """
    subject = subject_key(test, attributes=attributes)
    if subject is not None:
        truthy: dict[str, Proof] = {subject: None}
        return truthy, {}
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        true, false = tested(test.operand, classes, attributes=attributes)
        return false, true
    if isinstance(test, ast.BoolOp):
        proofs = [tested(v, classes, attributes=attributes) for v in test.values]
        if isinstance(test.op, ast.And):
            return _merged([p[0] for p in proofs]), {}
        return {}, _merged([p[1] for p in proofs])
    left = (
        subject_key(test.left, attributes=attributes)
        if isinstance(test, ast.Compare)
        else None
    )
    if (
        isinstance(test, ast.Compare)
        and left is not None
        and len(test.ops) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        name: dict[str, Proof] = {left: None}
        if isinstance(test.ops[0], ast.IsNot):
            return name, {}
        if isinstance(test.ops[0], ast.Is):
            return {}, name
    checked = isinstance_test(test)
    if checked is not None:
        types = classes(checked[1])
        if types:
            return {checked[0]: types}, {checked[0]: Excluded(tuple(types))}
    return _type_is(test, classes)


def subject_key(expr: ast.expr, *, attributes: bool = False) -> str | None:
    """``"name"`` for a name; with *attributes*, ``"name.attr"`` for ``name.attr``."""
    if isinstance(expr, ast.Name):
        return expr.id
    if (
        attributes
        and isinstance(expr, ast.Attribute)
        and isinstance(expr.value, ast.Name)
    ):
        return f"{expr.value.id}.{expr.attr}"
    return None


def isinstance_test(test: ast.expr) -> tuple[str, ast.expr] | None:
    """``(name, spec)`` of ``isinstance(name, spec)`` (the builtin's name), or None."""
    if (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Name)
        and test.func.id == "isinstance"
        and len(test.args) == 2
        and not test.keywords
        and isinstance(test.args[0], ast.Name)
    ):
        return test.args[0].id, test.args[1]
    return None


def _type_is(
    test: ast.expr, classes: Classes
) -> tuple[dict[str, Proof], dict[str, Proof]]:
    """``type(name) is C`` (or ``==``): *name* holds a ``C`` (``is not``: else)."""
    if not (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], (ast.Is, ast.Eq, ast.IsNot, ast.NotEq))
        and isinstance(test.left, ast.Call)
        and isinstance(test.left.func, ast.Name)
        and test.left.func.id == "type"
        and len(test.left.args) == 1
        and not test.left.keywords
        and isinstance(test.left.args[0], ast.Name)
        and isinstance(test.comparators[0], (ast.Name, ast.Attribute))
    ):
        return {}, {}
    types = classes(test.comparators[0])
    if not types:
        return {}, {}
    proof: dict[str, Proof] = {test.left.args[0].id: types}
    if isinstance(test.ops[0], (ast.Is, ast.Eq)):
        return proof, {}
    return {}, proof


def _merged(parts: list[dict[str, Proof]]) -> dict[str, Proof]:
    """The proofs of several tests that all hold (a type beats the others)."""
    merged: dict[str, Proof] = {}
    for part in parts:
        for name, proof in part.items():
            if not isinstance(merged.get(name), list):
                merged[name] = proof
    return merged
