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
import builtins
from collections.abc import Container, Iterable

from sphinxcontrib_aidoc.analyze._arguments import Site, passed_arguments
from sphinxcontrib_aidoc.analyze._call_filter import CallFilter
from sphinxcontrib_aidoc.analyze._call_resolution import unbound_method
from sphinxcontrib_aidoc.analyze._class_attrs import (
    bound_only_in_class_bodies,
    class_bound_names,
)
from sphinxcontrib_aidoc.analyze._displays import absorbed, empty_kind
from sphinxcontrib_aidoc.analyze._fixtures import bind_fixtures
from sphinxcontrib_aidoc.analyze._forwarded import forward
from sphinxcontrib_aidoc.analyze._frame import Frame, complete
from sphinxcontrib_aidoc.analyze._held_classes import argument_names, held_parameters
from sphinxcontrib_aidoc.analyze._index import called_as_written
from sphinxcontrib_aidoc.analyze._inner_frames import (
    close_over,
    expected_to_raise,
    nested_frames,
)
from sphinxcontrib_aidoc.analyze._local_calls import LocalCalls
from sphinxcontrib_aidoc.analyze._method_factories import method_owners
from sphinxcontrib_aidoc.analyze._module_walks import (
    CALLED,
    CLASS_HELD,
    HELD,
    TABLE,
    resolve_path,
    used_names,
)
from sphinxcontrib_aidoc.analyze._nodes import FUNCTIONS
from sphinxcontrib_aidoc.analyze._param_cycles import assumed
from sphinxcontrib_aidoc.analyze._param_flow import Flow, Key, ancestors, stated
from sphinxcontrib_aidoc.analyze._parametrize import (
    bind_parametrized,
    only_marks,
    parametrized_types,
)
from sphinxcontrib_aidoc.analyze._project import Solver
from sphinxcontrib_aidoc.analyze._site_uses import (
    COMMON_METHODS,
    accepts_more,
)
from sphinxcontrib_aidoc.analyze._spread import spread_calls
from sphinxcontrib_aidoc.analyze._super_reach import SuperReach
from sphinxcontrib_aidoc.analyze._walks_apart import WalksApart
from sphinxcontrib_aidoc.analyze._why_untyped import why_untyped

_BOUND = ("method", "classmethod")
_VARIADIC = ("var_positional", "var_keyword")


