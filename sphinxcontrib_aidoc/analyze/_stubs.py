"""What standard-library functions and methods return, as typeshed declares it.

The hand-written tables of :mod:`._known_calls` know a few hundred
standard-library results exactly; the rest of the standard library
(``textwrap.TextWrapper.fill``, ``io.StringIO.getvalue``,
``sys.getdefaultencoding``...) is read here from typeshed's stubs, which
the ``typeshed_client`` package bundles and parses (once per stub module;
a stub module parses in about 20 ms).

A declared return type is used only when it is closed, the same for every
call whatever the arguments:

* no type variable (``os.path.basename`` returns ``AnyStr``: the argument
  decides), no ``Any``/``Incomplete``, no private alias (``_typeshed``'s);
* ``Self`` only for a method, where it is the receiver's type;
* an overloaded function only when every overload declares the same type;
* names spelled as the project's types are: builtins bare (``str``,
  ``list[str]``), abstract collections bare (``Iterator[str]``), other
  classes by their public module (``io.TextIOWrapper``); a class of a
  private module (``_io``) reached through a public one is spelled by the
  public one (``io.StringIO``).

Only the standard library is read: a third-party package's stubs are not
bundled, and its runtime code is not the stub's.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from functools import cache
from itertools import product
from typing import Literal

from typeshed_client import (
    ImportedInfo,
    ImportedName,
    NameInfo,
    OverloadedName,
    Resolver,
)
from typeshed_client.finder import ModulePath, get_search_context

#: Builtin classes spelled bare.
_BUILTINS = frozenset(
    {
        "str",
        "int",
        "float",
        "bool",
        "bytes",
        "bytearray",
        "complex",
        "list",
        "dict",
        "set",
        "frozenset",
        "tuple",
        "memoryview",
        "range",
        "slice",
    }
)
#: The builtin classes of :data:`_BUILTINS` typeshed declares without type
#: parameters. A stub that names one (``re.match``'s ``str``) spells it bare
#: without ``builtins.pyi`` read to find that out: the largest stub (20-25
#: ms to parse), read otherwise only when the project calls a builtin
#: the tables do not know. (``tests/test_analyze_stub_types.py`` checks
#: them against the stubs.)
_PLAIN_BUILTINS = frozenset(
    {"str", "bytes", "int", "float", "bool", "complex", "bytearray", "range"}
)
#: Abstract collections (``typing``/``collections.abc``), spelled bare.
_ABSTRACT = frozenset(
    {
        "Iterator",
        "Iterable",
        "Generator",
        "Sequence",
        "MutableSequence",
        "Mapping",
        "MutableMapping",
        "Collection",
        "AbstractSet",
        "MutableSet",
        "KeysView",
        "ValuesView",
        "ItemsView",
    }
)
#: Where a type name may come from for :data:`_ABSTRACT` to apply.
_ABSTRACT_MODULES = frozenset({"typing", "collections.abc", "_collections_abc"})
#: Modules whose classes stand in for others (a test's mock of a logger).
_STAND_INS = frozenset({"unittest.mock"})
#: Names that mean "no type known".
_UNKNOWN = frozenset({"Any", "Incomplete", "Unused", "object"})


@cache
def _resolver() -> Resolver:
    """One resolver per process (it caches every stub module it parses)."""
    version = sys.version_info[:2]
    # the bundled typeshed only: no stub or typed package of the environment
    context = get_search_context(version=version, platform=sys.platform, search_path=[])
    return Resolver(context)


def _lookup(module: str, name: str) -> tuple[str, NameInfo] | None:
    """The stub definition *name* in *module* stands for, and its module.

    None as well when the stubs cannot be read (a stub ``typeshed_client``
    rejects, a cycle of imports): what they would declare is then not
    known, and the analysis goes on.
    """
    try:
        found = _resolver().get_name(ModulePath(tuple(module.split("."))), name)
    except Exception:  # noqa: BLE001 (any failure of a third-party reader)
        return None
    if isinstance(found, ImportedInfo):
        return ".".join(found.source_module), found.info
    if isinstance(found, NameInfo):
        return module, found
    return None


def _public(module: str) -> str | None:
    """*module*, or None when it is private (``_io``, ``_typeshed``)."""
    return None if any(p.startswith("_") for p in module.split(".")) else module


def _standard(module: str) -> bool:
    """Whether *module* is a public standard-library module."""
    return module.partition(".")[0] in sys.stdlib_module_names and bool(_public(module))


def _public_name(dotted: str) -> tuple[str, NameInfo] | None:
    """What the public standard-library name *dotted* stands for in the stubs."""
    module, _, name = dotted.rpartition(".")
    if not _standard(module) or name.startswith("_"):
        return None
    return _lookup(module, name)


@cache
def function_return(dotted: str) -> str | None:
    """The closed return type of the standard-library function *dotted*, or None.

    ``dotted`` is the name as the project imports it (``os.getcwd``,
    ``textwrap.dedent``).
    """
    found = _public_name(dotted)
    return None if found is None else _declared(found[0], found[1].ast, None)


#: One call's arguments: ``(keyword or None for a position, proven types)``.
Arguments = tuple[tuple[str | None, tuple[str, ...]], ...]
#: Builtin classes whose acceptance by an annotation can be decided.
_DECIDABLE = frozenset({"str", "bytes", "int", "float", "bool", "bytearray"})


@cache
def overloads(dotted: str) -> tuple[str, tuple[ast.FunctionDef, ...]] | None:
    """The stub module and signatures of the function *dotted*, or None.

    None for anything but a standard-library function whose every
    signature declares its return type (a class, a value, an ``async``
    function).
    """
    found = _public_name(dotted)
    if found is None:
        return None
    where, info = found
    node = info.ast
    signatures = node.definitions if isinstance(node, OverloadedName) else [node]
    if not all(
        isinstance(each, ast.FunctionDef) and each.returns is not None
        for each in signatures
    ):
        return None
    return where, tuple(
        each for each in signatures if isinstance(each, ast.FunctionDef)
    )


@cache
def called_return(dotted: str, arguments: Arguments) -> str | None:
    """What calling the stub function *dotted* with *arguments* returns, or None.

    The overloads are tried in order, as a type checker does: the first
    whose parameters accept the arguments' proven types gives the return
    type, its type variables bound to what the arguments passed for them
    (``os.path.basename`` of a ``str`` is a ``str``). An overload that may
    or may not accept them (an argument of a type not decided against an
    annotation, a protocol) leaves the call unknown.
    """
    found = overloads(dotted)
    if found is None:
        return None
    where, signatures = found
    for each in signatures:
        verdict = _accepts(where, each.args, arguments)
        if verdict is None:
            return None
        if isinstance(verdict, dict):
            returns = each.returns
            return (
                None
                if returns is None
                else _spelled(where, returns, None, bound=verdict)
            )
    return None


@cache
def every_return(dotted: str, arguments: Arguments | None = None) -> str | None:
    """What calling the stub function *dotted* may return, the arguments untold.

    The union of the return types of every overload the *arguments* do not
    rule out (an argument of unknown type, given as ``()``, rules out
    nothing; None: positions unknown, no overload is ruled out). A type
    variable the arguments bind is what they bind it to; one they do not,
    constrained to closed types (``AnyStr``: ``str`` or ``bytes``), stands
    for each of them in turn: ``os.fspath`` of an unknown value gives
    ``str | bytes``, ``os.path.join(folder, "conf.py")`` a ``str``. None
    when one is not closed: ``Any``, ``Self``, a type variable with a
    bound or none.
    """
    found = overloads(dotted)
    if found is None:
        return None
    where, signatures = found
    # Each argument of several types is tried one type at a time: a union
    # rules an overload out only if every one of its types does.
    combinations = _one_type_each(arguments) if arguments else [None]
    if combinations is None:
        return None
    parts: list[str] = []
    for each in signatures:
        verdicts = [
            _accepts(where, each.args, c) if c is not None else None
            for c in combinations
        ]
        for verdict in verdicts:
            if verdict is False:
                continue  # these argument types rule it out
            spelled = _possible_return(where, each, verdict or {})
            if spelled is None:
                return None
            parts.extend(m for m in _union_members(spelled) if m not in parts)
    return " | ".join(parts) if parts else None


#: Most combinations of argument types :func:`every_return` tries.
_MAX_COMBINATIONS = 16


def _one_type_each(arguments: Arguments) -> list[Arguments] | None:
    """*arguments* with one of each argument's types at a time (None: too many)."""
    choices = [
        [(keyword, (t,)) for t in types] if types else [(keyword, ())]
        for keyword, types in arguments
    ]
    count = 1
    for choice in choices:
        count *= len(choice)
    if count > _MAX_COMBINATIONS:
        return None
    return [tuple(chosen) for chosen in product(*choices)]


