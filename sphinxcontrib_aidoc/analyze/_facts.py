"""Types and raised exceptions of one function, from syntax then the oracle.

A type comes from an annotation, a literal default (``= 1``),
``isinstance`` checks and list methods called on a parameter, or literal
``return``/``yield`` values (``return []``, ``yield "x"``). Other values are
asked of the :class:`~._oracle.Oracle`; without one they are "unknown"
(None), so analysis without inference never contradicts analysis with it,
it only knows less. Raised exceptions follow ``except`` clauses by syntax;
other raised expressions are asked of the oracle, or count as far as their
names are written (:func:`raises`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, replace

from sphinxcontrib_aidoc.analyze._built import built_type
from sphinxcontrib_aidoc.analyze._nodes import (
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
    well_formed,
)
from sphinxcontrib_aidoc.analyze._oracle import Oracle
from sphinxcontrib_aidoc.analyze._rules import (
    ParamText,
    decorated,
    last_part,
    typed_params,
)
from sphinxcontrib_aidoc.analyze._shape import always_exits, is_generator
from sphinxcontrib_aidoc.analyze._type_rules import (
    MAX_ELEMENTS,
    PROTOCOL_RETURNS,
    SCALAR_TYPES,
    SYNTAX_TYPES,
    constant_type,
    container_type,
    dict_type,
    inferred_returns,
    join_all,
    join_types,
    one_type,
    sized,
    split_union,
    tuple_type,
)
from sphinxcontrib_aidoc.model import Param, Returns, Value, Yields

_SYNTAX_TYPES: dict[type, str] = {
    getattr(ast, name): type_ for name, type_ in SYNTAX_TYPES.items()
}


class _UnknownTypeError(Exception):
    """A value whose type only inference could tell."""


def params(
    raw: list[RawParam],
    texts: list[ParamText],
    *,
    bound: bool,
    oracle: Oracle | None,
) -> tuple[Param, ...]:
    """Parameters with annotated types, or types their defaults prove.

    What the body does with a parameter (``isinstance`` checks, list
    methods) narrows it; it never gives the parameter's type.

    Args:
        raw: The function's parameters (:func:`._nodes.raw_params`).
        texts: Their texts (:func:`._nodes.param_texts`).
        bound: True when the first parameter is ``self``/``cls`` (no type).
        oracle: Infers the type of defaults that are not literals.
    """
    return typed_params(texts, lambda i: _param_type(raw[i], oracle), bound=bound)


def _param_type(param: RawParam, oracle: Oracle | None) -> str | None:
    """The type a parameter's default proves, or None.

    A default is evidence, not the parameter's type, so only a default
    that says little else counts: a literal number, string, bytes or bool
    (or a named constant of one, or a member of an enum: its class). A
    ``None`` default, an empty or literal container (a placeholder for any
    sequence or mapping), a sentinel object, and a parameter without a
    default give no type.
    """
    default = param.default
    if default is None:
        return None
    literal = type_of_default(default)
    if literal in SCALAR_TYPES:
        return literal
    if literal is not None or oracle is None:
        return None  # ``None``, a container, or only inference could tell
    return oracle.default_type(default)


def returns(
    func: Function, own: list[ast.AST], ask: Ask | None = None
) -> Returns | None:
    """The :class:`Returns` of *func*: annotated, evident or inferred.

    Generators get a Returns only when they ``return`` a value; a generator
    decorated ``@contextmanager`` returns a context manager (binding what
    it yields). A function that always raises returns ``NoReturn``; a
    special method of a fixed protocol (``__len__``, ``__str__``...) its
    protocol's type.
    """
    if ask is not None:
        ask.asked = False
    annotation = func.returns
    all_returns = [r for r in own if isinstance(r, ast.Return)]
    manager = context_manager(func)
    if manager is not None:
        bound, _ = _yielded(func, own, ask)
        text = f"{manager}[{bound}]" if bound else manager
        return Returns(text, inferred=True, evidence="rule")
    if is_generator(func.body):
        value_returns = [r for r in all_returns if r.value is not None]
        if not value_returns:
            return None
        item = iterator_element(annotation)
        if item and item[1]:
            return Returns(item[1], inferred=False, evidence="annotation")
        found = _union(value_returns, ask, own)
        return Returns(found, inferred=True, evidence=_evidence(found, ask))
    if annotation is not None:
        return Returns(
            annotation_string(annotation), inferred=False, evidence="annotation"
        )
    body = body_of(func)
    abstract = decorated(decorator_names(func), "abstractmethod")
    if is_stub(func) or (abstract and all(isinstance(s, ast.Pass) for s in body)):
        return Returns(None, inferred=True)
    protocol = PROTOCOL_RETURNS.get(func.name)
    if protocol is not None and isinstance(func, ast.FunctionDef):
        return Returns(protocol, inferred=True, evidence="rule")
    exits = always_exits(body)
    if exits and not all_returns:
        return Returns("NoReturn", inferred=True, evidence="rule")  # always raises
    found = _union(all_returns, ask, own)
    return inferred_returns(found, falls_off=not exits, evidence=_evidence(found, ask))


def context_manager(func: Function) -> str | None:
    """The context manager type a ``@contextmanager`` generator returns, or None."""
    if not is_generator(func.body):
        return None
    names = {last_part(d) for d in decorator_names(func)}
    if "asynccontextmanager" in names:
        return "contextlib.AbstractAsyncContextManager"
    if "contextmanager" in names:
        return "contextlib.AbstractContextManager"
    return None


def yields(func: Function, own: list[ast.AST], ask: Ask | None = None) -> Yields | None:
    """What a generator yields; None for other functions and context managers."""
    if not is_generator(func.body) or context_manager(func) is not None:
        return None
    if ask is not None:
        ask.asked = False
    found, inferred = _yielded(func, own, ask)
    evidence = _evidence(found, ask) if inferred else "annotation"
    return Yields(found, inferred=inferred, evidence=evidence if found else "")


def _yielded(
    func: Function, own: list[ast.AST], ask: Ask | None
) -> tuple[str | None, bool]:
    """The type a generator yields (annotated, evident, inferred, or None).

    The flag says whether it was inferred rather than annotated.
    """
    item = iterator_element(func.returns)
    if item and item[0]:
        return item[0], False

    def yielded(node: ast.Yield | ast.YieldFrom) -> list[str] | None:
        if isinstance(node, ast.YieldFrom):
            if ask is not None:
                ask.asked = True
                return ask.oracle.element_types(node.value)
            return _element_types(node.value)
        return _value_types(node.value, ask, own)

    try:
        found = join_all(
            yielded(node)
            for node in own
            if isinstance(node, (ast.Yield, ast.YieldFrom))
        )
    except _UnknownTypeError:
        return None, True
    return found or None, True


def honest(value: Value | None) -> Value | None:
    """*value* without an inferred type that does not read as a type."""
    if value is None or not value.inferred or value.type is None:
        return value
    return value if well_formed(value.type) else Value(None, inferred=True)


def honest_params(found: tuple[Param, ...]) -> tuple[Param, ...]:
    """*found* without inferred types that do not read as types."""
    return tuple(
        replace(p, type=None, inferred=False)
        if p.inferred and p.type and not well_formed(p.type)
        else p
        for p in found
    )


@dataclass(slots=True)
class Ask:
    """How to ask the oracle about one function's values."""

    oracle: Oracle
    func: Function
    param_types: dict[str, str | None]
    #: Whether a value's type was asked of the oracle (evidence: inference).
    asked: bool = False


