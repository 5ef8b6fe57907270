"""Members of the project's enum classes (part of the project pass).

``Color.RED`` (or ``cls.RED`` in a classmethod of the enum) is an instance
of the project enum class ``Color`` when ``Color`` derives, through
project classes, from a standard-library enum class and its body binds
``RED`` by a plain ``name = value`` (:func:`enum_member`).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._nodes import text
from sphinxcontrib_aidoc.analyze._rules import last_part

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._frame import Frame
    from sphinxcontrib_aidoc.analyze._index import ProjectIndex

#: The standard library's enum base classes.
_ENUMS = frozenset(
    {"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"}
)
#: How many project base classes are followed to find an enum base.
_MAX_ENUM_DEPTH = 8


def enum_member(index: ProjectIndex, expr: ast.Attribute, frame: Frame) -> str | None:
    """The project enum class *expr* (``Color.RED``, ``cls.RED``) is a member of.

    A member is a name the enum's body binds by ``name = value`` (not a
    ``_sunder_`` or ``__dunder__`` name, a function or a ``nonmember``);
    None for anything else.
    """
    owner = expr.value
    cls = None
    if (
        isinstance(owner, ast.Name)
        and frame.class_param is not None
        and owner.id == frame.class_param[0]
        and owner.id not in frame.local
    ):
        cls = frame.class_param[1]
    elif isinstance(owner, (ast.Name, ast.Attribute)) and not (
        isinstance(owner, ast.Name)
        and (owner.id in frame.local or owner.id in frame.params)
    ):
        cls = index.resolve(frame.module, owner)
    definition = index.defs.get(cls or "")
    if cls is None or definition is None or not _is_enum(index, cls, 0):
        return None
    name = expr.attr
    if name.startswith("_") and name.endswith("_"):
        return None
    node = definition.node
    assert isinstance(node, ast.ClassDef)
    bound = [
        s.value
        for s in node.body
        if isinstance(s, ast.Assign)
        and len(s.targets) == 1
        and isinstance(s.targets[0], ast.Name)
        and s.targets[0].id == name
    ]
    if len(bound) != 1 or isinstance(bound[0], ast.Lambda):
        return None
    value = bound[0]
    if isinstance(value, ast.Call) and last_part(text(value.func)) in (
        "nonmember",
        "property",
        "staticmethod",
        "classmethod",
    ):
        return None
    return cls


def _is_enum(index: ProjectIndex, cls: str, depth: int) -> bool:
    """Whether *cls* derives from a standard-library enum class."""
    definition = index.defs.get(cls)
    if definition is None or depth > _MAX_ENUM_DEPTH:
        return False
    node = definition.node
    if not isinstance(node, ast.ClassDef):
        return False
    scope = index.scopes.get(definition.module)
    for base in node.bases:
        first, _, rest = text(base).partition(".")
        origin = scope.names.get(first, first) if scope is not None else first
        if ".".join(filter(None, (origin, rest))) in _ENUMS:
            return True
        found = index.resolve(definition.module, base)
        if found is not None and _is_enum(index, found, depth + 1):
            return True
    return False
