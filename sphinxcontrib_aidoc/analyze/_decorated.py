"""What a decorated ``def`` binds: its decorators applied, innermost first.

click's tests write ``@click.command() @click.option("+p", is_flag=True)
def test(p): ...`` in a test, then ``Context(test)``: the name ``test``
holds what ``command()`` makes of the function, a ``Command``. A read of
a name that a function binds by one decorated ``def`` (and nothing else)
is read so (:func:`decorated_types`), each decorator applied to the value
so far, starting from the function itself:

* ``@pytest.mark.*`` gives it back unchanged;
* a call of a project function that makes decorators (a *factory*:
  ``option(...)``, ``command()``) whose reachable ``return`` statements,
  for that call's arguments (:func:`_made_decorators`), all return a
  function defined in it (``return decorator``), or what another factory
  called so returns (``group()``'s ``return command(name, cls, **attrs)``):
  applying it calls that nested function with the value so far. When
  every ``return`` of the nested function returns its parameter unchanged,
  that is the value so far; else what its ``return`` statements give, read
  in its frame (it sees the factory's names: :mod:`._inner_frames`).

Which ``return`` statements a call reaches is decided only from what is
certain about its arguments (:func:`_reached_returns`): a parameter not
passed whose default is ``None`` (with no ``**`` in the call), or passed
a constant, decides ``callable(p)``, ``p is None`` and ``p is not None``;
a local bound to ``None`` is ``None`` until a reached statement binds it
again. An undecided test reaches both branches. A factory whose body may
end without a ``return`` gives ``None`` there, no decorator: unknown.
Anything else (another decorator, a function the decorators leave a
function): unknown.
"""

from __future__ import annotations

import ast
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._frame import complete
from sphinxcontrib_aidoc.analyze._inner_frames import nested_frame
from sphinxcontrib_aidoc.analyze._nested_calls import nested_by_name, nested_returns
from sphinxcontrib_aidoc.analyze._nodes import scope_nodes, statement_nodes
from sphinxcontrib_aidoc.analyze._parametrize import is_mark, only_marks
from sphinxcontrib_aidoc.analyze._passthrough import returned_unchanged
from sphinxcontrib_aidoc.analyze._shape import is_generator
from sphinxcontrib_aidoc.analyze._specialized import specialized_frame
from sphinxcontrib_aidoc.analyze._type_rules import join_types, split_union

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._frame import Frame
    from sphinxcontrib_aidoc.analyze._project import Solver

_Function = ast.FunctionDef | ast.AsyncFunctionDef
#: A decorator a factory call makes: the factory's frame for that call (its
#: parameters holding what the call passes), and the nested function.
_Made = tuple["Frame", _Function]
#: What is certain about a name in one call: ``None``; a constant other
#: than ``None`` (never callable); or only that it is not ``None``.
_NONE, _CONSTANT, _SET = "none", "constant", "set"
#: How many factories may hand a call on to another.
_MAX_HANDED = 3
#: The function itself, before any decorator (a value of no stated type).
_ITSELF: list[str] = []


def decorated_types(solver: Solver, name: str, frame: Frame) -> list[str] | None:
    """The types *name* holds, bound in *frame*'s function by decorated ``def`` statements.

    With several (``def cmd`` twice in a test), a read holds what one of
    them made: every one must be known.
    """
    definition = frame.definition
    if definition is None or name in frame.local or name in frame.params:
        return None
    defined = nested_by_name(solver, frame).get(name, [])
    if (
        not defined
        or any(not node.decorator_list or only_marks(node) for node in defined)
        or _declared_elsewhere(frame, name)
    ):
        return None
    parts: list[str] = []
    for node in defined:
        found = _made_by_decorators(solver, node, frame)
        if found is None:
            return None
        parts.extend(t for t in found if t not in parts)
    return parts


