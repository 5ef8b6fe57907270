"""Project module trees built whole: before inference reaches them, and reused.

Analysing ``api.py`` makes astroid follow ``from tomlkit.items import
...`` and build the tree of ``items.py`` from its file. The analysis of
``items.py`` itself used to build that module a second time from the text
it read: 11% of the analysis child's instructions on tomlkit, whose
modules import most of the others.

Inference builds the modules it follows an import into as it goes, inside
an object's inference budget; astroid caches a tree *before* it runs the
transforms (its brains: ``super()``, enums, dataclasses...), so a budget
running out in one of them left a half-built tree in the cache for every
later inference (3 of tomlkit's 7 modules built that way, 4 of click's):
there ``super().__init__`` was ``object.__init__``. So once a module's
tree is built, :func:`build_imported` builds the project modules it
imports, and those they import, outside any budget (a first build
analyses them all anyway, from these trees).

A tree is reused only when it was built whole. The watch registered here
is the last transform of every module tree; it runs once every other
transform has, so the trees it saw are whole. It also records the text
of the file the tree was built from, so a file edited since is built
again from what the analysis read.

Another module's build writes into a tree: astroid files
``termui._getchar = f`` in ``click/testing.py`` under the locals of
``termui``'s tree, and ``obj.attr = v`` (``key.sep = ...`` in tomlkit's
``parser.py``) under the instance attributes of ``obj``'s class. A tree
built from the text alone has neither, and a module's analysis depends on
its own code and what it imports only. So the watch counts the entries of
every scope's tables that the tree's own code made (:func:`_own_entries`:
not the nodes of other project modules) when the tree is whole; a tree
whose own count changed since is built again, and one that only holds
other modules' entries is analysed with them taken out
(:func:`own_entries_only`) and put back after, for the modules that wrote
them. Building ``items.py`` again from its text took 0.10-0.17 s of a
tomlkit first build's analysis child, on its critical path.
"""

from __future__ import annotations

import hashlib
import os
import tokenize
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

import astroid  # type: ignore[import-untyped]  # astroid ships no py.typed
from astroid import nodes
from astroid.exceptions import TooManyLevelsError  # type: ignore[import-untyped]

from sphinxcontrib_aidoc.analyze._astroid_scope import in_project

#: Project modules' trees the watch saw whole, built from a file: the
#: digest of the file's text, and the entries of their scopes' tables.
_WHOLE: weakref.WeakKeyDictionary[nodes.Module, tuple[bytes, int]] = (
    weakref.WeakKeyDictionary()
)
#: The definitions with tables other modules' builds can write into (a
#: lambda has none: astroid skips ``f.attr = v`` for one).
_SCOPES = (nodes.ClassDef, nodes.FunctionDef)
#: Trees whose imports :func:`build_imported` built.
_SCANNED: weakref.WeakSet[nodes.Module] = weakref.WeakSet()
_WATCHING: list[bool] = []


def watch() -> None:
    """Watch astroid's module trees (once per process).

    Only the project packages' trees (``_astroid_scope.allow``) are kept
    track of, reused and have their imports built.
    """
    if _WATCHING:
        return
    _WATCHING.append(True)
    astroid.MANAGER.register_transform(nodes.Module, _seen)


def built_whole(module: str, file: str, source: str) -> nodes.Module | None:
    """The cached tree of *module* if an import built it whole from *source*.

    Args:
        module: The module's dotted name.
        file: The file it was read from.
        source: The text the analysis read from *file*.
    """
    tree = astroid.MANAGER.astroid_cache.get(module)
    if tree is None or tree.file != os.path.abspath(file):  # noqa: PTH100 (as astroid)
        return None
    seen = _WHOLE.get(tree)
    if seen is None or seen != (_digest(source), _own_entries(tree)):
        return None
    return tree


@contextmanager
def own_entries_only(tree: nodes.Module) -> Iterator[None]:
    """*tree* without what other project modules' builds filed in it, meanwhile.

    Those entries are put back after, where they were (an entry the
    analysis itself added meanwhile is kept after them).
    """
    taken: list[tuple[dict[str, list[nodes.NodeNG]], str, list[nodes.NodeNG]]] = []
    for table, name, bound in _tables_with_foreign(tree):
        taken.append((table, name, bound))
        own = [node for node in bound if not _foreign(node, tree)]
        if own:
            table[name] = own
        else:
            del table[name]
    try:
        yield
    finally:
        for table, name, bound in reversed(taken):
            added = [node for node in table.get(name, ()) if node not in bound]
            table[name] = [*bound, *added]


