"""Classes by syntax: bases, exceptions and constructors.

Without inference a base class is known when it is a class defined earlier
in the same module (bound once), a built-in class, or one of a few standard
classes without ``__init__`` (``abc.ABC``, ``enum.Enum``, ``typing.Generic``
...). From those this module rebuilds what inference finds about a class:
its ancestors in astroid's order, whether it is an exception, and the
``__init__`` that builds its instances (its own, the one the dataclass
decorator writes, or the first ancestor's). When the walk meets an unknown
base before it finds an ``__init__``, the constructor is unknown: the class
gets no signature. With the astroid oracle, the oracle answers instead.
"""

from __future__ import annotations

import abc
import ast
import builtins
import enum
import functools
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field

from sphinxcontrib_aidoc.analyze._dataclass import (
    Store,
    UnknownInitError,
    arguments_data,
    init_function,
    is_dataclass,
    previous_default,
    wants_init,
)
from sphinxcontrib_aidoc.analyze._nodes import (
    FUNCTIONS,
    TRY,
    Function,
    dotted_name,
    text,
)
from sphinxcontrib_aidoc.analyze._rules import (
    EXCEPTION_SUFFIXES,
    named_like_exception,
)

#: Base-name endings taken to mean an exception class (warnings too).
_EXCEPTION_SUFFIXES = (*EXCEPTION_SUFFIXES, "Warning")


@dataclass(eq=False)
class ClassEntry:
    """A class of the module, as the walk met it."""

    node: ast.ClassDef
    #: Module-local dotted name of the scope defining it ("" or ``"Outer."``).
    prefix: str
    exception: bool = False


Ancestor = ClassEntry | type


@dataclass
class ClassTable:
    """The classes of one module seen so far, and the names bound in it."""

    module: ast.Module
    classes: dict[str, ClassEntry] = field(default_factory=dict)
    _bindings: dict[int, dict[str, list[ast.stmt]]] = field(default_factory=dict)

    def add(self, local: str, entry: ClassEntry) -> None:
        """Remember the class *local* (``Outer.Inner``)."""
        self.classes[local] = entry

    def resolve(self, base: ast.expr, prefix: str) -> Ancestor | None:
        """The class *base* names in the scope *prefix*; None if unknown."""
        if isinstance(base, ast.Subscript):
            base = base.value  # ``Generic[T]``, ``Base[int]``: the class
        if not isinstance(base, (ast.Name, ast.Attribute)):
            return None  # ``make_base()``: only inference knows
        name = dotted_name(base)
        head = name.partition(".")[0]
        if prefix:  # a class body: its own names first, then the module's
            outer = self.classes.get(prefix[:-1])
            if outer is not None and head in self.bindings(outer.node):
                return self._unique(outer.node, head, prefix + name)
        if head in self.bindings(self.module):
            return self._unique(self.module, head, name)
        value = getattr(builtins, name, None)
        return value if isinstance(value, type) else None

    def _unique(
        self, scope: ast.Module | ast.ClassDef, head: str, local: str
    ) -> Ancestor | None:
        bound = self.bindings(scope)[head]
        if len(bound) != 1:
            return None
        if isinstance(bound[0], (ast.Import, ast.ImportFrom)):
            return _known_import(bound[0], head, local)
        return self.classes.get(local)

    def bindings(self, scope: ast.Module | ast.ClassDef) -> dict[str, list[ast.stmt]]:
        """The statements binding each name in *scope* (not nested scopes)."""
        found = self._bindings.get(id(scope))
        if found is None:
            found = {}
            for stmt in _statements(scope.body):
                for name in _bound_names(stmt):
                    found.setdefault(name, []).append(stmt)
            self._bindings[id(scope)] = found
        return found

    def ancestors(self, entry: ClassEntry) -> list[Ancestor] | None:
        """The ancestors of *entry* in astroid's order; None if one is unknown."""
        out: list[Ancestor] = []
        for ancestor in self._ancestors(entry, {id(entry)}):
            if ancestor is None:
                return None
            out.append(ancestor)
        return out

    def _ancestors(
        self, entry: ClassEntry, seen: set[int]
    ) -> Iterator[Ancestor | None]:
        """Ancestors depth first, each once, as astroid walks them.

        A class without bases has ``object``; None stands for an unknown
        base, and ends the walk.
        """
        if not entry.node.bases:
            if id(object) not in seen:
                seen.add(id(object))
                yield object
            return
        for base in entry.node.bases:
            target = self.resolve(base, entry.prefix)
            if target is None:
                yield None
                return
            if id(target) in seen:
                continue
            seen.add(id(target))
            yield target
            if isinstance(target, ClassEntry):
                for ancestor in self._ancestors(target, seen):
                    yield ancestor
                    if ancestor is None:
                        return
                continue
            for klass in target.__mro__[1:]:
                if id(klass) not in seen:
                    seen.add(id(klass))
                    yield klass

    def is_exception(self, entry: ClassEntry) -> bool:
        """Whether a base is a known exception, or is named like one."""
        for base in entry.node.bases:
            target = self.resolve(base, entry.prefix)
            if isinstance(target, ClassEntry) and target.exception:
                return True
            if isinstance(target, type) and issubclass(target, BaseException):
                return True
            if named_like_exception(text(base), _EXCEPTION_SUFFIXES):
                return True
        return False

    def constructor(self, entry: ClassEntry) -> tuple[Function | None, bool, bool]:
        """The ``__init__`` that builds instances: ``(init, certain, own)``.

        Own ``__init__`` (written in the class, or by ``@dataclass``) first,
        then the first ancestor's, as the astroid engine looks. None with
        certain means ``object.__init__``; None and not certain, unknown.
        """
        try:
            for klass in (entry, *self._ancestors(entry, {id(entry)})):
                if klass is None:
                    return None, False, False  # an unknown base comes first
                if isinstance(klass, type):
                    if klass.__module__ == "builtins":
                        return None, klass is object, False
                    continue  # a known class without ``__init__``
                init = self._init_of(klass, last=True)
                if init is not None:
                    return init, True, klass is entry
        except UnknownInitError:
            return None, False, False
        return None, True, False

    def _init_of(self, entry: ClassEntry, *, last: bool) -> Function | None:
        """The class's ``__init__`` (its last or first def), or its dataclass one."""
        inits = [
            s
            for s in _statements(entry.node.body)
            if isinstance(s, FUNCTIONS) and s.name == "__init__"
        ]
        if inits:
            return inits[-1] if last else inits[0]
        if "__init__" in self.bindings(entry.node) or not wants_init(entry.node):
            return None
        mro = self._linear_mro(entry)
        dataclasses = [k.node for k in reversed(mro) if is_dataclass(k.node)]
        positional: Store = {}
        keyword: Store = {}
        for klass in reversed(mro[1:]):
            if not is_dataclass(klass.node):
                continue
            init = self._init_of(klass, last=False)
            if init is not None:
                more = arguments_data(init)
                positional.update(more[0])
                keyword.update(more[1])
        return init_function(
            entry.node,
            (positional, keyword),
            functools.partial(previous_default, dataclasses),
        )

    def _linear_mro(self, entry: ClassEntry) -> list[ClassEntry]:
        """The classes of *entry*'s MRO defined in the module.

        Raises:
            UnknownInitError: If a base is unknown, or a dataclass ancestor sits
                in a multiple-inheritance tree (only C3 would order it).
        """
        ancestors = self.ancestors(entry)
        if ancestors is None:
            raise UnknownInitError
        local = [entry, *(a for a in ancestors if isinstance(a, ClassEntry))]
        if len(local) > 1 and any(len(k.node.bases) > 1 for k in local):
            if any(is_dataclass(k.node) for k in local[1:]):
                raise UnknownInitError
            return [entry]  # no dataclass ancestor: the order does not matter
        return local


