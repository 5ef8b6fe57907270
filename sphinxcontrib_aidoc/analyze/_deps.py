"""Which files a module's analysis depends on: its imports within its package.

Inference follows imports (a call into another module takes that module's
return type), so a stored analysis is kept while the module's own source
and the sources of the modules it imports within its top-level package are
unchanged. Editing one module then re-analyses that module and the modules
that import it, not the whole package.

Only direct imports count (with the packages they pass through): inference
rarely reaches further, and counting every module reachable through imports
makes any edit in a well-connected package re-analyse nearly all of it. A
type inferred through a chain of two imports can therefore stay stale until
one of the modules on the chain's near end changes; ``aidoc cache clear``
(or deleting the database) re-analyses everything.

An import of names (``from m import f, g``) depends on the part of ``m``
those names are: the definitions of ``f`` and ``g``, the module-level
definitions they name (to a fixed point), and every top-level statement
of ``m`` that is not a function or class definition (assignments, imports,
``if`` blocks: what binds the other names). A module bound to a name
(``from pkg import m``, ``import pkg.m as m``) that is only read as
``m.name`` depends likewise on the names read. Appending a function to a
module its neighbours import from then re-analyses only that module. A
module imported whole (``import m``, ``from m import *``, a module name
used other than by reading its attributes, a package passed through), or
one defining ``__getattr__``, counts with its whole text.
"""

from __future__ import annotations

import ast
import hashlib
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from sphinxcontrib_aidoc.analyze._files import python_files


@dataclass(frozen=True)
class ModuleFacts:
    """What the import graph reads of one module's source (one parse)."""

    #: Dotted names the module imports (``from m import n``: ``m`` and ``m.n``).
    imports: frozenset[str]
    #: Per module imported by ``from m import names`` only: the names.
    uses: dict[str, frozenset[str]]
    #: Per top-level function or class: the digest of its text and the
    #: module-level names it reads.
    defs: dict[str, tuple[str, frozenset[str]]]
    #: Digest of every other top-level statement; None: the whole text counts.
    rest: str | None


#: ``{file: (content digest, what it imports and defines)}``: files already parsed.
Parsed = dict[str, tuple[str, ModuleFacts]]

#: Directories never scanned for modules (as :data:`analyze.SKIP_DIRS`).
_SKIP = frozenset({"__pycache__", ".venv", "build"})


@dataclass
class ImportGraph:
    """The modules of one top-level package, their contents and imports."""

    digests: dict[str, str] = field(default_factory=dict)
    imports: dict[str, frozenset[str]] = field(default_factory=dict)
    facts: dict[str, ModuleFacts] = field(default_factory=dict)
    _prints: dict[str, str] = field(default_factory=dict)

    @classmethod
    def scan(cls, root: Path, top: str, known: Parsed | None = None) -> ImportGraph:
        """Read every module under *root*, the directory (or file) of *top*.

        *known* (``{file: (digest, imports)}``, updated here) spares parsing
        the files whose content has not changed since it was filled.
        """
        graph = cls()
        root = root.resolve()
        files = [root] if root.is_file() else list(python_files(root, _SKIP))
        parsed: Parsed = {} if known is None else known
        for file in files:
            try:
                data = file.read_bytes()
            except OSError:
                continue
            module = _module_name(file, root, top)
            digest = hashlib.sha256(data).hexdigest()
            graph.digests[module] = digest
            entry = parsed.get(str(file))
            if (
                entry is None
                or entry[0] != digest
                or not isinstance(entry[1], ModuleFacts)  # an older layout
            ):
                entry = parsed[str(file)] = (digest, _facts(data, module, file))
            graph.facts[module] = entry[1]
            graph.imports[module] = entry[1].imports
        return graph

    def closure(self, module: str) -> list[str]:
        """*module* and the modules of the package it imports."""
        seen = {module}
        for name in self.imports.get(module, ()):
            seen.update(c for c in _with_prefixes(name) if c in self.digests)
        return sorted(seen)

    def fingerprint(self, module: str) -> str:
        """Hash of what *module* uses of :meth:`closure` (names included).

        The module's own text, and of each module it imports the part it
        uses (see the module docstring).
        """
        value = self._prints.get(module)
        if value is None:
            uses = self.facts[module].uses if module in self.facts else {}
            digest = hashlib.sha256()
            for name in self.closure(module):
                part = self.digests.get(name, "")
                if name != module and name in uses:
                    part = self.interface(name, uses[name]) or part
                digest.update(f"{name}={part};".encode())
            value = self._prints[module] = digest.hexdigest()
        return value

    def interface(self, module: str, names: frozenset[str]) -> str | None:
        """Digest of the part of *module* that *names* are; None: all of it."""
        facts = self.facts.get(module)
        if facts is None or facts.rest is None:
            return None
        todo = sorted(names)
        seen: set[str] = set()
        while todo:
            name = todo.pop()
            if name in seen or name not in facts.defs:
                continue
            seen.add(name)
            todo.extend(facts.defs[name][1] - seen)
        digest = hashlib.sha256(f"rest={facts.rest};".encode())
        for name in sorted(seen):
            digest.update(f"{name}={facts.defs[name][0]};".encode())
        return "part:" + digest.hexdigest()


