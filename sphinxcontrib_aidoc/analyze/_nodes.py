"""Pure helpers over astroid nodes: no inference, no I/O, no state.

Annotation strings, parameters and their texts (:mod:`._rules` formats
signatures from those), decorators, literal default types, the statements
that belong to one function ("own" nodes, not those of nested functions or
classes), and what those statements say syntactically (``isinstance``
checks, ``except`` clauses, deprecation warnings). Control flow and source
text live in :mod:`._shape`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from astroid import nodes  # type: ignore[import-untyped]  # astroid ships no py.typed

from sphinxcontrib_aidoc.analyze._rules import (
    WARN_FUNCTIONS,
    Parameter,
    ParamText,
    is_deprecation_category,
    last_part,
    texts_of,
)
from sphinxcontrib_aidoc.analyze._type_rules import (
    BUILTIN_CONSTRUCTORS,
    DEFAULT_CONTAINERS,
    DEFAULT_TYPES,
    LIST_METHODS,
    constant_type,
    iterator_item,
)
from sphinxcontrib_aidoc.model import ParamKind

#: Default-value node classes whose type the syntax fixes.
_DEFAULT_CONTAINERS: dict[type, str] = {
    getattr(nodes, name): type_ for name, type_ in DEFAULT_CONTAINERS.items()
}
#: Nodes whose bodies run separately from the scope around them.
SCOPES = (nodes.FunctionDef, nodes.Lambda, nodes.ClassDef)
#: One parameter as written: name, kind, annotation and default nodes.
RawParam = Parameter[Any]


def annotation_string(node: nodes.NodeNG | None) -> str | None:
    """Return an annotation as source text; string annotations are unquoted."""
    if node is None:
        return None
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return node.value.strip() or None
    return str(node.as_string())


def dotted_name(node: nodes.NodeNG) -> str:
    """Return ``a.b.c`` for a name/attribute chain, else the source text."""
    if isinstance(node, nodes.Name):
        return str(node.name)
    if isinstance(node, nodes.Attribute):
        return f"{dotted_name(node.expr)}.{node.attrname}"
    return str(node.as_string())


def decorator_names(node: nodes.FunctionDef | nodes.ClassDef) -> tuple[str, ...]:
    """Dotted decorator names, without call arguments (``functools.lru_cache``)."""
    if not node.decorators:
        return ()
    names = []
    for dec in node.decorators.nodes:
        target = dec.func if isinstance(dec, nodes.Call) else dec
        names.append(dotted_name(target))
    return tuple(names)


def raw_params(func: nodes.FunctionDef) -> list[RawParam]:
    """Every parameter of *func* in signature order."""
    args = func.args
    positional = list(args.posonlyargs or []) + list(args.args or [])
    annotations = list(args.posonlyargs_annotations or []) + list(
        args.annotations or []
    )
    annotations += [None] * (len(positional) - len(annotations))
    defaults = list(args.defaults or [])
    first_default = len(positional) - len(defaults)
    n_posonly = len(args.posonlyargs or [])
    out: list[RawParam] = []
    for i, arg in enumerate(positional):
        kind: ParamKind = (
            "positional_only" if i < n_posonly else "positional_or_keyword"
        )
        default = defaults[i - first_default] if i >= first_default else None
        out.append(Parameter(arg.name, kind, annotations[i], default))
    if args.vararg:
        out.append(
            Parameter(args.vararg, "var_positional", args.varargannotation, None)
        )
    kw_annotations = list(args.kwonlyargs_annotations or [])
    kw_defaults = list(args.kw_defaults or [])
    for i, arg in enumerate(args.kwonlyargs or []):
        out.append(
            Parameter(
                arg.name,
                "keyword_only",
                kw_annotations[i] if i < len(kw_annotations) else None,
                kw_defaults[i] if i < len(kw_defaults) else None,
            )
        )
    if args.kwarg:
        out.append(Parameter(args.kwarg, "var_keyword", args.kwargannotation, None))
    return out


def param_texts(raw: list[RawParam]) -> list[ParamText]:
    """The texts of *raw* as a signature shows them (:func:`._rules.texts_of`)."""
    return texts_of(raw, annotation_string, lambda node: str(node.as_string()))


def type_of_default(node: nodes.NodeNG | None) -> str | None:
    """The type of a literal default value (``1`` -> ``int``); None if unsure.

    A ``None`` default gives ``"None"``.
    """
    if node is None:
        return None
    if isinstance(node, nodes.Const):
        return constant_type(node.value, DEFAULT_TYPES)
    if isinstance(node, nodes.UnaryOp):
        if node.op == "not":
            return "bool"
        inner = type_of_default(node.operand)
        return inner if inner in {"int", "float"} else None
    for klass, name in _DEFAULT_CONTAINERS.items():
        if isinstance(node, klass):
            return name
    if (
        isinstance(node, nodes.Call)
        and isinstance(node.func, nodes.Name)
        and node.func.name in BUILTIN_CONSTRUCTORS
    ):
        return str(node.func.name)
    return None


def own_nodes(scope: nodes.NodeNG) -> Iterator[nodes.NodeNG]:
    """Walk the body of *scope*, skipping nested functions, lambdas and classes.

    Comprehensions are walked (they run as part of *scope*).
    """
    stack = list(reversed(scope.body))
    while stack:
        node = stack.pop()
        if isinstance(node, SCOPES):
            continue
        yield node
        stack.extend(reversed(list(node.get_children())))


def usage_types(func: nodes.FunctionDef, name: str) -> list[str]:
    """Types the body's use of parameter *name* implies, in first-seen order.

    Evidence is conservative: ``isinstance(name, T)`` checks (each type of a
    tuple) and calls of list-only methods (``name.append(...)``).
    """
    found: list[str] = []
    for node in own_nodes(func):
        if not isinstance(node, nodes.Call):
            continue
        func_node = node.func
        if (
            isinstance(func_node, nodes.Name)
            and func_node.name == "isinstance"
            and len(node.args) == 2
            and isinstance(node.args[0], nodes.Name)
            and node.args[0].name == name
        ):
            check = node.args[1]
            elts = check.elts if isinstance(check, nodes.Tuple) else [check]
            found.extend(str(e.as_string()) for e in elts)
        elif (
            isinstance(func_node, nodes.Attribute)
            and isinstance(func_node.expr, nodes.Name)
            and func_node.expr.name == name
            and func_node.attrname in LIST_METHODS
        ):
            found.append("list")
    return list(dict.fromkeys(found))


def uses_name(func: nodes.FunctionDef, name: str) -> bool:
    """Whether the body of *func* reads *name* anywhere (nested defs too)."""
    return any(n.name == name for n in func.nodes_of_class(nodes.Name))


def iterator_element(annotation: nodes.NodeNG | None) -> tuple[str, str] | None:
    """For ``Iterator[T]``-like annotations, ``(T, R)``; R is the return type.

    See :func:`._type_rules.iterator_item`.
    """
    if not isinstance(annotation, nodes.Subscript):
        return None
    slice_ = annotation.slice
    args = list(slice_.elts) if isinstance(slice_, nodes.Tuple) else [slice_]
    return iterator_item(dotted_name(annotation.value), args, annotation_string)


def is_stub(func: nodes.FunctionDef) -> bool:
    """Whether the body is only a docstring, ``...`` or ``raise NotImplementedError``."""
    body = list(func.body)  # astroid keeps the docstring out of the body
    if not body:
        return True
    if len(body) != 1:
        return False
    stmt = body[0]
    if isinstance(stmt, nodes.Expr) and isinstance(stmt.value, nodes.Const):
        return stmt.value.value is Ellipsis
    if isinstance(stmt, nodes.Raise) and stmt.exc is not None:
        exc = stmt.exc.func if isinstance(stmt.exc, nodes.Call) else stmt.exc
        return last_part(dotted_name(exc)) == "NotImplementedError"
    return False


def warns_deprecation(scope: nodes.NodeNG) -> bool:
    """Whether the body calls ``warnings.warn`` with a deprecation category."""
    for node in own_nodes(scope):
        if not isinstance(node, nodes.Call):
            continue
        if dotted_name(node.func) not in WARN_FUNCTIONS:
            continue
        candidates = list(node.args[1:2])
        candidates += [k.value for k in node.keywords or [] if k.arg == "category"]
        if node.args and isinstance(node.args[0], nodes.Call):
            candidates.append(node.args[0].func)
        if any(is_deprecation_category(dotted_name(c)) for c in candidates):
            return True
    return False


def handler_names(handler: nodes.ExceptHandler) -> list[str]:
    """Exception names an ``except`` clause catches (empty for bare except)."""
    if handler.type is None:
        return []
    elts = (
        handler.type.elts if isinstance(handler.type, nodes.Tuple) else [handler.type]
    )
    return [dotted_name(e) for e in elts]


def enclosing_handlers(
    node: nodes.NodeNG, scope: nodes.NodeNG
) -> Iterator[nodes.ExceptHandler]:
    """The ``except`` clauses around *node*, innermost first, inside *scope*."""
    parent = node.parent
    child = node
    while parent is not None and parent is not scope:
        if isinstance(parent, nodes.ExceptHandler) and child in parent.body:
            yield parent
        child, parent = parent, parent.parent
