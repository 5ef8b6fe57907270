"""Parameters typed through cycles of calls (an assumption the calls confirm).

A parameter passed on changed, not straight (``sub = ctx.child();
walk(sub)`` inside ``walk(ctx)``), depends on itself: read pessimistically
(:mod:`._callsites`), the recursive call's argument is of unknown type, so
the parameter, and everything it flows into, stays unknown however well
the calls from outside are typed.

:func:`assumed` types such parameters by assuming and confirming: it
assumes each open parameter has the types its proven call sites pass,
types the function bodies under that assumption, and re-reads every call
site of every open parameter. A parameter is kept only while *all* its
call sites are proven under the assumption; the assumption grows by what
they pass and loses what is no longer proven, until nothing changes. What
remains is consistent: each parameter's call sites, typed with every
other kept parameter as assumed, pass only the types assumed. Calls from
outside the cycle pass those types, and a call inside it computes its
argument from parameters that already hold them, so, by induction on the
depth of calls, every value the parameter ever holds is of those types.
Nothing is kept when the rounds do not settle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sphinxcontrib_aidoc.analyze._frame import Frame
from sphinxcontrib_aidoc.analyze._param_flow import Key
from sphinxcontrib_aidoc.analyze._type_rules import join_types, split_union

#: Rounds of assuming and confirming before giving up (each adds a link).
MAX_ROUNDS = 8


def assumed(
    candidates: Iterable[Key],
    seeds: dict[Key, set[str]],
    frames: dict[str, Frame],
    solve: Callable[[list[Key] | None], dict[Key, set[str]]],
    forget: Callable[[], None],
) -> dict[Key, set[str]]:
    """The open parameters that a consistent assumption types, with their types.

    Args:
        candidates: Parameters left unknown (their frames hold no type).
        seeds: What their proven call sites pass (the first assumption).
        frames: The project's function frames, by qualname (their
            ``params`` hold the assumption while it is tested, and are
            restored after).
        solve: The types every call site passes to each parameter (of the
            list given, or all), with the frames as they are.
        forget: Drops answers computed from parameter types (attribute
            types), called whenever the assumption changes.
    """
    saved = {
        k: frames[k[0]].params[k[1]]
        for k in candidates
        if k[0] in frames and k[1] in frames[k[0]].params
    }
    assumption = {k: normal(v) for k, v in seeds.items() if v and k in saved}
    reread = list(saved)  # the others are known already
    try:
        for _ in range(MAX_ROUNDS):
            if not assumption:
                return {}
            _apply(assumption, frames, saved)
            forget()
            solved = solve(reread)
            confirmed = {
                k: normal(types | assumption.get(k, set()))
                for k, types in solved.items()
                if types and k in saved
            }
            if confirmed == assumption:
                return confirmed
            # Less assumed proves no more: only what is still assumed is read.
            shrunk = all(assumption.get(k) == v for k, v in confirmed.items())
            reread = list(confirmed) if shrunk else list(saved)
            assumption = confirmed
        return {}
    finally:
        for (qualname, name), type_ in saved.items():
            frames[qualname].params[name] = type_
        forget()


def _apply(
    assumption: dict[Key, set[str]],
    frames: dict[str, Frame],
    saved: dict[Key, str | None],
) -> None:
    for (qualname, name), type_ in saved.items():
        types = assumption.get((qualname, name))
        frames[qualname].params[name] = join_types(sorted(types)) if types else type_


def normal(types: Iterable[str]) -> set[str]:
    """*types* as the frames read them back (``split_union`` of the join)."""
    return set(split_union(join_types(sorted(types))))
