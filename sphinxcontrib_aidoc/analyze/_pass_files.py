"""The files a package's project pass reads, and what keys its result.

Light on purpose: a rebuild with nothing changed checks, for each package,
that its files and the analyser are as they were at the last complete pass
(:func:`signature`, :func:`analyzer_fingerprint`) and imports nothing more
of the analyser (no pass, no walks, no process pool).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import platform
from pathlib import Path
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._files import python_files

if TYPE_CHECKING:
    from collections.abc import Iterator

#: Bump when what a module walk records (or how) changes
#: (:mod:`._module_walks`; here, so that keying the kept walks imports no walker).
WALK_FORMAT = 8
#: Directories whose files no pass reads.
SKIP = frozenset({"__pycache__", ".venv", "build"})

Signature = tuple[tuple[str, int, int], ...]


@functools.cache
def analyzer_fingerprint() -> str:
    """Hash of the analyser: its source, astroid's and Python's versions."""
    # The installed version, read without importing astroid (a rebuild that
    # analyses nothing still keys its kept results on it).
    try:
        astroid_version = importlib.metadata.version("astroid")
    except importlib.metadata.PackageNotFoundError:
        astroid_version = "missing"
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(f"astroid {astroid_version}".encode())
    digest.update(f"python {platform.python_version()}".encode())
    return digest.hexdigest()


def package_root(path: Path, module: str) -> Path:
    """Return the top-level package directory of *module* (or the file)."""
    depth = module.count(".") + (1 if path.name == "__init__.py" else 0)
    if depth == 0:
        return path
    return path.parents[depth - 1]


#: What projects name their tests directory, in the order they are looked for
#: (pytest and pluggy keep theirs in ``testing``).
TEST_DIRS = ("tests", "test", "testing")


def find_tests_dir(root: Path) -> Path | None:
    """The tests directory beside the package directory (or module) *root*.

    ``root/../tests`` (or ``test``, ``testing``), or for a ``src`` layout
    ``root/../../tests``.
    """
    parents = [root.parent]
    if root.parent.name == "src":
        parents.append(root.parent.parent)
    for parent in parents:
        for name in TEST_DIRS:
            if (parent / name).is_dir():
                return parent / name
    return None


#: While :func:`files_fixed` is active: the :func:`signature` of each root.
_FIXED: dict[Path, Signature] | None = None


@contextlib.contextmanager
def files_fixed() -> Iterator[None]:
    """Take each package's :func:`signature` once inside the block.

    For a caller that reads many modules of the same packages in a row (a
    build's pre-read asks for the pass once per module): the files are
    taken as they were at the first look, instead of listing and stating
    every file of the package for every module.
    """
    global _FIXED  # noqa: PLW0603 (one switch for the process)
    outer = _FIXED
    if outer is None:
        _FIXED = {}
    try:
        yield
    finally:
        if outer is None:
            _FIXED = None


def signature(root: Path) -> Signature:
    """Names, sizes and modification times of the files the pass reads."""
    fixed = _FIXED  # (read once: a build's analysis thread calls this too)
    if fixed is not None:
        kept = fixed.get(root)
        if kept is None:
            kept = fixed[root] = _signature(root)
        return kept
    return _signature(root)


def _signature(root: Path) -> Signature:
    files = [root] if root.is_file() else list(python_files(root, SKIP))
    tests = find_tests_dir(root)
    if tests is not None:
        files.extend(python_files(tests, SKIP))
    found: list[tuple[str, int, int]] = []
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            continue
        found.append((str(file), stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(found))