def _possible_return(
    where: str, signature: ast.FunctionDef, bound: dict[str, str]
) -> str | None:
    """*signature*'s return type, type variables not *bound* as each constraint."""
    returns = signature.returns
    assert returns is not None  # overloads() keeps declared ones only
    names = sorted(
        {
            n.id
            for n in ast.walk(returns)
            if isinstance(n, ast.Name)
            and n.id not in bound
            and _is_variable(where, n.id)
        }
    )
    choices = [_constraints(where, name) for name in names]
    if any(c is None for c in choices):
        return None
    parts: list[str] = []
    for chosen in product(*(c for c in choices if c is not None)):
        given = {**bound, **dict(zip(names, chosen, strict=True))}
        spelled = _spelled(where, returns, None, bound=given)
        if spelled is None:
            return None
        parts.extend(m for m in _union_members(spelled) if m not in parts)
    return " | ".join(parts)


def _union_members(spelled: str) -> list[str]:
    """The members of a spelled union (``|`` outside brackets)."""
    members: list[str] = []
    depth = start = 0
    for i, char in enumerate(spelled):
        depth += (char == "[") - (char == "]")
        if depth == 0 and spelled.startswith(" | ", i):
            members.append(spelled[start:i])
            start = i + 3
    members.append(spelled[start:])
    return members


