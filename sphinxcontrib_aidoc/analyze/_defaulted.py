"""What a parameter with a default holds inside its function, from call sites.

A parameter with a default is documented from its default (or left
untyped): that stays so. But inside the function, what the parameter may
hold is known when every call the project makes is known: the union of the
types every call site passes (a call that does not pass it gives the
default) and the default's own type (``name=None`` with call sites passing
``str`` holds ``str | None``). That type feeds only what the function's
own code derives from the parameter (``self.name = name`` gives the
attribute its type, which a ``return self.name`` then reads); it is never
stated as the parameter's documented type.

The guard is the call-site reader's (:mod:`._callsites`): the function is
reached by no call the project leaves unresolved, every argument passed has
a proven, complete type, and at least one call site exists. A default whose
type is not proven, or is a bare ``object()`` sentinel (which says nothing
of what callers mean to pass), leaves the parameter unknown.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Protocol

from sphinxcontrib_aidoc.analyze._frame import Frame, complete
from sphinxcontrib_aidoc.analyze._nodes import FUNCTIONS
from sphinxcontrib_aidoc.analyze._site_uses import UNPACKED
from sphinxcontrib_aidoc.analyze._type_rules import join_types

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._project import Solver

_VARIADIC = ("var_positional", "var_keyword")
#: A default whose type says nothing of what callers pass.
_UNINFORMATIVE = frozenset({"object"})


class _SiteReader(Protocol):
    """What this module reads of the call-site reader's state."""

    sites: dict[str, list[tuple[Frame, dict[str, ast.expr]]]]
    poisoned: set[str]
    open_names: set[str]


def defaults_of(node: ast.AST) -> dict[str, ast.expr]:
    """The default value of each parameter of a function that has one."""
    if not isinstance(node, FUNCTIONS):
        return {}
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    found = {
        a.arg: d
        for a, d in zip(
            positional[len(positional) - len(args.defaults) :],
            args.defaults,
            strict=True,
        )
    }
    found.update(
        (a.arg, d)
        for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
        if d is not None
    )
    return found


def defaulted_types(solver: Solver, reader: _SiteReader) -> dict[str, dict[str, str]]:
    """Per callee, the type each parameter with a default holds (see module doc)."""
    found: dict[str, dict[str, str]] = {}
    index = solver.index
    for callee, sites in reader.sites.items():
        definition = index.defs.get(callee)
        frame = solver.frames.get(callee)
        if (
            definition is None
            or frame is None
            or not sites
            or callee in reader.poisoned
            or (definition.owner and callee.rpartition(".")[2] in reader.open_names)
        ):
            continue
        defaults = defaults_of(definition.node)
        for param in index.records[callee].params:
            default = defaults.get(param.name)
            if (
                default is None
                or param.kind in _VARIADIC
                or param.evidence in ("annotation", "call sites")
            ):
                continue
            type_ = _held(solver, frame, param.name, default, sites)
            if type_ is not None:
                found.setdefault(callee, {})[param.name] = type_
    return found


def _held(
    solver: Solver,
    frame: Frame,
    name: str,
    default: ast.expr,
    sites: list[tuple[Frame, dict[str, ast.expr]]],
) -> str | None:
    if isinstance(default, ast.Name) and (
        default.id in frame.params or default.id in frame.local
    ):
        return None  # evaluated where the function is defined, not in it
    own = solver.types_of(default, frame)
    if not own or not complete(own) or _UNINFORMATIVE.intersection(own):
        return None
    parts = list(own)
    for where, passed in sites:
        value = passed.get(name)
        if value is None:
            if UNPACKED in passed:
                return None  # the unpacking may pass it
            continue  # the default
        types = solver.types_of(value, where)
        if not types or not complete(types) or _UNINFORMATIVE.intersection(types):
            return None
        parts.extend(types)
    return join_types(parts)
