"""What a use of a name tells the call-site reader (:mod:`._callsites`).

A body that converts or tests a parameter takes more than its callers pass
(:func:`accepts_more`); some uses name a class only as a type and can
never call it (:func:`type_positions`); a call that unpacks ``*args`` or
``**kwargs`` cannot be mapped to parameters (:func:`unpacks`); and a few
method names belong to builtin objects too (:data:`COMMON_METHODS`).
"""

from __future__ import annotations

import ast

from sphinxcontrib_aidoc.analyze._nodes import FUNCTIONS, scope_nodes, walk

#: Builtins that convert what they are given (so take many types of it).
_CONVERSIONS = frozenset(
    {
        "int",
        "float",
        "str",
        "bytes",
        "bool",
        "list",
        "tuple",
        "set",
        "frozenset",
        "dict",
    }
)


def accepts_more(own: list[ast.AST]) -> set[str]:
    """Names the body tests (``isinstance``) or converts (``int(name)``).

    Such a function is written to take several kinds of value, so what its
    callers happen to pass is not its parameter's type.
    """
    found: set[str] = set()
    for node in own:
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and (node.func.id in _CONVERSIONS or node.func.id == "isinstance")
        ):
            found.update(a.id for a in node.args[:1] if isinstance(a, ast.Name))
    return found


#: Calls whose second argument names classes only to test an object against.
_CLASS_TESTS = frozenset({"isinstance", "issubclass"})


def type_positions(every: list[ast.AST]) -> set[int]:
    """Nodes that name a class only as a type: never a way to call it unseen.

    A class tested against (``isinstance(x, C)``, ``except C``, ``type(x)
    is C``, ``pytest.raises(C)``, ``self.assertRaises(C)``), subclassed
    (calls through a subclass are call sites of the ``__init__`` it
    inherits), written in an annotation or given to ``typing.cast``.
    """
    found: list[ast.AST] = []
    for node in every:
        if isinstance(node, ast.Call):
            tested = _tested_against(node)
            if tested is not None:
                found.append(tested)
            elif _is_cast(node.func) and node.args:
                found.append(node.args[0])  # ``t.cast(Option, param)``: a type
        elif isinstance(node, ast.ExceptHandler) and node.type is not None:
            found.append(node.type)
        elif isinstance(node, ast.ClassDef):
            found.extend(node.bases)
        elif isinstance(node, ast.Compare) and all(
            isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops
        ):
            found.extend(node.comparators)
            found.append(node.left)
        else:
            found.extend(_annotations(node))
    ids: set[int] = set()
    for root in found:
        if isinstance(root, ast.Tuple):
            ids.update(id(e) for e in root.elts)
        elif isinstance(root, (ast.Name, ast.Attribute)):
            ids.add(id(root))
        elif not isinstance(root, ast.Call):
            ids.update(id(n) for n in walk(root))  # an annotation
    return ids


#: ``pytest.<name>(C)``: a context that only tests what is raised against ``C``.
_PYTEST_EXPECTS = frozenset({"raises", "warns"})
#: ``self.<name>(C)`` of :class:`unittest.TestCase`, likewise.
_UNITTEST_EXPECTS = frozenset(
    {"assertRaises", "assertRaisesRegex", "assertWarns", "assertWarnsRegex"}
)


#: How a module names ``typing`` (or its backport) when it calls ``cast``.
_TYPING_NAMES = frozenset({"t", "typing", "te", "typing_extensions"})


def _is_cast(func: ast.expr) -> bool:
    """Whether *func* is ``cast``, ``t.cast`` or ``typing.cast``."""
    if isinstance(func, ast.Name):
        return func.id == "cast"
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "cast"
        and isinstance(func.value, ast.Name)
        and func.value.id in _TYPING_NAMES
    )


def _annotations(node: ast.AST) -> list[ast.expr]:
    """The annotation a parameter, a function or an assignment writes."""
    if isinstance(node, ast.arg) and node.annotation is not None:
        return [node.annotation]
    if isinstance(node, FUNCTIONS) and node.returns is not None:
        return [node.returns]
    if isinstance(node, ast.AnnAssign):
        return [node.annotation]
    return []


def _tested_against(call: ast.Call) -> ast.expr | None:
    """The classes *call* only tests an object against, if it is such a call.

    ``isinstance(x, C)``, ``issubclass(x, C)``, ``pytest.raises(C)`` (what
    is raised is tested against ``C``) and their kin.
    """
    func = call.func
    if isinstance(func, ast.Name) and func.id in _CLASS_TESTS and len(call.args) == 2:
        return call.args[1]
    if _expects_raised(func) and call.args:
        return call.args[0]
    return None


def _expects_raised(func: ast.expr) -> bool:
    """Whether *func* is ``pytest.raises``/``warns`` or ``assertRaises`` and kin."""
    if not isinstance(func, ast.Attribute):
        return False
    if isinstance(func.value, ast.Name) and func.value.id == "pytest":
        return func.attr in _PYTEST_EXPECTS
    return func.attr in _UNITTEST_EXPECTS


def local_reads(every: list[ast.AST]) -> set[int]:
    """Names read in a function that bind there: never the module's names.

    A parameter or a name the function assigns (``value = ...``, a ``for``
    or ``with`` target) is local in the whole body, its nested functions
    included, so reading it never uses a module-level function of that
    name. Names a ``global`` or ``nonlocal`` statement anywhere inside
    declares, comprehension variables and names a function imports are
    left as they are.
    """
    ids: set[int] = set()
    for node in every:
        if not isinstance(node, (*FUNCTIONS, ast.Lambda)):
            continue
        bound = {a.arg for a in _all_args(node.args)}
        inner = [n for body in _bodies(node) for n in walk(body)]
        kept: set[int] = set()
        for sub in inner:
            if isinstance(sub, ast.comprehension):
                kept.update(id(n) for n in walk(sub.target))
        for sub in scope_nodes(node):
            if (
                isinstance(sub, ast.Name)
                and isinstance(sub.ctx, ast.Store)
                and id(sub) not in kept
            ):
                bound.add(sub.id)
        for sub in inner:
            if isinstance(sub, (ast.Global, ast.Nonlocal)):
                bound.difference_update(sub.names)
        ids.update(
            id(n)
            for n in inner
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id in bound
        )
    return ids


def _all_args(args: ast.arguments) -> list[ast.arg]:
    found = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    found.extend(a for a in (args.vararg, args.kwarg) if a is not None)
    return found


def _bodies(node: ast.AST) -> list[ast.AST]:
    """What runs in *node*'s own scope (not its decorators or defaults)."""
    if isinstance(node, ast.Lambda):
        return [node.body]
    return list(node.body) if isinstance(node, FUNCTIONS) else []


#: The key a call site's arguments hold when the call unpacks
#: (``f(*args, **options)``): a parameter it does not name may still be
#: given, so it does not mean the default.
UNPACKED = "*"


def unpacks(call: ast.Call) -> bool:
    return any(isinstance(a, ast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords
    )


def _method_names() -> frozenset[str]:
    """Method names of builtin and common standard-library objects."""
    import io  # noqa: PLC0415 - only read here

    kinds: tuple[type, ...] = (
        object, str, bytes, bytearray, int, float, list, dict, set, frozenset,
        tuple, io.TextIOBase, io.BufferedIOBase, io.RawIOBase,
    )  # fmt: skip
    return frozenset(n for k in kinds for n in dir(k))


#: Calls ``obj.name(...)`` with these names may reach builtin objects.
COMMON_METHODS = _method_names()
