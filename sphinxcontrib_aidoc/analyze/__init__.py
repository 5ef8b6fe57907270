"""Analysis: Python source to :class:`~sphinxcontrib_aidoc.model.ObjectInfo`.

Two engines read the code; neither imports Sphinx, docutils, openai or
sqlite, and the analysed code is parsed, never imported or executed:

* ``engine="astroid"`` (the default, and what the Sphinx extension uses):
  astroid with inference, so unannotated parameters, return and yield
  values get inferred types, and ``ObjectInfo.calls`` lists what each
  object calls. Inference that takes more than ``infer_steps`` steps of
  work for one object gives one ``infer`` diagnostic and "unknown" types,
  the same on every machine; ``infer_timeout`` seconds is a wall-clock
  safety net whose diagnostic is marked transient (see
  :class:`~sphinxcontrib_aidoc.analyze._infer.Budget`).
* ``engine="ast"`` (what ``aidoc report`` uses by default): Python's
  ``ast`` module only, several times faster, and astroid is never imported.
  It gives the same records for everything that needs no inference and
  None ("unknown") where the astroid engine would infer; ``calls`` stays
  empty (the engine's module docstring lists what it does not see).

Bad input never raises: an unreadable or unparsable file gives a ``parse``
diagnostic (the same from both engines) and no objects.

Per-process cache: :func:`analyze_file` remembers its result per file, keyed
by (resolved path, mtime_ns, size, module, engine, limits, calls), so
analysing an unchanged file again is free (its diagnostics are reported
again). :func:`clear_cache` empties it. Results for a file can depend on
other files (inferred calls, base classes); edit those and call
:func:`clear_cache`.
"""

from __future__ import annotations

import ast
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sphinxcontrib_aidoc.analyze import _walk
from sphinxcontrib_aidoc.analyze._files import (
    python_files,
    read_source,
    report,
    report_parse,
    stamp,
)
from sphinxcontrib_aidoc.analyze._shallow import shallow_source
from sphinxcontrib_aidoc.diagnostics import Diagnostic, ListReporter, Reporter
from sphinxcontrib_aidoc.model import ObjectInfo

__all__ = [
    "DEFAULT_STEPS",
    "DEFAULT_TIMEOUT",
    "ENGINES",
    "SKIP_DIRS",
    "Engine",
    "analyze_file",
    "analyze_paths",
    "analyze_source",
    "clear_cache",
    "find_object",
    "module_name_for",
]

#: The analysis engines: astroid with inference, or Python's ast alone.
Engine = Literal["astroid", "ast"]
ENGINES: tuple[Engine, ...] = ("astroid", "ast")
#: Directory names :func:`analyze_paths` never descends into (besides hidden ones).
SKIP_DIRS = frozenset({"__pycache__", ".venv", "build"})

logger = logging.getLogger(__name__)

#: Wall-clock seconds of inference per object before the safety net trips.
DEFAULT_TIMEOUT = 10.0
#: Steps of inference work per object (see ``_infer.Budget``).
DEFAULT_STEPS = 20_000

#: How a file is analysed: (engine, infer_timeout, infer_steps, calls).
_Key = tuple[str, float, int, bool]
# (resolved path, module, *key) -> (mtime_ns, size, objects, diagnostics)
_Entry = tuple[int, int, tuple[ObjectInfo, ...], tuple[Diagnostic, ...]]
_CACHE: dict[tuple[str, str, str, float, int, bool], _Entry] = {}


def clear_cache() -> None:
    """Forget every result :func:`analyze_file` remembered in this process."""
    _CACHE.clear()


def analyze_source(
    source: str,
    *,
    module: str,
    file: str = "<string>",
    reporter: Reporter | None = None,
    infer_timeout: float = DEFAULT_TIMEOUT,
    infer_steps: int = DEFAULT_STEPS,
    calls: bool = True,
    engine: Engine = "astroid",
) -> list[ObjectInfo]:
    """Analyse Python *source* as module *module*.

    Args:
        source: The module's source text.
        module: Dotted module name; qualnames are ``f"{module}.{local}"``.
        file: Path shown in records and diagnostics; a real path lets astroid
            resolve relative imports of an importable project.
        reporter: Receives ``parse`` and ``infer`` diagnostics.
        infer_timeout: Wall-clock seconds of inference allowed per object
            (astroid; a safety net, see the module docstring).
        infer_steps: Steps of inference work allowed per object (astroid).
        calls: Resolve what each object calls (``ObjectInfo.calls``); False
            skips that inference, the costliest part (astroid).
        engine: ``"astroid"`` (inference) or ``"ast"`` (fast, no inference).

    Returns:
        One record per class, function, method and property, in line order;
        ``[]`` when the source does not parse.
    """
    key = _key(engine, infer_timeout, infer_steps, calls)
    tree = _parse(source, module, file, reporter, engine)
    if tree is None:
        return []
    return _build_records(
        tree, source, module=module, file=file, reporter=reporter, key=key
    )


