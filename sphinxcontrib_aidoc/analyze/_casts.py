"""Types the code's author wrote: ``typing.cast`` and written return types.

``cast(T, value)`` is the author's own statement of what *value* is, as
binding as an annotation: the project pass takes it as the call's type
when *T* is a project class or a builtin class, named directly or in a
string (the forward reference of a class imported only for type checking,
``t.cast("Context", ...)``). Any other *T* (a generic, an alias, a type
variable, a string that does not parse) says nothing the pass reads: the
call gives its value, unchanged (``t.cast(t.Type[CmdType], Command)`` is
the class ``Command``).

A return type stated as written (an annotation, or a cast the per-module
analysis read: ``Context``) names a class as its module sees it; for the
pass's own use (what a call gives, which methods a call on it reaches)
it is qualified the way the pass writes classes (``~pkg.core.Context``)
when it names a project class. The stated text itself is left as written.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._index import Scope
from sphinxcontrib_aidoc.analyze._known_calls import imported_name
from sphinxcontrib_aidoc.analyze._type_rules import class_type, join_types, split_union

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._frame import Frame
    from sphinxcontrib_aidoc.analyze._project import Solver

_CASTS = frozenset({"typing.cast", "typing_extensions.cast"})
#: Builtin classes a cast may name (their instances' type is their name).
_BUILTIN_CLASSES = frozenset(
    {"str", "bytes", "bytearray", "int", "float", "complex", "bool"}
    | {"list", "dict", "set", "frozenset", "tuple"}
)
_NO_SCOPE = Scope("", package=False)
#: Generic containers a cast may name, by how many parameters they take.
_GENERICS = {"list": 1, "set": 1, "frozenset": 1, "dict": 2, "tuple": 0}
#: ``typing``'s names for them (and for unions), as the builtin is written.
_TYPING = {
    **{
        f"{module}.{name}": name.lower()
        for module in ("typing", "typing_extensions")
        for name in ("List", "Set", "FrozenSet", "Dict", "Tuple")
    },
    **{
        f"{module}.{name}": name
        for module in ("typing", "typing_extensions")
        for name in ("Optional", "Union")
    },
}


def cast_types(solver: Solver, call: ast.expr, frame: Frame) -> list[str] | None:
    """The type a ``typing.cast`` call names, or None (not a cast, or unknown)."""
    if not isinstance(call, ast.Call) or len(call.args) != 2 or call.keywords:
        return None
    if imported_name(solver, call.func, frame) not in _CASTS:
        return None
    found = _target(solver, frame, call.args[0])
    if found is None:  # a cast does nothing: the value is what it was
        return solver.types_of(call.args[1], frame, 1)
    return split_union(found)


def annotation_types(
    solver: Solver, frame: Frame, annotation: ast.expr
) -> list[str] | None:
    """The type an annotation names (as a cast's target reads), or None."""
    found = _target(solver, frame, annotation)
    return None if found is None else split_union(found)


def _target(solver: Solver, frame: Frame, expr: ast.expr) -> str | None:
    """The type *expr* (a cast's first argument) names, written as the pass does.

    A class (of the project, or builtin), ``None``, a union of those
    (``A | B``), or a container or union of those through the builtin or
    ``typing`` generics
    (``t.List["Item"]`` is ``list[~pkg.mod.Item]``, the same type the pass
    writes for a list it builds, so the two spellings never meet in one
    union); anything else, None.
    """
    if isinstance(expr, ast.Constant):
        if expr.value is None:
            return "None"
        parsed = _parsed(expr)
        return None if parsed is None else _target(solver, frame, parsed)
    if isinstance(expr, ast.Subscript):
        return _generic(solver, frame, expr)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
        left = _target(solver, frame, expr.left)
        right = _target(solver, frame, expr.right)
        return None if left is None or right is None else join_types([left, right])
    if not isinstance(expr, ast.Name | ast.Attribute):
        return None
    found = _project_class(solver, frame.module, expr)
    if found is not None:
        return found
    name = _builtin_name(solver, frame, expr)
    return name if name in _BUILTIN_CLASSES else None


def _generic(solver: Solver, frame: Frame, expr: ast.Subscript) -> str | None:
    base = _builtin_name(solver, frame, expr.value)
    items = expr.slice.elts if isinstance(expr.slice, ast.Tuple) else [expr.slice]
    if base == "tuple" and len(items) == 2 and _is_ellipsis(items[1]):
        first = _target(solver, frame, items[0])
        return None if first is None else f"tuple[{first}, ...]"
    parts = [_target(solver, frame, item) for item in items]
    if base is None or any(p is None for p in parts):
        return None
    known = [p for p in parts if p is not None]
    if base in ("Optional", "Union"):
        return join_types([*known, "None"] if base == "Optional" else known)
    arity = _GENERICS.get(base)
    if arity is not None and (arity == len(known) or base == "tuple"):
        return f"{base}[{', '.join(known)}]"
    return None


def _builtin_name(solver: Solver, frame: Frame, expr: ast.expr) -> str | None:
    """``list`` for ``list``/``t.List``/``List``, ``Optional``...; else None."""
    if isinstance(expr, ast.Name) and expr.id in _BUILTIN_CLASSES:
        shadowed = (
            expr.id in frame.local
            or expr.id in frame.params
            or expr.id in solver.index.scopes.get(frame.module, _NO_SCOPE).names
        )
        return None if shadowed else expr.id
    dotted = imported_name(solver, expr, frame)
    return _TYPING.get(dotted or "")


def _is_ellipsis(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is Ellipsis


def _parsed(expr: ast.Constant) -> ast.expr | None:
    """The expression a string forward reference spells, or None."""
    if not isinstance(expr.value, str):
        return None
    try:
        return ast.parse(expr.value.strip(), mode="eval").body
    except SyntaxError:
        return None


def written_type(solver: Solver, frame: Frame, written: str) -> str:
    """*written* (a return type) with its written spellings read as the pass's.

    Each part of the union that spells a type the way its author wrote it,
    in the scope of *frame*'s module (``Context``, ``t.List['Item']``), is
    written the way the pass writes it (``~pkg.core.Context``,
    ``list[~pkg.mod.Item]``), so that one type reads one way; any other
    part is kept as it is.
    """
    parts = split_union(written)
    spelled = []
    for part in parts:
        parsed = _parsed(ast.Constant(part))
        found = None if parsed is None else _target(solver, frame, parsed)
        spelled.append(found or part)
    return written if spelled == parts else join_types(spelled)


def _named(expr: ast.expr) -> ast.Name | ast.Attribute | None:
    """The name *expr* is, or spells in a string, or None."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        text = expr.value.strip().removeprefix("~")
        if not text.replace(".", "").replace("_", "").isalnum():
            return None
        try:
            expr = ast.parse(text, mode="eval").body
        except SyntaxError:
            return None
    return expr if isinstance(expr, ast.Name | ast.Attribute) else None


def _project_class(
    solver: Solver, module: str, named: ast.Name | ast.Attribute
) -> str | None:
    index = solver.index
    found = index.resolve(module, named)
    if found in index.defs and isinstance(index.defs[found].node, ast.ClassDef):
        return class_type(found)
    return None
