"""Types and raised exceptions for the fast engine, without inference.

The rules of :mod:`._facts` where they need no inference, and "unknown"
(None) where they would: a type comes from an annotation, a literal default
(``= 1``), ``isinstance`` checks and list methods called on a parameter,
or literal ``return``/``yield`` values (``return []``, ``yield "x"``). When
any value needs inference the answer is None, so the fast engine never
contradicts the astroid engine; it only knows less. Raised exceptions count
as far as their names are written (:func:`raises`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from sphinxcontrib_aidoc.analyze._fast_nodes import (
    SCOPES,
    TRY,
    Function,
    RawParam,
    annotation_string,
    body_of,
    decorator_names,
    dotted_name,
    is_stub,
    iterator_element,
    type_of_default,
    usage_types,
)
from sphinxcontrib_aidoc.analyze._fast_shape import always_exits, is_generator
from sphinxcontrib_aidoc.analyze._rules import (
    ParamText,
    decorated,
    last_part,
    typed_params,
)
from sphinxcontrib_aidoc.analyze._type_rules import (
    MAX_ELEMENTS,
    SYNTAX_TYPES,
    constant_type,
    container_type,
    dict_type,
    inferred_returns,
    join_all,
    one_type,
    param_type,
    sized,
    tuple_type,
)
from sphinxcontrib_aidoc.model import Param, Returns, Yields

_SYNTAX_TYPES: dict[type, str] = {
    **{getattr(ast, name): type_ for name, type_ in SYNTAX_TYPES.items()},
    ast.Compare: "bool",
}


class _UnknownTypeError(Exception):
    """A value whose type only inference could tell."""


def params(
    raw: list[RawParam], texts: list[ParamText], own: list[ast.AST], *, bound: bool
) -> tuple[Param, ...]:
    """Parameters with annotated or syntactically evident types.

    Args:
        raw: The function's parameters (:func:`._fast_nodes.raw_params`).
        texts: Their texts (:func:`._fast_nodes.param_texts`).
        own: The function body's :func:`._fast_nodes.own_nodes`.
        bound: True when the first parameter is ``self``/``cls`` (no type).
    """
    usage = usage_types(own)
    return typed_params(
        texts, lambda i: _param_type(raw[i], usage.get(raw[i].name, [])), bound=bound
    )


def _param_type(param: RawParam, usage: list[str]) -> str | None:
    base = type_of_default(param.default)
    if param.default is not None and base is None:
        return None  # the astroid engine infers the default's value
    return param_type(base, list(dict.fromkeys(usage)))


def returns(func: Function, own: list[ast.AST]) -> Returns | None:
    """The :class:`Returns` of *func* (``_facts.returns`` without inference)."""
    annotation = func.returns
    all_returns = [r for r in own if isinstance(r, ast.Return)]
    if is_generator(func.body):
        value_returns = [r for r in all_returns if r.value is not None]
        if not value_returns:
            return None
        item = iterator_element(annotation)
        if item and item[1]:
            return Returns(item[1], inferred=False)
        return Returns(_union(value_returns), inferred=True)
    if annotation is not None:
        return Returns(annotation_string(annotation), inferred=False)
    body = body_of(func)
    abstract = decorated(decorator_names(func), "abstractmethod")
    if is_stub(func) or (abstract and all(isinstance(s, ast.Pass) for s in body)):
        return Returns(None, inferred=True)
    return inferred_returns(_union(all_returns), falls_off=not always_exits(body))


def yields(func: Function, own: list[ast.AST]) -> Yields | None:
    """What a generator yields; None for other functions."""
    if not is_generator(func.body):
        return None
    item = iterator_element(func.returns)
    if item and item[0]:
        return Yields(item[0], inferred=False)
    try:
        found = join_all(
            _element_types(node.value)
            if isinstance(node, ast.YieldFrom)
            else _value_types(node.value)
            for node in own
            if isinstance(node, (ast.Yield, ast.YieldFrom))
        )
    except _UnknownTypeError:
        return Yields(None, inferred=True)
    return Yields(found or None, inferred=True)


def _union(stmts: list[ast.Return]) -> str | None:
    """Join the types of literal ``return`` values; None if any is not literal."""
    try:
        return join_all(_value_types(stmt.value) for stmt in stmts)
    except _UnknownTypeError:
        return None


def _value_types(expr: ast.expr | None) -> list[str]:
    """The types of a ``return``/``yield`` value (``None`` when there is none)."""
    return ["None"] if expr is None else _types(expr)


def _types(expr: ast.expr) -> list[str]:
    """The types of a returned or yielded literal (``_facts.expr_types``)."""
    syntactic = _SYNTAX_TYPES.get(type(expr))
    if syntactic is not None:
        return [syntactic]
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
        return ["bool"]
    if (
        isinstance(expr, ast.BinOp)
        and isinstance(expr.op, ast.Mod)
        and isinstance(expr.left, ast.Constant)
        and isinstance(expr.left.value, (str, bytes))
    ):
        return [type(expr.left.value).__name__]
    name = _literal_type(expr, 0)
    if name is None:
        raise _UnknownTypeError
    return [name]


def _literal_type(node: ast.expr, depth: int) -> str | None:
    """``_infer.type_name`` of a literal; :class:`_UnknownTypeError` for other values."""
    if isinstance(node, ast.Constant):
        return constant_type(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = node.operand
        if isinstance(operand, ast.Constant) and type(operand.value) in (int, float):
            return type(operand.value).__name__
        raise _UnknownTypeError
    if isinstance(node, (ast.List, ast.Set)):
        _no_starred(node.elts)
        container = "list" if isinstance(node, ast.List) else "set"
        return container_type(container, _uniform(node.elts, depth))
    if isinstance(node, ast.Tuple):
        _no_starred(node.elts)
        if not sized(node.elts):
            return "tuple"
        return tuple_type([_element_type(e, depth) for e in node.elts])
    if isinstance(node, ast.Dict):
        if any(k is None for k in node.keys):
            raise _UnknownTypeError  # ``{**other}``: astroid merges the other mapping
        if not sized(node.keys):
            return "dict"
        keys = _uniform([k for k in node.keys if k is not None], depth)
        return dict_type(keys, _uniform(node.values, depth))
    raise _UnknownTypeError


def _no_starred(elts: list[ast.expr]) -> None:
    if any(isinstance(e, (ast.Starred, ast.NamedExpr)) for e in elts):
        raise _UnknownTypeError  # astroid expands these through inference


def _element_type(node: ast.expr, depth: int) -> str | None:
    if depth >= 2:
        return None
    return _literal_type(node, depth + 1)


def _uniform(elts: list[ast.expr], depth: int) -> str | None:
    if not sized(elts):
        return None
    return one_type(_element_type(e, depth) for e in elts)


def _element_types(expr: ast.expr) -> list[str]:
    """Types of the items ``yield from expr`` produces (``_facts._element_types``)."""
    if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
        _no_starred(expr.elts)
        parts: list[str] = []
        for elt in expr.elts[:MAX_ELEMENTS]:
            name = _literal_type(elt, 0)
            if name is None:
                raise _UnknownTypeError
            parts.append(name)
        return parts
    if isinstance(expr, ast.Constant) and isinstance(expr.value, (str, bytes)):
        return ["str" if isinstance(expr.value, str) else "int"]
    raise _UnknownTypeError


def handler_names(handler: ast.ExceptHandler) -> list[str]:
    """Exception names an ``except`` clause catches (empty for bare except)."""
    if handler.type is None:
        return []
    kind = handler.type
    elts = kind.elts if isinstance(kind, ast.Tuple) else [kind]
    return [dotted_name(e) for e in elts]


def raises(func: Function) -> tuple[str, ...]:
    """Exception names raised in *func*'s own body, as :func:`._effects.raises`.

    Without inference a raised expression counts when it names a class by
    convention (``ValueError``, ``errors.Bad(...)``, ``_Private``); ``raise err`` of a
    name bound by ``except ... as err`` gives the handler's types, and a
    bare ``raise`` those of the innermost handler.
    """
    names: list[str] = []
    for node, handlers in _raises_with_handlers(body_of(func), ()):
        if node.exc is None:
            if handlers:
                names.extend(handler_names(handlers[0]))
            continue
        exc = node.exc
        if isinstance(exc, ast.Name):
            bound = [h for h in handlers if h.name == exc.id]
            if bound:
                names.extend(handler_names(bound[0]))
                continue
        target = exc.func if isinstance(exc, ast.Call) else exc
        if isinstance(target, (ast.Name, ast.Attribute)):
            written = dotted_name(target)
            if last_part(written).lstrip("_")[:1].isupper():
                names.append(written)
    return tuple(dict.fromkeys(names))


def _raises_with_handlers(
    body: list[ast.stmt], handlers: tuple[ast.ExceptHandler, ...]
) -> Iterator[tuple[ast.Raise, tuple[ast.ExceptHandler, ...]]]:
    """``raise`` statements in *body* (source order) with their handlers.

    Handlers are innermost first; nested scopes are not entered.
    """
    for stmt in body:
        if isinstance(stmt, ast.Raise):
            yield stmt, handlers
        elif isinstance(stmt, TRY):
            yield from _raises_with_handlers(stmt.body, handlers)
            for handler in stmt.handlers:
                yield from _raises_with_handlers(handler.body, (handler, *handlers))
            yield from _raises_with_handlers(stmt.orelse, handlers)
            yield from _raises_with_handlers(stmt.finalbody, handlers)
        elif isinstance(stmt, ast.Match):
            for case in stmt.cases:
                yield from _raises_with_handlers(case.body, handlers)
        elif not isinstance(stmt, SCOPES):
            for block in ("body", "orelse"):
                inner = getattr(stmt, block, None)
                if isinstance(inner, list):
                    yield from _raises_with_handlers(inner, handlers)
