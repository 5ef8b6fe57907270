"""Types the code's author wrote: ``typing.cast`` and written return types.

``cast(T, value)`` is the author's own statement of what *value* is, as
binding as an annotation: the project pass takes it as the call's type
when *T* is a project class or a builtin class, named directly or in a
string (the forward reference of a class imported only for type checking,
``t.cast("Context", ...)``). Any other *T* (a generic, an alias, a
string that does not parse) proves nothing.

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
from sphinxcontrib_aidoc.analyze._known_calls import _imported_name
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


def cast_types(solver: Solver, call: ast.expr, frame: Frame) -> list[str] | None:
    """The type a ``typing.cast`` call names, or None (not a cast, or unknown)."""
    if not isinstance(call, ast.Call) or len(call.args) != 2 or call.keywords:
        return None
    if _imported_name(solver, call.func, frame) not in _CASTS:
        return None
    named = _named(call.args[0])
    if named is None:
        return None
    index = solver.index
    found = _project_class(solver, frame.module, named)
    if found is not None:
        return [found]
    if (
        isinstance(named, ast.Name)
        and named.id in _BUILTIN_CLASSES
        and named.id not in frame.local
        and named.id not in frame.params
        and named.id not in index.scopes.get(frame.module, _NO_SCOPE).names
    ):
        return [named.id]
    return None


def written_type(solver: Solver, module: str, written: str) -> str:
    """*written* (a stated return type) with project classes qualified.

    Each part of a union that names a project class as *module* binds it
    is written ``~pkg.mod.Class``; every other part is kept as it is.
    """
    parts = split_union(written)
    qualified = [
        _project_class(solver, module, named) or part
        if (named := _named(ast.Constant(part))) is not None
        else part
        for part in parts
    ]
    return written if qualified == parts else join_types(qualified)


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