class _Sites:
    """Call sites per callee, and the callees that something else may reach."""

    def __init__(self, solver: Solver) -> None:
        self.solver = solver
        self.index = solver.index
        self.sites: dict[str, list[Site]] = {}
        self.poisoned: set[str] = set()
        #: Method names used in a way that cannot be resolved.
        self.open_names: set[str] = set()
        #: The project's methods (called on an instance), by name.
        self.methods: dict[str, list[str]] = {}
        for qualname, definition in self.index.defs.items():
            record = self.index.records[qualname]
            if definition.owner is not None and record.kind in _BOUND:
                self.methods.setdefault(record.name, []).append(qualname)
        #: ``obj.name(...)`` calls of a project method name whose receiver
        #: was of unknown class when read: their sites depend on what is
        #: proven (:meth:`settle`).
        self.unresolved: list[tuple[ast.Call, Frame]] = []
        self._settled: tuple[int, tuple[str | None, ...]] | None = None
        self.reach = SuperReach(solver)
        self._read_state: tuple[dict[str, list[Site]], set[str], set[str]] = (
            {},
            set(),
            set(),
        )
        #: Ids of the argument maps of sites a call on an object of unknown
        #: class makes (it may reach the method, or not).
        self.speculative: set[int] = set()
        self._read_speculative: set[int] = set()
        #: The call of each site known to reach its callee, by the id of
        #: its argument map (:mod:`._forwarded` reads their keywords).
        self.calls: dict[int, ast.Call] = {}
        self._read_calls: dict[int, ast.Call] = {}
        #: Ids of the argument maps of sites that are only the keywords a
        #: caller hands on through ``**kwargs`` (:mod:`._forwarded`).
        self.partial: set[int] = set()
        #: :func:`~._held_classes.held_parameters` of each function read,
        #: by the id of its node (asked for every call of a plain name).
        self._held_parameters: dict[int, dict[str, list[ast.expr]]] = {}
        #: Ids of the argument maps of ``super().name(...)`` calls in the
        #: tests' overrides of a project method ``name``.
        self.handed_up: set[int] = set()
        #: ``(module, name, path)`` of what class bodies bind to a name
        #: (:data:`~._module_walks.CLASS_HELD`), read once every module is.
        self._class_held: list[tuple[str, str, tuple[str, ...]]] = []
        #: The frames of methods, by module (for :meth:`_self_reads`).
        self._methods_by_module: dict[str, list[Frame]] | None = None

    def collect(self) -> None:
        """Read every call and every other use of a project name."""
        bind_fixtures(self.index, self.solver.site_frames)
        bind_parametrized(self.solver.site_frames)
        close_over(self.solver.site_frames)
        frames = (
            *self.solver.frames.values(),
            *self.solver.site_frames,
            *nested_frames(self.solver.frames.values()),
        )
        self._made_methods(frames)
        self.local = LocalCalls(self.solver, frames)
        self._local_frames = self.local.frames()
        needed = CallFilter(self.solver, frames).needed
        covered = {
            id(node)
            for frame in frames
            for node in frame.own
            if isinstance(node, ast.Call)
        }
        walks = self.solver.walks
        apart = WalksApart.start(
            walks,
            [m for m in self.index.trees if walks.kept(m) is None],
            covered,
            lambda module: self.index.scopes[module].names,
            self._self_reads,
        )
        self.solver.memo = {}  # nothing proven changes while calls are read
        try:
            for frame in frames:
                failing = expected_to_raise(frame.own)
                for node in frame.own:
                    if (
                        isinstance(node, ast.Call)
                        and id(node) not in failing
                        and needed(node, frame)
                    ):
                        self._call(node, frame)
        finally:
            self.solver.memo = None
            if apart is not None:
                apart.finish()
        tables: list[tuple[str, tuple[str, ...]]] = []
        self._class_held.clear()
        for module in self.index.trees:
            tables.extend(self._uses(module, covered))
        self._tables(tables)
        self._class_bound()
        self._read_state = (
            {k: list(v) for k, v in self.sites.items()},
            set(self.poisoned),
            set(self.open_names),
        )
        self._read_speculative = set(self.speculative)
        self._read_calls = dict(self.calls)
        self.settle()

    def _made_methods(self, frames: Iterable[Frame]) -> None:
        """``self`` of the methods factories make holds their classes' instances."""
        owners = method_owners(self.index)
        for frame in frames:
            node = frame.definition.node if frame.definition else None
            made = owners.get(id(node))
            if made is not None:
                frame.params[made[0]] = made[1]

    def settle(self) -> None:
        """Add the sites of :attr:`unresolved` calls as their receivers now are.

        A receiver proven an instance of a project class (with the types the
        project pass proved, or assumed: :mod:`._param_cycles`) reaches its
        class's method and overrides only; an unknown one may reach any
        method of that name (:meth:`_unknown_receiver`). Nothing is read
        again while the types proven (or assumed) are those of the last time.
        """
        proven = self._proven()
        if proven == self._settled:
            return
        self._settled = proven
        sites, poisoned, open_names = self._read_state
        self.sites = {k: list(v) for k, v in sites.items()}
        self.poisoned = set(poisoned)
        self.open_names = set(open_names)
        self.speculative = set(self._read_speculative)
        self.calls = dict(self._read_calls)
        memo = self.solver.memo
        if memo is None:
            self.solver.memo = {}
        try:
            for call, frame in self.unresolved:
                assert isinstance(call.func, ast.Attribute)
                targets = self.solver.targets(call, frame)
                if targets is None:
                    self._unknown_receiver(call, call.func.attr, frame)
                else:
                    self._resolved(call, frame, targets)
        finally:
            self.solver.memo = memo
        self.partial = forward(self.sites, self.calls, self.index, self._complete)

    def _complete(self, function: str) -> bool:
        """Whether every call that may reach *function* is among the sites."""
        if function in self.poisoned:
            return False
        record = self.index.records[function]
        owner = self.index.defs[function].owner if function in self.index.defs else None
        if owner is not None and record.name in self.open_names:
            return False
        return not any(
            id(passed) in self.speculative for _, passed in self.sites.get(function, ())
        )

    def _call(self, call: ast.Call, frame: Frame) -> None:
        targets = self.solver.targets(call, frame)
        if targets is None:
            method = unbound_method(self.solver, call, frame)
            if method is not None:
                self._unbound(call, frame, method)
                return
            targets = self.reach.test_super(call, frame)
            if targets:
                self._resolved(call, frame, targets, up=True)
                return
        if targets is None and isinstance(call.func, ast.Name):
            targets = self._held_parameter(call.func.id, frame)
        if targets is None:
            if self.reach.outside(call, frame):
                return
            if isinstance(call.func, ast.Attribute):
                if (
                    call.func.attr in self.methods
                    and not self._never_known(call.func.value, frame)
                ) or self._held_callable(call.func, frame):
                    self.unresolved.append((call, frame))
                else:  # no project method has the name, or it stays unknown
                    self._unknown_receiver(call, call.func.attr, frame)
            return
        self._resolved(call, frame, targets)

    def _proven(self) -> tuple[int, tuple[str | None, ...]]:
        """What the receivers' types depend on (return types only grow)."""
        solver = self.solver
        params = tuple(t for f in solver.frames.values() for t in f.params.values())
        helpers = tuple(t for f in solver.site_frames for t in f.params.values())
        return len(solver.returns), params + helpers + self.local.proven()

    def _held_parameter(self, name: str, frame: Frame) -> list[str] | None:
        """The project classes a parameter defaulting to None holds to call.

        The function's own (:func:`~._held_classes.held_parameters`), or, in
        a nested function that neither takes nor binds *name*, the one
        around it's.
        """
        definition = frame.definition
        local: Container[str] = frame.local
        while definition is not None and isinstance(definition.node, FUNCTIONS):
            node = definition.node
            held = self._held_parameters.get(id(node))
            if held is None:
                held = self._held_parameters[id(node)] = held_parameters(node)
            leaves = held.get(name)
            if leaves is not None:
                module = definition.module
                found = [self.index.resolve(module, leaf) for leaf in leaves]
                if all(self._is_class(f) for f in found):
                    return sorted({f for f in found if f is not None})
                return None
            if name in argument_names(node.args) or (
                name in local and not self._closed_over(name, node)
            ):
                return None
            outer, nested, _ = definition.qualname.rpartition(".<nested>.")
            if not nested:
                return None
            definition = self.index.defs.get(outer)
            local = ()
        return None

    @staticmethod
    def _closed_over(name: str, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """Whether *name* is only read in *node* (a nested function's free name)."""
        return not any(
            isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load)
            for n in ast.walk(node)
        )

    def _held_callable(self, func: ast.Attribute, frame: Frame) -> bool:
        """Whether ``self.name(...)`` may call an instance ``self.name`` holds.

        What the attribute holds may be proven only later (a return type
        the pass proves): the call is read again then (:meth:`settle`), and
        reaches that class's ``__call__`` (:func:`~._receivers.called_instance`).
        """
        owner = func.value
        return (
            "__call__" in self.methods
            and frame.cls is not None
            and isinstance(owner, ast.Name)
            and owner.id == frame.self_name
            and owner.id not in frame.local
        )

    def _never_known(self, receiver: ast.expr, frame: Frame) -> bool:
        """Whether *receiver* is a parameter the pass never types (a test's)."""
        definition = frame.definition
        return (
            isinstance(receiver, ast.Name)
            and type(frame.params) is dict
            and receiver.id in frame.params
            and receiver.id not in frame.local
            and (definition is None or definition.qualname not in self.solver.frames)
            and id(frame) not in self._local_frames
        )

    def _resolved(
        self, call: ast.Call, frame: Frame, targets: list[str], *, up: bool = False
    ) -> None:
        """Sites of *targets*; *up*: a tests' override calls what it overrides."""
        calls = spread_calls(call, frame) or [call]
        for target in targets:
            callee = self._callee(target)
            if callee is None:
                continue
            record = self.index.records[callee]
            sites = [(c, passed_arguments(c, frame, record, target)) for c in calls]
            if any(site is None for _, site in sites):
                self.poisoned.add(callee)
                continue
            for made, site in sites:
                assert site is not None
                self.sites.setdefault(callee, []).append(site)
                self.calls[id(site[1])] = made
                if up:
                    self.handed_up.add(id(site[1]))

    def _unbound(self, call: ast.Call, frame: Frame, method: str) -> None:
        """``Base.name(self, ...)``: a site of *method*, the instance passed first."""
        args = call.args
        if not args or isinstance(args[0], ast.Starred):
            self.poisoned.add(method)
            return
        bound = ast.Call(func=call.func, args=args[1:], keywords=call.keywords)
        site = passed_arguments(bound, frame, self.index.records[method], method)
        if site is None:
            self.poisoned.add(method)
        else:
            self.sites.setdefault(method, []).append(site)
            self.calls[id(site[1])] = bound

    def _unknown_receiver(self, call: ast.Call, name: str, frame: Frame) -> None:
        """``obj.name(...)`` on an object of unknown class: a site of every ``name``.

        The call may reach any project method of that name (or none), so it
        counts as a call site of each whose signature it fits (one that
        unpacks passes only what it names; a method whose signature cannot
        take the call is not reached by it). A name that
        builtin and standard objects also have (``write``, ``append``,
        ``get``) is left open instead: such calls mostly reach those.
        """
        methods = self.methods.get(name)
        if name in COMMON_METHODS or not methods:
            self.open_names.add(name)
            return
        for method in methods:
            site = passed_arguments(call, frame, self.index.records[method], method)
            if site is None:
                continue  # its signature does not take this call: not reached
            # A call that unpacks passes what it names definitely; the rest
            # is marked as possibly given (:func:`~._arguments.passed_arguments`).
            self.sites.setdefault(method, []).append(site)
            self.speculative.add(id(site[1]))

    def _callee(self, target: str) -> str | None:
        """The function a call of *target* runs (a class: its ``__init__``)."""
        definition = self.index.defs[target]
        if isinstance(definition.node, ast.ClassDef):
            return self.index.method(target, "__init__")
        return target

    def _uses(
        self, module: str, covered: set[int]
    ) -> list[tuple[str, tuple[str, ...]]]:
        """Poison what is used other than by a call the frames resolved.

        Per module, what :func:`~._module_walks.used_names` finds, kept
        from the last pass while the module is unchanged. The names in
        class tables are returned (with their module), for :meth:`_tables`.
        """
        walks = self.solver.walks
        walk = walks.kept(module)
        if walk is None:
            names = self.index.scopes[module].names
            opened, used, self_read = used_names(
                walks.nodes(module), covered, names, self._self_reads(module)
            )
            walks.record_used(module, opened, used, self_read)
        else:
            opened, used, self_read = walk.opened, walk.used, walk.self_read
        self.open_names.update(opened)
        self.open_names.update(
            name for name, cls in self_read if self._has_method(cls, name)
        )
        tables: list[tuple[str, tuple[str, ...]]] = []
        held: dict[str, list[tuple[str, ...]]] = {}
        for path in used:
            if path[0] == TABLE and module in self.index.site_modules:
                tables.append((module, path[1:]))
                continue
            if path[0] == HELD:
                held.setdefault(path[1], []).append(path[2:])
                continue
            if path[0] == CLASS_HELD:  # read once every module is
                self._class_held.append((module, path[1], path[2:]))
                continue
            # The project's own list: anyone importing the module may call
            # what it holds.
            found = self._used(module, path[2:] if path[0] == TABLE else path)
            if found is not None:
                self._poison(found)
        for definition in self.index.defs.values():
            if (
                definition.module == module
                and not called_as_written(definition)
                and not only_marks(definition.node)  # a test pytest calls
            ):
                self._poison(definition.qualname)
        self._held_locals(module, held)
        return tables

    def _self_reads(self, module: str) -> dict[int, str]:
        """``self.name`` reads (their ids) in *module*'s methods, to their class."""
        if self._methods_by_module is None:
            grouped: dict[str, list[Frame]] = {}
            for frame in self.solver.frames.values():
                if frame.cls is not None and frame.self_name is not None:
                    grouped.setdefault(frame.module, []).append(frame)
            self._methods_by_module = grouped
        found: dict[int, str] = {}
        for frame in self._methods_by_module.get(module, ()):
            name = frame.self_name
            if frame.cls is None or name is None:
                continue
            if name in frame.local:
                continue  # rebound: not always the instance
            found.update(
                (id(node), frame.cls)
                for node in frame.own
                if isinstance(node, ast.Attribute)
                and isinstance(node.ctx, ast.Load)
                and isinstance(node.value, ast.Name)
                and node.value.id == name
            )
        return found

    def _has_method(self, cls: str, name: str) -> bool:
        """Whether instances of *cls* may find a project method *name*.

        A name some class body binds to another (``handler = run``) may be
        a project function read through the instance: it counts too.
        """
        index = self.index
        if name in class_bound_names(index):
            return True
        seen: set[str] = set()
        stack = [cls]
        while stack:  # every project ancestor, past any outside the project
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                if f"{current}.{name}" in index.defs:
                    return True
                stack.extend(index.bases.get(current, []))
        return any(True for _ in index.overrides(cls, name))

    def _held_locals(self, module: str, held: dict[str, list[tuple[str, ...]]]) -> None:
        """Poison what a local holds to call, unless only project classes."""
        for paths in held.values():
            classes = [resolve_path(self.index, module, p) for p in paths]
            if not all(self._is_class(c) for c in classes):
                # Not only project classes: its calls are not read as theirs.
                for qualname in classes:
                    if qualname is not None:
                        self._poison(qualname)

    def _class_bound(self) -> None:
        """Poison what class bodies bind to a name, unless only called through it.

        ``context_class = Context`` hands ``Context`` on as a value, unless
        every use of ``context_class`` is a call through an instance that
        the call resolution reads as a call of the class
        (:func:`~._class_attrs.held_attribute_classes`): a name called on
        an unknown receiver or read other than by a call opens it.
        """
        for module, name, path in self._class_held:
            found = resolve_path(self.index, module, path)
            if found is not None and (
                not self._is_class(found)
                or name in self.open_names
                or name in self.methods
                or not bound_only_in_class_bodies(self.solver, name)
            ):
                self._poison(found)

    def _is_class(self, qualname: str | None) -> bool:
        definition = self.index.defs.get(qualname or "")
        return definition is not None and isinstance(definition.node, ast.ClassDef)

    def _tables(self, tables: list[tuple[str, tuple[str, ...]]]) -> None:
        """Poison the classes of the class tables another module may read.

        A table (:mod:`._class_tables`) hands its classes to nothing in its
        own module; another module importing it, or reading an attribute of
        its name, may call them.
        """
        # By name, as the tests spell it (the project's own modules never
        # import them): a table's module may be spelled many ways.
        for module, (table, *path) in tables:
            if table in self.open_names or self.index.named_by_sites(
                table, besides=module
            ):
                found = resolve_path(self.index, module, tuple(path))
                if found is not None:
                    self._poison(found)

    def _used(self, module: str, path: tuple[str, ...]) -> str | None:
        """The project name a use of *path* hands on, if any."""
        if CALLED not in path:
            return resolve_path(self.index, module, path)
        # ``owner.name(...)``, a call read: the owner is handed to it
        owner = resolve_path(self.index, module, path[: path.index(CALLED)])
        if owner is not None and self._unbound_call(owner, path[-1]):
            return None  # ``Base.name(self, ...)``: its site is read
        return owner

    def _unbound_call(self, cls: str, name: str) -> bool:
        """Whether ``cls.name(...)`` calls an instance method of project class *cls*.

        It is read as a call site of that method (:meth:`_unbound`) and
        hands the class to nothing; a class method or any other attribute
        may build an instance unseen (``cls(...)``).
        """
        definition = self.index.defs.get(cls)
        if definition is None or not isinstance(definition.node, ast.ClassDef):
            return False
        method = self.index.method(cls, name)
        record = self.index.records.get(method or "")
        return record is not None and record.kind == "method"

    def _poison(self, qualname: str) -> None:
        definition = self.index.defs.get(qualname)
        if definition is None:
            return
        callee = self._callee(qualname)
        if callee is not None:
            self.poisoned.add(callee)

    def types(self, *, assume: bool = False) -> dict[str, dict[str, str]]:
        """The parameter types every call site of a callee agrees on.

        With *assume*, parameters that only a cycle of calls leaves unknown
        are typed by an assumption their call sites confirm
        (:func:`~._param_cycles.assumed`).
        """
        if self.local.update():  # nested functions' parameters, as now proven
            self.solver.attributes.reset()
        flow = Flow()
        solved = self._solve(into=flow, every=assume)
        if assume:
            frames = self.solver.frames
            # Any parameter a call site reaches, whatever else may reach it:
            # an assumption may show that nothing else does.
            candidates = [
                k
                for k in self._keys(every=True)
                if k not in solved and k[0] in frames and k[1] in frames[k[0]].params
            ]
            for key in candidates:
                if not flow.opened(key):
                    self._read(flow, key, every=True)
            try:
                confirmed = assumed(
                    candidates,
                    {k: flow.partial(k) for k in candidates},
                    frames,
                    self._solve,
                    self._forget,
                )
            finally:
                self.solver.memo = None
                self.settle()
            solved.update(confirmed)
        rows = parametrized_types(self.solver, (*self.poisoned, *self.sites))
        solved.update(rows)
        found: dict[str, dict[str, str]] = {}
        for (callee, name), types in solved.items():
            type_ = stated(types, self.index.bases)
            if type_ is not None:
                found.setdefault(callee, {})[name] = type_
        for qualname, definition in self.index.defs.items():
            if isinstance(definition.node, ast.ClassDef):
                init = self.index.method(qualname, "__init__")
                if init in found:
                    found[qualname] = found[init]
        return found

    def _solve(
        self,
        keys: Iterable[Key] | None = None,
        *,
        into: Flow | None = None,
        every: bool = False,
    ) -> dict[Key, set[str]]:
        """The types of the parameters (*keys*, or all) every call site passes.

        *into* keeps what was read; with *every*, every site is read
        (:meth:`_read`).
        """
        memo = self.solver.memo
        if memo is None:  # nothing proven changes while the calls are read
            self.solver.memo = {}
        try:
            self.settle()
            valid = self._keys()
            if keys is not None:
                wanted = set(keys)
                valid = [k for k in valid if k in wanted]
            flow = Flow() if into is None else into
            for key in valid:
                self._read(flow, key, every=every)
        finally:
            self.solver.memo = memo
        return flow.solve()

    def _forget(self) -> None:
        """Drop answers computed under other parameter types (an assumption's)."""
        self.solver.attributes.reset()
        self.solver.memo = {}

    def _keys(self, *, every: bool = False) -> list[Key]:
        """The parameters without a default whose every call site is read.

        With *every*, also those something else may reach.
        """
        keys: list[Key] = []
        for callee in self.sites:
            definition = self.index.defs[callee]
            if not every and (
                callee in self.poisoned
                or (definition.owner and _name(callee) in self.open_names)
            ):
                continue
            record = self.index.records[callee]
            frame = self.solver.frames.get(callee)
            open_params = accepts_more(frame.own) if frame else set()
            keys.extend(
                (callee, param.name)
                for param in record.params
                if param.default is None
                and param.kind not in _VARIADIC
                and not param.type
                and param.name not in open_params
            )
        return keys

    def _read(self, flow: Flow, key: Key, *, every: bool = False) -> None:
        """What every call site passes to the parameter *key*.

        A site of unknown type makes *key* unknown; with *every*, the other
        sites are still read (:meth:`Flow.partial`: what an assumption
        starts from).
        """
        flow.open(key)
        direct: set[str] = set()
        guessed: list[list[str]] = []
        empties: list[str] = []  # kinds of the empty displays passed
        for frame, passed in self.sites[key[0]]:
            value = passed.get(key[1])
            if value is None and id(passed) in self.partial:
                continue  # keywords handed on by a caller: the rest is the call's
            if self._handed_up(value, frame, passed, key):
                continue
            kind = None if value is None else empty_kind(value)
            if kind is not None:
                empties.append(kind)  # a ``list[T]`` whatever ``T``: see below
                continue
            source = None if value is None else self._source(value, frame)
            if source is not None:
                flow.passes(key, source)
                continue
            types = None if value is None else self.solver.types_of(value, frame)
            if value is not None and not (types and complete(types)):
                # An object of unknown class whose method only the project
                # has is the project's: ``cmd.make_context(...)``.
                types = self.solver.guessed_types(value, frame, self.methods)
            if not types or not complete(types):
                flow.unknown(key)
                if not every:
                    return
                continue
            if id(passed) in self.speculative:
                guessed.append(types)
            else:
                direct.update(types)
                flow.add(key, types)
        if not self._guesses_hold(flow, key, direct, guessed):
            return
        if empties and not absorbed(empties, sorted(direct)):
            # ``Headers([])`` with ``Headers(rows)`` passing a
            # ``list[tuple[bytes, bytes]]``: the empty list is one too;
            # alone, or beside no container of its kind, nothing is known.
            flow.unknown(key)

    def _guesses_hold(
        self, flow: Flow, key: Key, direct: set[str], guessed: list[list[str]]
    ) -> bool:
        """Add what guessed sites pass; False (*key* unknown) if they may differ.

        A call on an object of unknown class passing what no call known to
        reach the method passes may not reach it at all, or may: either
        way, the type is not known. An instance of a subclass of what they
        pass (``OSError`` where ``BaseException`` is passed) is one of those
        already.
        """
        for types in guessed:
            if direct and not all(self._covered(t, direct) for t in types):
                flow.unknown(key)
                return False
            if not direct:
                flow.add(key, types)
        return True

    def _handed_up(
        self,
        value: ast.expr | None,
        frame: Frame,
        passed: dict[str, ast.expr],
        key: Key,
    ) -> bool:
        """Whether *value* is what a tests' override hands to the method it overrides.

        ``def resolve(self, ctx, args): return super().resolve(ctx, args)``
        in a class of the tests: the override runs for calls the project
        reads as calls of its own method of that name (on ``self``, or on
        an object of unknown class), so its parameter holds only what those
        sites pass, which are already read.
        """
        definition = frame.definition
        return (
            id(passed) in self.handed_up
            and isinstance(value, ast.Name)
            and value.id == key[1]
            and value.id in frame.params
            and value.id not in frame.local
            and definition is not None
            and definition.node.name == _name(key[0])
        )

    def _covered(self, type_: str, passed: set[str]) -> bool:
        """Whether an instance of *type_* is an instance of one of *passed*."""
        if type_ in passed:
            return True
        if type_.startswith("~"):
            above = ancestors(type_[1:], self.index.bases)
            return any(p.startswith("~") and p[1:] in above for p in passed)
        cls = getattr(builtins, type_, None)
        return isinstance(cls, type) and any(
            isinstance(getattr(builtins, p, None), type)
            and issubclass(cls, getattr(builtins, p))
            for p in passed
        )

    def _source(self, value: ast.expr, frame: Frame) -> Key | None:
        """The caller's own parameter *value* passes on, if its type is open."""
        definition = frame.definition
        if (
            isinstance(value, ast.Name)
            and definition is not None
            and definition.qualname in self.solver.frames
            and value.id in frame.params
            and value.id not in frame.local
            and frame.params[value.id] is None
            and not self.solver.names.checked(value, frame)[1]
        ):  # an ``isinstance`` check around the read proves its type there
            return definition.qualname, value.id
        return None


