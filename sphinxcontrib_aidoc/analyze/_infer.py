"""Astroid inference with hard limits; nothing here raises to callers.

Every inference the analysis stage runs goes through a :class:`Budget`: one
per analysed object. A budget

* catches every exception inference can raise (``InferenceError``,
  ``RecursionError``, bugs in astroid's brain plugins, ...) and turns it into
  "unknown";
* consumes at most a few inferred values per expression
  (:func:`itertools.islice`) and keeps astroid's own
  ``InferenceContext.max_inferred`` cap per expression;
* counts the *work* done: one step per inference request, per value
  astroid infers on the way (the ``nodes_inferred`` counter cell that a
  context shares with its clones is replaced by one that counts into the
  budget) and per look-up in astroid's inference cache (a cache hit can
  stand for a whole list rebuilt; :class:`_CountingCache` replaces
  astroid's process-wide cache dict), and stops at ``steps``. Work, not time, so a loaded machine gives
  the same records as an idle one: a file's analysis depends on its code
  alone;
* keeps a wall-clock ``timeout`` as a safety net for what steps do not count
  (building the tree of an imported module, contexts astroid creates afresh
  internally). Tripping it sets :attr:`Budget.timed_out`: the result then
  depends on the machine, so callers report it and do not keep it.

Once either limit is reached, every later request answers "unknown" at once
and :attr:`Budget.exhausted` stays True, so the caller can report a single
``infer`` diagnostic for the object.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import astroid.context  # type: ignore[import-untyped]  # astroid ships no py.typed
from astroid import bases, nodes, util
from astroid.context import CallContext, InferenceContext

from sphinxcontrib_aidoc.analyze._type_rules import (
    class_type,
    constant_type,
    container_type,
    dict_type,
    join_types,
    one_type,
    sized,
    tuple_type,
)

#: Values consumed from one ``node.infer()`` call.
MAX_VALUES = 8


#: Steps between two readings of the clock by :meth:`Budget.spend`.
CLOCK_EVERY = 32


class BudgetExceededError(Exception):
    """Raised inside astroid when an object's inference budget is spent."""


class _CountingCell:
    """The ``nodes_inferred`` counter cell shared by a context and its clones.

    astroid keeps the counter in a one-item list and bumps ``cell[0]`` for
    every value it yields; counting (and checking the clock) there bounds
    even one ``next()`` on an exploding inference.
    """

    __slots__ = ("_budget", "_count")

    def __init__(self, budget: Budget) -> None:
        self._budget = budget
        self._count = 0

    def __getitem__(self, index: int) -> int:
        return self._count

    def __setitem__(self, index: int, value: int) -> None:
        if not self._budget.spend(max(1, value - self._count)):
            raise BudgetExceededError
        self._count = value


class _CountingCache(dict[Any, Any]):
    """astroid's inference cache, counting each look-up into the active budget."""

    budget: Budget | None = None

    def __contains__(self, key: object) -> bool:
        budget = self.budget
        if budget is not None and not budget.spend():
            raise BudgetExceededError
        return super().__contains__(key)


def _counting_cache() -> _CountingCache:
    """Install (once) and return the counting cache in astroid's place."""
    cache = astroid.context._INFERENCE_CACHE
    if not isinstance(cache, _CountingCache):
        cache = _CountingCache(cache)
        astroid.context._INFERENCE_CACHE = cache
    return cache