def analyze_file(
    path: str | os.PathLike[str],
    *,
    module: str | None = None,
    reporter: Reporter | None = None,
    infer_timeout: float = DEFAULT_TIMEOUT,
    infer_steps: int = DEFAULT_STEPS,
    calls: bool = True,
    engine: Engine = "astroid",
) -> list[ObjectInfo]:
    """Analyse one Python file (cached per process while it is unchanged).

    Args:
        path: The ``.py`` file.
        module: Its dotted module name; by default :func:`module_name_for`.
        reporter: Receives ``parse`` and ``infer`` diagnostics.
        infer_timeout: Wall-clock seconds of inference allowed per object
            (astroid; a safety net, see the module docstring).
        infer_steps: Steps of inference work allowed per object (astroid).
        calls: Resolve what each object calls (see :func:`analyze_source`).
        engine: ``"astroid"`` (inference) or ``"ast"`` (fast, no inference).

    Returns:
        The file's records (see :func:`analyze_source`); ``[]`` when the file
        cannot be read, decoded or parsed.
    """
    resolved = Path(path).resolve()
    name = module if module is not None else module_name_for(resolved)
    key = _key(engine, infer_timeout, infer_steps, calls)
    return _analyze_file(resolved, name, reporter, key, None)


def analyze_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    reporter: Reporter | None = None,
    infer_timeout: float = DEFAULT_TIMEOUT,
    infer_steps: int = DEFAULT_STEPS,
    calls: bool = True,
    engine: Engine = "astroid",
) -> list[ObjectInfo]:
    """Analyse files and directory trees (``*.py``, recursively).

    Hidden directories and :data:`SKIP_DIRS` are skipped; module names come
    from :func:`module_name_for`. With astroid, every file is parsed before
    any is analysed, so imports between them resolve even when the project
    is not importable. A path that does not exist gives a ``parse``
    diagnostic.

    Args:
        paths: Files and directories.
        reporter: Receives ``parse`` and ``infer`` diagnostics.
        infer_timeout: Wall-clock seconds of inference allowed per object
            (astroid; a safety net, see the module docstring).
        infer_steps: Steps of inference work allowed per object (astroid).
        calls: Resolve what each object calls (see :func:`analyze_source`).
        engine: ``"astroid"`` (inference) or ``"ast"`` (fast, no inference).

    Returns:
        All records, sorted by file path, then line.
    """
    files: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.update(dict.fromkeys(python_files(path, SKIP_DIRS)))
        elif path.is_file():
            files[path.resolve()] = None
        else:
            where = str(path)
            report(
                reporter, Diagnostic("parse", f"cannot read {where}: not found", where)
            )
    key = _key(engine, infer_timeout, infer_steps, calls)
    names = {file: module_name_for(file) for file in sorted(files)}
    prepared: dict[Path, _Prepared] = {}
    if engine == "astroid":
        prepared = {
            file: _prepare(file, name, engine)
            for file, name in names.items()
            if _cached(file, name, key) is None
        }
    infos: list[ObjectInfo] = []
    for file, name in names.items():
        infos.extend(_analyze_file(file, name, reporter, key, prepared.get(file)))
    infos.sort(key=lambda i: (i.file, i.lineno, i.qualname))
    return infos


def module_name_for(path: str | os.PathLike[str]) -> str:
    """Dotted module name of *path*, walking up while packages continue.

    ``src/pkg/sub/mod.py`` is ``pkg.sub.mod`` when ``pkg`` and ``sub`` hold
    an ``__init__.py``; ``pkg/__init__.py`` is ``pkg``. A directory is named
    as its package. Namespace packages (no ``__init__.py``) end the walk.
    """
    resolved = Path(path).resolve()
    if resolved.is_dir():
        resolved /= "__init__.py"
    parts = [] if resolved.stem == "__init__" else [resolved.stem]
    directory = resolved.parent
    while (directory / "__init__.py").is_file() and directory.name:
        parts.append(directory.name)
        directory = directory.parent
    return ".".join(reversed(parts))


