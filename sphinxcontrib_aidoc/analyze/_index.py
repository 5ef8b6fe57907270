"""What a whole project defines and imports, read from :mod:`ast` (no inference).

The project-wide pass (:mod:`._project`) asks two questions of it: which
project functions or classes a call can call (:meth:`ProjectIndex.targets`),
and, for a method, which other methods a call on ``self`` may dispatch to.
Names resolve through each module's own definitions and its imports
(``from .core import Context``, ``import pkg.mod as m``), following
re-exports; anything else (a local variable, an attribute of an object of
unknown class, a builtin) resolves to nothing, so the pass claims nothing
about it.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sphinxcontrib_aidoc.analyze._kept_syntax import take
from sphinxcontrib_aidoc.analyze._nodes import (
    FUNCTIONS,
    TRY,
    Function,
    child_nodes,
    child_statements,
    decorator_names,
    walk,
)
from sphinxcontrib_aidoc.analyze._rules import ACCESSOR_SUFFIXES, last_part
from sphinxcontrib_aidoc.model import ObjectInfo

#: Re-exports followed to find where a name is defined.
_MAX_HOPS = 8
#: Decorators that keep a function's signature and return value
#: (``functools.lru_cache``/``cache`` only remember it).
PLAIN_DECORATORS = frozenset(
    {
        "staticmethod",
        "classmethod",
        "abstractmethod",
        "override",
        "final",
        "lru_cache",
        "cache",
    }
)


@dataclass
class Scope:
    """The names one module binds at its top level."""

    module: str
    package: bool
    #: Local name to the qualified name it stands for (a definition or an import).
    names: dict[str, str] = field(default_factory=dict)


@dataclass
class Definition:
    """A function or class of the project, where it is defined."""

    qualname: str
    node: Function | ast.ClassDef
    module: str
    #: The class that defines a method, else None.
    owner: str | None


class ProjectIndex:
    """The definitions, imports and classes of every analysed module.

    Args:
        infos: The per-module records of the whole project.
        sites: Modules that only call the project (its tests, examples),
            module name to file: read for their calls and uses of project
            names, never documented. A name an analysed module has is skipped.
    """

    def __init__(
        self, infos: Iterable[ObjectInfo], sites: dict[str, str] | None = None
    ) -> None:
        self.records: dict[str, ObjectInfo] = {i.qualname: i for i in infos}
        self.scopes: dict[str, Scope] = {}
        self.defs: dict[str, Definition] = {}
        self.trees: dict[str, ast.Module] = {}
        #: Every function of the *sites* modules (nested ones too), by node.
        self.site_defs: list[Definition] = []
        #: Names the functions enclosing a nested site function bind, by node id.
        self.enclosing: dict[int, set[str]] = {}
        #: The *sites* modules read (call sites only, never documented).
        self.site_modules: set[str] = set()
        self._every: dict[str, list[ast.AST]] = {}
        self._site_names: dict[str, set[str]] | None = None
        #: A digest of each module's text, as parsed (see :mod:`._module_walks`).
        self.digests: dict[str, str] = {}
        files = {i.module: i.file for i in self.records.values()}
        for module, file in sorted(files.items()):
            tree = _parse(file, module, self.digests)
            if tree is None:
                continue
            self.trees[module] = tree
            scope = Scope(module, Path(file).name == "__init__.py")
            self.scopes[module] = scope
            self._bind(scope, tree.body)
            self._define(module, tree.body, module, None)
        for module, file in sorted((sites or {}).items()):
            tree = None if module in self.trees else _parse(file, module, self.digests)
            if tree is None:
                continue
            self.trees[module] = tree
            self.site_modules.add(module)
            scope = Scope(module, Path(file).name == "__init__.py")
            self.scopes[module] = scope
            self._bind(scope, tree.body)
            self._site_functions(module, tree, set())
        #: Base classes (project ones) and subclasses, by qualified name.
        self.bases: dict[str, list[str]] = {}
        self.subclasses: dict[str, set[str]] = {}
        for definition in self.defs.values():
            if isinstance(definition.node, ast.ClassDef):
                found = [
                    self.resolve(definition.module, b) for b in definition.node.bases
                ]
                self.bases[definition.qualname] = [b for b in found if b in self.defs]
                for base in self.bases[definition.qualname]:
                    self.subclasses.setdefault(base, set()).add(definition.qualname)

    # -- building -----------------------------------------------------------
    def _bind(self, scope: Scope, body: list[ast.stmt]) -> None:
        for stmt in _statements(body):
            if isinstance(stmt, (ast.ImportFrom, ast.Import)):
                scope.names.update(imported(scope, stmt))
            elif isinstance(stmt, (*FUNCTIONS, ast.ClassDef)):
                scope.names[stmt.name] = f"{scope.module}.{stmt.name}"
            elif isinstance(stmt, ast.Assign):
                for target in stmt.targets:  # a rebinding hides the definition
                    for node in ast.walk(target):
                        if isinstance(node, ast.Name):
                            scope.names.pop(node.id, None)

    def _define(
        self, prefix: str, body: list[ast.stmt], module: str, owner: str | None
    ) -> None:
        for stmt in _statements(body):
            if not isinstance(stmt, (*FUNCTIONS, ast.ClassDef)):
                continue
            qualname = f"{prefix}.{stmt.name}"
            if qualname not in self.records:
                continue
            if qualname in self.defs and _accessor(stmt):
                continue  # ``@name.setter``: the property stays its getter
            self.defs[qualname] = Definition(qualname, stmt, module, owner)
            if isinstance(stmt, ast.ClassDef):
                self._define(qualname, stmt.body, module, qualname)

    def _site_functions(self, module: str, node: ast.AST, outer: set[str]) -> None:
        """Collect the functions under *node*; *outer*: names enclosing ones bind."""
        for child in child_statements(node):
            if isinstance(child, FUNCTIONS):
                qualname = f"{module}.<site>.{child.name}.{child.lineno}"
                self.site_defs.append(Definition(qualname, child, module, None))
                self.enclosing[id(child)] = outer
                self._site_functions(module, child, outer | _bound_names(child))
            else:
                self._site_functions(module, child, outer)

    def named_by_sites(self, name: str, besides: str = "") -> bool:
        """Whether a *sites* module other than *besides* imports or reads *name*.

        As an imported name or as an attribute (``helpers.name``); a module
        that imports everything (``from m import *``) names all. Read once
        for every name (tests name what a test helper or table may reach).
        """
        if self._site_names is None:
            found: dict[str, set[str]] = {}
            for module in self.site_modules:
                for node in self.every_node(module):
                    if isinstance(node, ast.alias):
                        key = node.name.rpartition(".")[2]
                    elif isinstance(node, ast.Attribute):
                        key = node.attr
                    else:
                        continue
                    found.setdefault(key, set()).add(module)
            self._site_names = found
        return any(self._site_names.get(key, set()) - {besides} for key in (name, "*"))

    def every_node(self, module: str) -> list[ast.AST]:
        """Every node of *module*'s tree (walked once, shared by the readers)."""
        found = self._every.get(module)
        if found is None:
            tree = self.trees.get(module)
            found = [] if tree is None else walk(tree)
            self._every[module] = found
        return found

    # -- questions ------------------------------------------------------------
    def resolve(self, module: str, expr: ast.expr) -> str | None:
        """The qualified name *expr* (a name or ``mod.name``) stands for in *module*."""
        if isinstance(expr, ast.Name):
            return self.lookup(module, expr.id)
        if isinstance(expr, ast.Attribute):
            owner = self.resolve(module, expr.value)
            if owner is None:
                return None
            if owner in self.scopes:
                return self.lookup(owner, expr.attr)
            return None  # an attribute of a class or object: see targets()
        return None

    def lookup(self, module: str, name: str) -> str | None:
        """Where *name*, as *module* binds it, is defined (following re-exports)."""
        target = self.scopes[module].names.get(name) if module in self.scopes else None
        for _ in range(_MAX_HOPS):
            if target is None or target in self.defs or target in self.scopes:
                return target
            origin, _, last = target.rpartition(".")
            scope = self.scopes.get(origin)
            if scope is None:
                return None
            target = scope.names.get(last)
        return None

    def method(self, cls: str, name: str) -> str | None:
        """The method *name* that instances of *cls* find first (their MRO)."""
        seen: set[str] = set()
        stack = [cls]
        while stack:
            current = stack.pop(0)
            if current in seen:
                continue
            seen.add(current)
            found = f"{current}.{name}"
            if found in self.defs:
                return found
            definition = self.defs.get(current)
            if definition is None or not bases_known(definition, self):
                return None  # an ancestor outside the project may define it
            stack.extend(self.bases.get(current, []))
        return None

    def overrides(self, cls: str, name: str) -> Iterator[str]:
        """The methods *name* of every project subclass of *cls* that defines one."""
        seen: set[str] = set()
        stack = list(self.subclasses.get(cls, ()))
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            if f"{current}.{name}" in self.defs:
                yield f"{current}.{name}"
            stack.extend(self.subclasses.get(current, ()))

    def dispatch(self, cls: str, name: str) -> list[str] | None:
        """Every method ``self.name(...)`` may call in a method of *cls*, or None."""
        first = self.method(cls, name)
        if first is None:
            return None
        return [first, *self.overrides(cls, name)]


