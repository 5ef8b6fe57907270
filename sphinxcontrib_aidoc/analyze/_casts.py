"""What ``typing.cast(T, value)`` gives, for the project-wide pass.

``ctx = t.cast("Context", stack[-1])`` states the value's type in the
code: the author's own claim, as an annotation is. The pass takes it
only when ``T`` names project classes it can resolve in that module: a
class (``Context``, ``core.Context``), its name in a string, or a union
of such (``Union[A, B]``, ``Optional[A]``, ``A | B``). Any other ``T``
(a protocol, ``IO[str]``, a type variable) is left to the other rules.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._type_rules import class_type

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._frame import Frame
    from sphinxcontrib_aidoc.analyze._index import ProjectIndex

#: Where ``cast`` comes from.
_TYPING = frozenset({"typing", "typing_extensions"})
#: Subscripts that write a union of their arguments.
_UNIONS = frozenset({"Union", "Optional"})


def cast_types(index: ProjectIndex, call: ast.expr, frame: Frame) -> list[str] | None:
    """The project classes ``typing.cast(T, value)`` states, or None."""
    if (
        not isinstance(call, ast.Call)
        or len(call.args) != 2
        or call.keywords
        or not _is_cast(index, call.func, frame)
    ):
        return None
    spec = call.args[0]
    if isinstance(spec, ast.Constant) and isinstance(spec.value, str):
        try:
            spec = ast.parse(spec.value.strip(), mode="eval").body
        except SyntaxError:
            return None
    found: list[str] = []
    for part in _parts(spec):
        if isinstance(part, ast.Constant) and part.value is None:
            found.append("None")
            continue
        cls = index.resolve(frame.module, part)
        definition = index.defs.get(cls or "")
        if cls is None or definition is None:
            return None
        if not isinstance(definition.node, ast.ClassDef):
            return None
        found.append(class_type(cls))
    return found or None


def _is_cast(index: ProjectIndex, func: ast.expr, frame: Frame) -> bool:
    """Whether *func* is ``typing.cast`` as the module imports it."""
    names = index.scopes[frame.module].names if frame.module in index.scopes else {}
    if isinstance(func, ast.Name):
        if func.id in frame.local or func.id in frame.params:
            return False
        origin, _, last = names.get(func.id, "").rpartition(".")
        return origin in _TYPING and last == "cast"
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "cast"
        and isinstance(func.value, ast.Name)
        and func.value.id not in frame.local
        and func.value.id not in frame.params
        and names.get(func.value.id) in _TYPING
    )


def _parts(spec: ast.expr) -> list[ast.expr]:
    """The members of a union *spec* writes (itself when not a union)."""
    if isinstance(spec, ast.BinOp) and isinstance(spec.op, ast.BitOr):
        return [*_parts(spec.left), *_parts(spec.right)]
    if isinstance(spec, ast.Subscript):
        name = spec.value
        written = name.attr if isinstance(name, ast.Attribute) else None
        if isinstance(name, ast.Name):
            written = name.id
        if written in _UNIONS:
            inner = spec.slice
            members = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
            parts = [p for m in members for p in _parts(m)]
            if written == "Optional":
                parts.append(ast.Constant(None))
            return parts
    return [spec]