@cache
def _constraints(module: str, name: str) -> tuple[str, ...] | None:
    """The closed types a constrained type variable stands for, or None."""
    found = _lookup(module, name)
    node = found[1].ast if found else None
    if not (
        found
        and isinstance(node, ast.Assign | ast.AnnAssign)
        and isinstance(node.value, ast.Call)
        and len(node.value.args) > 2  # a name, then two constraints or more
    ):
        return None
    spelled = [_spelled(found[0], arg, None) for arg in node.value.args[1:]]
    if any(s is None for s in spelled):
        return None
    return tuple(s for s in spelled if s is not None)


def _accepts(
    module: str, signature: ast.arguments, arguments: Arguments
) -> dict[str, str] | Literal[False] | None:
    """Whether a stub signature accepts *arguments*: its bindings, False, or None."""
    positional = [*signature.posonlyargs, *signature.args]
    named = {a.arg: a for a in [*signature.args, *signature.kwonlyargs]}
    given: dict[str, tuple[str, ...]] = {}
    extra: list[tuple[str, ...]] = []  # positions beyond the named ones
    places = iter(positional)
    for keyword, types in arguments:
        param = next(places, None) if keyword is None else named.get(keyword)
        if param is None:
            if (keyword is None and signature.vararg is None) or (
                keyword is not None and signature.kwarg is None
            ):
                return False  # more than it takes: not this overload
            if keyword is None:
                extra.append(types)
            continue
        if param.arg in given:
            return False
        given[param.arg] = types
    required = len(positional) - len(signature.defaults)
    if any(p.arg not in given for p in positional[:required]):
        return False
    bound: dict[str, str] = {}
    checks = [
        (param.annotation, given[param.arg])
        for param in [*positional, *signature.kwonlyargs]
        if param.arg in given and param.annotation is not None
    ]
    vararg = signature.vararg
    if vararg is not None and vararg.annotation is not None:
        checks.extend((vararg.annotation, types) for types in extra)
    verdicts = [_accepted(module, a, types, bound) for a, types in checks]
    if False in verdicts:
        return False  # one argument rules it out, whatever the others
    return None if None in verdicts else bound


