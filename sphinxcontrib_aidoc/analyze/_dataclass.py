"""The ``__init__`` of a dataclass, rebuilt from syntax for the fast engine.

astroid's dataclass brain writes an ``__init__`` for every class decorated
``@dataclass`` (without ``init=False``) and no ``__init__`` of its own; the
astroid engine documents that signature. This module writes the same source
text from the class body (fields, ``field(default=..., default_factory=...,
init=..., kw_only=...)``, ``InitVar``, ``ClassVar``, ``KW_ONLY``,
``@dataclass(kw_only=True)``) and the ``__init__`` of dataclass ancestors,
and parses it. Where the brain needs inference (a field overridden by a
property, or dataclass ancestors in a multiple-inheritance tree) it raises
:class:`UnknownInitError`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from sphinxcontrib_aidoc.analyze._nodes import (
    FUNCTIONS,
    Function,
    dotted_name,
    text,
)
from sphinxcontrib_aidoc.analyze._rules import (
    DATACLASS_FACTORY,
    last_part,
)

#: ``{name: (annotation, default)}`` of inherited ``__init__`` parameters.
Store = dict[str, tuple[str | None, str | None]]


class UnknownInitError(Exception):
    """The dataclass ``__init__`` depends on something only inference knows."""


def is_dataclass(node: ast.ClassDef) -> bool:
    """Whether a decorator of *node* is named ``dataclass``."""
    return any(_is_dataclass_decorator(d) for d in node.decorator_list)


def wants_init(node: ast.ClassDef) -> bool:
    """A dataclass without ``init=False`` on its (last) dataclass call."""
    if not is_dataclass(node):
        return False
    calls = [
        d
        for d in node.decorator_list
        if isinstance(d, ast.Call) and _is_dataclass_decorator(d)
    ]
    return not calls or not any(
        k.arg == "init" and bool_value(k.value) is False for k in calls[-1].keywords
    )


def bool_value(node: ast.expr) -> bool | None:
    """The ``bool_value()`` astroid gives a literal; None if it needs inference."""
    if isinstance(node, ast.Constant):
        return bool(node.value)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return bool(node.elts)
    if isinstance(node, ast.Dict):
        return bool(node.keys)
    return None


def _is_dataclass_decorator(node: ast.expr) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Name):
        return target.id == "dataclass"
    return isinstance(target, ast.Attribute) and target.attr == "dataclass"


def _marked(annotation: ast.expr, name: str) -> bool:
    """Whether *annotation* is ``name`` or ``name[...]`` (any dotted prefix)."""
    if isinstance(annotation, ast.Subscript):
        annotation = annotation.value
    if not isinstance(annotation, (ast.Name, ast.Attribute)):
        return False
    return last_part(dotted_name(annotation)) == name


def fields(node: ast.ClassDef) -> list[ast.AnnAssign]:
    """Annotated names of the class body, ``ClassVar`` and ``KW_ONLY`` aside."""
    return [
        s
        for s in node.body
        if isinstance(s, ast.AnnAssign)
        and isinstance(s.target, ast.Name)
        and not _marked(s.annotation, "ClassVar")
        and not _marked(s.annotation, "KW_ONLY")
    ]


def _field_call(value: ast.expr | None) -> ast.Call | None:
    if isinstance(value, ast.Call) and isinstance(
        value.func, (ast.Name, ast.Attribute)
    ):
        return value if last_part(dotted_name(value.func)) == "field" else None
    return None


def _field_default(call: ast.Call, *, factory_call: bool = False) -> str | None:
    """``field(default=x)`` gives x; ``default_factory=f`` the factory marker.

    With *factory_call*, ``default_factory=f`` gives ``f()`` instead.
    """
    given = {k.arg: k.value for k in call.keywords if k.arg}
    if "default" in given and "default_factory" not in given:
        return text(given["default"])
    if "default_factory" in given and "default" not in given:
        if factory_call:
            return f"{text(given['default_factory'])}()"
        return DATACLASS_FACTORY
    return None


def arguments_data(func: Function) -> tuple[Store, Store]:
    """What astroid's ``Arguments._get_arguments_data()`` gives for *func*."""
    args = func.args
    if args.posonlyargs:
        raise UnknownInitError  # astroid pairs their defaults by index
    positional: Store = {}
    keyword: Store = {}
    offset = len(args.args) - len(args.defaults)
    for index, arg in enumerate(args.args):
        default = args.defaults[index - offset] if index >= offset else None
        positional[arg.arg] = (_opt(arg.annotation), _opt(default))
    if args.vararg:
        positional[args.vararg.arg] = (_opt(args.vararg.annotation), None)
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=False):
        keyword[arg.arg] = (_opt(arg.annotation), _opt(kw_default))
    if args.kwarg:
        keyword[args.kwarg.arg] = (_opt(args.kwarg.annotation), None)
    return positional, keyword


