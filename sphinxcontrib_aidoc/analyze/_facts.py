"""Facts about one function that need inference: parameter, return, yield types.

Every function takes the object's :class:`~._infer.Budget`; when it runs out,
answers degrade to "unknown" (None), never to an exception or a guess.
"""

from __future__ import annotations

from typing import Any

from astroid import bases, nodes  # type: ignore[import-untyped]  # astroid ships no py.typed

from sphinxcontrib_aidoc.analyze._infer import Budget, type_name
from sphinxcontrib_aidoc.analyze._nodes import (
    RawParam,
    annotation_string,
    decorator_names,
    is_stub,
    iterator_element,
    own_nodes,
    type_of_default,
    usage_types,
    uses_name,
)
from sphinxcontrib_aidoc.analyze._rules import (
    ParamText,
    decorated,
    typed_params,
)
from sphinxcontrib_aidoc.analyze._shape import always_exits
from sphinxcontrib_aidoc.analyze._type_rules import (
    MAX_ELEMENTS,
    SYNTAX_TYPES,
    inferred_returns,
    join_all,
    join_types,
    param_type,
    split_union,
)
from sphinxcontrib_aidoc.model import Param, Returns, Yields

_SYNTAX_TYPES: dict[type, str] = {
    getattr(nodes, name): type_ for name, type_ in SYNTAX_TYPES.items()
}

#: Builtins whose call always gives one type, whatever the arguments.
_BUILTIN_RESULTS: dict[str, str] = {
    **dict.fromkeys(("len", "hash", "id", "ord", "int"), "int"),
    **dict.fromkeys(
        ("str", "repr", "ascii", "chr", "hex", "oct", "bin", "format"), "str"
    ),
    **dict.fromkeys(
        ("bool", "callable", "isinstance", "issubclass", "hasattr", "any", "all"),
        "bool",
    ),
    "float": "float",
    "bytes": "bytes",
    "sorted": "list",
}


def params(
    func: nodes.FunctionDef,
    raw: list[RawParam],
    texts: list[ParamText],
    budget: Budget,
    *,
    bound: bool,
) -> tuple[Param, ...]:
    """Parameters of *func* with annotated or inferred types.

    Args:
        func: The function defining the parameters.
        raw: Its parameters (:func:`~._nodes.raw_params`).
        texts: Their texts (:func:`~._nodes.param_texts`).
        budget: The object's inference budget.
        bound: True when the first parameter is ``self``/``cls`` (no type).
    """
    return typed_params(texts, lambda i: _param_type(func, raw[i], budget), bound=bound)


def _param_type(func: nodes.FunctionDef, param: RawParam, budget: Budget) -> str | None:
    """The inferred type of an unannotated parameter, or None."""
    base = type_of_default(param.default)
    if param.default is not None and base is None:
        values = budget.values(param.default, limit=2)
        names = [type_name(v, budget) for v in values or []]
        if names and all(names):
            base = join_types([n for n in names if n])
    return param_type(base, usage_types(func, param.name))


def returns(
    func: nodes.FunctionDef,
    budget: Budget,
    param_types: dict[str, str | None],
) -> Returns | None:
    """The :class:`Returns` of *func* (never None for plain functions).

    Generators get a Returns only when they ``return`` a value.
    """
    annotation = func.returns
    value_returns = [
        r for r in own_nodes(func) if isinstance(r, nodes.Return) and r.value
    ]
    if func.is_generator():
        if not value_returns:
            return None
        item = iterator_element(annotation)
        if item and item[1]:
            return Returns(item[1], inferred=False)
        return Returns(_union(value_returns, func, budget, param_types), True)
    if annotation is not None:
        return Returns(annotation_string(annotation), inferred=False)
    abstract = decorated(decorator_names(func), "abstractmethod")
    if is_stub(func) or (
        abstract and all(isinstance(s, nodes.Pass) for s in func.body)
    ):
        return Returns(None, inferred=True)
    all_returns = [r for r in own_nodes(func) if isinstance(r, nodes.Return)]
    found = _union(all_returns, func, budget, param_types)
    return inferred_returns(found, falls_off=not always_exits(func.body))


def _union(
    stmts: list[Any],
    func: nodes.FunctionDef,
    budget: Budget,
    param_types: dict[str, str | None],
) -> str | None:
    """Join the types of ``return``/``yield`` values; None if any is unknown."""
    return join_all(
        ["None"]
        if stmt.value is None
        else expr_types(stmt.value, func, budget, param_types)
        for stmt in stmts
    )


def expr_types(
    expr: nodes.NodeNG,
    func: nodes.FunctionDef,
    budget: Budget,
    param_types: dict[str, str | None],
) -> list[str] | None:
    """The possible types of *expr* inside *func*, or None when unknown."""
    syntactic = _syntax_type(expr)
    if syntactic is not None:
        return [syntactic]
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
    callee = func if _defaults_bindable(func) else None
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


def _syntax_type(expr: nodes.NodeNG) -> str | None:
    """A type the expression's syntax alone fixes, or None."""
    for klass, name in _SYNTAX_TYPES.items():
        if isinstance(expr, klass):
            return name
    if isinstance(expr, nodes.UnaryOp) and expr.op == "not":
        return "bool"
    if (
        isinstance(expr, nodes.BinOp)
        and expr.op == "%"
        and isinstance(expr.left, nodes.Const)
        and isinstance(expr.left.value, (str, bytes))
    ):
        return type(expr.left.value).__name__
    return None


def _builtin_call(call: nodes.Call, budget: Budget) -> list[str] | None:
    """The result type of a call to a builtin whose result type is fixed."""
    if not isinstance(call.func, nodes.Name):
        return None
    result = _BUILTIN_RESULTS.get(call.func.name)
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
    text = annotation_string(callee.returns)
    return split_union(text) if text else None


def _defaults_bindable(func: nodes.FunctionDef) -> bool:
    """Whether inferring with parameters bound to defaults is honest.

    True unless the body reads a parameter whose default is ``None`` or not
    a literal (the default then says little about the values passed).
    """
    defaults = list(func.args.defaults or []) + list(func.args.kw_defaults or [])
    names = [a.name for a in (func.args.posonlyargs or []) + (func.args.args or [])]
    names = names[len(names) - len(func.args.defaults or []) :]
    names += [a.name for a in func.args.kwonlyargs or []]
    for name, default in zip(names, defaults[: len(names)], strict=False):
        if default is None:
            continue
        if type_of_default(default) in (None, "None") and uses_name(func, name):
            return False
    return True


def yields(
    func: nodes.FunctionDef, budget: Budget, param_types: dict[str, str | None]
) -> Yields | None:
    """What a generator yields; None for other functions."""
    if not func.is_generator():
        return None
    item = iterator_element(func.returns)
    if item and item[0]:
        return Yields(item[0], inferred=False)

    def yielded(node: nodes.Yield) -> list[str] | None:
        if isinstance(node, nodes.YieldFrom):
            return _element_types(node.value, budget)
        if node.value is None:
            return ["None"]
        return expr_types(node.value, func, budget, param_types)

    found = join_all(
        yielded(node)
        for node in own_nodes(func)
        if isinstance(node, (nodes.Yield, nodes.YieldFrom))
    )
    return Yields(found or None, inferred=True)


def _element_types(expr: nodes.NodeNG, budget: Budget) -> list[str] | None:
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
            item = iterator_element(value.parent.returns)
            if item and item[0]:
                parts.append(item[0])
                continue
        if type_name(value, budget) == "range":
            parts.append("int")
            continue
        return None
    return parts
