"""Types proven across the whole project, after the per-module analysis.

The per-module analysis (one module and what astroid infers of its
imports) leaves a return type unknown when a ``return`` calls a project
function whose own type is only found by analysing it, and it never types
a parameter without a default. This pass reads every module's :mod:`ast`
once (:class:`~._index.ProjectIndex`), takes the per-module records as
given, and proves more, to a fixed point:

* **return types through project calls.** A function whose every
  ``return`` value has a known type gets their union: literals and other
  syntax, ``self``, a local bound once, a parameter of known type, and a
  call to project functions (their stated or proven return type), classes
  (an instance: ``~pkg.mod.Class``) or methods (``self.m()`` may dispatch
  to any override in a project subclass: all of them count). A method that
  only raises contributes nothing; a recursive call neither. A builtin
  whose result type is fixed (``str()``, ``len()``) counts when not
  shadowed; an attribute of an instance of a project class has the types
  of every value the project assigns to it (:mod:`._attributes`), and a
  method called on such an instance dispatches like ``self.m()``; a tuple
  or comprehension is typed from its elements. Rounds repeat
  until nothing changes, so a chain of calls resolves however long it is.
  More facts feed it: an attribute declared in a class body, a property's
  getter, an empty container filled across methods (:mod:`._attributes`,
  :mod:`._attr_items`), an enum member (:mod:`._enums`); operators on
  builtin values and ``+=`` (:mod:`._operators`), a local a loop rebinds
  from itself (:mod:`._carried`); a small table of standard-library calls,
  methods and objects (:mod:`._known_calls`, :mod:`._stdlib_objects`); a
  module-level name bound once, the checks around a read of a name
  (``isinstance``, ``is not None``) and the bindings that reach it
  (:mod:`._names`, :mod:`._narrowing`, :mod:`._reaching`). A union of
  sibling project classes is written as their common base
  (:mod:`._classes_join`).
* **parameters from call sites** (:mod:`._callsites`): a parameter without
  a default gets the type every call site in the project (and its tests)
  passes, when every one is proven and nothing else can reach the
  function; a parameter passed straight on takes its own callers' types
  (:mod:`._param_flow`); sibling classes give their common base.

The pass itself needs no inference (a parse per module), and is skipped
when no record leaves it anything to prove (:func:`settled`: a fully
annotated package). In a build,
:mod:`._package_pass` runs it once per top-level package and stores the
types it changed under a key of every module of the package and its tests
(the per-module analyses keep their own keys), so an edit anywhere re-runs
the pass but re-analyses only what the edit touches.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._arguments import BOUND_KINDS, POSITIONAL
from sphinxcontrib_aidoc.analyze._attributes import Attributes
from sphinxcontrib_aidoc.analyze._built import built_type, keeps_items, widened
from sphinxcontrib_aidoc.analyze._call_resolution import (
    return_type,
    targets,
    unbound_method,
    without_bottom,
)
from sphinxcontrib_aidoc.analyze._carried import carried_types, reads_itself
from sphinxcontrib_aidoc.analyze._casts import cast_types, written_type
from sphinxcontrib_aidoc.analyze._class_attrs import held_class_call, local_class_call
from sphinxcontrib_aidoc.analyze._classes_join import common_base
from sphinxcontrib_aidoc.analyze._decorated import decorated_types
from sphinxcontrib_aidoc.analyze._displays import (
    collection_types,
    display_types,
    items_of,
    join_with_empty,
)
from sphinxcontrib_aidoc.analyze._enums import enum_member
from sphinxcontrib_aidoc.analyze._facts import syntax_types
from sphinxcontrib_aidoc.analyze._fixed_point import function_returns, solve
from sphinxcontrib_aidoc.analyze._frame import (
    Augmented,
    Caught,
    Entered,
    Frame,
    ItemOf,
    Returned,
    Unpacked,
    complete,
    empty,
    frame_of,
    module_code_frame,
    site_frame,
)
from sphinxcontrib_aidoc.analyze._index import ProjectIndex, Scope
from sphinxcontrib_aidoc.analyze._iterators import BUILTINS as ITERATING_BUILTINS
from sphinxcontrib_aidoc.analyze._iterators import (
    builtin_types,
    container_method_types,
)
from sphinxcontrib_aidoc.analyze._known_calls import (
    known_call_types,
    module_value_types,
)
from sphinxcontrib_aidoc.analyze._module_walks import ModuleWalks
from sphinxcontrib_aidoc.analyze._names import Names
from sphinxcontrib_aidoc.analyze._nested_calls import nested_call_types
from sphinxcontrib_aidoc.analyze._nodes import FUNCTIONS
from sphinxcontrib_aidoc.analyze._operators import (
    augmented_types,
    operation_types,
    updated_types,
)
from sphinxcontrib_aidoc.analyze._param_flow import ancestors
from sphinxcontrib_aidoc.analyze._passed_on import wider_defaults
from sphinxcontrib_aidoc.analyze._passthrough import returned_argument
from sphinxcontrib_aidoc.analyze._reaching import START, NotNone, Updated
from sphinxcontrib_aidoc.analyze._rules import BUILTIN_EXCEPTIONS
from sphinxcontrib_aidoc.analyze._self_filled import self_filled_type
from sphinxcontrib_aidoc.analyze._site_uses import COMMON_METHODS
from sphinxcontrib_aidoc.analyze._specialized import specialized_types
from sphinxcontrib_aidoc.analyze._stdlib_objects import (
    ATTRIBUTE_NAMES,
    attribute_result,
    open_result,
)
from sphinxcontrib_aidoc.analyze._stub_calls import (
    stub_attribute_types,
    stub_method_types,
)
from sphinxcontrib_aidoc.analyze._type_rules import (
    BUILTIN_RESULTS,
    class_type,
    split_union,
)
from sphinxcontrib_aidoc.analyze._unpacked import unpacked_types
from sphinxcontrib_aidoc.gc_pause import gc_paused
from sphinxcontrib_aidoc.model import ObjectInfo, Param, Returns

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._callsites import CallSites

#: How deep a value is followed through locals and conditional expressions.
_MAX_DEPTH = 6
_NO_SCOPE = Scope("", package=False)
#: How many questions about values may be open at once (calls, attributes).
_MAX_NESTING = 24


class Solver:
    """The project-wide fixed point over return types and call-site types."""

    def __init__(
        self,
        infos: Iterable[ObjectInfo],
        sites: dict[str, str] | None = None,
        walks: ModuleWalks | None = None,
    ) -> None:
        self.index = ProjectIndex(infos, sites)
        #: What each module's every node says (kept from the last pass).
        self.walks = (walks or ModuleWalks()).bind(self.index)
        self.returns: dict[str, str] = {}
        #: Stated return types with the project classes they name qualified.
        self.written: dict[str, str] = {}
        self.params: dict[str, dict[str, str]] = {}
        self.frames: dict[str, Frame] = {
            q: frame_of(d, self.index)
            for q, d in self.index.defs.items()
            if isinstance(d.node, FUNCTIONS)
        }
        #: Functions of modules that only call the project (its tests).
        self.site_frames = [site_frame(d, self.index) for d in self.index.site_defs]
        # What the tests run at import: calls in decorators, say.
        self.site_frames.extend(
            module_code_frame(m, self.index.trees[m])
            for m in sorted(self.index.site_modules)
        )
        self.attributes = Attributes(self)
        self.names = Names(self)
        #: The call sites the fixed point read (set by :meth:`solve`).
        self.call_sites: CallSites | None = None
        self._wider: set[tuple[str, str]] | None = None
        self._nesting = 0
        #: Answers of :meth:`types_of` while nothing proven changes (reading
        #: the call sites), else None.
        self.memo: dict[tuple[int, int, int], list[str] | None] | None = None
        #: Top-level names of the project's modules (never the standard library).
        self.tops = {m.partition(".")[0] for m in self.index.scopes}
        self._annotated_as_read()
        #: Types assumed for a loop-carried local while it is solved
        #: (:mod:`._carried`), by frame id and name.
        self.assumed: dict[tuple[int, str], list[str]] = {}
        self._carried: dict[tuple[int, str], bool] = {}
        #: Locals whose every binding is being typed (by frame id and name).
        self._binding: set[tuple[int, str]] = set()
        #: Per function node id, the locals holding classes to call
        #: (:mod:`._held_classes`), read once.
        self.held: dict[int, dict[str, list[ast.expr]]] = {}
        #: Per function, the parameter it returns unchanged (:mod:`._passthrough`).
        self.passthrough: dict[str, str | None] = {}
        #: Per function, whether its body always raises (``raises_only``).
        self.raising: dict[str, bool] = {}
        #: Frames of functions nested in callers that call them by name
        #: (:mod:`._nested_calls`), with the enclosing frame they were read
        #: in, by node id; those being read.
        self.nested_frames: dict[int, tuple[Frame, Frame]] = {}
        self.nested_busy: set[int] = set()
        #: The functions each function defines, by name (by its node's id).
        self.nested_defs: dict[
            int, dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]]
        ] = {}
        #: Frames of functions read for one call's exact argument classes.
        self.specialized: dict[tuple[str, tuple[tuple[str, str], ...]], Frame] = {}
        #: Set when a specialization could not be decided for want of an
        #: operand's type (:mod:`._specialized`); the functions whose proven
        #: return was read so, read again each round as parameters are proven.
        self.undecided = False
        self.refinable: set[str] = set()
        #: Frames of the decorators factories make (:mod:`._decorated`), by
        #: node id and the id of the factory's frame (one of :attr:`specialized`).
        self.decorator_frames: dict[tuple[int, int], Frame] = {}
        #: While a guessed call site is read (:meth:`guessing`): the project's
        #: methods by name, which a call on an object of unknown class reaches.
        self._guessed: dict[str, list[str]] | None = None
        #: The memo the guesses were read under, and their own answers.
        self._guesses: (
            tuple[
                dict[tuple[int, int, int], list[str] | None] | None,
                dict[tuple[int, int, int], list[str] | None],
                dict[tuple[str, str], list[str] | None],
                dict[str, str | None],
            ]
            | None
        ) = None

    # -- what a call gives (:mod:`._call_resolution`) ---------------------------
    def _annotated_as_read(self) -> None:
        """Annotated parameters' types in frames, as the pass writes types.

        ``command: "Command"`` names a project class as its module sees it;
        the pass reads it as ``~pkg.core.Command``, whose methods a call on
        the parameter reaches (the documented text stays as written).
        """
        for qualname, frame in self.frames.items():
            for param in self.index.records[qualname].params:
                written = frame.params.get(param.name)
                if written and param.evidence == "annotation":
                    frame.params[param.name] = written_type(self, frame, written)

    def return_type(self, qualname: str) -> str | None:
        """The stated or proven return type of a call to *qualname*, or None."""
        return return_type(self, qualname)

    def targets(self, call: ast.Call, frame: Frame) -> list[str] | None:
        """The project functions and classes *call* may call, or None if unknown."""
        return targets(self, call, frame)

    # -- what a value is --------------------------------------------------------
    def types_of(
        self, expr: ast.expr, frame: Frame, depth: int = 0
    ) -> list[str] | None:
        """The possible types of *expr* in *frame*, or None when not proven.

        How deep the question nests (through locals, calls, attributes of
        other classes) is bounded: past :data:`_MAX_NESTING`, "unknown".
        """
        if depth > _MAX_DEPTH or self._nesting > _MAX_NESTING:
            return None
        memo = self.memo
        key = (id(expr), id(frame), depth)
        if memo is not None and key in memo:
            return memo[key]
        self._nesting += 1
        try:
            found = self._types_of(expr, frame, depth)
        finally:
            self._nesting -= 1
        if memo is not None:
            memo[key] = found
        return found

    def _types_of(self, expr: ast.expr, frame: Frame, depth: int) -> list[str] | None:
        if isinstance(expr, ast.Name):
            return self._name_types(expr, frame, depth)
        if isinstance(expr, (ItemOf, Entered, Returned, Unpacked, Caught)):
            return self._bound_value(expr, frame, depth)
        # A cast first: syntax keeps the class it names as written.
        found = cast_types(self, expr, frame) or syntax_types(expr, frame.own)
        if found is not None and complete(found):
            return found
        built = display_types(self, expr, frame, depth)
        if built is not None:
            return built
        if isinstance(expr, (ast.BinOp, ast.UnaryOp)):
            return operation_types(self, expr, frame, depth)
        if isinstance(expr, ast.IfExp):
            return join_with_empty(self, [expr.body, expr.orelse], frame, depth)
        if isinstance(expr, ast.Call):
            return self.call_types(expr, frame)
        if isinstance(expr, ast.Attribute) and isinstance(expr.ctx, ast.Load):
            member = enum_member(self.index, expr, frame)
            if member is not None:
                return [class_type(member)]
            held = module_value_types(self, expr, frame) or self.names.class_object(
                expr, frame
            )
            if held is not None:
                return held
            if expr.attr in ATTRIBUTE_NAMES:
                receiver = self.types_of(expr.value, frame, depth + 1)
                known = attribute_result(receiver, expr.attr) if receiver else None
                if known is not None:
                    return known
            return self._attribute_types(expr, frame, depth) or stub_attribute_types(
                self, expr, frame, depth
            )
        return None

    def _attribute_types(
        self, expr: ast.Attribute, frame: Frame, depth: int
    ) -> list[str] | None:
        """``value.attr`` read on instances of project classes: each class's reading.

        A receiver that may be of several project classes (``self.type``
        holding any of a family's classes) gives the union of what each
        class's instances hold, when every one of them is known.
        """
        parts: list[str] = []
        for cls in self._instances_of(expr.value, frame, depth) or ():
            found = self.attributes.read(cls, expr.attr)
            if not found or not complete(found):
                return None
            parts.extend(t for t in found if t not in parts)
        return parts or None

    def _bound_value(
        self,
        expr: ItemOf | Entered | Returned | Unpacked | Caught,
        frame: Frame,
        depth: int,
    ) -> list[str] | None:
        """What a loop, a ``with``, an ``except``, a fixture or ``a, b = call()`` binds."""
        if isinstance(expr, Caught):  # ``except kind as name``
            return self.names.caught(expr.kind, frame)
        if isinstance(expr, ItemOf):  # a loop's item
            return items_of(self, expr.iterable, frame, depth)
        if isinstance(expr, Unpacked):  # an item of the result, or of the returns
            found = display_types(self, expr, frame, depth)
            return found or unpacked_types(self, expr, frame, depth)
        if isinstance(expr, Entered):  # ``with manager as name``
            return self.names.entered(expr, frame, depth)
        return _join_lists(  # a fixture's value
            *(self.types_of(v, expr.frame, depth + 1) for v in expr.values)
        )

    def _instance_of(self, expr: ast.expr, frame: Frame, depth: int) -> str | None:
        """The one project class *expr* is proven an instance of, or None."""
        found = self._instances_of(expr, frame, depth)
        return found[0] if found is not None and len(found) == 1 else None

    def _instances_of(
        self, expr: ast.expr, frame: Frame, depth: int
    ) -> list[str] | None:
        """The project classes *expr* is proven an instance of one of, or None."""
        if isinstance(expr, ast.Name) and expr.id == frame.self_name:
            if frame.cls is not None and expr.id not in frame.local:
                return [frame.cls]
            return None
        found = self.types_of(expr, frame, depth + 1)
        if not found:
            return None
        classes: list[str] = []
        for type_ in found:
            definition = self.index.defs.get(type_[1:]) if type_[:1] == "~" else None
            if definition is None or not isinstance(definition.node, ast.ClassDef):
                return None
            if type_[1:] not in classes:
                classes.append(type_[1:])
        return classes

    def _name_types(self, expr: ast.Name, frame: Frame, depth: int) -> list[str] | None:
        """The types of a read of a name, with what checks around it prove."""
        found, proven = self.names.checked(expr, frame)
        if proven:
            return found
        found, reached = self._reached_types(expr, frame, depth)
        if not reached:
            found = self._bound_types(expr, frame, depth)
        bound = frame.local.get(expr.id)
        if (
            found is not None
            and (bound is not None or expr.id in frame.params)
            and (id(frame), expr.id) not in self.assumed  # already all of it
            and not (bound and _built_here(bound))  # built_type read them
        ):  # items added later (to a local, or to the list a caller passed)
            found = widened(
                expr.id, found, frame.own, lambda e: self._complete(e, frame)
            )
        excluded = self.names.excluded(expr, frame)
        if found is not None and excluded:
            found = [t for t in found if not self._always_of(t, excluded)] or None
        if found is None or not self.names.not_none(expr, frame):
            return found
        return [t for t in found if t != "None"] or None

    def _always_of(self, type_: str, classes: tuple[str, ...]) -> bool:
        """Whether every value of *type_* is an instance of one of *classes*."""
        for cls in classes:
            if type_ == cls or (type_ == "bool" and cls == "int"):
                return True
            if (
                type_.startswith("~")
                and cls.startswith("~")
                and cls[1:] in ancestors(type_[1:], self.index.bases)
            ):
                return True
        return False

    def _reached_types(
        self, expr: ast.Name, frame: Frame, depth: int
    ) -> tuple[list[str] | None, bool]:
        """The types of the bindings that reach this read, and whether known."""
        values = self.names.reaching(expr, frame) if expr.id in frame.local else None
        if values is None or _any_empty(values):
            return None, False
        return self._values_types(expr.id, values, frame, depth)

    def _values_types(
        self, name: str, values: list[ast.expr], frame: Frame, depth: int
    ) -> tuple[list[str] | None, bool]:
        """The types of values that reach a read of *name*, and whether known."""
        parts: list[str] = []
        for value in values:
            found, known = self._value_types(name, value, frame, depth)
            if found is None:
                return None, known
            parts.extend(t for t in found if t not in parts)
        return parts, True

    def _value_types(
        self, name: str, value: ast.expr, frame: Frame, depth: int
    ) -> tuple[list[str] | None, bool]:
        """The types of one value that reaches a read of *name*, and whether known."""
        if isinstance(value, NotNone):  # past ``if name is None: name = ...``
            found, known = self._value_types(name, value.value, frame, depth)
            return (None if found is None else [t for t in found if t != "None"]), known
        if isinstance(value, Updated):  # ``name op= x`` on what reached it
            before, known = self._values_types(name, value.before, frame, depth)
            if before is None:
                return None, known
            return updated_types(self, before, value.update, frame, depth), True
        if value is START:
            typed = frame.params.get(name)
            if not typed:
                return None, name in frame.params
            return split_union(typed), True
        return self.types_of(value, frame, depth + 1), True

    def _bound_types(
        self, expr: ast.Name, frame: Frame, depth: int
    ) -> list[str] | None:
        name = expr.id
        if (
            name == frame.self_name
            and frame.cls is not None
            and name not in frame.local
        ):
            return [class_type(frame.cls)]
        if name in frame.params and name not in frame.local:
            known = frame.params[name]
            return split_union(known) if known else None
        if name not in frame.local and name not in frame.params:
            return self._outer_types(name, frame, depth)
        values = frame.local.get(name)
        if not values:
            return None
        key = (id(frame), name)
        assumed = self.assumed.get(key)
        if assumed is not None:  # a loop-carried local being solved
            return list(assumed)
        if key in self._binding:  # asked again while it is answered: a cycle
            return None
        self._binding.add(key)
        try:
            return self._local_types(name, frame, values, depth)
        finally:
            self._binding.discard(key)

    def _local_types(
        self, name: str, frame: Frame, values: list[ast.expr], depth: int
    ) -> list[str] | None:
        """The types of every value the function binds to local *name*."""
        if self._reads_itself(name, frame, values):
            return carried_types(self, name, frame, values, depth)
        plain = [v for v in values if not isinstance(v, Augmented)]
        if len(plain) == 1 and empty(plain[0]):  # a container the function builds
            if name in frame.params:
                return None

            def typed(expr: ast.expr) -> list[str] | None:
                return self._complete(expr, frame)

            built = built_type(name, frame.own, typed)
            if built is None and _empty_dict(plain[0]):  # read back as filled
                built = self_filled_type(self, name, frame, typed)
            return [built] if built else None
        parts: list[str] = []
        if name in frame.params:  # rebound: the value passed is still possible
            known = frame.params[name]
            if not known:
                return None
            parts.extend(split_union(known))
        updates = [v for v in values if isinstance(v, Augmented)]
        plain = [v for v in values if not isinstance(v, Augmented)]
        found = join_with_empty(self, plain, frame, depth)
        if found is None or not keeps_items(
            name, plain, found, frame.own, lambda e: self._complete(e, frame)
        ):
            return None
        parts.extend(found)
        if updates:
            return augmented_types(self, parts, updates, frame, depth)
        return parts

    def _outer_types(self, name: str, frame: Frame, depth: int) -> list[str] | None:
        """A name the function does not assign: the module's global of it.

        Unless the function binds it otherwise (a nested ``def`` or
        ``class``, an ``import``, ``except ... as``): then it is unknown here.
        """
        if name in frame.shadowing():
            # ``@click.command() def cli(): ...``: what the decorators make
            return decorated_types(self, name, frame)
        return self.names.global_types(name, frame, depth)

    def _reads_itself(self, name: str, frame: Frame, values: list[ast.expr]) -> bool:
        key = (id(frame), name)
        found = self._carried.get(key)
        if found is None:
            found = self._carried[key] = reads_itself(name, values, frame.local)
        return found

    def _complete(self, expr: ast.expr, frame: Frame) -> list[str] | None:
        found = self.types_of(expr, frame, 1)
        return found if found and complete(found) else None

    def call_types(self, call: ast.Call, frame: Frame) -> list[str] | None:
        """The types a call to project code (or a builtin) gives (None: unknown)."""
        func = call.func
        if (
            isinstance(func, ast.Name)
            and func.id not in frame.local
            and func.id not in frame.params
            and func.id not in self.index.scopes.get(frame.module, _NO_SCOPE).names
        ):  # not shadowed: the builtin
            collected = collection_types(self, call, frame)
            if collected is None and func.id in ITERATING_BUILTINS:
                collected = builtin_types(self, call, frame)
            if collected is not None:
                return collected
            if func.id in BUILTIN_RESULTS:
                return [BUILTIN_RESULTS[func.id]]
            if func.id in BUILTIN_EXCEPTIONS:  # ``OSError("...")``: an OSError
                return [func.id]
            opened = open_result(call) if func.id == "open" else None
            if opened is not None:
                return [opened]
        known = (
            known_call_types(self, call, frame)
            or nested_call_types(self, call, frame)
            or held_class_call(self, call, frame)
            or local_class_call(self, call, frame)
            or cast_types(self, call, frame)
        )
        if known is not None:
            return known
        return self._project_call_types(call, frame)

    def _project_call_types(self, call: ast.Call, frame: Frame) -> list[str] | None:
        """What a call of project functions gives: their return types joined."""
        targets, unbound = self._called(call, frame)
        if not targets:  # a method of a builtin container or a stub's class
            return container_method_types(self, call, frame) or stub_method_types(
                self, call, frame
            )
        parts: list[str] = []
        for target in targets:
            # ``return data``: exactly what this call passes, when proven
            given = None if unbound else returned_argument(self, call, frame, target)
            if given and complete(given):
                parts.extend(given)
                continue
            found = self.return_type(target)
            if found is None and self._guessed is not None:
                found = self._guessed_return(target)
            if found is None:
                return None
            parts.extend(split_union(found))
        if not unbound and len(targets) == 1 and len(set(parts)) > 1:
            # a dispatch on the argument
            narrowed = specialized_types(self, targets[0], call, frame)
            if narrowed and complete(narrowed):
                return narrowed
        return without_bottom(parts)

    def _called(self, call: ast.Call, frame: Frame) -> tuple[list[str] | None, bool]:
        """The project functions *call* calls, and whether ``Base.name(self, ...)``.

        For what the call gives only (never a call site): a value holding
        project classes (``type[ParseError] | type[EofError]``) builds an
        instance of one of them.
        """
        targets = self.targets(call, frame)
        if targets is not None:
            return targets, False
        unbound = unbound_method(self, call, frame)
        if unbound is not None:
            return [unbound], True
        if self._guessed is not None:
            return self._guessed_targets(call), False
        return self._classes_held(call.func, frame), False

    def _classes_held(self, func: ast.expr, frame: Frame) -> list[str] | None:
        """The project classes a called local or parameter holds, or None."""
        if not isinstance(func, ast.Name) or not (
            func.id in frame.local or func.id in frame.params
        ):
            return None
        held = self.types_of(func, frame, 1)
        if not held:
            return None
        classes: list[str] = []
        for type_ in held:
            if not (type_.startswith("type[~") and type_.endswith("]")):
                return None
            cls = type_[len("type[~") : -1]
            definition = self.index.defs.get(cls)
            if definition is None or not isinstance(definition.node, ast.ClassDef):
                return None
            classes.append(cls)
        return classes

    def guessed_types(
        self, expr: ast.expr, frame: Frame, methods: dict[str, list[str]]
    ) -> list[str] | None:
        """The types of *expr* if every object of unknown class it calls is the project's.

        For a call site that is itself a guess (``obj.run(x)`` on an object
        of unknown class, which reaches a project ``run`` only if ``obj`` is
        a project object): under the same guess, ``x = other.make(...)``
        holds what the project's methods ``make`` return. Only a name no
        builtin object has is guessed (:data:`~._site_uses.COMMON_METHODS`).
        What is read under the guess is not kept.
        """
        memo, attributes = self.memo, self.attributes.memo
        kept = self._guesses
        if memo is None or kept is None or kept[0] is not memo:
            # Answers under the guess hold while nothing proven changes.
            kept = self._guesses = (memo, {}, {}, {})
        self.memo, self.attributes.memo, self._guessed = kept[1], kept[2], methods
        try:
            return self.types_of(expr, frame)
        finally:
            self.memo, self.attributes.memo, self._guessed = memo, attributes, None

    def _guessed_return(self, target: str) -> str | None:
        """Under a guess: what *target*'s ``return`` statements give, read again.

        ``ctx = _resolve(cli)`` where ``_resolve`` returns
        ``cli.make_context(...)``: its own return type is not proven, but
        under the guess that ``cli`` is the project's it is.
        """
        assert self._guesses is not None
        returns = self._guesses[3]
        if target not in returns:
            frame = self.frames.get(target)
            returns[target] = None  # a cycle proves nothing
            if frame is not None:
                returns[target] = function_returns(self, target, frame)
        return returns[target]

    def _guessed_targets(self, call: ast.Call) -> list[str] | None:
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr in COMMON_METHODS:
            return None
        assert self._guessed is not None
        methods = self._guessed.get(func.attr)
        if not methods or len(methods) == 1:
            return methods
        # Methods that return different things: which one runs decides.
        returned = {self.return_type(m) or self._guessed_return(m) for m in methods}
        return methods if len(returned) == 1 else None

    # -- the fixed point (:mod:`._fixed_point`) ---------------------------------
    def solve(self) -> None:
        """Prove return types, then call-site types, until nothing changes."""
        solve(self)

    # -- results ------------------------------------------------------------------
    def updated(self, info: ObjectInfo) -> ObjectInfo:
        """*info* with what the pass proved (its own fields otherwise).

        An inferred union of project classes (a return type, or what the call
        sites pass) is written as their nearest common project base class
        (:func:`~._classes_join.common_base`).
        """
        found = self.returns.get(info.qualname)
        if found is not None:
            info = replace(
                info, returns=Returns(found, inferred=True, evidence="inference")
            )
        returns = info.returns
        if returns is not None and returns.inferred and returns.type:
            spelled = returns.type
            frame = self.frames.get(info.qualname)
            if frame is not None:  # one spelling per type (a cast's as ours)
                spelled = written_type(self, frame, spelled)
            joined = common_base(self.index, spelled)
            if info.returns is None or joined != info.returns.type:
                info = replace(info, returns=replace(returns, type=joined))
        params = self.params.get(info.qualname)
        if params:
            params = {n: common_base(self.index, t) for n, t in params.items()}
            info = replace(info, params=tuple(_typed(p, params) for p in info.params))
        return self._defaults_bounded(info)

    def _defaults_bounded(self, info: ObjectInfo) -> ObjectInfo:
        """*info* without the types of defaults that do not bound the parameter.

        See :mod:`._passed_on`: a parameter handed on to one that takes
        more keeps no type from its default.
        """
        if not any(p.evidence == "default" for p in info.params):
            return info
        if self._wider is None:
            handed = self.call_sites.handed_on() if self.call_sites else []
            self._wider = wider_defaults(self.frames, handed)
        key = info.qualname
        if info.kind == "class":
            key = self.index.method(info.qualname, "__init__") or key
        if not any(
            p.evidence == "default" and (key, p.name) in self._wider
            for p in info.params
        ):
            return info
        return replace(
            info,
            params=tuple(
                replace(p, type=None, inferred=False, evidence="")
                if p.evidence == "default" and (key, p.name) in self._wider
                else p
                for p in info.params
            ),
        )


def _any_empty(values: list[ast.expr]) -> bool:
    """Whether an empty container is among *values* (or what an update applies to).

    A container bound empty and then filled is read by
    :func:`._built.built_type` over every binding, not binding by binding.
    """
    for value in values:
        inner = value.value if isinstance(value, NotNone) else value
        if _any_empty(inner.before) if isinstance(inner, Updated) else empty(value):
            return True
    return False


def project_types(
    infos: list[ObjectInfo],
    sites: dict[str, str] | None = None,
    walks: ModuleWalks | None = None,
) -> list[ObjectInfo]:
    """*infos* with the types proven across the whole project (same order).

    *sites* (module name to file) are modules that call the project without
    being documented, such as its tests: their calls count as call sites,
    and any other use they make of a project name counts against it.
    *walks* holds the walks of modules the last pass kept, and gets this
    pass's (:mod:`._module_walks`).
    """
    if all(map(settled, infos)):
        return infos  # nothing it could prove (a fully annotated project)
    # The pass only allocates (trees it drops at the end); with astroid's
    # trees of the whole project alive, each garbage collection it would
    # trigger walks all of them, which costs more than the pass.
    with gc_paused():
        solver = Solver(infos, sites, walks)
        solver.solve()
        return [solver.updated(i) for i in infos]


def settled(info: ObjectInfo) -> bool:
    """Whether the pass can change nothing in *info* (:meth:`Solver.updated`).

    The pass writes only return types the module's analysis inferred or left
    open, and parameters without a type or typed by their default. The
    receiver (``self``, ``cls``) of a method, a property or a class's
    ``__init__`` is bound by every call, never typed by one.
    """
    if info.returns is not None and info.returns.inferred:
        return False
    params = info.params
    if (
        params
        and params[0].kind in POSITIONAL
        and (info.kind in BOUND_KINDS or info.kind in ("class", "exception"))
    ):
        params = params[1:]
    return all(p.type is not None and p.evidence != "default" for p in params)


def _typed(param: Param, found: dict[str, str]) -> Param:
    type_ = found.get(param.name)
    if type_ is None or param.type is not None:
        return param
    return replace(param, type=type_, inferred=True, evidence="call sites")


def _built_here(values: list[ast.expr] | None) -> bool:
    """Whether a local is bound once, to an empty container (:func:`built_type`'s)."""
    plain = [v for v in values or () if not isinstance(v, Augmented)]
    return len(plain) == 1 and empty(plain[0])


def _empty_dict(value: ast.expr) -> bool:
    """``{}`` or ``dict()``."""
    return isinstance(value, ast.Dict) or (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "dict"
    )


def _join_lists(*found: list[str] | None) -> list[str] | None:
    parts: list[str] = []
    for types in found:
        if types is None:
            return None
        parts.extend(types)
    return parts