def _made_by_decorators(
    solver: Solver, node: _Function, frame: Frame
) -> list[str] | None:
    """What *node*'s decorators make of it, read in *frame*; None if unknown."""
    memo = solver.memo  # as for a decorator's result (there at depth -1)
    key = (id(node), id(frame), -2)
    if memo is not None and key in memo:
        return memo[key]
    value: list[str] | None = _ITSELF
    for decorator in reversed(node.decorator_list):
        if is_mark(decorator):
            continue
        value = _applied(solver, decorator, frame, value)
        if value is None:
            break
    found = None if value is _ITSELF or not value else value
    if memo is not None:
        memo[key] = found
    return found


def _declared_elsewhere(frame: Frame, name: str) -> bool:
    """Whether *name* is also imported, caught, declared global or nonlocal."""
    for node in frame.own:
        if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)) and any(
            (a.asname or a.name.partition(".")[0]) == name for a in node.names
        ):
            return True
        if isinstance(node, ast.ExceptHandler) and node.name == name:
            return True
        if isinstance(node, ast.ClassDef) and node.name == name:
            return True
    return False


def _applied(
    solver: Solver, decorator: ast.expr, frame: Frame, value: list[str] | None
) -> list[str] | None:
    """What *decorator* (read in *frame*) makes of *value*, or None if unknown.

    A factory's call, or a local the function binds only to such calls
    (``param = click.option(...)`` then ``@param``): any of them.
    """
    calls = [decorator] if isinstance(decorator, ast.Call) else _held(decorator, frame)
    if not calls:
        return None
    made: list[_Made] = []
    for call in calls:
        each = _made_decorators(solver, call, frame, 0)
        if not each:
            return None
        made.extend(each)
    results = [_decorator_result(solver, made_by, value) for made_by in made]
    if all(r is _ITSELF for r in results):
        return _ITSELF  # the function itself, still
    parts: list[str] = []
    for found in results:
        if not found:  # unknown, or the function itself beside other values
            return None
        parts.extend(t for t in found if t not in parts)
    return parts


def _held(decorator: ast.expr, frame: Frame) -> list[ast.Call] | None:
    """The calls a local used as a decorator is bound to, when it is bound only so."""
    if not isinstance(decorator, ast.Name) or decorator.id in frame.params:
        return None
    values = frame.local.get(decorator.id)
    if not values or not all(type(v) is ast.Call for v in values):
        return None  # (a loop's item, an unpacking, an update: not plain calls)
    return [v for v in values if isinstance(v, ast.Call)]


def _decorator_result(
    solver: Solver, made_by: _Made, value: list[str] | None
) -> list[str] | None:
    """What a made decorator returns, called with *value*.

    Its frame sees the factory's frame for the call that made it (``cls``
    is ``Command`` after ``if cls is None: cls = Command`` when the call
    left it ``None``); frames are kept per node and factory frame.
    """
    outer, node = made_by
    if _returns_its_parameter(node):
        return value
    if outer.definition is None:
        return None
    inner = solver.decorator_frames.get((id(node), id(outer)))
    if inner is None:
        inner = nested_frame(node, outer, outer.definition)
        solver.decorator_frames[(id(node), id(outer))] = inner
    # While nothing proven changes (the call sites read), one answer per
    # decorator and factory frame, kept with the memo's (a depth types_of
    # never uses).
    memo = solver.memo
    key = (id(node), id(outer), -1)
    if memo is not None and key in memo:
        return memo[key]
    result = nested_returns(solver, node, inner)
    if memo is not None:
        memo[key] = result
    return result


def _returns_its_parameter(node: _Function) -> bool:
    """Whether every ``return`` of *node* returns its one parameter, never rebound."""
    found = _HANDS_BACK.get(node)
    if found is None:
        found = _HANDS_BACK[node] = _hands_back(node)
    return found


#: :func:`_returns_its_parameter` by node (read once).
_HANDS_BACK: weakref.WeakKeyDictionary[ast.AST, bool] = weakref.WeakKeyDictionary()