def _evidence(found: str | None, ask: Ask | None) -> str:
    """What proves a value's type *found*: ``syntax`` or ``inference``."""
    if found is None:
        return ""
    return "inference" if ask is not None and ask.asked else "syntax"


def _union(stmts: list[ast.Return], ask: Ask | None, own: list[ast.AST]) -> str | None:
    """Join the types of ``return`` values; None if any is unknown."""
    try:
        return join_all(_value_types(stmt.value, ask, own) for stmt in stmts)
    except _UnknownTypeError:
        return None


def _value_types(
    expr: ast.expr | None, ask: Ask | None, own: list[ast.AST]
) -> list[str] | None:
    """The types of a ``return``/``yield`` value (``None`` when there is none)."""
    if expr is None:
        return ["None"]
    cast = _cast_type(expr)
    if cast is not None:
        return split_union(cast)
    if isinstance(expr, (ast.ListComp, ast.SetComp, ast.DictComp)):
        return [_comprehension_type(expr, ask, own)]
    syntactic = _syntax_type(expr)
    if syntactic is not None:
        return [syntactic]
    if isinstance(expr, ast.Name):
        built = built_type(expr.id, own, lambda e: _known_types(e, ask, own))
        if built is not None:
            return [built]
    if ask is not None:
        ask.asked = True
        return ask.oracle.expr_types(expr, ask.func, ask.param_types)
    if isinstance(expr, ast.Compare):
        return ["bool"]  # unless an operand overloads it: only inference sees
    return _types(expr)