def _accessor(node: ast.stmt) -> bool:
    """Whether *node* is a property's ``@name.setter``/``.deleter``/``.getter``."""
    return isinstance(node, FUNCTIONS) and any(
        d.endswith(ACCESSOR_SUFFIXES) for d in decorator_names(node)
    )


def plain(definition: Definition) -> bool:
    """Whether its decorators (if any) keep the signature and return value."""
    return all(
        last_part(d) in PLAIN_DECORATORS for d in decorator_names(definition.node)
    )


#: Decorators that keep how a function is called (not what it returns):
#: a call of the decorated function passes its arguments to the function.
CALLED_AS_WRITTEN = PLAIN_DECORATORS | {"contextmanager", "asynccontextmanager"}


def called_as_written(definition: Definition) -> bool:
    """Whether a call of it passes its arguments to the function as written."""
    return all(
        last_part(d) in CALLED_AS_WRITTEN for d in decorator_names(definition.node)
    )


def bases_known(definition: Definition, index: ProjectIndex) -> bool:
    """Whether every base class of a class is a project class or ``object``."""
    node = definition.node
    if not isinstance(node, ast.ClassDef) or node.keywords:
        return False  # a metaclass may add anything
    resolved = index.bases.get(definition.qualname, [])
    written = [
        b for b in node.bases if not (isinstance(b, ast.Name) and b.id == "object")
    ]
    return len(resolved) == len(written)


