"""Parameter types from how the project calls a function (its call sites).

A parameter without a default says nothing of its type; the calls the
project makes (its own code and its tests, read with :mod:`ast`) may. The
type stated is the union of what every call site passes, and only when all
of these hold (the precision guard):

* every call site the project has was found and mapped to the parameter:
  the function (class, method) is never used other than by being called
  (not passed as a callback, stored, or decorated with anything that may
  change its signature), no call unpacks ``*args``/``**kwargs`` into it,
  and no call elsewhere (module level, a nested function, ``obj.name(...)``
  on an object of unknown class) could reach it unseen: a method is
  disqualified as soon as any call or use of its name cannot be resolved;
* every argument passed has a proven, complete type (see
  :meth:`~._project.Solver.types_of`);
* at least one call site exists.

A class's calls type its ``__init__`` (and the class's own parameters).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from sphinxcontrib_aidoc.analyze._frame import Frame, complete
from sphinxcontrib_aidoc.analyze._index import plain
from sphinxcontrib_aidoc.analyze._nodes import FUNCTIONS
from sphinxcontrib_aidoc.analyze._project import Solver
from sphinxcontrib_aidoc.analyze._type_rules import join_types
from sphinxcontrib_aidoc.model import ObjectInfo, Param

_POSITIONAL = ("positional_only", "positional_or_keyword")
_VARIADIC = ("var_positional", "var_keyword")
#: One call site: where it is, and what it passes to each parameter by name.
_Site = tuple[Frame, dict[str, ast.expr]]


class _Sites:
    """Call sites per callee, and the callees that something else may reach."""

    def __init__(self, solver: Solver) -> None:
        self.solver = solver
        self.index = solver.index
        self.sites: dict[str, list[_Site]] = {}
        self.poisoned: set[str] = set()
        #: Method names used in a way that cannot be resolved.
        self.open_names: set[str] = set()

    def collect(self) -> None:
        """Read every call and every other use of a project name."""
        covered: set[int] = set()
        self.solver.memo = {}  # nothing proven changes while calls are read
        try:
            for frame in (*self.solver.frames.values(), *self.solver.site_frames):
                for node in frame.own:
                    if isinstance(node, ast.Call):
                        covered.add(id(node))
                        self._call(node, frame)
        finally:
            self.solver.memo = None
        for module, tree in self.index.trees.items():
            self._uses(module, tree, covered)

    def _call(self, call: ast.Call, frame: Frame) -> None:
        targets = self.solver.targets(call, frame)
        if targets is None:
            if isinstance(call.func, ast.Attribute):
                self.open_names.add(call.func.attr)
            return
        unpacked = any(isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords
        )
        for target in targets:
            callee = self._callee(target)
            if callee is None:
                continue
            if unpacked:
                self.poisoned.add(callee)
                continue
            site = self._site(call, frame, self.index.records[callee], target)
            if site is None:
                self.poisoned.add(callee)
            else:
                self.sites.setdefault(callee, []).append(site)

    def _callee(self, target: str) -> str | None:
        """The function a call of *target* runs (a class: its ``__init__``)."""
        definition = self.index.defs[target]
        if isinstance(definition.node, ast.ClassDef):
            return self.index.method(target, "__init__")
        return target

    def _site(
        self, call: ast.Call, frame: Frame, callee: ObjectInfo, target: str
    ) -> _Site | None:
        """What one call passes to each parameter; None if it does not map."""
        params = list(callee.params)
        through_class = target != callee.qualname
        bound = callee.kind in ("method", "classmethod") or through_class
        if bound and params and params[0].kind in _POSITIONAL:
            params = params[1:]
        positional = [p for p in params if p.kind in _POSITIONAL]
        by_name = {p.name: p for p in params if p.kind != "positional_only"}
        passed: dict[str, ast.expr] = {}
        for i, arg in enumerate(call.args):
            if i >= len(positional):
                if not any(p.kind == "var_positional" for p in params):
                    return None
                continue
            passed[positional[i].name] = arg
        for keyword in call.keywords:
            name = keyword.arg or ""
            if name in by_name and name not in passed:
                passed[name] = keyword.value
            elif not any(p.kind == "var_keyword" for p in params):
                return None
        if any(p.required and p.name not in passed for p in params):
            return None
        return frame, passed

    def _uses(self, module: str, tree: ast.Module, covered: set[int]) -> None:
        """Poison what is used other than by a call the frames resolved."""
        every = self.index.every_node(module)
        called = {id(n.func) for n in every if isinstance(n, ast.Call)}
        called.update(_type_positions(every))
        for node in every:
            if isinstance(node, ast.Call) and id(node) not in covered:
                self._unseen_call(module, node)
            elif (
                isinstance(node, (ast.Name, ast.Attribute))
                and isinstance(node.ctx, ast.Load)
                and id(node) not in called
            ):
                if isinstance(node, ast.Attribute):
                    self.open_names.add(node.attr)
                found = self.index.resolve(module, node)
                if found is not None:
                    self._poison(found)
        for definition in self.index.defs.values():
            if definition.module == module and not plain(definition):
                self._poison(definition.qualname)

    def _unseen_call(self, module: str, call: ast.Call) -> None:
        """A call outside the analysed functions: whatever it reaches is open."""
        if isinstance(call.func, ast.Attribute):
            self.open_names.add(call.func.attr)
        found = self.index.resolve(module, call.func)
        if found is not None:
            self._poison(found)

    def _poison(self, qualname: str) -> None:
        definition = self.index.defs.get(qualname)
        if definition is None:
            return
        callee = self._callee(qualname)
        if callee is not None:
            self.poisoned.add(callee)

    def types(self) -> dict[str, dict[str, str]]:
        """The parameter types every call site of a callee agrees on."""
        found: dict[str, dict[str, str]] = {}
        for callee, sites in self.sites.items():
            definition = self.index.defs[callee]
            if callee in self.poisoned or (
                definition.owner and _name(callee) in self.open_names
            ):
                continue
            record = self.index.records[callee]
            frame = self.solver.frames.get(callee)
            open_params = _accepts_more(frame.own) if frame else set()
            params = tuple(p for p in record.params if p.name not in open_params)
            typed = dict(_agreed(self.solver, params, sites))
            if typed:
                found[callee] = typed
        for qualname, definition in self.index.defs.items():
            if isinstance(definition.node, ast.ClassDef):
                init = self.index.method(qualname, "__init__")
                if init in found:
                    found[qualname] = found[init]
        return found


class CallSites:
    """The project's call sites, read once; their types, asked each round."""

    def __init__(self, solver: Solver) -> None:
        self._sites = _Sites(solver)
        self._sites.collect()

    def types(self) -> dict[str, dict[str, str]]:
        """Parameter types proven by the call sites, by callee qualname."""
        return self._sites.types()