def _hands_back(node: _Function) -> bool:
    """Whether *node* takes one parameter and returns it unchanged (``option()``'s)."""
    args = node.args
    return (
        isinstance(node, ast.FunctionDef)
        and len(args.args) == 1
        and not (args.posonlyargs or args.kwonlyargs or args.vararg or args.kwarg)
        and returned_unchanged(node, scope_nodes(node)) == args.args[0].arg
    )


def _made_decorators(
    solver: Solver, call: ast.Call, frame: Frame, handed: int
) -> list[_Made] | None:
    """The nested functions the factory *call* (in *frame*) may return, or None.

    Each with the factory's frame for that call: its parameters hold what
    the call passes (:func:`_passed_types`).
    """
    targets = solver.targets(call, frame)
    if not targets or len(targets) != 1:
        return None
    target = targets[0]
    definition = solver.index.defs.get(target)
    record = solver.index.records.get(target)
    general = solver.frames.get(target)
    node = definition.node if definition is not None else None
    if (
        definition is None
        or record is None
        or general is None
        or record.kind != "function"
        or not isinstance(node, ast.FunctionDef)
        or node.decorator_list
        or is_generator(node.body)
    ):
        return None
    passed, constants = _passed_types(solver, node, call, frame)
    callee = specialized_frame(solver, target, general, passed)
    certain = {
        name: _CONSTANT if name in constants else _NONE if types == "None" else _SET
        for name, types in passed.items()
        if types == "None" or "None" not in split_union(types)
    }
    scope = solver.index.scopes.get(definition.module)
    builtin = not (
        "callable" in general.local
        or "callable" in general.params
        or (scope is not None and "callable" in scope.names)
    )  # else ``callable`` is not the builtin there
    returns = _reached_returns(node.body, certain, builtin_callable=builtin)
    if returns is None:
        return None
    nested = nested_by_name(solver, general)
    found: list[_Made] = []
    for returned in returns:
        value = returned.value
        if isinstance(value, ast.Name) and len(nested.get(value.id, [])) == 1:
            made = nested[value.id][0]
            if (
                value.id in general.local
                or value.id in general.params
                or made.decorator_list  # what is returned is what they made
                or not isinstance(made, ast.FunctionDef)  # a coroutine function
                or is_generator(made.body)  # calling it gives a generator
            ):
                return None
            found.append((callee, made))
            continue
        if isinstance(value, ast.Call) and handed < _MAX_HANDED:
            more = _made_decorators(solver, value, callee, handed + 1)
            if more is None:
                return None
            found.extend(more)
            continue
        return None
    return found


def _passed_types(
    solver: Solver, node: ast.FunctionDef, call: ast.Call, frame: Frame
) -> tuple[dict[str, str], set[str]]:
    """The types *call* passes to *node*'s named parameters, where proven.

    A parameter it does not pass holds its default, when that is ``None``
    and no ``**mapping`` may pass it; a ``*`` unpacking leaves the
    positions unknown. Also the parameters passed a written constant other
    than ``None`` (never callable).
    """
    args = node.args
    positional = [a.arg for a in (*args.posonlyargs, *args.args)]
    if any(isinstance(a, ast.Starred) for a in call.args):
        return {}, set()
    named = {*positional, *(a.arg for a in args.kwonlyargs)}
    given: dict[str, ast.expr] = dict(zip(positional, call.args, strict=False))
    # (a keyword naming no parameter goes to its ``**attrs``)
    given.update((k.arg, k.value) for k in call.keywords if k.arg in named)
    constants = {
        name
        for name, value in given.items()
        if isinstance(value, ast.Constant) and value.value is not None
    }
    found: dict[str, str] = {}
    for name, value in given.items():
        types = solver.types_of(value, frame, 1)
        if types and complete(types):
            found[name] = join_types(types)
    if any(k.arg is None for k in call.keywords):
        return found, constants  # a ``**mapping`` may pass any parameter not named
    defaults = list(
        zip(
            positional[len(positional) - len(args.defaults) :],
            args.defaults,
            strict=True,
        )
    )
    defaults += [
        (a.arg, d)
        for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
        if d is not None
    ]
    for name, default in defaults:
        if (
            name not in given
            and isinstance(default, ast.Constant)
            and default.value is None
        ):
            found[name] = "None"
    return found, constants


