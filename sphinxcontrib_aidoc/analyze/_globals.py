"""Module-level names bound once, for the project-wide pass.

``_PATTERN = re.compile(r"...")`` or ``DEFAULT_NAME = "root"`` at a
module's top level: a function reading the name (not binding it itself)
reads that value, as long as nothing else can have rebound it. A name
qualifies only when all of these hold:

* the module binds it exactly once outside functions and classes, by a
  plain ``name = value`` or ``name: T = value`` (an import, a ``def``, a
  loop target, ``+=`` or unpacking: nothing is claimed);
* no function of the module declares it ``global``;
* no code of the project assigns an attribute of that name (another module
  may set ``module.name = ...``).

A mutable container bound so (``REGISTRY = ["text"]``) may be added to
later; its items are claimed only while every use of the name in its
module only reads it (:meth:`ModuleValues.only_read`) and no other module
imports it or reads it as an attribute. An annotated one
(``NAMES: dict[str, str] = {}``) holds its annotation's type whatever is
added (the author's statement, as a function's annotations are:
:meth:`ModuleValues.annotation_of`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from sphinxcontrib_aidoc.analyze._index import ProjectIndex
from sphinxcontrib_aidoc.analyze._nodes import child_nodes

#: Nodes that open a scope of their own (their names are not the module's).
_SCOPES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Lambda,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)


class ModuleValues:
    """The value each module-level name is bound to once (see module doc)."""

    def __init__(self, index: ProjectIndex, open_names: set[str]) -> None:
        self.index = index
        self.open_names = open_names
        self._values: dict[str, dict[str, ast.expr]] = {}
        #: Per module, the names it binds exactly once (never ``global``).
        self._once: dict[str, set[str]] = {}
        #: Per module, every name it binds at its top level (or ``global``).
        self._bound: dict[str, set[str]] = {}
        #: Per module, the names a use there may add items to (read on demand).
        self._filled: dict[str, set[str]] = {}
        #: Names imported by name or read as attributes anywhere (read once).
        self._exported: set[str] | None = None
        #: Per module, the annotation of each name bound once by ``x: T = v``.
        self._annotated: dict[str, dict[str, ast.expr]] = {}

    def value_of(self, module: str, name: str) -> ast.expr | None:
        """The one value *module* binds *name* to, or None."""
        if name in self.open_names:
            return None
        values = self._values.get(module)
        if values is None:
            values = self._values[module] = self._collect(module)
        return values.get(name)

    def annotation_of(self, module: str, name: str) -> ast.expr | None:
        """The annotation of *name* when *module* binds it once, annotated."""
        if name in self.open_names:
            return None
        if module not in self._values:
            self._values[module] = self._collect(module)
        return self._annotated.get(module, {}).get(name)

    def bound_once(self, module: str, name: str) -> bool:
        """Whether *module* binds *name* exactly once (a ``def``, a class, an import...)."""
        if module not in self._values:
            self._values[module] = self._collect(module)
        return name in self._once.get(module, ())

    def binds(self, module: str, name: str) -> bool:
        """Whether *module* binds *name* at all (a function's ``global`` too)."""
        if module not in self._values:
            self._values[module] = self._collect(module)
        return name in self._bound.get(module, ())

    def only_read(self, module: str, name: str) -> bool:
        """Whether the project only ever reads the items of *module*'s *name*.

        Iterated, indexed, tested with ``in``, measured, or asked ``get``,
        ``keys``, ``copy``...: anything else (a method that adds, an item
        assigned, the container returned or passed to a call, imported by
        another module, read as ``module.name``) may add items of any type.
        """
        if self._exported is None:
            self._exported = self._collect_exported()
        if name in self._exported:
            return False
        filled = self._filled.get(module)
        if filled is None:
            filled = self._filled[module] = self._collect_filled(module)
        return name not in filled

    def _collect_exported(self) -> set[str]:
        """Every name imported by name (``from m import name``) or read as ``x.name``."""
        exported: set[str] = set()
        for module in self.index.trees:
            for node in self.index.every_node(module):
                if isinstance(node, ast.ImportFrom):
                    exported.update(a.name for a in node.names)
                elif isinstance(node, ast.Attribute):
                    exported.add(node.attr)
        return exported

    def _collect_filled(self, module: str) -> set[str]:
        """The names *module* uses other than by only reading their items."""
        filled: set[str] = set()
        tree = self.index.trees.get(module)
        stack: list[ast.AST] = [tree] if tree is not None else []
        while stack:  # each node's children listed once
            node = stack.pop()
            for child in child_nodes(node):
                if isinstance(child, ast.Name):
                    if isinstance(child.ctx, ast.Load) and not _reads_only(node, child):
                        filled.add(child.id)
                else:
                    stack.append(child)
        return filled

    def _collect(self, module: str) -> dict[str, ast.expr]:
        tree = self.index.trees.get(module)
        if tree is None:
            return {}
        counts: dict[str, int] = {}
        plain: dict[str, ast.expr] = {}
        annotated: dict[str, ast.expr] = {}
        for node in _module_level(tree):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                counts[node.id] = counts.get(node.id, 0) + 1
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    bound = alias.asname or alias.name.partition(".")[0]
                    counts[bound] = counts.get(bound, 0) + 1
            elif isinstance(
                node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
            ):
                counts[node.name] = counts.get(node.name, 0) + 1
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
            ):
                plain[node.targets[0].id] = node.value
            elif (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and node.value is not None
            ):
                plain[node.target.id] = node.value
                annotated[node.target.id] = node.annotation
        declared = {
            name
            for node in self.index.every_node(module)
            if isinstance(node, (ast.Global, ast.Nonlocal))
            for name in node.names
        }
        self._once[module] = {
            name for name, count in counts.items() if count == 1
        } - declared
        self._bound[module] = set(counts) | declared
        self._annotated[module] = {
            name: annotation
            for name, annotation in annotated.items()
            if counts.get(name) == 1 and name not in declared
        }
        return {
            name: value
            for name, value in plain.items()
            if counts.get(name) == 1 and name not in declared
        }


#: Methods that read a list, set or dict without adding to it.
_READING_METHODS = frozenset(
    {"copy", "count", "index", "get", "keys", "values", "items", "__len__"}
)
#: Builtins that read an argument without keeping it.
_READING_CALLS = frozenset(
    {"len", "bool", "sorted", "tuple", "frozenset", "any", "all", "min", "max"}
)


def _reads_only(parent: ast.AST, name: ast.Name) -> bool:
    """Whether *parent*'s use of *name* only reads the container's items."""
    if isinstance(parent, ast.Attribute):
        return parent.attr in _READING_METHODS
    if isinstance(parent, ast.Subscript):
        return parent.value is name
    if isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)):
        return parent.iter is name
    if isinstance(parent, ast.Compare):
        return True  # ``x in name``, ``name == other``
    if isinstance(parent, ast.Call):
        return (
            isinstance(parent.func, ast.Name)
            and parent.func.id in _READING_CALLS
            and name in parent.args
        )
    return isinstance(parent, (ast.If, ast.While, ast.BoolOp, ast.UnaryOp))


def _module_level(tree: ast.Module) -> Iterator[ast.AST]:
    """Every node of *tree* outside functions, classes and comprehensions.

    The definitions themselves are yielded (they bind their names); their
    decorators, bases and defaults are not walked (they bind nothing).
    """
    stack: list[ast.AST] = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, _SCOPES):
            continue
        stack.extend(reversed(child_nodes(node)))