def _accepted(
    module: str, annotation: ast.expr, types: tuple[str, ...], bound: dict[str, str]
) -> bool | None:
    """Whether *annotation* accepts every one of *types*: True, False, or None.

    False only when some type is refused by every member of the annotation
    (a ``str`` is no ``bytes``, no ``os.PathLike``, no ``re.Pattern``).
    """
    members = list(_expanded(module, annotation))
    for type_ in types:
        verdicts = [_member_accepts(where, m, type_, bound) for where, m in members]
        if True in verdicts:
            continue
        if all(v is False for v in verdicts):
            return False
        return None
    return True


def _expanded(module: str, annotation: ast.expr) -> Iterator[tuple[str, ast.expr]]:
    """The members of *annotation*, type aliases (``StrPath``) expanded."""
    for member in _members(annotation):
        alias = _alias(module, member.id) if isinstance(member, ast.Name) else None
        if alias is None:
            yield module, member
        else:
            yield from _expanded(*alias)


@cache
def _alias(module: str, name: str) -> tuple[str, ast.expr] | None:
    """What the type alias *name* of the stub *module* stands for, or None."""
    found = _lookup(module, name)
    node = found[1].ast if found else None
    if (
        found
        and isinstance(node, ast.AnnAssign)
        and isinstance(node.annotation, ast.Name)
        and node.annotation.id == "TypeAlias"
        and node.value is not None
    ):
        return found[0], node.value
    return None


def _members(annotation: ast.expr) -> Iterator[ast.expr]:
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        yield from _members(annotation.left)
        yield from _members(annotation.right)
    else:
        yield annotation


#: Generic classes no builtin scalar (``str``, ``int``...) is an instance of.
_NOT_SCALARS = frozenset({"PathLike", "Pattern", "Match", "Callable"})


def _member_accepts(
    module: str, member: ast.expr, type_: str, bound: dict[str, str]
) -> bool | None:
    """Whether one member of an annotation accepts a value of *type_*."""
    scalar = type_ in _DECIDABLE or type_ == "None"
    if isinstance(member, ast.Constant) and member.value is None:
        return type_ == "None" if scalar else None
    if isinstance(member, ast.Name) and _is_variable(module, member.id):
        if type_ not in ("str", "bytes"):
            return None
        return bound.setdefault(member.id, type_) == type_ or None
    if isinstance(member, ast.Subscript):
        outer = member.value
        name = outer.attr if isinstance(outer, ast.Attribute) else None
        name = outer.id if isinstance(outer, ast.Name) else name
        return False if scalar and name in _NOT_SCALARS else None
    spelled = _spelled(module, member, None)
    if spelled is None or not scalar:
        return None
    if _fits(type_, spelled):
        return True
    return False if spelled in _DECIDABLE or spelled == "None" else None


def _fits(type_: str, member: str) -> bool:
    """Whether a value of *type_* is a *member* (``int`` is a ``float`` too)."""
    return (
        type_ == member
        or (type_ == "int" and member in ("float", "complex"))
        or (type_ == "bool" and member in ("int", "float", "complex"))
    )