def _reached_returns(
    body: list[ast.stmt], certain: dict[str, str], *, builtin_callable: bool
) -> list[ast.Return] | None:
    """The ``return`` statements a call may reach; None if it may end without one.

    *builtin_callable*: whether ``callable`` is the builtin in the body.
    """
    found: list[ast.Return] = []
    if not _walk(body, _Reach(dict(certain), builtin_callable), found):
        return None
    return found


@dataclass
class _Reach:
    """What is certain while a body is walked, by name; and whether ``callable`` is the builtin."""

    certain: dict[str, str]
    builtin_callable: bool

    def copy(self) -> _Reach:
        return _Reach(dict(self.certain), self.builtin_callable)


def _walk(body: list[ast.stmt], reach: _Reach, found: list[ast.Return]) -> bool:
    """Collect the reachable returns of *body* into *found*; True if it never ends.

    (A ``return`` or ``raise`` ends it.) *reach* is updated with what the
    statements bind.
    """
    for stmt in body:
        if isinstance(stmt, ast.Return):
            found.append(stmt)
            return True
        if isinstance(stmt, ast.Raise):
            return True
        if isinstance(stmt, ast.If):
            if _walk_if(stmt, reach, found):
                return True
            continue
        _bind(stmt, reach.certain, found)
    return False


def _walk_if(stmt: ast.If, reach: _Reach, found: list[ast.Return]) -> bool:
    """:func:`_walk` of an ``if``: the decided branch, or both."""
    holds = _decided(stmt.test, reach)
    if holds is not None:
        return _walk(stmt.body if holds else stmt.orelse, reach, found)
    first, second = reach.copy(), reach.copy()
    ends_first = _walk(stmt.body, first, found)
    ends_second = _walk(stmt.orelse, second, found)
    if ends_first and ends_second:
        return True
    after = [
        b.certain
        for b, ends in ((first, ends_first), (second, ends_second))
        if not ends
    ]
    kept = {n: v for n, v in after[0].items() if all(b.get(n) == v for b in after)}
    reach.certain.clear()
    reach.certain.update(kept)
    return False


def _bind(stmt: ast.stmt, certain: dict[str, str], found: list[ast.Return]) -> None:
    """What a statement other than ``if``, ``return`` and ``raise`` makes certain.

    A plain assignment of a constant makes its name certain; any other
    binding makes it uncertain, and any ``return`` inside may be reached.
    """
    if isinstance(stmt, ast.Assign) and all(
        isinstance(t, ast.Name) for t in stmt.targets
    ):
        value = stmt.value
        for target in stmt.targets:
            assert isinstance(target, ast.Name)
            if isinstance(value, ast.Constant):
                certain[target.id] = _NONE if value.value is None else _CONSTANT
            else:
                certain.pop(target.id, None)
        return
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        certain.pop(stmt.name, None)
        return
    for node in statement_nodes([stmt]):
        if isinstance(node, ast.Return):
            found.append(node)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            certain.pop(node.id, None)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                certain.pop(name, None)


def _decided(test: ast.expr, reach: _Reach) -> bool | None:
    """Whether *test* holds, when what is certain decides it; else None."""
    certain = reach.certain
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _decided(test.operand, reach)
        return None if inner is None else not inner
    if (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Name)
        and test.func.id == "callable"
        and reach.builtin_callable
        and len(test.args) == 1
        and not test.keywords
        and isinstance(test.args[0], ast.Name)
        and certain.get(test.args[0].id) in (_NONE, _CONSTANT)
    ):
        return False  # ``None`` and the written constants are not callable
    if (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], (ast.Is, ast.IsNot))
        and isinstance(test.left, ast.Name)
        and test.left.id in certain
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        is_none = certain[test.left.id] == _NONE
        return is_none if isinstance(test.ops[0], ast.Is) else not is_none
    return None
