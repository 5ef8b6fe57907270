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
    default_text,
    dotted_name,
    is_stub,
    iterator_element,
    last_part,
    type_of_default,
    usage_types,
)
from sphinxcontrib_aidoc.analyze._fast_shape import always_exits, is_generator
from sphinxcontrib_aidoc.model import Param, Returns, Yields

#: Elements of a container literal looked at (:data:`._infer.MAX_ELEMENTS`).
MAX_ELEMENTS = 16
_CONST_TYPES = frozenset({"int", "float", "str", "bytes", "bool", "complex"})
_SYNTAX_TYPES: dict[type, str] = {
    ast.ListComp: "list",
    ast.SetComp: "set",
    ast.DictComp: "dict",
    ast.JoinedStr: "str",
    ast.Compare: "bool",
}


class _UnknownTypeError(Exception):
    """A value whose type only inference could tell."""


def split_union(value: str) -> list[str]:
    """Split ``A | B[C | D]`` at top-level ``|`` into ``["A", "B[C | D]"]``."""
    parts: list[str] = []
    depth = 0
    current = ""
    for char in value:
        depth += {"[": 1, "(": 1, "]": -1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return [p for p in parts if p]


def join_types(parts: list[str]) -> str:
    """Join type names with `` | ``: deduplicated, sorted, ``None`` last."""
    names = sorted({p for p in parts if p != "None"})
    if "None" in parts:
        names.append("None")
    return " | ".join(names)


def params(
    raw: list[RawParam], own: list[ast.AST], *, bound: bool
) -> tuple[Param, ...]:
    """Parameters with annotated or syntactically evident types.

    Args:
        raw: The function's parameters (:func:`._fast_nodes.raw_params`).
        own: The function body's :func:`._fast_nodes.own_nodes`.
        bound: True when the first parameter is ``self``/``cls`` (no type).
    """
    usage = usage_types(own)
    out: list[Param] = []
    for i, param in enumerate(raw):
        default = default_text(param.default) if param.default else None
        annotation = annotation_string(param.annotation)
        if annotation:
            out.append(Param(param.name, param.kind, annotation, default, False))
            continue
        guess = None
        if not (bound and i == 0) and param.kind not in (
            "var_positional",
            "var_keyword",
        ):
            guess = _param_type(param, usage.get(param.name, []))
        out.append(Param(param.name, param.kind, guess, default, guess is not None))
    return tuple(out)


def _param_type(param: RawParam, usage: list[str]) -> str | None:
    base = type_of_default(param.default)
    if param.default is not None and base is None:
        return None  # the astroid engine infers the default's value
    evidence = list(dict.fromkeys(usage))
    if base == "None":
        return join_types([*evidence, "None"]) if evidence else None
    parts = ([base] if base else []) + evidence
    return join_types(parts) if parts else None


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
    abstract = "abstractmethod" in {last_part(d) for d in decorator_names(func)}
    if is_stub(func) or (abstract and all(isinstance(s, ast.Pass) for s in body)):
        return Returns(None, inferred=True)
    found = _union(all_returns)
    if found is None:
        return Returns(None, inferred=True)
    parts = split_union(found)
    if not always_exits(body):
        parts.append("None")  # control can fall off the end
    return Returns(join_types(parts) or "None", inferred=True)


def yields(func: Function, own: list[ast.AST]) -> Yields | None:
    """What a generator yields; None for other functions."""
    if not is_generator(func.body):
        return None
    item = iterator_element(func.returns)
    if item and item[0]:
        return Yields(item[0], inferred=False)
    parts: list[str] = []
    try:
        for node in own:
            if isinstance(node, ast.YieldFrom):
                parts.extend(_element_types(node.value))
            elif isinstance(node, ast.Yield):
                parts.extend(["None"] if node.value is None else _types(node.value))
    except _UnknownTypeError:
        return Yields(None, inferred=True)
    return Yields(join_types(parts) or None, inferred=True)


def _union(stmts: list[ast.Return]) -> str | None:
    """Join the types of literal ``return`` values; None if any is not literal."""
    parts: list[str] = []
    try:
        for stmt in stmts:
            parts.extend(["None"] if stmt.value is None else _types(stmt.value))
    except _UnknownTypeError:
        return None
    return join_types(parts)


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
        if node.value is None:
            return "None"
        name = type(node.value).__name__
        return name if name in _CONST_TYPES else None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = node.operand
        if isinstance(operand, ast.Constant) and type(operand.value) in (int, float):
            return type(operand.value).__name__
        raise _UnknownTypeError
    if isinstance(node, (ast.List, ast.Set)):
        _no_starred(node.elts)
        container = "list" if isinstance(node, ast.List) else "set"
        element = _uniform(node.elts, depth)
        return f"{container}[{element}]" if element else container
    if isinstance(node, ast.Tuple):
        _no_starred(node.elts)
        if not node.elts or len(node.elts) > MAX_ELEMENTS:
            return "tuple"
        names = [_element_type(e, depth) for e in node.elts]
        if any(n is None for n in names):
            return "tuple"
        return f"tuple[{', '.join(n for n in names if n)}]"
    if isinstance(node, ast.Dict):
        if any(k is None for k in node.keys):
            raise _UnknownTypeError  # ``{**other}``: astroid merges the other mapping
        if not node.keys or len(node.keys) > MAX_ELEMENTS:
            return "dict"
        keys = _uniform([k for k in node.keys if k is not None], depth)
        values = _uniform(node.values, depth)
        return f"dict[{keys}, {values}]" if keys and values else "dict"
    raise _UnknownTypeError


def _no_starred(elts: list[ast.expr]) -> None:
    if any(isinstance(e, (ast.Starred, ast.NamedExpr)) for e in elts):
        raise _UnknownTypeError  # astroid expands these through inference


def _element_type(node: ast.expr, depth: int) -> str | None:
    if depth >= 2:
        return None
    return _literal_type(node, depth + 1)


def _uniform(elts: list[ast.expr], depth: int) -> str | None:
    if not elts or len(elts) > MAX_ELEMENTS:
        return None
    names = {_element_type(e, depth) for e in elts}
    if len(names) != 1 or None in names:
        return None
    return names.pop()


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
