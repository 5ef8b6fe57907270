"""Lists of classes a module only tests objects against.

Tests keep tables of the project's classes::

    TOMLKIT_TYPES = [Bool, Comment, InlineTable, Integer, ...]

    def assert_not_tomlkit_type(v):
        for _, tomlkit_type in enumerate(TOMLKIT_TYPES):
            assert not isinstance(v, tomlkit_type)

A class named in a list is a value that may be called anywhere unseen, so
the call-site reader (:mod:`._callsites`) takes none of its calls as the
whole story. :func:`class_tables` finds the lists that cannot call them:

* bound once, at the top level of the module, to a list, tuple or set
  display of names (``Bool``, ``items.Bool``);
* every read of the list's name in the module is what a ``for`` loop or
  a comprehension iterates over, directly or through ``enumerate()``;
* each such loop binds its item to a name (alone, or second in a pair for
  ``enumerate``) that the function (or comprehension) around it reads only
  as a type (:func:`~._site_uses.type_positions`: ``isinstance(v, item)``).

Whether another module imports the list is not known here: the reader
checks it over the whole project, and takes only the tests' tables (a
list in the project's own modules is there for anyone importing it).
"""

from __future__ import annotations

import ast

from sphinxcontrib_aidoc.analyze._nodes import FUNCTIONS, scope_nodes
from sphinxcontrib_aidoc.analyze._site_uses import type_positions

_Loop = ast.For | ast.AsyncFor | ast.comprehension


def class_tables(tree: ast.Module, every: list[ast.AST]) -> dict[int, str]:
    """The names in the module's class tables (by node id) and their table's name."""
    candidates: dict[str, list[ast.expr]] = {}
    stores: dict[str, int] = {}
    for node in every:
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            stores[node.id] = stores.get(node.id, 0) + 1
    for stmt in tree.body:
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and isinstance(stmt.value, (ast.List, ast.Tuple, ast.Set))
            and stmt.value.elts
            and all(isinstance(e, (ast.Name, ast.Attribute)) for e in stmt.value.elts)
        ):
            candidates[stmt.targets[0].id] = list(stmt.value.elts)
    candidates = {n: e for n, e in candidates.items() if stores.get(n) == 1}
    if not candidates:
        return {}
    loops = _loops_over(every, set(candidates))
    as_types = type_positions(every)
    found: dict[int, str] = {}
    for name, elts in candidates.items():
        reads = [
            n
            for n in every
            if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
        ]
        items = [loops.get(id(read)) for read in reads]
        if items and all(
            item is not None and _only_types(*item, as_types) for item in items
        ):
            found.update((id(e), name) for e in elts)
    return found


def _loops_over(
    every: list[ast.AST], names: set[str]
) -> dict[int, tuple[str, list[ast.AST]]]:
    """Reads of *names* a loop iterates over: the item's name and where it is read.

    Keyed by the read's node id; the nodes are those where the item's name
    may be read (the function around a ``for`` and the functions nested in
    it, the comprehension itself).
    """
    found: dict[int, tuple[str, list[ast.AST]]] = {}
    scopes = [n for n in every if isinstance(n, (*FUNCTIONS, ast.Module))]
    for scope in scopes:
        inside = scope_nodes(scope)
        # The item may be read by a function nested in the loop's: all count.
        every_inside: list[ast.AST] | None = None
        for node in inside:
            if isinstance(node, (ast.For, ast.AsyncFor)):
                loop: _Loop = node
                if every_inside is None:
                    every_inside = list(ast.walk(scope))
                where: list[ast.AST] = every_inside
            elif isinstance(
                node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
            ):
                for generator in node.generators:
                    _add(found, generator, list(ast.walk(node)), names)
                continue
            else:
                continue
            _add(found, loop, where, names)
    return found


def _add(
    found: dict[int, tuple[str, list[ast.AST]]],
    loop: _Loop,
    where: list[ast.AST],
    names: set[str],
) -> None:
    source = loop.iter
    if (
        isinstance(source, ast.Call)
        and isinstance(source.func, ast.Name)
        and source.func.id == "enumerate"
        and len(source.args) == 1
        and not source.keywords
    ):
        source = source.args[0]
        target = loop.target
        item = (
            target.elts[1]
            if isinstance(target, ast.Tuple) and len(target.elts) == 2
            else None
        )
    else:
        item = loop.target
    if (
        isinstance(source, ast.Name)
        and source.id in names
        and isinstance(item, ast.Name)
    ):
        found[id(source)] = (item.id, where)


def _only_types(item: str, where: list[ast.AST], as_types: set[int]) -> bool:
    """Whether *item* is read in *where* only as a type."""
    return all(
        id(n) in as_types
        for n in where
        if isinstance(n, ast.Name) and n.id == item and isinstance(n.ctx, ast.Load)
    )