def _module_name(file: Path, root: Path, top: str) -> str:
    if root.is_file():
        return top
    parts = [top, *file.relative_to(root).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _with_prefixes(name: str) -> list[str]:
    """``a.b.c`` imports ``a``, ``a.b`` and ``a.b.c``."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _facts(data: bytes, module: str, file: Path) -> ModuleFacts:
    """The imports and top-level definitions of one module's source."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ModuleFacts(frozenset(), {}, {}, None)
    package = module if file.name == "__init__.py" else module.rpartition(".")[0]
    # (The walker's helpers load only here: a rebuild that reads the graph
    # kept in the environment parses nothing.)
    from sphinxcontrib_aidoc.analyze._nodes import walk  # noqa: PLC0415

    # Every node, walked once per top-level statement (the readers below
    # do not depend on the order); each definition's list is read again
    # for the names it reads.
    walks = [walk(node) for node in tree.body]
    every: list[ast.AST] = [tree]
    for nodes in walks:
        every.extend(nodes)
    found, named, whole, bases, bound = _imports(every, package)
    for local, attributes in _attribute_uses(every, set(bound)).items():
        for target in bound[local]:
            if attributes is None:
                whole.add(target)
            else:
                named.setdefault(target, set()).update(attributes)
    for name in bases:  # packages passed through run whole
        whole.update(_with_prefixes(name)[:-1])
    uses = {m: frozenset(n) for m, n in named.items() if m not in whole}
    defs, rest = _definitions(tree, walks, data.splitlines())
    return ModuleFacts(frozenset(found), uses, defs, rest)


_Imports = tuple[set[str], dict[str, set[str]], set[str], set[str], dict[str, set[str]]]


def _imports(every: list[ast.AST], package: str) -> _Imports:
    """What a module (*every* node of it) imports, in five parts.

    Every dotted name imported; per module, the names imported from it;
    the modules imported whole; the modules imported from; and the local
    names bound to what may be a module, with its dotted names.
    """
    found: set[str] = set()
    named: dict[str, set[str]] = {}
    whole: set[str] = set()
    bases: set[str] = set()
    #: Local names bound to what may be a module (``from pkg import m``,
    #: ``import pkg.m as m``): the module's dotted name.
    bound: dict[str, set[str]] = {}
    for node in every:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
            bases.update(alias.name for alias in node.names)
            for alias in node.names:
                if alias.asname:  # ``import pkg.m as m`` binds the module
                    bound.setdefault(alias.asname, set()).add(alias.name)
                else:  # ``import pkg.m`` binds ``pkg``: the module runs whole
                    whole.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = _from_base(node, package)
            if not base:
                continue
            found.add(base)
            bases.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
            # ``from m import n`` may import the submodule ``m.n``
            for alias in node.names:
                local = alias.asname or alias.name
                bound.setdefault(local, set()).add(f"{base}.{alias.name}")
            if any(alias.name == "*" for alias in node.names):
                whole.add(base)
            else:
                named.setdefault(base, set()).update(a.name for a in node.names)
    return found, named, whole, bases, bound


def _from_base(node: ast.ImportFrom, package: str) -> str:
    """The absolute module ``from <base> import ...`` names ("": none)."""
    base = node.module or ""
    if node.level:
        parts = package.split(".") if package else []
        keep = len(parts) - (node.level - 1)
        if keep < 0:
            return ""
        base = ".".join([*parts[:keep], *([base] if base else [])])
    return base


def _attribute_uses(
    every: list[ast.AST], names: set[str]
) -> dict[str, set[str] | None]:
    """Per name of *names*, the attributes read of it (``m.f``); None: other uses.

    A module bound to a name that is only read as ``name.attribute`` is used
    for those attributes only (as ``from m import attribute`` would); any
    other use of the name (passed on, rebound, deleted, ``global``) may
    reach anything in it.
    """
    found: dict[str, set[str] | None] = {name: set() for name in names}
    owners = {
        id(node.value): node.attr
        for node in every
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load)
    }
    for node in every:
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in set(node.names) & names:
                found[name] = None
        if not isinstance(node, ast.Name) or node.id not in names:
            continue
        attributes = found[node.id]
        attribute = owners.get(id(node))
        if attributes is None:
            continue
        if attribute is None or not isinstance(node.ctx, ast.Load):
            found[node.id] = None
        else:
            attributes.add(attribute)
    return found


def _definitions(
    tree: ast.Module, walks: list[list[ast.AST]], lines: list[bytes]
) -> tuple[dict[str, tuple[str, frozenset[str]]], str | None]:
    """Per top-level def/class: text digest and names read; the rest's digest.

    *walks* are the nodes of each top-level statement, *lines* the source's
    lines (``bytes.splitlines`` splits where the parser counts lines). A
    statement's text runs from its first decorator to its last line: moving
    it, or editing around it, changes no digest; editing it (a comment in
    it included) changes its own.
    """
    defs: dict[str, tuple[str, frozenset[str]]] = {}
    rest = hashlib.sha256()
    for node, nodes in zip(tree.body, walks, strict=True):
        first = min([node.lineno, *(d.lineno for d in _decorators(node))])
        text = b"\n".join(lines[first - 1 : node.end_lineno or node.lineno])
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if node.name == "__getattr__" or node.name in defs:
                return {}, None  # names resolved at run time; a redefinition
            reads = frozenset(n.id for n in nodes if isinstance(n, ast.Name))
            defs[node.name] = (hashlib.sha256(text).hexdigest(), reads)
        else:
            rest.update(text + b"\n")
    return defs, rest.hexdigest()


def _decorators(node: ast.stmt) -> list[ast.expr]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.decorator_list
    return []