#: Builtins that convert what they are given (so take many types of it).
_CONVERSIONS = frozenset(
    {
        "int",
        "float",
        "str",
        "bytes",
        "bool",
        "list",
        "tuple",
        "set",
        "frozenset",
        "dict",
    }
)


def _accepts_more(own: list[ast.AST]) -> set[str]:
    """Names the body tests (``isinstance``) or converts (``int(name)``).

    Such a function is written to take several kinds of value, so what its
    callers happen to pass is not its parameter's type.
    """
    found: set[str] = set()
    for node in own:
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and (node.func.id in _CONVERSIONS or node.func.id == "isinstance")
        ):
            found.update(a.id for a in node.args[:1] if isinstance(a, ast.Name))
    return found


def _agreed(
    solver: Solver, params: tuple[Param, ...], sites: list[_Site]
) -> Iterator[tuple[str, str]]:
    for param in params:
        if param.default is not None or param.kind in _VARIADIC or param.type:
            continue
        parts: list[str] = []
        for frame, passed in sites:
            value = passed.get(param.name)
            types = None if value is None else solver.types_of(value, frame)
            if not types or not complete(types):
                break
            parts.extend(types)
        else:
            if parts:
                yield param.name, join_types(parts)


#: Calls whose second argument names classes only to test an object against.
_CLASS_TESTS = frozenset({"isinstance", "issubclass"})


def _type_positions(every: list[ast.AST]) -> set[int]:
    """Nodes that name a class only as a type: never a way to call it unseen.

    A class tested against (``isinstance(x, C)``, ``except C``, ``type(x)
    is C``), subclassed (calls through a subclass are call sites of the
    ``__init__`` it inherits) or written in an annotation.
    """
    found: list[ast.AST] = []
    for node in every:
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _CLASS_TESTS
            and len(node.args) == 2
        ):
            found.append(node.args[1])
        elif isinstance(node, ast.ExceptHandler) and node.type is not None:
            found.append(node.type)
        elif isinstance(node, ast.ClassDef):
            found.extend(node.bases)
        elif isinstance(node, ast.Compare) and all(
            isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops
        ):
            found.extend(node.comparators)
            found.append(node.left)
        elif isinstance(node, ast.arg) and node.annotation is not None:
            found.append(node.annotation)
        elif isinstance(node, FUNCTIONS) and node.returns is not None:
            found.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            found.append(node.annotation)
    ids: set[int] = set()
    for root in found:
        if isinstance(root, ast.Tuple):
            ids.update(id(e) for e in root.elts)
        elif isinstance(root, (ast.Name, ast.Attribute)):
            ids.add(id(root))
        elif not isinstance(root, ast.Call):
            ids.update(id(n) for n in ast.walk(root))  # an annotation
    return ids


def _name(qualname: str) -> str:
    return qualname.rpartition(".")[2]
