"""What a body does besides computing a value: exceptions raised, calls made.

Both use the object's :class:`~._infer.Budget` and degrade to "not found"
when inference gives up.
"""

from __future__ import annotations

from astroid import bases, nodes  # type: ignore[import-untyped]  # astroid ships no py.typed

from sphinxcontrib_aidoc.analyze._infer import Budget, qualified_callables, type_name
from sphinxcontrib_aidoc.analyze._nodes import (
    dotted_name,
    enclosing_handlers,
    handler_names,
    own_nodes,
)
from sphinxcontrib_aidoc.analyze._rules import (
    last_part,
)


def raises(func: nodes.NodeNG, budget: Budget) -> tuple[str, ...]:
    """Exception names raised explicitly in *func*'s own body, first seen first."""
    names: list[str] = []
    for node in own_nodes(func):
        if not isinstance(node, nodes.Raise):
            continue
        if node.exc is None:
            handler = next(enclosing_handlers(node, func), None)
            if handler is not None:
                names.extend(handler_names(handler))
            continue
        exc = node.exc
        if isinstance(exc, nodes.Name):
            bound = [
                h
                for h in enclosing_handlers(node, func)
                if h.name is not None and h.name.name == exc.name
            ]
            if bound:
                names.extend(handler_names(bound[0]))
                continue
        names.extend(_exception_names(exc, budget))
    return tuple(dict.fromkeys(names))


def _exception_names(exc: nodes.NodeNG, budget: Budget) -> list[str]:
    """Names for ``raise exc``: as written for classes, else the class name."""
    is_call = isinstance(exc, nodes.Call)
    target = exc.func if is_call else exc
    written = (
        dotted_name(target)
        if isinstance(target, (nodes.Name, nodes.Attribute))
        else None
    )
    values = budget.values(target, limit=2)
    if values and all(isinstance(v, nodes.ClassDef) for v in values):
        return [written] if written else [str(v.name) for v in values]
    if values and is_call:
        values = budget.values(exc, limit=2)
    if values and all(isinstance(v, bases.Instance) for v in values):
        found = [type_name(v, budget) for v in values]
        if all(found):
            return [n for n in found if n]
    if written and last_part(written)[:1].isupper():
        return [written]
    return []


def calls(scope: nodes.NodeNG, budget: Budget) -> tuple[str, ...]:
    """Qualified names of what the body of *scope* calls (builtins left out)."""
    names: set[str] = set()
    for node in own_nodes(scope):
        if budget.expired():
            break
        if isinstance(node, nodes.Call):
            names |= qualified_callables(budget.known_values(node.func, limit=4))
    return tuple(sorted(names))