@cache
def stub_class(dotted: str) -> str | None:
    """*dotted* spelled as a type when it names a non-generic stub class, or None.

    A generic class (``collections.deque``) is left out: its instances'
    item types are the arguments' business; so are ``unittest.mock``'s
    classes, stand-ins a test passes where the code takes something else.
    """
    if dotted.rpartition(".")[0] in _STAND_INS:
        return None
    found = _public_name(dotted)
    if found is None or not isinstance(found[1].ast, ast.ClassDef):
        return None
    if _generic(found[0], found[1].ast):
        return None
    return dotted


@cache
def stub_ancestors(dotted: str) -> frozenset[str]:
    """The classes the stub class *dotted* derives from, however far up.

    Each by its dotted name and, for ``typing``'s, also bare (``BinaryIO``,
    as a written type spells it): ``io.BytesIO`` gives ``typing.BinaryIO``
    and ``BinaryIO`` among others. Empty when *dotted* is no stub class.
    """
    found = _public_name(dotted)
    if found is None or not isinstance(found[1].ast, ast.ClassDef):
        return frozenset()
    seen: set[str] = set()
    stack = [(found[0], found[1].ast)]
    while stack:
        module, node = stack.pop()
        for base in node.bases:
            named = base.value if isinstance(base, ast.Subscript) else base
            if not isinstance(named, ast.Name):
                continue
            hit = _lookup(module, named.id)
            tree = hit[1].ast if hit is not None else None
            if hit is None or not isinstance(tree, ast.ClassDef):
                continue
            where, info = hit
            dotted_base = f"{where}.{info.name}"
            if dotted_base in seen:
                continue
            seen.add(dotted_base)
            if where in _ABSTRACT_MODULES:
                seen.add(info.name)
            stack.append((where, tree))
    return frozenset(seen)


@cache
def constructs(dotted: str) -> bool:
    """Whether calling a subclass of the stub class *dotted* builds one of it.

    A non-generic class without a metaclass whose stubs (its own and its
    bases') declare no ``__new__``, or one returning ``Self``.
    """
    found = _public_name(dotted)
    if found is None or not isinstance(found[1].ast, ast.ClassDef):
        return False
    node = found[1].ast
    if node.keywords or _generic(found[0], node):
        return False
    new = _method(found[0], found[1].name, "__new__", 0)
    return new is None or _declared(new[0], new[1], "Self") == "Self"


@cache
def method_return(cls: str, name: str, receiver: str) -> str | None:
    """The closed type the stub class *cls*'s method *name* returns, or None.

    *receiver* is what ``Self`` stands for (the type the value was proven
    to have). The method is looked up through the stub classes' bases
    (their order as written); a property is not a method.
    """
    module, _, last = cls.rpartition(".")
    module = module or "builtins"
    if not _standard(module):
        return None
    found = _method(module, last, name, 0)
    if found is None:
        return None
    return _declared(found[0], found[1], receiver)


@cache
def module_value(dotted: str) -> str | None:
    """The declared type of the standard-library module value *dotted*, or None.

    ``sys.argv`` is a ``list[str]``, ``sys.maxsize`` an ``int``, ``os.sep`` a
    ``str`` (``LiteralString``).
    """
    found = _public_name(dotted)
    return None if found is None else _annotated(found[0], found[1].ast, None)


@cache
def attribute_type(cls: str, name: str, receiver: str) -> str | None:
    """The declared type of attribute *name* on instances of the stub class *cls*.

    A class-level annotation (``status: int``) or a property's getter, found
    through the stub classes' bases; a method is not an attribute here.
    """
    module, _, last = cls.rpartition(".")
    module = module or "builtins"
    if not _standard(module) or name.startswith("_"):
        return None
    found = _method(module, last, name, 0)
    if found is None:
        return None
    where, node = found
    if isinstance(node, ast.FunctionDef):
        if not any(_decorator_name(d) == "property" for d in node.decorator_list):
            return None
        return None if node.returns is None else _spelled(where, node.returns, receiver)
    return _annotated(where, node, receiver)


