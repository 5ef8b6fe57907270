"""The types of values, by astroid inference (the astroid oracle's answers).

Given astroid nodes the oracle found for the walker's :mod:`ast` nodes, and
the object's :class:`~._infer.Budget`: the possible types of a returned or
yielded expression (:func:`expr_types`), of the items ``yield from``
produces (:func:`element_types`). Answers degrade to None ("unknown") when
the budget runs out, never to an exception or a guess.
"""

from __future__ import annotations

from astroid import bases, nodes  # type: ignore[import-untyped]  # astroid ships no py.typed

from sphinxcontrib_aidoc.analyze._infer import Budget, type_name
from sphinxcontrib_aidoc.analyze._type_rules import (
    BUILTIN_RESULTS,
    MAX_ELEMENTS,
    iterator_item,
    split_union,
)


def expr_types(
    expr: nodes.NodeNG,
    func: nodes.FunctionDef,
    budget: Budget,
    param_types: dict[str, str | None],
    *,
    bindable: bool,
) -> list[str] | None:
    """The possible types of *expr* inside *func*, or None when unknown.

    *bindable*: inferring with *func*'s parameters bound to their defaults
    is honest (see ``_astroid.defaults_bindable``).
    """
    if isinstance(expr, nodes.Name) and _is_plain_param(func, expr.name):
        known = param_types.get(expr.name)
        if known:
            return split_union(known)  # else infer: ``self`` is an instance
    if isinstance(expr, nodes.Await):
        # ``await f()`` of a coroutine function gives what ``f`` returns.
        inner = expr.value
        if not isinstance(inner, nodes.Call) or not _calls_coroutine(inner, budget):
            return None
        annotated = _annotated_call(inner, budget, awaited=True)
        if annotated is not None:
            return annotated
        expr = inner  # astroid infers a coroutine call as its return value
    elif isinstance(expr, nodes.Call):
        if _calls_coroutine(expr, budget):
            return None  # a coroutine object, not its result
        annotated = _annotated_call(expr, budget) or _builtin_call(expr, budget)
        if annotated is not None:
            return annotated
    callee = func if bindable else None
    values = budget.values(expr)
    if values is None and callee is not None:
        values = budget.values(expr, callee=callee)
    if values is None:
        # A comparison is a bool unless an operand overloads it (rare).
        return ["bool"] if isinstance(expr, nodes.Compare) else None
    names = [type_name(v, budget, callee=callee) for v in values]
    if not names or any(n is None for n in names):
        return None
    return [n for n in names if n]


def _builtin_call(call: nodes.Call, budget: Budget) -> list[str] | None:
    """The result type of a call to a builtin whose result type is fixed."""
    if not isinstance(call.func, nodes.Name):
        return None
    result = BUILTIN_RESULTS.get(call.func.name)
    if result is None:
        return None
    callees = budget.values(call.func, limit=2)
    if not callees or any(c.root().name != "builtins" for c in callees):
        return None  # shadowed, or unknown
    return [result]


def _is_plain_param(func: nodes.FunctionDef, name: str) -> bool:
    """True when *name* is a parameter of *func* never rebound in its body."""
    bindings = func.locals.get(name, [])
    return bool(bindings) and all(b.parent is func.args for b in bindings)


def _callee(call: nodes.Call, budget: Budget) -> nodes.NodeNG | None:
    """The one function or class *call* calls (methods unwrapped), or None."""
    callees = budget.values(call.func, limit=2)
    if not callees or len(callees) != 1:
        return None
    callee = callees[0]
    while isinstance(callee, bases.UnboundMethod):  # BoundMethod too
        callee = callee._proxied
    return callee


def _calls_coroutine(call: nodes.Call, budget: Budget) -> bool:
    """Whether *call* calls a coroutine function (``async def``)."""
    callee = _callee(call, budget)
    return isinstance(callee, nodes.AsyncFunctionDef) and not callee.is_generator()


def _annotated_call(
    call: nodes.Call, budget: Budget, *, awaited: bool = False
) -> list[str] | None:
    """The return annotation of the one function *call* calls, if annotated.

    A coroutine function's annotation counts only when the call is awaited.
    """
    callee = _callee(call, budget)
    if not isinstance(callee, nodes.FunctionDef) or callee.returns is None:
        return None
    if callee.is_generator() or awaited != isinstance(callee, nodes.AsyncFunctionDef):
        return None
    text = _annotation(callee.returns)
    return split_union(text) if text else None


def element_types(expr: nodes.NodeNG, budget: Budget) -> list[str] | None:
    """Types of the items ``yield from expr`` produces, or None."""
    values = budget.values(expr, limit=4)
    if values is None:
        return None
    parts: list[str] = []
    for value in values:
        if isinstance(value, (nodes.List, nodes.Tuple, nodes.Set)):
            for elt in value.elts[:MAX_ELEMENTS]:
                inner = budget.values(elt, limit=2)
                names = [type_name(v, budget) for v in inner or []]
                if not names or any(n is None for n in names):
                    return None
                parts.extend(n for n in names if n)
            continue
        if isinstance(value, nodes.Const) and isinstance(value.value, (str, bytes)):
            parts.append("str" if isinstance(value.value, str) else "int")
            continue
        if isinstance(value, bases.Generator) and isinstance(
            value.parent, nodes.FunctionDef
        ):
            item = _iterator_element(value.parent.returns)
            if item and item[0]:
                parts.append(item[0])
                continue
        if type_name(value, budget) == "range":
            parts.append("int")
            continue
        return None
    return parts


def _annotation(node: nodes.NodeNG | None) -> str | None:
    """An annotation as source text; string annotations are unquoted.

    (``_nodes.annotation_string`` reads the walker's nodes the same way.)
    """
    quoted = isinstance(node, nodes.Const) and isinstance(node.value, str)
    written = "" if node is None else node.value if quoted else node.as_string()
    return str(written).strip() or None


def _iterator_element(annotation: nodes.NodeNG | None) -> tuple[str, str] | None:
    """For ``Iterator[T]``-like annotations, ``(T, R)`` (see ``iterator_item``)."""
    if not isinstance(annotation, nodes.Subscript):
        return None
    slice_ = annotation.slice
    args = list(slice_.elts) if isinstance(slice_, nodes.Tuple) else [slice_]
    return iterator_item(str(annotation.value.as_string()), args, _annotation)
