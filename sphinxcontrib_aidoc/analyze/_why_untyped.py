"""Why the call-site reader left a parameter untyped (for benchmarks).

``benchmarks/bench_types.py`` asks this of every parameter without a
default that got no type, and counts the answers: what blocks the most
parameters is where the next rule goes.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._frame import complete
from sphinxcontrib_aidoc.analyze._site_uses import accepts_more

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._callsites import _Sites

#: How many parameters passed straight on are followed up the chain.
_MAX_CHAIN = 6


def why_untyped(sites: _Sites, callee: str, param: str, depth: int = 0) -> str:
    """Why parameter *param* of *callee* got no type.

    Through a parameter passed straight on, the reason of the first
    caller's parameter that is not typed (``via`` names the chain).
    """
    target = sites.index.method(callee, "__init__") or callee
    if target not in sites.index.defs:
        return "not a project definition"
    if target in sites.poisoned:
        return "used other than by a resolved call"
    name = target.rpartition(".")[2]
    if sites.index.defs[target].owner and name in sites.open_names:
        return "method name called on an unknown receiver"
    found = sites.sites.get(target)
    if not found:
        return "no call site"
    frame = sites.solver.frames.get(target)
    if frame is not None and param in accepts_more(frame.own):
        return "body converts or tests it"
    record = sites.index.records[target]
    own = next((p for p in record.params if p.name == param), None)
    if own is None or own.default is not None:
        return "has a default"
    for where, passed in found:
        value = passed.get(param)
        if value is None and id(passed) in sites.partial:
            continue  # keywords a caller hands on: the rest is the call's
        if value is None:
            return "a call site does not pass it"
        source = sites._source(value, where)
        if source is not None and depth < _MAX_CHAIN and source != (target, param):
            why = why_untyped(sites, *source, depth + 1)
            if why != "typed":
                return why if "via" in why else f"{why} via {source[0]}"
            continue
        types = sites.solver.types_of(value, where)
        if not types or not complete(types):
            place = where.definition.qualname if where.definition else "?"
            return f"argument of unknown type: {ast.unparse(value)[:40]} in {place}"
    return "typed"
