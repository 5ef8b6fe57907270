"""The analysis rules both engines share: names, strings, small pure functions.

No astroid and no :mod:`ast` here: decisions over plain values (dotted
decorator names, annotation and default texts, type names), so that the
walker (:mod:`._walk`) and the astroid oracle (:mod:`._astroid`) decide the
same way from what each reads:

* which definitions are objects, and of which kind (:func:`classify`);
* signatures and parameters (:func:`format_signature`, :func:`typed_params`);
* deprecation and exception naming conventions.

Type names and their unions are in :mod:`._type_rules`; shared walk state
and source hashing in :mod:`._records`.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sphinxcontrib_aidoc.model import Kind, Param, ParamKind

#: Decorators (last dotted component) that make a method a property getter.
PROPERTY_DECORATORS = frozenset({"property", "cached_property", "abstractproperty"})
#: Suffixes of decorators that attach an accessor to an existing property.
ACCESSOR_SUFFIXES = (".setter", ".deleter", ".getter")
#: Methods Python makes class methods implicitly.
IMPLICIT_CLASSMETHODS = frozenset({"__init_subclass__", "__class_getitem__"})
#: Kinds whose first parameter is ``self``/``cls`` (never typed).
#: Parameter kinds that collect many arguments (never typed by guessing).
VARIADIC_KINDS = frozenset({"var_positional", "var_keyword"})
#: Warning categories that mark a deprecation.
DEPRECATION_CATEGORIES = frozenset(
    {"DeprecationWarning", "PendingDeprecationWarning", "FutureWarning"}
)
#: Callees (as written) that emit a warning.
WARN_FUNCTIONS = frozenset({"warnings.warn", "warn"})
#: The default the dataclass ``__init__`` gives fields with a default_factory.
DATACLASS_FACTORY = "_HAS_DEFAULT_FACTORY"
#: Names of the built-in exception classes.
BUILTIN_EXCEPTIONS = frozenset(
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
)
#: Base-name endings taken to mean an exception class.
EXCEPTION_SUFFIXES = ("Error", "Exception")

#: A definition node (either engine's).
D = TypeVar("D")
#: A syntax node (either engine's), or a text.
N = TypeVar("N")
#: An entry of :func:`classify`: ``(definition, kind, accessors)``.
Entry = tuple[D, Kind, list[D]]


def last_part(name: str) -> str:
    """The last dotted component of *name*."""
    return name.rpartition(".")[2]


def decorated(decorators: Iterable[str], name: str) -> bool:
    """Whether a decorator's last dotted component is *name*."""
    return any(last_part(d) == name for d in decorators)


def is_deprecated(decorators: Iterable[str], doc: str | None) -> bool:
    """Whether a ``@deprecated`` decorator or the docstring marks a deprecation."""
    return decorated(decorators, "deprecated") or (
        doc is not None and ".. deprecated::" in doc
    )


def is_deprecation_category(name: str) -> bool:
    """Whether the warning category written *name* marks a deprecation."""
    last = last_part(name)
    return last in DEPRECATION_CATEGORIES or last.endswith("DeprecationWarning")


def named_like_exception(
    base: str, suffixes: tuple[str, ...] = EXCEPTION_SUFFIXES
) -> bool:
    """Whether a base class written *base* (``Base[T]``) names an exception."""
    name = last_part(base.split("[", 1)[0])
    return name in BUILTIN_EXCEPTIONS or name.endswith(suffixes)


def method_kind(name: str, decorators: set[str]) -> Kind:
    """``staticmethod``, ``classmethod`` or ``method``, from last decorator parts."""
    if "staticmethod" in decorators:
        return "staticmethod"
    if "classmethod" in decorators or name in IMPLICIT_CLASSMETHODS:
        return "classmethod"
    return "method"


def classify(
    definitions: Iterable[D],
    *,
    in_class: bool,
    is_class: Callable[[D], bool],
    decorators_of: Callable[[D], tuple[str, ...]],
    name_of: Callable[[D], str],
) -> list[Entry[D]]:
    """The objects among the definitions of one scope, in source order.

    ``@overload`` stubs are skipped. In a class, a property's
    ``@name.setter``/``.deleter``/``.getter`` functions are no objects: they
    join the accessors of the last property *name* defined before them (or
    are dropped when there is none).

    Args:
        definitions: The scope's functions and classes, in source order.
        in_class: Whether the scope is a class body (functions are methods).
        is_class: Whether a definition is a class.
        decorators_of: A function's dotted decorator names.
        name_of: A definition's name.

    Returns:
        ``(definition, kind, accessors)`` entries; the kind is ``class``,
        ``function``, ``property``, ``method``, ``classmethod`` or
        ``staticmethod``.
    """
    entries: list[Entry[D]] = []
    properties: dict[str, list[D]] = {}
    for node in definitions:
        if is_class(node):
            entries.append((node, "class", []))
            continue
        decorators = decorators_of(node)
        lasts = {last_part(d) for d in decorators}
        if "overload" in lasts:
            continue
        if not in_class:
            entries.append((node, "function", []))
            continue
        accessor = next(
            (
                d
                for d in decorators
                if d.endswith(ACCESSOR_SUFFIXES) and d.count(".") == 1
            ),
            None,
        )
        if accessor is not None:
            # ``@name.setter`` of a property defined elsewhere: not an object.
            properties.get(accessor.partition(".")[0], []).append(node)
            continue
        name = name_of(node)
        if lasts & PROPERTY_DECORATORS:
            properties[name] = []
            entries.append((node, "property", properties[name]))
        else:
            entries.append((node, method_kind(name, lasts), []))
    return entries


