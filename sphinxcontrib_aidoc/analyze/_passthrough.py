"""What a call of a function that returns its argument unchanged gives.

``def _echo(self, data): self._output.write(data); return data`` returns
the very object it is passed: whatever its parameter's documented type
(often unknown, when its callers pass different things), one call of it
gives what that call passes. ``self._echo(self._input.read(n))`` is a
``bytes`` when ``read`` gives one.

The rule is syntactic and narrow (:func:`returned_parameter`): a plain
function or method (not ``async``, not a generator, no decorator) whose
every ``return`` (none in a nested function counts) returns one and the
same parameter, bound once by the call and never rebound in the body, and
whose body never falls off its end (that would return ``None``). The
argument must be passed by the call (by position or name, not through an
unpacking); anything else: None, and the call keeps its callee's return
type. A list, dict or set passed with its item types is not read through
either: the function may add items of other types before returning it.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._arguments import passed_arguments
from sphinxcontrib_aidoc.analyze._shape import always_exits

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._frame import Frame
    from sphinxcontrib_aidoc.analyze._project import Solver

#: Containers whose items the function may change before returning them.
_FILLED = frozenset({"list", "dict", "set"})
#: Parameter kinds a call binds to one argument.
_SINGLE = frozenset({"positional_only", "positional_or_keyword", "keyword_only"})


def returned_parameter(solver: Solver, target: str) -> str | None:
    """The parameter *target* always returns unchanged, or None (see module doc)."""
    cache = solver.passthrough
    if target not in cache:
        cache[target] = _returned_parameter(solver, target)
    return cache[target]


def _returned_parameter(solver: Solver, target: str) -> str | None:
    definition = solver.index.defs.get(target)
    frame = solver.frames.get(target)
    record = solver.index.records.get(target)
    node = definition.node if definition is not None else None
    if (
        frame is None
        or record is None
        or not isinstance(node, ast.FunctionDef)
        or record.kind not in ("function", "method")
    ):
        return None
    name = returned_unchanged(
        node, frame.own
    )  # the body's nodes, nested scopes left out
    params = {p.name: p for p in record.params}
    first = record.params[0].name if record.params else None
    if (
        name is None
        or name not in params
        or params[name].kind not in _SINGLE
        or name in frame.local
        or (record.kind == "method" and name == first)
    ):
        return None
    return name


def returned_unchanged(node: ast.FunctionDef, own: list[ast.AST]) -> str | None:
    """The parameter every ``return`` of *node* returns, never rebound; or None.

    Syntax only (*own*: the body's nodes, nested scopes left out): *node*
    is not decorated nor a generator, never falls off its end, and each of
    its ``return`` statements returns one and the same parameter, which no
    statement of it binds again.
    """
    if node.decorator_list or not node.body or not always_exits(node.body):
        return None
    if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in own):
        return None
    returned = {
        n.value.id if isinstance(n.value, ast.Name) else None
        for n in own
        if isinstance(n, ast.Return)
    }
    if len(returned) != 1 or None in returned:
        return None
    (name,) = returned
    assert name is not None
    args = node.args
    every = (*args.posonlyargs, *args.args, *args.kwonlyargs)
    if name not in {a.arg for a in every} or any(
        isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load)
        for n in own
    ):
        return None
    return name


def returned_argument(
    solver: Solver, call: ast.Call, frame: Frame, target: str
) -> list[str] | None:
    """The types *call* of *target* gives when *target* returns its argument."""
    name = returned_parameter(solver, target)
    if name is None:
        return None
    site = passed_arguments(call, frame, solver.index.records[target], target)
    argument = site[1].get(name) if site is not None else None
    if argument is None:
        return None
    given = solver.types_of(argument, frame, 1)
    if given and any(t.partition("[")[0] in _FILLED and "[" in t for t in given):
        return None  # the function may add items of another type to it
    return given
