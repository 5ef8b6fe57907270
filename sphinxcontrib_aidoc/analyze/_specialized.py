"""What one call of a function that dispatches on its argument's class returns.

``def item(value): if isinstance(value, bool): return Bool(...) elif
isinstance(value, int): return Integer(...) ...`` returns the union of
every branch; but ``item(int(raw))`` passes a value whose class is known
*exactly* (``int()`` builds an ``int``, never a subclass), so which
``isinstance`` test holds is decided, and only that branch's ``return``
is reached. This module reads such a call (:func:`specialized_types`):

* the callee is a plain module-level function whose body, past imports
  and a docstring, is a chain of ``if isinstance(param, C): ...`` (with
  ``elif``/``else``) ending in ``return`` statements;
* the argument's exact class comes from syntax: a literal, an f-string,
  ``not x``, a call of the builtin ``int``, ``float``, ``str``,
  ``bytes``, ``bool``, ``list``, ``dict``, ``tuple``, ``set``, or a
  comparison that can only give a ``bool`` (:func:`_boolean_comparison`:
  ``raw == "true"`` with ``raw`` a ``str``);
* each test is decided for that class: a builtin or closed standard-library
  class by Python's own ``issubclass``; a project class never holds an
  exact builtin value (unless a class of its ancestry has a metaclass or a
  standard-library base with one, such as an abstract base class, whose
  ``isinstance`` may say otherwise: then nothing is decided).

Anything undecided (another statement, a test of something else, a class
not known): None, and the call keeps the union of every branch.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._library_bases import (
    closed_class,
    project_ancestry,
    written_class,
)
from sphinxcontrib_aidoc.analyze._narrowing import isinstance_test

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._frame import Frame
    from sphinxcontrib_aidoc.analyze._project import Solver

#: Builtins whose call builds an instance of exactly that class.
_EXACT_CALLS = frozenset(
    {"int", "float", "str", "bytes", "bool", "list", "dict", "tuple", "set"}
)
#: Statements that neither bind a parameter nor return.
_INERT = (ast.Import, ast.ImportFrom, ast.Pass)


def specialized_types(
    solver: Solver, target: str, call: ast.Call, frame: Frame
) -> list[str] | None:
    """The types *call* of *target* gives for its arguments' exact classes, or None."""
    definition = solver.index.defs.get(target)
    callee = solver.frames.get(target)
    node = definition.node if definition is not None else None
    if (
        definition is None
        or callee is None
        or definition.owner is not None
        or not isinstance(node, ast.FunctionDef)
        or node.decorator_list
    ):
        return None
    exact = _exact_arguments(solver, node, call, frame)
    if not exact:
        return None
    reached = _reached(solver, definition.module, node.body, exact)
    if not isinstance(reached, ast.Return) or reached.value is None:
        return None
    return solver.types_of(
        reached.value, specialized_frame(solver, target, callee, exact)
    )


def specialized_frame(
    solver: Solver, target: str, general: Frame, given: dict[str, str]
) -> Frame:
    """*target*'s frame (*general*) with its parameters holding *given*.

    One per target and parameter types, kept: the memo of ``types_of``
    reads frames by id.
    """
    if not given:
        return general
    key = (target, tuple(sorted(given.items())))
    found = solver.specialized.get(key)
    if found is None:
        params = dict(general.params)
        params.update(given)
        found = solver.specialized[key] = replace(general, params=params)
    return found


def _exact_arguments(
    solver: Solver, node: ast.FunctionDef, call: ast.Call, frame: Frame
) -> dict[str, str]:
    """The parameters *call* passes a value of exactly known builtin class."""
    args = node.args
    positional = [a.arg for a in (*args.posonlyargs, *args.args)]
    if any(isinstance(a, ast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords
    ):
        return {}
    passed = dict(zip(positional, call.args, strict=False))
    passed.update((k.arg, k.value) for k in call.keywords if k.arg)
    found: dict[str, str] = {}
    for name, value in passed.items():
        exact = _exact_class(solver, value, frame)
        if exact is not None:
            found[name] = exact
    return found


def _exact_class(solver: Solver, value: ast.expr, frame: Frame) -> str | None:
    """The builtin class *value* is exactly an instance of, by syntax, or None."""
    if isinstance(value, ast.Constant) and type(value.value) in (
        str,
        bytes,
        int,
        float,
        bool,
    ):
        return type(value.value).__name__
    if isinstance(value, ast.JoinedStr):
        return "str"
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not):
        return "bool"
    if isinstance(value, ast.Compare) and _boolean_comparison(solver, value, frame):
        return "bool"
    func = value.func if isinstance(value, ast.Call) else None
    if not isinstance(func, ast.Name) or func.id not in _EXACT_CALLS:
        return None
    scope = solver.index.scopes.get(frame.module)
    shadowed = func.id in frame.local or func.id in frame.params
    if shadowed or (scope is not None and func.id in scope.names):
        return None
    return func.id