def imported(scope: Scope, stmt: ast.ImportFrom | ast.Import) -> dict[str, str]:
    """The names an import binds, and what each stands for."""
    found: dict[str, str] = {}
    if isinstance(stmt, ast.Import):
        for alias in stmt.names:
            top = alias.name.partition(".")[0]
            found[alias.asname or top] = alias.name if alias.asname else top
        return found
    origin = _absolute(scope, stmt.module, stmt.level)
    for alias in stmt.names:
        if alias.name != "*":
            target = f"{origin}.{alias.name}" if origin else alias.name
            found[alias.asname or alias.name] = target
    return found


def _absolute(scope: Scope, module: str | None, level: int) -> str:
    """The absolute module name of ``from <level dots><module> import``."""
    if level == 0:
        return module or ""
    parts = scope.module.split(".")
    if not scope.package:
        parts = parts[:-1]
    parts = parts[: len(parts) - (level - 1)] if level > 1 else parts
    return ".".join([*parts, module] if module else parts)


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of a module or class body, looking into ``if``/``try``."""
    for stmt in body:
        if isinstance(stmt, ast.If):
            yield from _statements(stmt.body)
            yield from _statements(stmt.orelse)
        elif isinstance(stmt, TRY):
            yield from _statements(stmt.body)
            for handler in stmt.handlers:
                yield from _statements(handler.body)
            yield from _statements(stmt.orelse)
            yield from _statements(stmt.finalbody)
        else:
            yield stmt


def _bound_names(function: Function) -> set[str]:
    """Names *function*'s own scope binds: parameters, stores, nested definitions."""
    arguments = function.args
    found = {
        a.arg
        for a in (
            *arguments.posonlyargs,
            *arguments.args,
            *arguments.kwonlyargs,
            *(a for a in (arguments.vararg, arguments.kwarg) if a is not None),
        )
    }
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (*FUNCTIONS, ast.ClassDef)):
            found.add(node.name)
            continue  # its own scope
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            found.add(node.id)
        stack.extend(child_nodes(node))
    return found


def _parse(file: str, module: str, digests: dict[str, str]) -> ast.Module | None:
    """*file*'s tree; the digest of the text parsed goes to *digests*.

    The tree this worker's analysis of the file parsed from the same text,
    if it kept one (:mod:`._kept_syntax`).
    """
    try:
        text = Path(file).read_text(encoding="utf-8")
        tree = take(file, text) or ast.parse(text)
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError, RecursionError):
        return None
    digests[module] = hashlib.sha256(text.encode()).hexdigest()
    return tree