class CallSites:
    """The project's call sites, read once; their types, asked each round."""

    def __init__(self, solver: Solver) -> None:
        self._sites = _Sites(solver)
        self._sites.collect()
        self._assumed = False

    def types(self, *, assume: bool = False) -> dict[str, dict[str, str]]:
        """Parameter types proven by the call sites, by callee qualname.

        With *assume*, also those a cycle of calls confirms
        (:mod:`._param_cycles`): once (again, after what it confirmed has
        been proven further, it seldom finds more, at the cost of a second
        reading of every open call site).
        """
        assume, self._assumed = assume and not self._assumed, self._assumed or assume
        return self._sites.types(assume=assume)

    def handed_on(self) -> list[tuple[Key, Key]]:
        """``(caller, parameter)`` to ``(callee, parameter)``: passed straight on.

        Every call whose argument is one of the calling function's own
        parameters, not rebound (:mod:`._passed_on` reads them).
        """
        found: list[tuple[Key, Key]] = []
        for callee, sites in self._sites.sites.items():
            for frame, passed in sites:
                definition = frame.definition
                if definition is None:
                    continue
                for name, value in passed.items():
                    if (
                        isinstance(value, ast.Name)
                        and value.id in frame.params
                        and value.id not in frame.local
                    ):
                        found.append(((definition.qualname, value.id), (callee, name)))
        return found

    def why_not(self, callee: str, param: str) -> str:
        """Why parameter *param* of *callee* got no type (for benchmarks).

        The nested functions' parameters are typed first, as a round does.
        """
        if self._sites.local.update():
            self._sites.settle()
        return why_untyped(self._sites, callee, param)


def _name(qualname: str) -> str:
    return qualname.rpartition(".")[2]
