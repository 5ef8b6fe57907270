"""The project pass's fixed point: return types, then call-site types, again.

:func:`solve` runs rounds until nothing changes (at most
:data:`MAX_ROUNDS`; each round only adds types, so it ends anyway): a
round proves the return types left open (:func:`function_returns`: the
union of every ``return``'s proven type), reads the call sites
(:mod:`._callsites`, with assumptions once nothing else moves) and what
parameters with a default hold inside their functions (:mod:`._defaulted`).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._call_resolution import (
    BOTTOM,
    FUNCTION_KINDS,
    without_bottom,
)
from sphinxcontrib_aidoc.analyze._defaulted import defaulted_types
from sphinxcontrib_aidoc.analyze._displays import absorbed, empty_kind
from sphinxcontrib_aidoc.analyze._frame import complete, not_none
from sphinxcontrib_aidoc.analyze._nodes import (
    FUNCTIONS,
    body_of,
    decorator_names,
    text,
)
from sphinxcontrib_aidoc.analyze._rules import last_part
from sphinxcontrib_aidoc.analyze._shape import (
    always_exits,
    called,
    does_nothing,
    ends_in_calls,
    is_generator,
    not_implemented,
)
from sphinxcontrib_aidoc.analyze._test_helpers import TestHelpers
from sphinxcontrib_aidoc.analyze._type_rules import join_types, split_union

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._frame import Frame
    from sphinxcontrib_aidoc.analyze._project import Solver

#: Rounds of the fixed point (each round only adds types, so it ends anyway).
MAX_ROUNDS = 12


def solve(solver: Solver) -> None:
    """Prove return types, then call-site types, until nothing changes."""
    from sphinxcontrib_aidoc.analyze._callsites import CallSites  # noqa: PLC0415 - cycle

    sites = CallSites(solver)
    solver.call_sites = sites
    helpers = TestHelpers(solver)
    held: dict[str, dict[str, str]] = {}
    for _ in range(MAX_ROUNDS):
        changed = _returns_round(solver)
        if helpers.update():  # the tests' helpers, as the tests call them
            changed = True
        found = sites.types()
        if not changed and found == solver.params:  # settled: try assumptions
            found = sites.types(assume=True)
        if found != solver.params:
            solver.params = found
            _refresh_params(solver)
            changed = True
        # A parameter with a default passed on to another holds what the first
        # holds: settle such chains here, not one link per (costly) round.
        for _ in range(MAX_ROUNDS):
            defaulted = defaulted_types(solver, sites._sites)
            if defaulted == held:
                break
            _hold(solver, held, defaulted)
            held = defaulted
            changed = True
        if not changed:
            return


def _refresh_params(solver: Solver) -> None:
    for qualname, frame in solver.frames.items():
        for name, type_ in solver.params.get(qualname, {}).items():
            frame.params[name] = type_


def _hold(
    solver: Solver, old: dict[str, dict[str, str]], held: dict[str, dict[str, str]]
) -> None:
    """What parameters with a default hold, in their frames only."""
    for qualname, types in old.items():
        for name in types:
            solver.frames[qualname].params[name] = None
    for qualname, types in held.items():
        frame = solver.frames[qualname]
        for name, type_ in types.items():
            frame.params[name] = type_


def _returns_round(solver: Solver) -> bool:
    changed = False
    solver.attributes.reset()
    for qualname, frame in solver.frames.items():
        again = qualname in solver.refinable
        if (qualname in solver.returns and not again) or not _open(solver, qualname):
            continue
        # A return proven before a parameter it depends on (an undecided
        # specialization: ``item(raw == "true")``) is read again each round:
        # the parameter's proof can only narrow it.
        solver.undecided = False
        found = function_returns(solver, qualname, frame)
        if solver.undecided:
            solver.refinable.add(qualname)
        else:
            solver.refinable.discard(qualname)
        if (
            found is not None
            and found != solver.returns.get(qualname)
            and _refines(solver, qualname, found)
        ):
            solver.returns[qualname] = found
            changed = True
    return changed


def _refines(solver: Solver, qualname: str, found: str) -> bool:
    """Whether *found* may replace the per-module analysis's return type.

    A type it left open, always; a complete one (a ``None`` from a fall-off
    after a call), only by dropping that ``None``.
    """
    returns = solver.index.records[qualname].returns
    known = split_union(returns.type) if returns and returns.type else None
    if known is None or not complete(known):
        return True
    kept = split_union(found)
    return "None" not in kept and set(kept) == set(known) - {"None"}


def _open(solver: Solver, qualname: str) -> bool:
    """Whether the per-module analysis left this function's return type open."""
    record = solver.index.records[qualname]
    returns = record.returns
    return (
        (record.kind in FUNCTION_KINDS or record.kind == "property")
        and not record.is_generator
        and record.name != "__init__"
        and returns is not None
        and returns.inferred
        and returns.evidence != "rule"
        and (
            returns.type is None
            or not complete(split_union(returns.type))
            or _falls_off_after_call(solver, qualname, returns.type)
        )
    )


