"""Calls the project-wide pass types from typeshed's stubs (:mod:`._stubs`).

* :func:`stub_function_types`: a standard-library function or class the
  module imports (``textwrap.dedent(text)`` is a ``str``,
  ``io.StringIO()`` an ``io.StringIO``), when the tables of
  :mod:`._known_calls` do not know it;
* :func:`stub_method_types`: a method of a value proven to be an instance
  of a standard-library class (``buffer.getvalue()`` of an
  ``io.StringIO``), or of a project class deriving from one that neither
  it, its project ancestors nor any project subclass defines
  (``wrapper.fill(text)`` of a ``class TextWrapper(textwrap.TextWrapper)``).

Each answers only with a closed declared type (see :mod:`._stubs`), else
None.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from sphinxcontrib_aidoc.analyze._frame import complete, is_super
from sphinxcontrib_aidoc.analyze._library_bases import project_ancestry
from sphinxcontrib_aidoc.analyze._nodes import text
from sphinxcontrib_aidoc.analyze._stubs import (
    Arguments,
    attribute_type,
    called_return,
    every_return,
    function_return,
    method_return,
    overloads,
    stub_class,
)
from sphinxcontrib_aidoc.analyze._type_rules import split_union

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._frame import Frame
    from sphinxcontrib_aidoc.analyze._index import ProjectIndex
    from sphinxcontrib_aidoc.analyze._project import Solver

#: Answers of :func:`_stub_base`, per project index (one pass's).
_BASES: WeakKeyDictionary[ProjectIndex, dict[tuple[str, str, bool], str | None]] = (
    WeakKeyDictionary()
)


def stub_function_types(
    solver: Solver, dotted: str, call: ast.Call, frame: Frame
) -> list[str] | None:
    """What calling the standard-library *dotted* gives, by its stub, or None.

    A closed declared type whatever the arguments; else the first overload
    the arguments' proven types select (:func:`._stubs.called_return`).
    """
    found = function_return(dotted) or stub_class(dotted)
    if found is None and overloads(dotted) is not None:
        arguments = stub_arguments(solver, call, frame)
        found = called_return(dotted, arguments) if arguments is not None else None
        found = found or every_return(
            dotted, stub_arguments(solver, call, frame, partial=True)
        )
    return split_union(found) if found else None


def stub_arguments(
    solver: Solver, call: ast.Call, frame: Frame, *, partial: bool = False
) -> Arguments | None:
    """The proven types of *call*'s arguments, or None when one is not proven.

    With *partial*, an argument not proven has ``()`` for types; None only
    when an unpacking hides where the arguments go.
    """
    if any(isinstance(a, ast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords
    ):
        return None
    found: list[tuple[str | None, tuple[str, ...]]] = []
    values: list[tuple[str | None, ast.expr]] = [(None, v) for v in call.args]
    values.extend((keyword.arg, keyword.value) for keyword in call.keywords)
    for name, value in values:
        types = solver.types_of(value, frame, 1)
        if not types or not complete(types):
            if not partial:
                return None
            types = []
        found.append((name, tuple(types)))
    return tuple(found)


def stub_method_types(solver: Solver, call: ast.Call, frame: Frame) -> list[str] | None:
    """What ``value.name(...)`` gives when *value*'s class is a stub's, or None.

    ``super().name(...)`` in a method of a project class whose ancestors
    reach one standard-library class, none of them defining *name*, runs
    that class's method (``Self`` is then the method's own class).
    """
    func = call.func
    if not isinstance(func, ast.Attribute) or _private(func.attr):
        return None
    if is_super(func.value):
        if frame.cls is None:
            return None
        cls = _stub_base(solver.index, frame.cls, func.attr, above=True)
        result = method_return(cls, func.attr, f"~{frame.cls}") if cls else None
        return split_union(result) if result else None
    receiver = solver.types_of(func.value, frame, 1)
    if not receiver:
        return None
    found: list[str] = []
    for type_ in receiver:
        if "[" in type_ or type_ == "None":
            return None  # a generic's items, or ``None``'s missing method
        if type_.startswith("~"):
            cls = _stub_base(solver.index, type_[1:], func.attr)
        else:  # a stdlib class, or a builtin scalar the tables do not cover
            cls = type_ if "." in type_ or type_ in _SCALARS else None
        result = method_return(cls, func.attr, type_) if cls else None
        if result is None:
            return None
        found.extend(t for t in split_union(result) if t not in found)
    return found


def stub_attribute_types(
    solver: Solver, expr: ast.Attribute, frame: Frame, depth: int
) -> list[str] | None:
    """``value.name`` when *value* is proven an instance of stub classes, or None.

    Only standard-library classes themselves: a project class deriving
    from one may assign the attribute in code the stubs do not know.
    """
    if _private(expr.attr):
        return None
    receiver = solver.types_of(expr.value, frame, depth + 1)
    if not receiver:
        return None
    found: list[str] = []
    for type_ in receiver:
        if "[" in type_ or "." not in type_ or type_.startswith("~"):
            return None
        result = attribute_type(type_, expr.attr, type_)
        if result is None:
            return None
        found.extend(t for t in split_union(result) if t not in found)
    return found


#: Builtin classes whose methods the stubs answer for (containers: their items').
_SCALARS = frozenset({"str", "bytes", "bytearray", "int", "float", "complex", "bool"})


def _private(name: str) -> bool:
    """``_name`` (not a stub's business), but not ``__add__``."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _stub_base(
    index: ProjectIndex, cls: str, name: str, *, above: bool = False
) -> str | None:
    """The one standard-library base whose method *name* instances of *cls* run.

    With *above*, the one ``super()`` reaches from a method of *cls* (*cls*
    itself and its subclasses may define *name*).
    """
    answers = _BASES.setdefault(index, {})
    key = (cls, name, above)
    if key not in answers:
        answers[key] = _find_stub_base(index, cls, name, above=above)
    return answers[key]


def _find_stub_base(
    index: ProjectIndex, cls: str, name: str, *, above: bool
) -> str | None:
    found: set[str] = set()
    for step in project_ancestry(index, cls):
        if step is None:
            return None
        definition, outside = step
        if f"{definition.qualname}.{name}" in index.defs and not (
            above and definition.qualname == cls
        ):
            return None
        scope = index.scopes.get(definition.module)
        names = scope.names if scope is not None else {}
        for base in outside:
            first, _, rest = text(base).partition(".")
            origin = names.get(first)
            if origin is None or origin.partition(".")[0] in ("typing", "abc"):
                return None  # a builtin base (the tables'), ``Generic``, ``ABC``
            found.add(".".join(filter(None, (origin, rest))))
    if len(found) != 1 or (not above and any(True for _ in index.overrides(cls, name))):
        return None
    written = found.pop()
    return written if stub_class(written) else None