class Budget:
    """The inference budget of one analysed object: steps, and a time net.

    Args:
        timeout: Wall-clock seconds allowed in total (the safety net).
        steps: Inference steps allowed in total (the limit that decides).
        clock: Monotonic clock (tests may pass their own).
    """

    def __init__(
        self,
        timeout: float,
        *,
        steps: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.timeout = max(0.0, float(timeout))
        self.steps = max(0, int(steps))
        self.used = 0
        self._clock = clock
        self.deadline = clock() + self.timeout
        #: The step limit was reached (the same on every machine).
        self.spent = False
        #: The wall-clock net was hit (depends on the machine's load).
        self.timed_out = False

    @property
    def exhausted(self) -> bool:
        """True once either limit was reached."""
        return self.spent or self.timed_out

    def spend(self, steps: int = 1) -> bool:
        """Count *steps* of work; False (and remembered) once a limit is reached.

        The clock is read every :data:`CLOCK_EVERY` steps, not at each one.
        """
        if self.spent or self.timed_out:
            return False
        before = self.used
        self.used += steps
        if self.used > self.steps:
            self.spent = True
            return False
        if before // CLOCK_EVERY != self.used // CLOCK_EVERY:
            return not self._timed_out()
        return True

    def expired(self) -> bool:
        """Return True once a limit was reached (reads the clock, counts nothing)."""
        return self.spent or self._timed_out()

    def _timed_out(self) -> bool:
        if not self.timed_out and self._clock() > self.deadline:
            self.timed_out = True
        return self.timed_out

    def context(self, callee: nodes.NodeNG | None = None) -> InferenceContext:
        """Return a fresh inference context watched by this budget.

        With *callee*, the context carries an empty call to it, so astroid
        infers that function's parameters as their default values.
        """
        ctx = InferenceContext(nodes_inferred=_CountingCell(self))
        if callee is not None:
            ctx.callcontext = CallContext(args=[], keywords=[], callee=callee)
        return ctx

    def values(
        self,
        node: nodes.NodeNG,
        *,
        callee: nodes.NodeNG | None = None,
        limit: int = MAX_VALUES,
    ) -> list[Any] | None:
        """Infer *node*; None when any value is unknown or inference failed.

        Args:
            node: The expression to infer.
            callee: Bind this function's parameters to their defaults.
            limit: Most values consumed; more values count as unknown.

        Returns:
            The inferred values (never ``Uninferable``), or None.
        """
        found, complete = self._run(
            lambda ctx: node.infer(context=ctx), callee=callee, limit=limit
        )
        if not complete or any(isinstance(v, util.UninferableBase) for v in found):
            return None
        return found

    def known_values(self, node: nodes.NodeNG, *, limit: int = MAX_VALUES) -> list[Any]:
        """Infer *node* and keep only the values astroid could infer."""
        found, _ = self._run(lambda ctx: node.infer(context=ctx), limit=limit)
        return [v for v in found if not isinstance(v, util.UninferableBase)]

    def ancestors(self, klass: nodes.ClassDef, *, limit: int = 64) -> list[Any] | None:
        """Return the ancestor classes of *klass*, or None if cut short."""
        found, complete = self._run(
            lambda ctx: klass.ancestors(context=ctx), limit=limit
        )
        return found if complete else None

    def _run(
        self,
        produce: Callable[[InferenceContext], Iterable[Any]],
        *,
        callee: nodes.NodeNG | None = None,
        limit: int,
    ) -> tuple[list[Any], bool]:
        """Consume up to *limit* results; report whether that was all of them."""
        if not self.spend():
            return [], False
        found: list[Any] = []
        cache = _counting_cache()
        outer, cache.budget = cache.budget, self
        try:
            iterator: Iterator[Any] = iter(produce(self.context(callee)))
            for value in itertools.islice(iterator, limit + 1):
                if self.expired():
                    return found, False
                if len(found) == limit:
                    return found, False
                found.append(value)
        except Exception:  # noqa: BLE001 - inference must never raise to callers
            return found, False
        finally:
            cache.budget = outer
        return found, not self.expired()


def unknown(value: object) -> bool:
    """Return True for astroid's ``Uninferable``."""
    return isinstance(value, util.UninferableBase)


def type_name(
    value: object,
    budget: Budget,
    *,
    callee: nodes.NodeNG | None = None,
    depth: int = 0,
) -> str | None:
    """Map one inferred value to an annotation string, or None if unknown.

    Constants give their type (``int``, ``str``, ``None``); list, set and
    dict displays give ``list[T]``/``set[T]``/``dict[K, V]`` when their
    elements share one known type (else the bare container); tuples give
    ``tuple[A, B]``; instances give their class name; classes ``type[C]``.
    Elements are inferred like :meth:`Budget.values` with *callee*.
    """
    if unknown(value):
        return None
    if isinstance(value, nodes.Const):
        return constant_type(value.value)
    if isinstance(value, (nodes.List, nodes.Set, nodes.Dict)) and _stored(value):
        # astroid answers with the display the name was bound to, not with
        # what code added to the container since: its items are not proven
        # (the project pass proves them, :mod:`._built`).
        return {nodes.List: "list", nodes.Set: "set"}.get(type(value), "dict")
    if isinstance(value, (nodes.List, nodes.Set)):
        container = "list" if isinstance(value, nodes.List) else "set"
        return container_type(container, _uniform(value.elts, budget, callee, depth))
    if isinstance(value, nodes.Tuple):
        return _tuple_name(value, budget, callee, depth)
    if isinstance(value, nodes.Dict):
        return _dict_name(value, budget, callee, depth)
    if isinstance(value, nodes.ClassDef):
        return f"type[{class_name(value)}]"
    if isinstance(value, bases.Instance):
        proxied = getattr(value, "_proxied", None)
        if isinstance(proxied, nodes.ClassDef):
            if proxied.name == "NoneType":
                return "None"
            return class_name(_enum_of_member(proxied) or proxied)
    return None


def _stored(display: nodes.NodeNG) -> bool:
    """Whether the container *display* is the value a statement binds to a name."""
    return isinstance(display.parent, (nodes.Assign, nodes.AnnAssign))


def _enum_of_member(klass: nodes.ClassDef) -> nodes.ClassDef | None:
    """The enum class of a member, for the class astroid makes up for it.

    astroid infers ``Color.RED`` as an instance of a class named ``RED``
    built for the member, whose parent is the member's assignment in the
    enum's body; the member is an instance of the enum itself.
    """
    parent = klass.parent
    if isinstance(parent, (nodes.Assign, nodes.AnnAssign)) and isinstance(
        parent.parent, nodes.ClassDef
    ):
        return parent.parent
    return None


#: The module astroid's brains put the classes they make up in.
_SYNTHETIC = "__astroid_synthetic"


def class_name(klass: nodes.ClassDef) -> str:
    """A class as a type: a builtin by its name, any other module-qualified.

    ``~pkg.mod.Class`` (:func:`~._type_rules.class_type`) resolves in Sphinx
    without ambiguity; a class defined inside a function has no importable
    name and keeps its own.
    """
    name = str(klass.name)
    try:
        qualname = str(klass.qname())
    except Exception:  # noqa: BLE001 - synthetic nodes
        return name
    module, _, local = qualname.partition(".")
    if module in {"builtins", _SYNTHETIC} or not local or "<" in qualname:
        # A class astroid made up (a named tuple's) has no module to name.
        return name
    parent = klass.parent
    while parent is not None and not isinstance(parent, nodes.Module):
        if isinstance(parent, nodes.FunctionDef):
            return name
        parent = parent.parent
    return class_type(qualname)


def _element_type(
    node: nodes.NodeNG, budget: Budget, callee: nodes.NodeNG | None, depth: int
) -> str | None:
    """The single type of one container element, or None."""
    if depth >= 2 or isinstance(node, (nodes.Starred, nodes.DictUnpack)):
        return None
    if isinstance(node, nodes.Const):
        found: list[Any] | None = [node]
    else:
        found = budget.values(node, limit=4)
        if found is None and callee is not None:
            found = budget.values(node, callee=callee, limit=4)
    if not found:
        return None
    names = [type_name(v, budget, callee=callee, depth=depth + 1) for v in found]
    if any(n is None for n in names):
        return None
    return join_types([n for n in names if n])


def _uniform(
    elts: list[nodes.NodeNG],
    budget: Budget,
    callee: nodes.NodeNG | None,
    depth: int,
) -> str | None:
    """The shared element type of *elts*, or None (empty, mixed, unknown)."""
    if not sized(elts):
        return None
    return one_type(_element_type(e, budget, callee, depth) for e in elts)


def _tuple_name(
    value: nodes.Tuple, budget: Budget, callee: nodes.NodeNG | None, depth: int
) -> str:
    if not sized(value.elts):
        return "tuple"
    return tuple_type([_element_type(e, budget, callee, depth) for e in value.elts])


def _dict_name(
    value: nodes.Dict, budget: Budget, callee: nodes.NodeNG | None, depth: int
) -> str:
    items = value.items
    if not sized(items):
        return "dict"
    keys = _uniform([k for k, _ in items], budget, callee, depth)
    return dict_type(keys, _uniform([v for _, v in items], budget, callee, depth))


def qualified_callables(values: Iterable[Any]) -> set[str]:
    """Qualified names of the functions, classes and methods in *values*.

    Builtins are left out.
    """
    names: set[str] = set()
    for value in values:
        target = value
        while isinstance(target, bases.UnboundMethod):  # BoundMethod too
            target = target._proxied
        if not isinstance(target, (nodes.FunctionDef, nodes.ClassDef)):
            continue
        try:
            if target.root().name != "builtins":
                names.add(str(target.qname()))
        except Exception:  # noqa: BLE001, S112 - odd synthetic nodes: skip them
            continue
    return names