def _falls_off_after_call(solver: Solver, qualname: str, type_: str) -> bool:
    """Whether the ``None`` of *type_* may come only from a call that never returns.

    ``self.fail(message)`` ending a function, where ``fail`` always raises:
    the per-module analysis counts the end as a fall-off (``None``); the
    project pass knows better (:func:`function_returns`).
    """
    definition = solver.index.defs.get(qualname)
    return (
        definition is not None
        and "None" in split_union(type_)
        and ends_in_calls(body_of(definition.node))
    )


def function_returns(solver: Solver, qualname: str, frame: Frame) -> str | None:
    """The union of the proven types of every ``return`` of a function, or None."""
    node = frame.definition.node if frame.definition else None
    if not isinstance(node, FUNCTIONS) or is_generator(node.body):
        return None
    if frame.cls is not None and (not_implemented(node) or does_nothing(node)):
        return _hook(solver, frame.cls, node)
    parts: list[str] = []
    values = [n for n in frame.own if isinstance(n, ast.Return)]
    if not values:
        return None
    checked = not_none(body_of(node), frame)
    kinds: list[str] = []
    for stmt in values:
        if stmt.value is None:
            parts.append("None")
            continue
        kind = empty_kind(stmt.value)
        if kind is not None:  # an empty container takes the other returns' type
            kinds.append(kind)
            continue
        if isinstance(stmt.value, ast.Call) and solver.targets(stmt.value, frame) == [
            qualname
        ]:
            continue  # a recursive call gives what the other branches give
        found = solver.types_of(stmt.value, frame)
        if found is None or not complete(found):
            return None
        if id(stmt) in checked:
            found = [t for t in found if t != "None"]
        parts.extend(found)
    if kinds and not absorbed(kinds, parts):
        if parts or frame.cls is None:
            return None
        return _overridden(solver, frame.cls, node.name, kinds)
    if not always_exits(body_of(node), lambda s: _never_returns(solver, s, frame)):
        parts.append("None")
    kept = without_bottom(parts)
    return join_types(kept) if kept else None


def _never_returns(solver: Solver, stmt: ast.stmt, frame: Frame) -> bool:
    """Whether *stmt* is a call the project pass proves never returns."""
    call = called(stmt)
    return call is not None and solver.types_of(call, frame) == [BOTTOM]


def _hook(
    solver: Solver, cls: str, node: ast.FunctionDef | ast.AsyncFunctionDef
) -> str | None:
    """What an abstract method (``raise NotImplementedError``) or a hook returns.

    The first: what its overrides return (:func:`_overridden`). A hook does
    nothing (``pass``) and is overridden: ``None`` itself, or what any
    project override returns (each proven):
    the type a call on an instance of the family gives. An abstract method
    (``@abstractmethod``, or one of a ``Protocol``) never runs as the
    instance's own: only the overrides count. None when nothing overrides
    it (its own ``None`` is the per-module analysis's to state).
    """
    name = node.name
    if not_implemented(node):
        return _overridden(solver, cls, name)
    if next(solver.index.overrides(cls, name), None) is None:
        return None
    found = _overridden(solver, cls, name)
    if found is None:
        return None
    abstract = "abstractmethod" in map(last_part, decorator_names(node)) or any(
        last_part(text(b)) == "Protocol"
        for b in getattr(solver.index.defs[cls].node, "bases", [])
    )
    return found if abstract else join_types([*split_union(found), "None"])


def _overridden(
    solver: Solver, cls: str, name: str, empty: list[str] | None = None
) -> str | None:
    """What every project override of an abstract method *name* returns.

    A method that only raises ``NotImplementedError`` declares what its
    subclasses implement: its type is the union of theirs, when there is
    one and each is proven (one that never returns adds nothing). One
    that only returns *empty* containers (``return []``) too, when every
    override's type is a container of that kind (``list[str]``: an
    empty list is one).
    """
    parts: list[str] = []
    for override in solver.index.overrides(cls, name):
        found = solver.return_type(override)
        if found is None or not complete(split_union(found)):
            return None
        parts.extend(split_union(found))
    kept = [p for p in parts if p != BOTTOM]
    if empty is not None and not all(absorbed(empty, [k]) for k in kept):
        return None
    return join_types(kept) if kept else None