def _annotated(module: str, node: object, receiver: str | None) -> str | None:
    """The type an annotated stub name (``argv: list[str]``) declares, or None."""
    if not isinstance(node, ast.AnnAssign):
        return None
    annotation = node.annotation
    if (
        isinstance(annotation, ast.Subscript)
        and isinstance(annotation.value, ast.Name)
        and annotation.value.id in ("Final", "ClassVar")
    ):
        annotation = annotation.slice
    elif isinstance(annotation, ast.Name) and annotation.id in ("Final", "TypeAlias"):
        return None  # the value's type, or an alias: not a value's annotation
    return _spelled(module, annotation, receiver)


def _method(module: str, cls: str, name: str, depth: int) -> tuple[str, ast.AST] | None:
    """Where the stub class ``module.cls`` (or a base) defines *name*."""
    if depth > 8:
        return None
    found = _lookup(module, cls)
    if found is None or not isinstance(found[1].ast, ast.ClassDef):
        return None
    where, info = found
    children = info.child_nodes or {}
    if name in children:
        return where, children[name].ast
    assert isinstance(info.ast, ast.ClassDef)
    for base in info.ast.bases:
        written = base.value if isinstance(base, ast.Subscript) else base
        if not isinstance(written, ast.Name) or written.id in ("Generic", "Protocol"):
            if isinstance(written, ast.Attribute):
                return None  # ``abc.ABC``-like written bases: not followed
            continue
        inner = _method(where, written.id, name, depth + 1)
        if inner is not None:
            return inner
    return None


def _generic(module: str, node: ast.ClassDef) -> bool:
    """Whether the stub class takes type arguments (a type variable in a base)."""
    return any(
        isinstance(base, ast.Subscript) and _mentions_variable(module, base.slice)
        for base in node.bases
    )


def _mentions_variable(module: str, node: ast.expr) -> bool:
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name) and _is_variable(module, inner.id):
            return True
    return False


@cache
def _is_variable(module: str, name: str) -> bool:
    """Whether *name* in the stub *module* is a type variable (or ParamSpec)."""
    found = _lookup(module, name)
    if found is None:
        return False
    node = found[1].ast
    if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(
        node.value, ast.Call
    ):
        called = node.value.func
        called_name = called.attr if isinstance(called, ast.Attribute) else None
        if isinstance(called, ast.Name):
            called_name = called.id
        return called_name in ("TypeVar", "ParamSpec", "TypeVarTuple")
    return False


def _declared(module: str, node: object, receiver: str | None) -> str | None:
    """The closed return type a stub function (or overloads) declares."""
    if isinstance(node, OverloadedName):
        spelled = {_declared(module, each, receiver) for each in node.definitions}
        return spelled.pop() if len(spelled) == 1 else None
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return None
    if isinstance(node, ast.AsyncFunctionDef) or node.returns is None:
        return None
    if any(_decorator_name(d) == "property" for d in node.decorator_list):
        return None
    return _spelled(module, node.returns, receiver)


def _decorator_name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _spelled(
    module: str,
    node: ast.expr,
    receiver: str | None,
    *,
    subscripted: bool = False,
    bound: dict[str, str] | None = None,
) -> str | None:
    """*node* (a stub annotation in *module*) as the project spells types.

    A generic class is spelled only with its arguments (*subscripted*); a
    type variable only as what *bound* binds it to.
    """
    if isinstance(node, ast.Constant) and node.value is None:
        return "None"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left = _spelled(module, node.left, receiver, bound=bound)
        right = _spelled(module, node.right, receiver, bound=bound)
        if left is None or right is None:
            return None
        return f"{left} | {right}"
    if isinstance(node, ast.Subscript):
        return _subscript(module, node, receiver, bound)
    if isinstance(node, ast.Name):
        if node.id == "Self":
            return receiver
        if bound and node.id in bound:
            return bound[node.id]
        return _named(module, node.id, subscripted=subscripted)
    return None  # ``typing.X`` written dotted, a string, a call: rare in stubs