#: How ``typing.cast`` is called.
_CASTS = frozenset({"cast", "typing.cast", "t.cast", "typing_extensions.cast"})


def _cast_type(expr: ast.expr) -> str | None:
    """The type ``typing.cast(T, value)`` states in the code, or None."""
    if (
        not isinstance(expr, ast.Call)
        or len(expr.args) != 2
        or expr.keywords
        or dotted_name(expr.func) not in _CASTS
    ):
        return None
    written = annotation_string(expr.args[0])
    return written if written and well_formed(written) else None


def syntax_types(expr: ast.expr, own: list[ast.AST]) -> list[str] | None:
    """The types of *expr* that syntax alone proves (no oracle), or None."""
    return _known_types(expr, None, own)


def _comprehension_type(
    expr: ast.ListComp | ast.SetComp | ast.DictComp, ask: Ask | None, own: list[ast.AST]
) -> str:
    """``list[T]``/``set[T]``/``dict[K, V]`` of a comprehension.

    The element (key, value) types are those the element expression's
    syntax proves (the project-wide pass, :mod:`._project`, adds calls into
    the project); unknown, the bare container. The oracle is not asked:
    inferring every comprehension's element costs more than it proves.
    """
    ask = None
    if isinstance(expr, ast.DictComp):
        keys = _known_types(expr.key, ask, own)
        values = _known_types(expr.value, ask, own)
        if not keys or not values:
            return "dict"
        return f"dict[{join_types(keys)}, {join_types(values)}]"
    container = "list" if isinstance(expr, ast.ListComp) else "set"
    found = _known_types(expr.elt, ask, own)
    return container_type(container, join_types(found) if found else None)


def _known_types(
    expr: ast.expr, ask: Ask | None, own: list[ast.AST]
) -> list[str] | None:
    """:func:`_value_types`, with None for "unknown" instead of an error."""
    try:
        return _value_types(expr, ask, own)
    except _UnknownTypeError:
        return None


def _syntax_type(expr: ast.expr) -> str | None:
    """A type the expression's syntax alone fixes, or None."""
    syntactic = _SYNTAX_TYPES.get(type(expr))
    if syntactic is not None:
        return syntactic
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
        return "bool"
    if (
        isinstance(expr, ast.BinOp)
        and isinstance(expr.op, ast.Mod)
        and isinstance(expr.left, ast.Constant)
        and isinstance(expr.left.value, (str, bytes))
    ):
        return type(expr.left.value).__name__
    return None


def _types(expr: ast.expr) -> list[str]:
    """The types of a returned or yielded literal."""
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


def raises(func: Function, oracle: Oracle | None) -> tuple[str, ...]:
    """Exception names raised explicitly in *func*'s own body, first seen first.

    ``raise err`` of a name bound by ``except ... as err`` gives the
    handler's types, and a bare ``raise`` those of the innermost handler.
    Other raised expressions are asked of the *oracle*; without one (or when
    it cannot tell) they count when they name a class by convention
    (``ValueError``, ``errors.Bad(...)``, ``_Private``).
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
        inferred = oracle.exception_names(exc) if oracle is not None else None
        if inferred is not None:
            names.extend(inferred)
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