@dataclass(frozen=True, slots=True)
class Parameter(Generic[N]):
    """One parameter: name, kind, and its annotation and default.

    An engine's ``RawParam`` holds the annotation and default nodes; a
    :data:`ParamText` holds their texts (None: not annotated, no default).
    """

    name: str
    kind: ParamKind
    annotation: N | None
    default: N | None


#: A parameter as its signature shows it.
ParamText = Parameter[str]


def texts_of(
    raw: Iterable[Parameter[N]],
    annotation: Callable[[N | None], str | None],
    source: Callable[[N], str],
) -> list[ParamText]:
    """The texts of parameters as a signature shows them.

    Args:
        raw: Parameters with an engine's annotation and default nodes.
        annotation: An annotation node's text (None: not annotated).
        source: A default node's source text; a dataclass field's
            ``default_factory`` marker shows as ``<factory>``.
    """
    out: list[ParamText] = []
    for param in raw:
        default = None if param.default is None else source(param.default)
        if default == DATACLASS_FACTORY:
            default = "<factory>"
        out.append(
            Parameter(param.name, param.kind, annotation(param.annotation), default)
        )
    return out


def format_signature(params: Sequence[ParamText], returns: str | None = None) -> str:
    """Format parameters like :func:`inspect.signature` does.

    Args:
        params: The parameters to show.
        returns: Return annotation text, or None to leave ``-> ...`` off.

    Returns:
        For example ``(a, /, b: int = 1, *args, c, **kw) -> str``.
    """
    parts: list[str] = []
    seen_posonly = False
    star_done = False
    for param in params:
        if seen_posonly and param.kind != "positional_only":
            parts.append("/")
            seen_posonly = False
        if param.kind == "positional_only":
            seen_posonly = True
        if param.kind == "keyword_only" and not star_done:
            parts.append("*")
            star_done = True
        prefix = {"var_positional": "*", "var_keyword": "**"}.get(param.kind, "")
        if param.kind == "var_positional":
            star_done = True
        text = prefix + param.name
        if param.annotation:
            text += f": {param.annotation}"
        if param.default is not None:
            text += (" = " if param.annotation else "=") + param.default
        parts.append(text)
    if seen_posonly:
        parts.append("/")
    signature = f"({', '.join(parts)})"
    return f"{signature} -> {returns}" if returns else signature


def function_signature(
    kind: Kind, params: Sequence[ParamText], returns: str | None
) -> str:
    """The signature of a function of *kind* (a property shows no parameters)."""
    return format_signature([] if kind == "property" else params, returns)


def constructor_signature(init: Sequence[ParamText]) -> str:
    """A class's signature from its ``__init__`` parameters, without ``self``.

    A ``*args`` that swallows ``self`` stays.
    """
    positional = ("positional_only", "positional_or_keyword")
    drop = bool(init) and init[0].kind in positional
    return format_signature(init[1:] if drop else init)


def typed_params(
    params: Sequence[ParamText],
    guess: Callable[[int], str | None],
    *,
    bound: bool,
) -> tuple[Param, ...]:
    """Parameters with their annotated types, else the engine's guesses.

    Args:
        params: The texts of the parameters.
        guess: The type parameter *i*'s default proves (unannotated,
            neither ``self`` nor variadic), or None.
        bound: True when the first parameter is ``self``/``cls`` (no type).
    """
    out: list[Param] = []
    for i, param in enumerate(params):
        if param.annotation:
            out.append(
                Param(
                    param.name,
                    param.kind,
                    param.annotation,
                    param.default,
                    inferred=False,
                    evidence="annotation",
                )
            )
            continue
        found = None
        if not (bound and i == 0) and param.kind not in VARIADIC_KINDS:
            found = guess(i)
        out.append(
            Param(
                param.name,
                param.kind,
                found,
                param.default,
                inferred=found is not None,
                evidence="default" if found is not None else "",
            )
        )
    return tuple(out)