def _subscript(
    module: str,
    node: ast.Subscript,
    receiver: str | None,
    bound: dict[str, str] | None = None,
) -> str | None:
    """``list[str]``, ``Optional[X]``, ``Literal["a"]``... spelled, or None."""
    if isinstance(node.value, ast.Name) and node.value.id == "Literal":
        return _literal(node.slice)
    outer = _spelled(module, node.value, receiver, subscripted=True)
    if outer is None or outer.startswith("~") or "[" in outer:
        return None
    elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
    parts: list[str] = []
    for element in elements:
        if isinstance(element, ast.Constant) and element.value is Ellipsis:
            parts.append("...")
            continue
        inner = _spelled(module, element, receiver, bound=bound)
        if inner is None:
            return None
        parts.append(inner)
    if outer == "Optional" and len(parts) == 1:
        return f"{parts[0]} | None"
    if outer == "Union":
        return " | ".join(parts)
    return f"{outer}[{', '.join(parts)}]"


@cache
def _named(module: str, name: str, *, subscripted: bool) -> str | None:
    """What *name* (not ``Self``) in the stub *module* is spelled as, or None."""
    if name in _UNKNOWN or _is_variable(module, name):
        return None
    if name == "LiteralString":
        return "str"
    found = _lookup(module, name)
    if found is None and name in _BUILTINS and (subscripted or name in _PLAIN_BUILTINS):
        return name  # builtins' own class (see _PLAIN_BUILTINS)
    found = found or _lookup("builtins", name)
    if found is None:
        return None
    where, info = found
    if where in _ABSTRACT_MODULES or where == "typing_extensions":
        if name in _ABSTRACT or name in ("Optional", "Union"):
            return name
        if name in ("List", "Dict", "Set", "FrozenSet", "Tuple"):
            return name.lower()
        return None
    node = info.ast
    if (
        isinstance(node, ast.AnnAssign)
        and isinstance(node.annotation, ast.Name)
        and node.annotation.id == "TypeAlias"
        and node.value is not None
        and not subscripted
    ):  # ``_Date: TypeAlias = date``
        return _spelled(where, node.value, None)
    if not isinstance(node, ast.ClassDef) or name.startswith("_"):
        return None  # a private class (``os._Environ``) is no public type
    if not subscripted and _generic(where, node):
        return None
    if where == "builtins":
        return name if name in _BUILTINS else None
    # the module the name is imported from in *module* (``from io import
    # TextIOWrapper``), else *module* itself (its own class, or a private
    # module's class it re-exports)
    first = _first_hop(module, name)
    public = _public(first) or _public(module)
    return None if public is None else f"{public}.{name}"


def _first_hop(module: str, name: str) -> str:
    """The module *module*'s stub imports *name* from, or *module* itself."""
    try:
        names = _resolver().get_module(ModulePath(tuple(module.split(".")))).names
    except Exception:  # noqa: BLE001 (see _lookup)
        return module
    info = names.get(name)
    if info is not None and isinstance(info.ast, ImportedName) and info.ast.name:
        return ".".join(info.ast.module_name)
    return module


def _literal(node: ast.expr) -> str | None:
    """``Literal["utf-8"]`` as its values' one builtin class (``str``), or None."""
    values = node.elts if isinstance(node, ast.Tuple) else [node]
    classes = {type(v.value).__name__ for v in values if isinstance(v, ast.Constant)}
    if len(classes) != 1 or len(values) != sum(
        isinstance(v, ast.Constant) for v in values
    ):
        return None
    found = classes.pop()
    return found if found in ("str", "bytes", "int", "bool") else None


def forget() -> None:
    """Drop every stub read and answer (the next question reads them again)."""
    for cached in (
        _resolver,
        function_return,
        overloads,
        called_return,
        every_return,
        _constraints,
        _alias,
        stub_class,
        stub_ancestors,
        constructs,
        module_value,
        attribute_type,
        method_return,
        _is_variable,
        _named,
    ):
        cached.cache_clear()
