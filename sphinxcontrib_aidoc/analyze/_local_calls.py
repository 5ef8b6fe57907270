"""Parameters of nested functions, typed by the calls around them.

A function defined inside another (a test's helper ``def conn(role): ...``,
a closure) can be reached only through its name in the function around
it. When every use of that name there is a plain call (``conn(CLIENT)``),
those calls are all its call sites, and a parameter without a default
holds one of the values they pass: :class:`LocalCalls` gives it the union
of their types when every one is proven complete, as the call-site reader
(:mod:`._callsites`) does for the project's functions.

A nested function decorated by a project function that only calls the
function it wraps (``@pass_context`` over a test's ``def cli(ctx)``) is
called only by that decorator: its calls there are the call sites
(:meth:`LocalCalls._through_decorator`). Nothing is claimed for a nested
function under any other decorator (its name then holds what the
decorator returns), whose name the function around binds
again or declares ``nonlocal``/``global``, or that an inner scope
shadows; nor when any use of the name is not a call (passed, returned,
stored), a call unpacks ``*args``/``**kwargs`` or does not fit the
signature, or a call is in no frame the pass reads.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._frame import Frame, complete
from sphinxcontrib_aidoc.analyze._inner_frames import (
    enclosing_frames,
    nested_functions,
)
from sphinxcontrib_aidoc.analyze._nodes import FUNCTIONS, walk
from sphinxcontrib_aidoc.analyze._type_rules import join_types

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._project import Solver

_Function = ast.FunctionDef | ast.AsyncFunctionDef
#: One call of a nested function: the frame it is read in, and what it
#: passes to each parameter without a default, by name.
_Call = tuple[Frame, dict[str, ast.expr]]


class LocalCalls:
    """The nested functions called only by name, and their parameters' types."""

    def __init__(self, solver: Solver, frames: Iterable[Frame]) -> None:
        self.solver = solver
        frames = list(frames)
        by_node = {id(f.definition.node): f for f in frames if f.definition}
        reading: dict[int, Frame] = {}  # the frame each call is read in
        #: Each nested function read, with its parameters' call sites.
        self.callees: list[tuple[Frame, dict[str, list[ast.expr | None]], list[Frame]]]
        self.callees = []
        for frame in enclosing_frames(frames):
            enclosing = frame.definition.node if frame.definition else None
            if not isinstance(enclosing, FUNCTIONS):
                continue
            for child in nested_functions(enclosing):
                callee = by_node.get(id(child))
                if callee is not None and not reading:
                    reading = {
                        id(n): f
                        for f in frames
                        for n in f.own
                        if isinstance(n, ast.Call)
                    }
                if callee is None:
                    continue
                if child.decorator_list:
                    calls = self._through_decorator(frame, child, reading)
                else:
                    calls = _calls(enclosing, child, reading)
                if calls is not None:
                    self._add(callee, child, calls)

    def _through_decorator(
        self, frame: Frame, child: _Function, reading: dict[int, Frame]
    ) -> list[_Call] | None:
        """The calls of *child* its innermost decorator makes, or None if unknown.

        ``@pass_context`` over ``def cli(ctx)``, where the project's
        ``pass_context(f)`` only calls ``f`` (``f(current(), *args)``) and
        hands it to :func:`functools.update_wrapper`/:func:`functools.wraps`
        (which read its attributes, never call it): those calls are the
        only calls of *child* (its name holds what the decorator returns).
        A parameter a call passes only through ``*args``/``**kwargs`` is
        not passed anything known.
        """
        decorator = child.decorator_list[-1]
        if not isinstance(decorator, (ast.Name, ast.Attribute)):
            return None
        call = ast.Call(func=decorator, args=[], keywords=[])
        found = self.solver.targets(call, frame)
        if not found or len(found) != 1:
            return None
        definition = self.solver.index.defs.get(found[0])
        if definition is None or definition.owner is not None:
            return None
        node = definition.node
        if not isinstance(node, FUNCTIONS) or node.decorator_list:
            return None
        scope = self.solver.index.scopes.get(definition.module)
        calls = _wrapper_calls(node, scope.names if scope else {})
        if calls is None:
            return None
        found_calls: list[_Call] = []
        for made in calls:
            where = reading.get(id(made))
            if where is None:
                return None
            found_calls.append((where, _named(made, child)))
        return found_calls

    def _add(self, callee: Frame, node: _Function, calls: list[_Call]) -> None:
        names = required_names(node)
        passed: dict[str, list[ast.expr | None]] = {n: [] for n in names}
        for _, arguments in calls:
            for name in names:
                passed[name].append(arguments.get(name))
        self.callees.append((callee, passed, [f for f, _ in calls]))

    def frames(self) -> set[int]:
        """Ids of the frames whose parameters :meth:`update` types."""
        return {id(callee) for callee, _, _ in self.callees}

    def proven(self) -> tuple[str | None, ...]:
        """The types given so far (what the readers' answers depend on)."""
        return tuple(
            callee.params.get(name)
            for callee, passed, _ in self.callees
            for name in passed
        )

    def update(self) -> bool:
        """Type each parameter by what its calls pass now; whether any changed."""
        changed = False
        for callee, passed, where in self.callees:
            for name, values in passed.items():
                type_ = self._type(values, where)
                if callee.params.get(name) != type_:
                    callee.params[name] = type_
                    changed = True
        return changed

    def _type(self, values: list[ast.expr | None], where: list[Frame]) -> str | None:
        if not values:
            return None
        parts: list[str] = []
        for value, frame in zip(values, where, strict=True):
            found = None if value is None else self.solver.types_of(value, frame)
            if not found or not complete(found):
                return None
            parts.extend(found)
        return join_types(sorted(set(parts)))