def _opt(node: ast.expr | None) -> str | None:
    return None if node is None else text(node)


def previous_default(bases: list[ast.ClassDef], name: str) -> str | None:
    """The ``field()`` default an ancestor dataclass gave field *name*."""
    for base in bases:
        for stmt in base.body:
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and stmt.target.id == name
            ):
                call = _field_call(stmt.value)
                found = (
                    _field_default(call, factory_call=True)
                    if call is not None
                    else None
                )
                if found is not None:
                    return found
    return None


def init_function(
    node: ast.ClassDef,
    inherited: tuple[Store, Store],
    previous: Callable[[str], str | None],
) -> Function | None:
    """Parse the ``__init__`` the dataclass brain writes for *node*.

    Args:
        node: The dataclass.
        inherited: Parameters of its dataclass ancestors' ``__init__``.
        previous: A field's default given by an ancestor's ``field()``.
    """
    prev_pos, prev_kw = dict(inherited[0]), dict(inherited[1])
    kw_only_all = _kw_only_decorated(node)
    properties = {
        s.name
        for s in node.body
        if isinstance(s, FUNCTIONS)
        and any(
            isinstance(d, ast.Name) and d.id == "property" for d in s.decorator_list
        )
    }
    params: list[str] = []
    kw_params: list[str] = []
    for assign in fields(node):
        assert isinstance(assign.target, ast.Name)  # fields() checked it
        name, call = assign.target.id, _field_call(assign.value)
        if call is not None and any(
            k.arg == "init" and bool_value(k.value) is False for k in call.keywords
        ):
            prev_pos.pop(name, None)
            prev_kw.pop(name, None)
            continue
        ann, default = _annotation_and_default(assign, call, properties, previous)
        param = name + (f": {ann}" if ann is not None else "")
        param += f" = {default}" if default is not None else ""
        kw_only = [k for k in call.keywords if k.arg == "kw_only"] if call else []
        if kw_only:
            (kw_params if bool_value(kw_only[0].value) is True else params).append(
                param
            )
        elif kw_only_all:
            if name in prev_kw:
                prev_kw[name] = (ann, default)
            else:
                kw_params.append(param)
        elif name in prev_pos:
            prev_pos[name] = (ann, default)
        elif name in prev_kw:
            params = [name, *params]
            prev_kw.pop(name)
        else:
            params.append(param)
    return _parse_init(_joined(prev_pos), params, _joined(prev_kw), kw_params)


def _annotation_and_default(
    assign: ast.AnnAssign,
    call: ast.Call | None,
    properties: set[str],
    previous: Callable[[str], str | None],
) -> tuple[str | None, str | None]:
    """The parameter's annotation and default text for field *assign*."""
    assert isinstance(assign.target, ast.Name)  # fields() checked it
    annotation: ast.expr | None = assign.annotation
    if _marked(assign.annotation, "InitVar"):
        slice_ = getattr(assign.annotation, "slice", None)
        annotation = slice_ if isinstance(slice_, ast.expr) else None
    ann = None if annotation is None else text(annotation)
    if assign.value is not None:
        return ann, _field_default(call) if call is not None else text(assign.value)
    if assign.target.id in properties:
        raise UnknownInitError  # the brain infers the property's value
    return ann, previous(assign.target.id)


def _parse_init(
    head: str, params: list[str], tail: str, kw_params: list[str]
) -> Function | None:
    """Assemble the ``__init__`` source as the brain does, and parse it."""
    signature = "" if "self" in head else "self, "
    signature += head + ", ".join(params)
    if not signature.endswith(", "):
        signature += ", "
    if tail or kw_params:
        signature += "*, "
    signature += tail + ", ".join(kw_params)
    try:
        tree = ast.parse(f"def __init__({signature}) -> None:\n    pass\n")
    except (SyntaxError, ValueError):
        return None
    func = tree.body[0]
    return func if isinstance(func, ast.FunctionDef) else None


def _kw_only_decorated(node: ast.ClassDef) -> bool:
    kw_only = False
    for decorator in node.decorator_list:
        if not isinstance(decorator, ast.Call):
            return False
        for keyword in decorator.keywords:
            if keyword.arg == "kw_only":
                kw_only = bool_value(keyword.value) is True
    return kw_only


def _joined(store: Store) -> str:
    """``_parse_arguments_into_strings`` of the brain: ``"a: int = 1, "``."""
    out = ""
    for name, (annotation, default) in store.items():
        out += name
        if annotation:
            out += ": " + annotation
        if default:
            out += " = " + default
        out += ", "
    return out
