"""Module-level names bound once, for the project-wide pass.

``_PATTERN = re.compile(r"...")`` or ``DEFAULT_NAME = "root"`` at a
module's top level: a function reading the name (not binding it itself)
reads that value, as long as nothing else can have rebound it. A name
qualifies only when all of these hold:

* the module binds it exactly once outside functions and classes, by a
  plain ``name = value`` (an import, a ``def``, a loop target, ``+=`` or
  unpacking: nothing is claimed);
* no function of the module declares it ``global``;
* no code of the project assigns an attribute of that name (another module
  may set ``module.name = ...``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from sphinxcontrib_aidoc.analyze._index import ProjectIndex

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

    def value_of(self, module: str, name: str) -> ast.expr | None:
        """The one value *module* binds *name* to, or None."""
        if name in self.open_names:
            return None
        values = self._values.get(module)
        if values is None:
            values = self._values[module] = self._collect(module)
        return values.get(name)

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

    def _collect(self, module: str) -> dict[str, ast.expr]:
        tree = self.index.trees.get(module)
        if tree is None:
            return {}
        counts: dict[str, int] = {}
        plain: dict[str, ast.expr] = {}
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
        return {
            name: value
            for name, value in plain.items()
            if counts.get(name) == 1 and name not in declared
        }


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
        stack.extend(reversed(list(ast.iter_child_nodes(node))))
