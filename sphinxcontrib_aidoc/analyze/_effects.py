"""What a body does besides computing a value: exceptions raised, calls made.

Astroid's answers for the oracle: what one ``raise`` raises, what calls
call. Both use the object's :class:`~._infer.Budget` and degrade to "not
found" when inference gives up.
"""

from __future__ import annotations

from astroid import bases, nodes  # type: ignore[import-untyped]  # astroid ships no py.typed

from sphinxcontrib_aidoc.analyze._infer import Budget, qualified_callables, type_name
from sphinxcontrib_aidoc.analyze._rules import (
    last_part,
)


def exception_names(exc: nodes.NodeNG, budget: Budget) -> list[str]:
    """Names for ``raise exc``: as written for classes, else the class name.

    ``raise typing.cast(Error, value)`` raises what the cast states; a value
    that may be ``None`` (a variable set to ``None`` before a loop that
    fills it) names no exception: raising ``None`` is never what the code
    means, so only the classes found are kept.
    """
    cast = _cast_type(exc, budget)
    if cast is not None:
        exc = cast
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
    values = [v for v in values or () if not _is_none(v)]
    if values and all(isinstance(v, bases.Instance) for v in values):
        found = [type_name(v, budget) for v in values]
        if all(found):
            return [n for n in found if n]
    if written and last_part(written)[:1].isupper():
        return [written]
    return []


def _is_none(value: nodes.NodeNG) -> bool:
    return isinstance(value, nodes.Const) and value.value is None


def _cast_type(exc: nodes.NodeNG, budget: Budget) -> nodes.NodeNG | None:
    """The type argument of ``typing.cast(T, v)``, or ``None``."""
    if not (isinstance(exc, nodes.Call) and len(exc.args) == 2):
        return None
    func = exc.func
    written = getattr(func, "attrname", None) or getattr(func, "name", None)
    if written != "cast":
        return None
    found = budget.values(func, limit=1)
    if found and getattr(found[0], "qname", lambda: "")() == "typing.cast":
        return exc.args[0]
    return None


#: What ``self.name`` calls in a plain method of a class, by the class
#: node's ``id()`` and *name* (:func:`calls`' memo, one per module).
SelfCalls = dict[tuple[int, str], frozenset[str]]


def calls(
    funcs: list[nodes.NodeNG],
    project: str,
    budget: Budget,
    memo: SelfCalls | None = None,
) -> tuple[str, ...]:
    """Qualified names of what the called expressions *funcs* call (no builtins).

    Only calls that can land in the object's own top-level package matter
    (the call graph links documented objects), so a call through a name
    imported from another package (``json.loads``, ``urlopen``) is not
    inferred: inferring into the standard library or a third-party package
    is the costliest part of analysis and tells nothing here.

    ``self.name(...)`` in a plain method infers the same in every method
    of the class (``self`` is an instance of it, whatever the caller):
    with *memo*, it is inferred once per class and name, and a later one
    costs one step, as a hit in astroid's inference cache does. On
    tomlkit, 269 such calls name 84 methods. An answer the budget cut
    short is not kept.
    """
    names: set[str] = set()
    for func in funcs:
        if budget.expired():
            break
        if _external_call(func, project):
            written = _imported_callee(func)
            if written is not None:
                names.add(written)
            continue
        static = _static_callee(func, project)
        if static is not None:
            names.add(static)
            continue
        key = _self_attribute(func) if memo is not None else None
        if key is not None and memo is not None and key in memo:
            if budget.spend():
                names |= memo[key]
            continue
        found = qualified_callables(budget.known_values(func, limit=4))
        names |= found
        if key is not None and memo is not None and not budget.expired():
            memo[key] = frozenset(found)
    return tuple(sorted(names))


def _self_attribute(func: nodes.NodeNG) -> tuple[int, str] | None:
    """(class, name) for ``self.name`` read in a plain method of that class.

    Only where ``self`` is bound once, as the method's first parameter,
    and the method is a function of the class body (not a static or a
    class method, nor a function nested in a method).
    """
    if not (isinstance(func, nodes.Attribute) and isinstance(func.expr, nodes.Name)):
        return None
    receiver = func.expr
    try:
        scope, bindings = receiver.lookup(receiver.name)
    except Exception:  # noqa: BLE001 - a lookup astroid cannot do: inferred as before
        return None
    if not isinstance(scope, nodes.FunctionDef) or len(bindings) != 1:
        return None
    owner = scope.parent
    arguments = scope.args
    first = [*(arguments.posonlyargs or ()), *(arguments.args or ())][:1]
    if (
        not isinstance(owner, nodes.ClassDef)
        or scope.type != "method"
        or first != bindings
    ):
        return None
    return id(owner), str(func.attrname)


def _module_name_chain(
    func: nodes.NodeNG,
) -> tuple[nodes.Name, list[str], nodes.Module, list[nodes.NodeNG]] | None:
    """``name.attr.attr`` with *name* bound at module level: its parts.

    Returns the root name, the attribute names after it, the module and the
    name's bindings there; None for anything else (a call's result, a local
    name, a parameter, a builtin).
    """
    parts: list[str] = []
    root = func
    while isinstance(root, nodes.Attribute):
        parts.insert(0, str(root.attrname))
        root = root.expr
    if not isinstance(root, nodes.Name):
        return None
    try:
        scope, bindings = root.lookup(root.name)
    except Exception:  # noqa: BLE001 - a lookup astroid cannot do
        return None
    if scope is not root.root():
        return None
    return root, parts, scope, list(bindings)


