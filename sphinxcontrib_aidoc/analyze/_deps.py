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
"""

from __future__ import annotations

import ast
import hashlib
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from sphinxcontrib_aidoc.analyze._files import python_files

#: ``{file: (content digest, names imported)}``: files already parsed.
Parsed = dict[str, tuple[str, frozenset[str]]]

#: Directories never scanned for modules (as :data:`analyze.SKIP_DIRS`).
_SKIP = frozenset({"__pycache__", ".venv", "build"})


@dataclass
class ImportGraph:
    """The modules of one top-level package, their contents and imports."""

    digests: dict[str, str] = field(default_factory=dict)
    imports: dict[str, frozenset[str]] = field(default_factory=dict)
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
            if entry is None or entry[0] != digest:
                entry = parsed[str(file)] = (
                    digest,
                    frozenset(_imports(data, module, file)),
                )
            graph.imports[module] = entry[1]
        return graph

    def closure(self, module: str) -> list[str]:
        """*module* and the modules of the package it imports."""
        seen = {module}
        for name in self.imports.get(module, ()):
            seen.update(c for c in _with_prefixes(name) if c in self.digests)
        return sorted(seen)

    def fingerprint(self, module: str) -> str:
        """Hash of the contents of :meth:`closure` (names included)."""
        value = self._prints.get(module)
        if value is None:
            digest = hashlib.sha256()
            for name in self.closure(module):
                digest.update(f"{name}={self.digests.get(name, '')};".encode())
            value = self._prints[module] = digest.hexdigest()
        return value


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


def _imports(data: bytes, module: str, file: Path) -> set[str]:
    """Dotted names a module imports (``from m import n`` gives ``m`` and ``m.n``)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    package = module if file.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".") if package else []
                keep = len(parts) - (node.level - 1)
                if keep < 0:
                    continue
                base = ".".join([*parts[:keep], *([base] if base else [])])
            if not base:
                continue
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found