def find_object(infos: Iterable[ObjectInfo], qualname: str) -> ObjectInfo | None:
    """Return the record named *qualname*, or None."""
    return next((i for i in infos if i.qualname == qualname), None)


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A file read and parsed (an astroid tree is registered with its manager)."""

    stamp: tuple[int, int] | None  # (mtime_ns, size) before reading; None: no file
    source: str | None
    #: ``astroid.nodes.Module`` or ``ast.Module``, by engine; None if unparsable.
    tree: object | None
    diagnostics: tuple[Diagnostic, ...]


def _key(engine: Engine, infer_timeout: float, infer_steps: int, calls: bool) -> _Key:
    if engine not in ENGINES:
        msg = f"unknown analysis engine {engine!r} (choose from {', '.join(ENGINES)})"
        raise ValueError(msg)
    if engine == "ast":
        return engine, 0.0, 0, False  # no inference, no calls
    return engine, float(infer_timeout), int(infer_steps), calls


def _prepare(path: Path, module: str, engine: str) -> _Prepared:
    """Read and parse *path*."""
    collector = ListReporter()
    file_stamp = stamp(path)
    source = read_source(path, collector)
    tree = None
    if source is not None:
        tree = _parse(source, module, str(path), collector, engine)
    return _Prepared(file_stamp, source, tree, tuple(collector.diagnostics))


def _cached(path: Path, module: str, key: _Key) -> _Entry | None:
    """The cache entry for *path* if the file is unchanged since."""
    entry = _CACHE.get((str(path), module, *key))
    if entry is None or entry[:2] != stamp(path):
        return None
    return entry


def _analyze_file(
    path: Path,
    module: str,
    reporter: Reporter | None,
    key: _Key,
    prepared: _Prepared | None,
) -> list[ObjectInfo]:
    """Analyse *path* (resolved) through the per-process cache."""
    entry = _cached(path, module, key)
    if entry is None:
        ready = prepared or _prepare(path, module, key[0])
        collector = ListReporter()
        collector.diagnostics.extend(ready.diagnostics)
        infos: list[ObjectInfo] = []
        if ready.source is not None and ready.tree is not None:
            infos = _build_records(
                ready.tree,
                ready.source,
                module=module,
                file=str(path),
                reporter=collector,
                key=key,
            )
        entry = (*(ready.stamp or (-1, -1)), tuple(infos), tuple(collector.diagnostics))
        if ready.stamp is not None:
            _CACHE[(str(path), module, *key)] = entry
    for diagnostic in entry[3]:
        report(reporter, diagnostic)
    return list(entry[2])


def _parse(
    source: str, module: str, file: str, reporter: Reporter | None, engine: str
) -> object | None:
    """Parse *source* with *engine*; None (and a diagnostic) on failure.

    Code nested too deeply for the engine is cut out of the functions that
    hold it (:mod:`._shallow`), so the rest of the module is still analysed.
    """
    try:
        return _parse_with(source, module, file, reporter, engine)
    except RecursionError as exc:
        shallow = _shallow_retry(source, file, reporter, exc)
        if shallow is None:
            return None
        try:
            return _parse_with(shallow, module, file, reporter, engine)
        except RecursionError as again:
            report_parse(reporter, file, again)
            return None


def _parse_with(
    source: str, module: str, file: str, reporter: Reporter | None, engine: str
) -> object | None:
    if engine == "ast":
        return _walk.parse(source, file, reporter)
    from sphinxcontrib_aidoc.analyze import _astroid  # noqa: PLC0415 - see module doc

    return _astroid.build(source, module, file, reporter)


def _shallow_retry(
    source: str, file: str, reporter: Reporter | None, error: RecursionError
) -> str | None:
    """*source* with its too-deep code cut out (reported), or None."""
    shallow, cuts = shallow_source(source)
    if not cuts:
        report_parse(reporter, file, error)
        return None
    for cut in cuts:
        report(
            reporter,
            Diagnostic(
                "parse",
                f"{cut.name} in {file} holds code nested too deeply to analyse; "
                "it is documented from its signature only",
                f"{file}:{cut.lineno}",
            ),
        )
    return shallow


def _build_records(
    tree: object,
    source: str,
    *,
    module: str,
    file: str,
    reporter: Reporter | None,
    key: _Key,
) -> list[ObjectInfo]:
    """Build the records of every object in *tree* (parsed by ``key[0]``)."""
    try:
        return _records_from_tree(
            tree, source, module=module, file=file, reporter=reporter, key=key
        )
    except RecursionError as exc:
        shallow = _shallow_retry(source, file, reporter, exc)
        tree = None
        if shallow is not None:
            tree = _parse_with(shallow, module, file, reporter, key[0])
        if tree is None:
            return []
        return _records_from_tree(
            tree, source, module=module, file=file, reporter=reporter, key=key
        )


def _records_from_tree(
    tree: object,
    source: str,
    *,
    module: str,
    file: str,
    reporter: Reporter | None,
    key: _Key,
) -> list[ObjectInfo]:
    engine, timeout, steps, calls = key
    if engine == "ast":
        assert isinstance(tree, ast.Module)
        return _walk.analyze_tree(tree, source=source, module=module, file=file)
    from sphinxcontrib_aidoc.analyze import _astroid  # noqa: PLC0415 - see module doc

    return _astroid.walk(
        tree,
        source=source,
        module=module,
        file=file,
        reporter=reporter,
        timeout=timeout,
        steps=steps,
        calls=calls,
    )
