"""Standard-library base classes that add no instance attribute of a name.

A project class whose base is outside the project may get any attribute
from it, so :class:`~._attributes.Attributes` claims nothing for such a
family. A few standard-library classes are closed: their instances hold
only what the class itself defines (a class written in C, whose instance
fields are descriptors of the class; an abstract base class with empty
``__slots__``; ``typing.Generic`` and ``Protocol``). For those, whether
the base has an attribute of a name is read off the class itself, in the
running interpreter (the standard library, never the analysed code): a
base without it leaves the name to the project's own assignments.

Anything else (a standard-library class written in Python, whose
``__init__`` may set any attribute; an enum; a class with a metaclass)
stays unknown.
"""

from __future__ import annotations

import abc
import ast
import builtins
import collections.abc
import datetime
import numbers
import typing
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from sphinxcontrib_aidoc.analyze._nodes import text

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._index import Definition, ProjectIndex

#: Modules whose every class is closed (written in C or an empty-slots ABC).
_CLOSED_MODULES: dict[str, object] = {
    "builtins": builtins,
    "collections.abc": collections.abc,
    "datetime": datetime,
    "numbers": numbers,
}
#: Closed classes of other modules, by qualified name.
_CLOSED: dict[str, type] = {
    "abc.ABC": abc.ABC,
    "typing.Generic": typing.Generic,
    "typing.Protocol": typing.Protocol,
}
#: Builtins whose instances are not plain objects (classes, modules' kin).
_NOT_PLAIN = frozenset({"type", "super", "property", "staticmethod", "classmethod"})


def project_ancestry(
    index: ProjectIndex, cls: str
) -> Iterator[tuple[Definition, list[ast.expr]] | None]:
    """*cls* and each project class it derives from, once, with its outside bases.

    Each is ``(definition, bases written outside the project)``; ``None``
    (and nothing after it) for a class that is not a plain project class:
    not a project class definition, or one with keywords (a metaclass).
    """
    seen: set[str] = set()
    stack = [cls]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        definition = index.defs.get(current)
        node = definition.node if definition is not None else None
        if definition is None or not isinstance(node, ast.ClassDef) or node.keywords:
            yield None
            return
        outside: list[ast.expr] = []
        for base in node.bases:
            resolved = index.resolve(definition.module, base)
            if resolved in index.defs:
                stack.append(resolved)
            else:
                outside.append(base)
        yield definition, outside


def closed_without(definition: Definition, index: ProjectIndex, name: str) -> bool:
    """Whether every base of a class outside the project is closed and lacks *name*.

    A class with keywords (a metaclass) is never; one whose bases are all
    project classes (or ``object``) always is.
    """
    node = definition.node
    if not isinstance(node, ast.ClassDef) or node.keywords:
        return False
    for base in node.bases:
        if index.resolve(definition.module, base) in index.defs:
            continue
        found = written_class(index, definition.module, base)
        if found is None or hasattr(found, name):
            return False
    return True


def written_class(index: ProjectIndex, module: str, written: ast.expr) -> type | None:
    """The closed standard-library class *written* names in *module*, or None.

    ``Base[T]`` names ``Base``; a name the module does not bind is a builtin.
    """
    if isinstance(written, ast.Subscript):
        written = written.value
    scope = index.scopes.get(module)
    names = scope.names if scope is not None else {}
    first, _, rest = text(written).partition(".")
    origin = names.get(first, f"builtins.{first}" if first else "")
    return closed_class(".".join(filter(None, (origin, rest))))


@cache
def closed_class(qualified: str) -> type | None:
    """The closed standard-library class *qualified* names, or None."""
    if qualified in _CLOSED:
        return _CLOSED[qualified]
    module, _, last = qualified.rpartition(".")
    if module == "typing":  # ``typing.MutableMapping``: its collections.abc class
        origin = getattr(getattr(typing, last, None), "__origin__", None)
        if isinstance(origin, type) and origin.__module__ == "collections.abc":
            return origin
        return None
    owner = _CLOSED_MODULES.get(module)
    found = getattr(owner, last, None) if owner is not None else None
    if not isinstance(found, type) or last.startswith("_") or last in _NOT_PLAIN:
        return None
    if found.__module__ not in (module, "_datetime", "_collections_abc"):
        return None  # a re-exported class of another module
    if issubclass(found, type):
        return None
    return found


#: Closed classes whose methods' result types the tables of
#: :mod:`._known_calls` know, by class: the name those tables use.
_TABLE_BASES: dict[type, str] = {
    str: "str",
    bytes: "bytes",
    datetime.datetime: "datetime.datetime",
    datetime.date: "datetime.date",
    datetime.time: "datetime.time",
}


#: Answers of :func:`text_base`, per project index (one pass's).
_ANSWERS: WeakKeyDictionary[ProjectIndex, dict[tuple[str, str], str | None]] = (
    WeakKeyDictionary()
)


def text_base(index: ProjectIndex, cls: str, name: str) -> str | None:
    """The standard class (``"str"``...) whose method *name* instances of *cls* run.

    *cls* and its project ancestors derive from one class of
    :data:`_TABLE_BASES` (``str``, ``bytes``, a ``datetime`` class), every
    other base outside the project is closed and lacks *name*, and no
    project class in its family (its ancestors, the subclasses an instance
    may be of) defines *name*: that class's own method runs
    (``source[i:j]`` of a ``class Source(str)`` is a ``str``). None
    otherwise.
    """
    answers = _ANSWERS.setdefault(index, {})
    key = (cls, name)
    if key not in answers:
        answers[key] = _text_base(index, cls, name)
    return answers[key]


def _text_base(index: ProjectIndex, cls: str, name: str) -> str | None:
    found: set[str] = set()
    for step in project_ancestry(index, cls):
        if step is None or f"{step[0].qualname}.{name}" in index.defs:
            return None
        definition, outside = step
        for base in outside:
            written = written_class(index, definition.module, base)
            if written in _TABLE_BASES:
                found.add(_TABLE_BASES[written])
            elif written is None or hasattr(written, name):
                return None
    if len(found) != 1 or any(True for _ in index.overrides(cls, name)):
        return None
    return found.pop()