#: Operators whose result Python itself makes a ``bool``.
_ALWAYS_BOOL = (ast.Is, ast.IsNot, ast.In, ast.NotIn)
#: Classes whose comparisons with one another give a ``bool`` (a ``None``
#: compared by ``==`` falls back to identity).
_SCALARS = frozenset({"str", "bytes", "int", "float", "bool", "None"})


def _boolean_comparison(solver: Solver, value: ast.Compare, frame: Frame) -> bool:
    """Whether the comparison *value* can only give a ``bool``.

    ``is`` and ``in`` always do (the interpreter converts what
    ``__contains__`` answers). Other operators call the operands' own
    methods, which a class may make answer anything: only operands all
    proven builtin scalars (:data:`_SCALARS`) are known to answer a bool.
    An operand of unknown type (a parameter not proven yet) marks the
    answer undecided (``solver.undecided``): read again once it may be.
    """
    if all(isinstance(op, _ALWAYS_BOOL) for op in value.ops):
        return True
    for operand in (value.left, *value.comparators):
        types = solver.types_of(operand, frame)
        if not types:
            solver.undecided = True
            return False
        if not all(t in _SCALARS for t in types):
            return False
    return True


#: :func:`_reached` ran off the end of a block without returning.
_FELL_THROUGH = "fell through"


def _reached(
    solver: Solver, module: str, body: list[ast.stmt], exact: dict[str, str]
) -> ast.Return | str | None:
    """The ``return`` the dispatch chain in *body* reaches.

    :data:`_FELL_THROUGH` when every statement was inert or a decided test
    and none returned; None when a statement is not decided.
    """
    for index, stmt in enumerate(body):
        if isinstance(stmt, (ast.Import, ast.ImportFrom)) and any(
            (a.asname or a.name.partition(".")[0]) in exact for a in stmt.names
        ):
            return None  # rebinds the parameter
        if isinstance(stmt, _INERT) or (
            index == 0
            and isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Constant)
        ):
            continue
        if isinstance(stmt, ast.Return):
            return stmt
        if not isinstance(stmt, ast.If):
            return None
        holds = _decided(solver, module, stmt.test, exact)
        if holds is None:
            return None
        found = _reached(solver, module, stmt.body if holds else stmt.orelse, exact)
        if found != _FELL_THROUGH:
            return found
    return _FELL_THROUGH


def _decided(
    solver: Solver, module: str, test: ast.expr, exact: dict[str, str]
) -> bool | None:
    """Whether ``isinstance(param, C)`` holds for the parameter's exact class."""
    checked = isinstance_test(test)
    if checked is None or checked[0] not in exact:
        return None
    name, spec = checked
    held = closed_class(f"builtins.{exact[name]}")
    classes = spec.elts if isinstance(spec, ast.Tuple) else [spec]
    if held is None or not classes:
        return None
    results = [_instance(solver, module, held, c) for c in classes]
    if None in results:
        return None
    return any(results)


def _instance(solver: Solver, module: str, held: type, spec: ast.expr) -> bool | None:
    """Whether an exact *held* instance is an instance of the class *spec* names."""
    index = solver.index
    found = index.resolve(module, spec)
    if found is not None and found in index.defs:
        return False if _plain_family(solver, found) else None
    if not isinstance(spec, (ast.Name, ast.Attribute)):
        return None
    cls = written_class(index, module, spec)
    return None if cls is None else issubclass(held, cls)


def _plain_family(solver: Solver, cls: str) -> bool:
    """Whether no class of *cls*'s ancestry may answer ``isinstance`` its own way."""
    index = solver.index
    for step in project_ancestry(index, cls):
        if step is None:
            return False
        definition, outside = step
        for base in outside:
            found = written_class(index, definition.module, base)
            if found is None or type(found) is not type:
                return False  # unknown, or an abstract base class's metaclass
    return True