#: Standard library classes a base may import, which (as astroid sees them)
#: have no ``__init__`` of their own: ``(module, name)``: class.
_KNOWN_IMPORTS: dict[tuple[str, str], type] = {
    ("abc", "ABC"): abc.ABC,
    ("enum", "Enum"): enum.Enum,
    ("enum", "Flag"): enum.Flag,
    ("typing", "Generic"): typing.Generic,
    ("typing", "Protocol"): typing.Protocol,
}


def _known_import(
    stmt: ast.Import | ast.ImportFrom, head: str, local: str
) -> type | None:
    """The class *local* names when *stmt* binds *head* and the class is known."""
    for alias in stmt.names:
        if (alias.asname or alias.name.partition(".")[0]) != head:
            continue
        if isinstance(stmt, ast.ImportFrom):
            if stmt.level == 0 and stmt.module and local == head:
                return _KNOWN_IMPORTS.get((stmt.module, alias.name))
        elif alias.asname or "." not in alias.name:
            module, _, name = local.rpartition(".")
            if module == head:
                return _KNOWN_IMPORTS.get((alias.name, name))
    return None


def _statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """*body* and the statements of its compound statements, in order."""
    out: list[ast.stmt] = []
    stack = list(reversed(body))
    while stack:
        stmt = stack.pop()
        out.append(stmt)
        if isinstance(stmt, (*FUNCTIONS, ast.ClassDef)):
            continue
        blocks: list[list[ast.stmt]] = [
            getattr(stmt, name)
            for name in ("body", "orelse", "finalbody")
            if isinstance(getattr(stmt, name, None), list)
        ]
        blocks += [h.body for h in getattr(stmt, "handlers", [])]
        if isinstance(stmt, ast.Match):
            blocks += [c.body for c in stmt.cases]
        for block in reversed(blocks):
            stack.extend(reversed(block))
    return out


def _bound_names(stmt: ast.stmt) -> list[str]:
    """Names a statement binds in its own scope."""
    if isinstance(stmt, (*FUNCTIONS, ast.ClassDef)):
        return [stmt.name]
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).partition(".")[0] for a in stmt.names]
    targets: list[ast.expr] = []
    if isinstance(stmt, ast.Assign):
        targets = stmt.targets
    elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor)):
        targets = [stmt.target]
    elif isinstance(stmt, (ast.With, ast.AsyncWith)):
        targets = [i.optional_vars for i in stmt.items if i.optional_vars]
    elif isinstance(stmt, ast.Delete):
        targets = stmt.targets
    names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
    if isinstance(stmt, TRY):
        names += [h.name for h in stmt.handlers if h.name]
    return names