def _calls(
    enclosing: _Function, child: _Function, reading: dict[int, Frame]
) -> list[_Call] | None:
    """Every call of *child* by name in *enclosing*, or None if not all are."""
    if child.decorator_list:
        return None
    name = child.name
    calls: list[_Call] = []
    called: set[int] = set()
    for node in ast.walk(enclosing):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == name:
                frame = reading.get(id(node))
                passed = arguments_passed(node, child)
                if frame is None or passed is None:
                    return None
                calls.append((frame, passed))
                called.add(id(node.func))
        elif _binds(node, name, child):
            return None
    uses = [
        n
        for n in walk(enclosing)
        if isinstance(n, ast.Name) and n.id == name and id(n) not in called
    ]
    return None if uses else calls


def _binds(node: ast.AST, name: str, child: _Function) -> bool:
    """Whether *node* binds (or shadows) *name* other than as *child*'s ``def``."""
    if (
        isinstance(node, (*FUNCTIONS, ast.ClassDef))
        and node is not child
        and node.name == name
    ):
        return True
    if isinstance(node, (*FUNCTIONS, ast.Lambda)):
        arguments = node.args
        every = (
            *arguments.posonlyargs,
            *arguments.args,
            *arguments.kwonlyargs,
            *(a for a in (arguments.vararg, arguments.kwarg) if a is not None),
        )
        return any(a.arg == name for a in every)
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return name in node.names
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return any((a.asname or a.name.partition(".")[0]) == name for a in node.names)
    if isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)):
        return node.name == name
    return False


def required_names(node: _Function) -> list[str]:
    """The parameters of *node* without a default (not ``*args``/``**kwargs``)."""
    arguments = node.args
    positional = [*arguments.posonlyargs, *arguments.args]
    plain = positional[: len(positional) - len(arguments.defaults)]
    keywords = [
        a
        for a, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
        if default is None
    ]
    return [a.arg for a in (*plain, *keywords)]


def arguments_passed(call: ast.Call, node: _Function) -> dict[str, ast.expr] | None:
    """What *call* passes to each parameter of *node*; None if it does not map."""
    arguments = node.args
    positional = [a.arg for a in (*arguments.posonlyargs, *arguments.args)]
    by_name = {a.arg for a in (*arguments.args, *arguments.kwonlyargs)}
    passed: dict[str, ast.expr] = {}
    for i, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            return None
        if i < len(positional):
            passed[positional[i]] = arg
        elif arguments.vararg is None:
            return None
    for keyword in call.keywords:
        if keyword.arg is None:
            return None
        if keyword.arg in by_name and keyword.arg not in passed:
            passed[keyword.arg] = keyword.value
        elif arguments.kwarg is None:
            return None
    if any(n not in passed for n in required_names(node)):
        return None
    return passed


#: What a decorator may hand the function it wraps to, besides calling it.
_WRAPPING = frozenset({"functools.update_wrapper", "functools.wraps"})


def _wrapper_calls(
    decorator: _Function, names: dict[str, str]
) -> list[ast.Call] | None:
    """The calls *decorator* makes of its first parameter, or None if it may escape.

    Every use of the parameter's name in the decorator (and the functions
    nested in it) must be a call of it or an argument of
    :data:`_WRAPPING`; a nested scope that binds the name again leaves it
    unknown.
    """
    arguments = decorator.args
    positional = [*arguments.posonlyargs, *arguments.args]
    if not positional or len(positional) - len(arguments.defaults) != 1:
        return None
    if any(d is None for d in arguments.kw_defaults):
        return None
    name = positional[0].arg
    calls: list[ast.Call] = []
    allowed: set[int] = set()
    for node in ast.walk(decorator):
        if node is not decorator and _binds(node, name, decorator):
            return None
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id == name:
                calls.append(node)
                allowed.add(id(node.func))
            elif _dotted(node.func, names) in _WRAPPING:
                allowed.update(id(a) for a in node.args)
    for node in ast.walk(decorator):
        if isinstance(node, ast.Name) and node.id == name and id(node) not in allowed:
            return None
    return calls


def _dotted(expr: ast.expr, names: dict[str, str]) -> str | None:
    """``functools.wraps`` for ``wraps``/``functools.wraps`` as the module imports it."""
    if isinstance(expr, ast.Name):
        return names.get(expr.id)
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
        origin = names.get(expr.value.id)
        return None if origin is None else f"{origin}.{expr.attr}"
    return None


def _named(call: ast.Call, node: _Function) -> dict[str, ast.expr]:
    """What *call* passes by name or position to *node*'s parameters, definitely.

    Positions after a ``*args`` and names a ``**kwargs`` may give are not
    known: those parameters are left out (passed nothing known).
    """
    arguments = node.args
    positional = [a.arg for a in (*arguments.posonlyargs, *arguments.args)]
    by_name = {a.arg for a in (*arguments.args, *arguments.kwonlyargs)}
    passed: dict[str, ast.expr] = {}
    for i, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred) or i >= len(positional):
            break
        passed[positional[i]] = arg
    for keyword in call.keywords:
        if keyword.arg is not None and keyword.arg in by_name:
            passed.setdefault(keyword.arg, keyword.value)
    return passed
