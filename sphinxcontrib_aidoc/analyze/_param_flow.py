"""Parameter types carried through the project's calls (a least fixed point).

A call site often passes a parameter of its own function straight on
(``def show(ctx): render(ctx)``): ``render``'s parameter then takes what
``show``'s takes. :class:`Flow` keeps, for each parameter without a default
(a *key*: the function's qualname and the parameter's name), the types its
call sites pass and the parameters they pass straight on, and solves the
whole graph at once, so a chain or a cycle of such calls is typed by the
values that enter it. A parameter is typed only when every call site is
accounted for: one argument of unknown type, or a flow from a parameter
that is itself not fully known, leaves it (and everything it flows into)
unknown.

:func:`stated` turns a solved set into the type stated: classes of one
project hierarchy passed together (``Cat`` and ``Dog`` of ``Animal``) are
not proof that the function takes their common base, nor only them, so
nothing is stated then; a class passed together with one of its project
subclasses is written once, as the base.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sphinxcontrib_aidoc.analyze._type_rules import join_types

#: A parameter: its function's qualname and its name.
Key = tuple[str, str]


class Flow:
    """What each parameter's call sites pass, and the fixed point of it all."""

    def __init__(self) -> None:
        self._types: dict[Key, set[str]] = {}
        self._sources: dict[Key, set[Key]] = {}
        self._unknown: set[Key] = set()

    def open(self, key: Key) -> None:
        """Register *key* as a parameter whose call sites are all read."""
        self._types.setdefault(key, set())
        self._sources.setdefault(key, set())

    def add(self, key: Key, types: Iterable[str]) -> None:
        """A call site passes a value of one of *types*."""
        self._types[key].update(types)

    def unknown(self, key: Key) -> None:
        """A call site passes a value of unknown type."""
        self._unknown.add(key)

    def opened(self, key: Key) -> bool:
        """Whether *key*'s call sites were read into this flow."""
        return key in self._types

    def partial(self, key: Key) -> set[str]:
        """What the call sites of *key* proven so far pass (the others aside)."""
        return set(self._types.get(key, ()))

    def passes(self, key: Key, source: Key) -> None:
        """A call site passes its own parameter *source* straight on."""
        self._sources[key].add(source)

    def solve(self) -> dict[Key, set[str]]:
        """The types of every parameter fully known (an empty set: no value)."""
        unknown = set(self._unknown)
        changed = True
        while changed:  # unknown spreads along the flows
            changed = False
            for key, sources in self._sources.items():
                if key not in unknown and any(
                    s in unknown or s not in self._types for s in sources
                ):
                    unknown.add(key)
                    changed = True
        found = {k: set(v) for k, v in self._types.items() if k not in unknown}
        changed = True
        while changed:  # then the types, to the least fixed point
            changed = False
            for key, types in found.items():
                for source in self._sources[key]:
                    extra = found[source] - types
                    if extra:
                        types.update(extra)
                        changed = True
        return found


def stated(types: set[str], bases: Mapping[str, list[str]]) -> str | None:
    """The type to state for a parameter passed *types*, or None.

    *bases* gives the project base classes of each project class (by
    qualname; classes are written ``~qualname``). A class passed with one
    of its subclasses is stated alone; sibling classes stay a union here,
    which the solver writes as their nearest public common base
    (:func:`~._classes_join.common_base`), as it does for return types.
    """
    if not types or types == {"None"}:
        # Calls that only pass ``None`` say what the function tolerates, as
        # a ``None`` default does, not what it takes.
        return None
    classes = {t[1:] for t in types if t.startswith("~")}
    ancestry = {c: ancestors(c, bases) for c in classes}
    kept = {c for c in classes if not (ancestry[c] & classes)}
    parts = [t for t in types if not t.startswith("~") or t[1:] in kept]
    return join_types(parts)


def ancestors(cls: str, bases: Mapping[str, list[str]]) -> set[str]:
    """Every project class *cls* derives from, however far up."""
    found: set[str] = set()
    stack = list(bases.get(cls, ()))
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(bases.get(current, ()))
    return found
