"""What one call passes to each parameter of the function it reaches.

The call-site reader (:mod:`._callsites`) reads every call of a project
function as a *site*: where the call is (its :class:`~._frame.Frame`) and
the argument expression given to each parameter, by name
(:func:`passed_arguments`). A call that does not fit the signature maps to
nothing: it cannot reach that function.
"""

from __future__ import annotations

import ast

from sphinxcontrib_aidoc.analyze._frame import Frame
from sphinxcontrib_aidoc.analyze._site_uses import UNPACKED, unpacks
from sphinxcontrib_aidoc.model import ObjectInfo

#: Parameter kinds a call can fill by position.
POSITIONAL = ("positional_only", "positional_or_keyword")
#: Kinds whose first positional parameter is the instance or class, bound by
#: the call (a property's getter is never called with a call's arguments:
#: ``obj.prop(x)`` calls what the getter returns).
BOUND_KINDS = frozenset({"method", "classmethod", "property"})
#: One call site: where it is, and what it passes to each parameter by name.
Site = tuple[Frame, dict[str, ast.expr]]


def passed_arguments(
    call: ast.Call, frame: Frame, callee: ObjectInfo, target: str
) -> Site | None:
    """What *call* (in *frame*) passes to each parameter of *callee*; None if it does not map.

    *target* is what the call names: *callee* itself, or a class whose
    ``__init__`` *callee* is (the instance is then bound, as for a method).
    A call that unpacks (``f(a, *rest, key=b, **options)``) passes what
    it names definitely (``a`` by position before the first ``*``,
    ``b`` by name); any other parameter may be given by the unpacking,
    so it is not passed (a site that passes it nothing known).
    """
    unpacking = unpacks(call)
    params = list(callee.params)
    through_class = target != callee.qualname
    bound = callee.kind in BOUND_KINDS or through_class
    if bound and params and params[0].kind in POSITIONAL:
        params = params[1:]
    positional = [p for p in params if p.kind in POSITIONAL]
    by_name = {p.name: p for p in params if p.kind != "positional_only"}
    passed: dict[str, ast.expr] = {}
    for i, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            break  # the positions of what follows are not known
        if i >= len(positional):
            if not any(p.kind == "var_positional" for p in params):
                return None
            continue
        passed[positional[i].name] = arg
    for keyword in call.keywords:
        if keyword.arg is None:
            continue  # ``**mapping``: its names are not known
        name = keyword.arg
        if name in by_name and name not in passed:
            passed[name] = keyword.value
        elif not any(p.kind == "var_keyword" for p in params):
            return None
    if not unpacking and any(p.required and p.name not in passed for p in params):
        return None
    if unpacking:
        passed[UNPACKED] = call  # what it leaves out may still be given
    return frame, passed
