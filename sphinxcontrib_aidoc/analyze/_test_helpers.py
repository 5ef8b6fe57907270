"""The tests' helper functions: their parameters, as the tests call them.

Tests often reach the project through a helper of their own module::

    def _get_completions(cli, args, incomplete):
        comp = ShellComplete(cli, {}, cli.name, "_CLICK_COMPLETE")
        return comp.get_completions(args, incomplete)

    def test_command():
        assert _get_completions(cli, [], "-") == [...]

The helper's calls into the project are call sites (:mod:`._callsites`),
but its parameters are of unknown type, so they prove nothing. A helper's
parameter without a default is given the types the tests' calls pass
(each proven, complete), as a project function's parameters are given
theirs, when:

* it is a plain function at the top level of a test module (no
  decorator, not a test or a fixture: pytest never calls it);
* every use of its name in its module is a call read in a test frame,
  and no other module names it (an import could call it unseen);
* every call passes every such parameter by position or name, without
  unpacking.

These types only serve to read the helper's own calls: nothing is stated
about the helper itself.
"""

from __future__ import annotations

import ast
from collections import Counter
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._displays import absorbed, empty_kind
from sphinxcontrib_aidoc.analyze._frame import Frame, complete
from sphinxcontrib_aidoc.analyze._local_calls import arguments_passed, required_names
from sphinxcontrib_aidoc.analyze._nodes import FUNCTIONS
from sphinxcontrib_aidoc.analyze._param_flow import stated

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._project import Solver

_Function = ast.FunctionDef | ast.AsyncFunctionDef
#: A call of a helper: the calling frame and what it passes, by parameter.
_Call = tuple[Frame, dict[str, ast.expr]]


class TestHelpers:
    """The helpers of the tests read and the calls that reach them."""

    __test__ = False  # not a pytest class, whatever the name says

    def __init__(self, solver: Solver) -> None:
        self.solver = solver
        #: Per helper frame, its parameters and the calls that pass them.
        self.calls: list[tuple[Frame, list[str], list[_Call]]] = []
        frames = {id(f.definition.node): f for f in solver.site_frames if f.definition}
        by_module: dict[str, list[Frame]] = {}
        for frame in solver.site_frames:
            by_module.setdefault(frame.module, []).append(frame)
        for module in sorted(solver.index.site_modules):
            tree = solver.index.trees.get(module)
            if tree is not None:
                self._read(module, tree, frames, by_module.get(module, []))

    def _read(
        self,
        module: str,
        tree: ast.Module,
        frames: dict[int, Frame],
        in_module: list[Frame],
    ) -> None:
        helpers = {
            stmt.name: stmt
            for stmt in tree.body
            if isinstance(stmt, FUNCTIONS)
            and not stmt.decorator_list
            and not stmt.name.startswith("test")
            and id(stmt) in frames
        }
        if not helpers:
            return
        every = self.solver.index.every_node(module)
        # A name bound anywhere else in the module is not just the function.
        bound = Counter(
            n.id
            for n in every
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        )
        bound.update(
            s.name for s in tree.body if isinstance(s, (*FUNCTIONS, ast.ClassDef))
        )
        helpers = {n: f for n, f in helpers.items() if bound[n] == 1}
        calls: dict[str, list[_Call]] = {name: [] for name in helpers}
        read: set[int] = set()
        for frame in in_module:
            for node in frame.own:
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in helpers
                    and node.func.id not in frame.local
                    and node.func.id not in frame.params
                    and node.func.id not in frame.shadowing()
                ):
                    read.add(id(node.func))
                    passed = arguments_passed(node, helpers[node.func.id])
                    if passed is None:
                        calls.pop(node.func.id, None)
                    elif node.func.id in calls:
                        calls[node.func.id].append((frame, passed))
        for node in every:
            if (
                isinstance(node, ast.Name)
                and isinstance(node.ctx, ast.Load)
                and id(node) not in read
            ):
                calls.pop(node.id, None)  # used other than by a call read
        for name, found in calls.items():
            if not found or self.solver.index.named_by_sites(name, besides=module):
                continue
            function = helpers[name]
            self.calls.append((frames[id(function)], required_names(function), found))

    def update(self) -> bool:
        """Type the helpers' parameters as their calls now prove; whether any moved."""
        moved = False
        bases = self.solver.index.bases
        for frame, params, calls in self.calls:
            for name in params:
                types: set[str] = set()
                empty: list[str] = []  # ``[]`` is a ``list[T]`` the others give
                for caller, passed in calls:
                    if caller is frame:  # recursion passes nothing new
                        continue
                    kind = empty_kind(passed[name])
                    if kind is not None:
                        empty.append(kind)
                        continue
                    found = self.solver.types_of(passed[name], caller)
                    if found is None or not complete(found):
                        types.clear()
                        break
                    types.update(found)
                if empty and not absorbed(empty, sorted(types)):
                    types.clear()
                type_ = stated(types, bases) if types else None
                if frame.params.get(name) != type_:
                    frame.params[name] = type_
                    moved = True
        return moved