def _static_callee(func: nodes.NodeNG, project: str) -> str | None:
    """The qualified name of *func* when imports and definitions alone tell.

    ``Item.from_csv_row`` with ``from inventory.models import Item`` is
    ``inventory.models.Item.from_csv_row``; re-exports are followed through
    the package's modules. None when only inference can tell (a parameter,
    ``self``, a value computed at run time).
    """
    found = _module_name_chain(func)
    if found is None:
        return None  # a local name, a parameter, a builtin: inference tells
    root, parts, scope, _ = found
    target = _resolve_name(scope, str(root.name), project, depth=0)
    if target is None:
        return None
    if not parts and target.endswith(".__init__"):
        return None
    return ".".join([target, *parts])


def _imported_callee(func: nodes.NodeNG) -> str | None:
    """``module.attr`` for a call through a module-level import, as written.

    ``os.path.join`` stays ``os.path.join`` and ``urlopen`` (from
    ``urllib.request``) becomes ``urllib.request.urlopen``: what the code
    names, without inferring into the other package. None for builtins and
    for values computed from imported names (``Decimal(x).quantize``).
    """
    found = _module_name_chain(func)
    if found is None or len(found[3]) != 1:
        return None
    root, parts, _, bindings = found
    binding = bindings[0]
    name = str(root.name)
    if isinstance(binding, nodes.Import):
        for module, alias in binding.names:
            if alias == name:
                return ".".join([str(module), *parts])
            if alias is None and module.partition(".")[0] == name:
                return ".".join([name, *parts])
        return None
    if isinstance(binding, nodes.ImportFrom) and not binding.level:
        original = next(
            (orig for orig, alias in binding.names if (alias or orig) == name), None
        )
        if original is None or original == "*":
            return None
        return ".".join([str(binding.modname), original, *parts])
    return None


def _resolve_name(
    module: nodes.Module, name: str, project: str, depth: int
) -> str | None:
    """Where the module-level *name* of *module* is defined (dotted), or None."""
    if depth > 5:
        return None
    found = module.locals.get(name) or []
    if len(found) != 1:
        return None
    binding = found[0]
    if isinstance(binding, (nodes.ClassDef, nodes.FunctionDef)):
        return f"{module.name}.{name}"
    if isinstance(binding, nodes.ImportFrom) and not binding.level:
        source = str(binding.modname)
        if source.partition(".")[0] != project:
            return None
        original = next(
            (orig for orig, alias in binding.names if (alias or orig) == name), None
        )
        if original is None or original == "*":
            return None
        try:
            target = binding.do_import_module(source)
        except Exception:  # noqa: BLE001 - an import astroid cannot follow
            return None
        return _resolve_name(target, original, project, depth + 1)
    return None


def _external_call(func: nodes.NodeNG, project: str, depth: int = 0) -> bool:
    """Whether *func* surely comes from outside the package *project*.

    Followed without inference: attribute accesses and calls lead back to a
    name; a name bound by an import from another package, by a builtin, or
    by an assignment of such a value is external (``json.loads``,
    ``logger.error`` for ``logger = logging.getLogger()``,
    ``Decimal(x).quantize``). Anything else (parameters, ``self``, loop
    variables, the package's own names) is left to inference.
    """
    if depth > 4:
        return False
    root = func
    while isinstance(root, (nodes.Attribute, nodes.Call, nodes.Subscript)):
        root = (
            root.expr
            if isinstance(root, nodes.Attribute)
            else (root.func if isinstance(root, nodes.Call) else root.value)
        )
    if not isinstance(root, nodes.Name):
        return False
    try:
        _, bindings = root.lookup(root.name)
    except Exception:  # noqa: BLE001 - a lookup astroid cannot do: infer as before
        return False
    if not bindings:
        return True  # a builtin
    return all(_external_binding(b, root.name, project, depth) for b in bindings)


def _external_binding(
    binding: nodes.NodeNG, name: str, project: str, depth: int
) -> bool:
    if isinstance(binding, nodes.Import):
        for module, alias in binding.names:
            if (alias or module.partition(".")[0]) == name:
                return str(module).partition(".")[0] != project
        return False
    if isinstance(binding, nodes.ImportFrom):
        return not binding.level and str(binding.modname).partition(".")[0] != project
    if isinstance(binding, nodes.AssignName):
        parent = binding.parent
        if isinstance(parent, (nodes.Assign, nodes.AnnAssign)) and parent.value:
            return _external_call(parent.value, project, depth + 1)
    return False


def dotted_name(node: nodes.NodeNG) -> str:
    """``a.b.c`` for a name/attribute chain, else the source text."""
    if isinstance(node, nodes.Name):
        return str(node.name)
    if isinstance(node, nodes.Attribute):
        return f"{dotted_name(node.expr)}.{node.attrname}"
    return str(node.as_string())