def build_imported(tree: nodes.Module) -> None:
    """Build the project modules *tree* imports, and theirs, not built yet.

    Outside any inference budget, so none is left half-built by one. Each
    tree's imports are read once per process.
    """
    todo = [tree]
    while todo:
        current = todo.pop()
        if current in _SCANNED:
            continue
        _SCANNED.add(current)
        todo.extend(
            built
            for name in _project_imports(current)
            if (built := _module(name)) is not None
        )


def _project_imports(tree: nodes.Module) -> set[str]:
    """The project modules *tree* imports anywhere (a function's imports too).

    ``from package import name`` names the submodule ``package.name`` when
    the package does not define ``name`` itself.
    """
    found: set[str] = set()
    for node in _bound(tree, (nodes.Import, nodes.ImportFrom)):
        if isinstance(node, nodes.Import):
            found.update(name for name, _ in node.names if in_project(name))
            continue
        try:
            base = tree.relative_to_absolute_name(node.modname, node.level)
        except TooManyLevelsError:  # beyond the top package: inference fails too
            continue
        if not in_project(base):
            continue
        found.add(base)
        package = _module(base)
        if package is None or not package.package:
            continue
        found.update(
            f"{base}.{name}"
            for name, _ in node.names
            if name != "*" and name not in package.locals
        )
    found.discard(tree.name)
    return found


def _module(name: str) -> nodes.Module | None:
    """The tree of the module *name* (built now if not yet); None if none."""
    try:
        return astroid.MANAGER.ast_from_module_name(name)
    except Exception:  # noqa: BLE001 (not a module, or astroid cannot build it)
        return None


def _seen(tree: nodes.Module) -> None:
    """The last transform of *tree*: remember a project module's tree whole."""
    file = tree.file
    if (
        tree.file_bytes is not None  # built from a string (the analysis's own)
        or not file
        or not file.endswith(".py")
        or not in_project(str(tree.name))
    ):
        return
    try:
        # read back at once, as astroid read it (its encoding, universal newlines)
        with tokenize.open(file) as stream:
            text = stream.read()
    except (OSError, SyntaxError, UnicodeDecodeError):
        return
    _WHOLE[tree] = (_digest(text), _own_entries(tree))


def _own_entries(tree: nodes.Module) -> int:
    """How many names and bindings the scope tables of *tree* hold of its own.

    Entries that other project modules filed (:func:`_foreign`) do not
    count, nor a name only they bind.
    """
    total = 0
    for table in _tables(tree):
        for bound in table.values():
            own = sum(1 for node in bound if not _foreign(node, tree))
            total += own + (own > 0)
    return total


def _tables(tree: nodes.Module) -> Iterator[dict[str, list[nodes.NodeNG]]]:
    """The scope tables of *tree*: every scope's locals and instance attributes."""
    for scope in (tree, *_bound(tree, _SCOPES)):
        yield scope.locals
        attrs = getattr(scope, "instance_attrs", None)
        if attrs:
            yield attrs


def _tables_with_foreign(
    tree: nodes.Module,
) -> list[tuple[dict[str, list[nodes.NodeNG]], str, list[nodes.NodeNG]]]:
    """(table, name, its bindings) of the names other modules bound in *tree*."""
    return [
        (table, name, list(bound))
        for table in _tables(tree)
        for name, bound in table.items()
        if any(_foreign(node, tree) for node in bound)
    ]


def _foreign(node: nodes.NodeNG, tree: nodes.Module) -> bool:
    """Whether *node*, in one of *tree*'s tables, is another project module's.

    Nodes the brains synthesise (an enum member's ``name``) belong to no
    project module: they count as the tree's own.
    """
    root = node.root()
    return (
        root is not tree
        and isinstance(root, nodes.Module)
        and in_project(str(root.name))
    )


def _bound(
    tree: nodes.Module, kinds: tuple[type[nodes.NodeNG], ...]
) -> Iterator[nodes.NodeNG]:
    """The nodes of *kinds* that *tree*'s scopes bind, nested scopes' too.

    Every ``def``, ``class`` and import binds a name in the locals of the
    scope it runs in, so reading the scopes' tables finds them all without
    walking every node of the tree. Only *tree*'s own nodes count: not
    what another module filed in its tables.
    """
    stack: list[nodes.NodeNG] = [tree]
    seen: set[int] = set()
    while stack:
        scope = stack.pop()
        for bound in scope.locals.values():
            for node in bound:
                if id(node) in seen or node.root() is not tree:
                    continue
                seen.add(id(node))
                if isinstance(node, kinds):
                    yield node
                if isinstance(node, (nodes.ClassDef, nodes.FunctionDef)):
                    stack.append(node)


def _digest(text: str) -> bytes:
    return hashlib.blake2b(
        text.encode("utf-8", "surrogatepass"), digest_size=16
    ).digest()
