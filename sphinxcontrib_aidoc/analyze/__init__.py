"""Analysis: Python source to :class:`~sphinxcontrib_aidoc.model.ObjectInfo`.

Astroid only: nothing here imports Sphinx, docutils, openai or sqlite, and
the analysed code is parsed, never imported or executed. Bad input never
raises: an unreadable or unparsable file gives a ``parse`` diagnostic and no
objects, and inference that runs past ``infer_timeout`` seconds for one object
gives one ``infer`` diagnostic and "unknown" types.

Per-process cache: :func:`analyze_file` remembers its result per file, keyed
by (resolved path, mtime_ns, size, module, infer_timeout, calls), so analysing an
unchanged file again is free (its diagnostics are reported again).
:func:`clear_cache` empties it. Results for a file can depend on other files
(inferred calls, base classes); edit those and call :func:`clear_cache`.
"""

from __future__ import annotations

import io
import logging
import os
import tokenize
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import astroid  # type: ignore[import-untyped]  # astroid ships no py.typed
from astroid.builder import AstroidBuilder  # type: ignore[import-untyped]  # astroid ships no py.typed
from astroid.exceptions import AstroidSyntaxError  # type: ignore[import-untyped]  # astroid ships no py.typed

from sphinxcontrib_aidoc.analyze._objects import ModuleWalk
from sphinxcontrib_aidoc.diagnostics import Diagnostic, ListReporter, Reporter
from sphinxcontrib_aidoc.model import ObjectInfo

__all__ = [
    "SKIP_DIRS",
    "analyze_file",
    "analyze_paths",
    "analyze_source",
    "clear_cache",
    "find_object",
    "module_name_for",
]

logger = logging.getLogger(__name__)

#: Directory names :func:`analyze_paths` never descends into (besides hidden ones).
SKIP_DIRS = frozenset({"__pycache__", ".venv", "build"})

# (resolved path, module, timeout, calls) -> (mtime_ns, size, objects, diagnostics)
_Entry = tuple[int, int, tuple[ObjectInfo, ...], tuple[Diagnostic, ...]]
_CACHE: dict[tuple[str, str, float, bool], _Entry] = {}


def clear_cache() -> None:
    """Forget every result :func:`analyze_file` remembered in this process."""
    _CACHE.clear()


def analyze_source(
    source: str,
    *,
    module: str,
    file: str = "<string>",
    reporter: Reporter | None = None,
    infer_timeout: float = 2.0,
    calls: bool = True,
) -> list[ObjectInfo]:
    """Analyse Python *source* as module *module*.

    Args:
        source: The module's source text.
        module: Dotted module name; qualnames are ``f"{module}.{local}"``.
        file: Path shown in records and diagnostics; a real path lets astroid
            resolve relative imports of an importable project.
        reporter: Receives ``parse`` and ``infer`` diagnostics.
        infer_timeout: Seconds of inference allowed per object.
        calls: Resolve what each object calls (``ObjectInfo.calls``); False
            skips that inference, the costliest part (``aidoc report``).

    Returns:
        One record per class, function, method and property, in line order;
        ``[]`` when the source does not parse.
    """
    tree = _build(source, module, file, reporter)
    if tree is None:
        return []
    return _walk(
        tree,
        source=source,
        module=module,
        file=file,
        reporter=reporter,
        timeout=infer_timeout,
        calls=calls,
    )


def analyze_file(
    path: str | os.PathLike[str],
    *,
    module: str | None = None,
    reporter: Reporter | None = None,
    infer_timeout: float = 2.0,
    calls: bool = True,
) -> list[ObjectInfo]:
    """Analyse one Python file (cached per process while it is unchanged).

    Args:
        path: The ``.py`` file.
        module: Its dotted module name; by default :func:`module_name_for`.
        reporter: Receives ``parse`` and ``infer`` diagnostics.
        infer_timeout: Seconds of inference allowed per object.
        calls: Resolve what each object calls (see :func:`analyze_source`).

    Returns:
        The file's records (see :func:`analyze_source`); ``[]`` when the file
        cannot be read, decoded or parsed.
    """
    resolved = Path(path).resolve()
    name = module if module is not None else module_name_for(resolved)
    key = (float(infer_timeout), calls)
    return _analyze_file(resolved, name, reporter, key, None)


def analyze_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    reporter: Reporter | None = None,
    infer_timeout: float = 2.0,
    calls: bool = True,
) -> list[ObjectInfo]:
    """Analyse files and directory trees (``*.py``, recursively).

    Hidden directories and :data:`SKIP_DIRS` are skipped; module names come
    from :func:`module_name_for`. Every file is parsed before any is
    analysed, so imports between them resolve even when the project is not
    importable. A path that does not exist gives a ``parse`` diagnostic.

    Args:
        paths: Files and directories.
        reporter: Receives ``parse`` and ``infer`` diagnostics.
        infer_timeout: Seconds of inference allowed per object.
        calls: Resolve what each object calls (see :func:`analyze_source`).

    Returns:
        All records, sorted by file path, then line.
    """
    files: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.update(dict.fromkeys(_python_files(path)))
        elif path.is_file():
            files[path.resolve()] = None
        else:
            where = str(path)
            _report(
                reporter, Diagnostic("parse", f"cannot read {where}: not found", where)
            )
    key = (float(infer_timeout), calls)
    names = {file: module_name_for(file) for file in sorted(files)}
    prepared = {
        file: _prepare(file, name)
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
    """A file read and parsed (the tree is registered with astroid's manager)."""

    stamp: tuple[int, int] | None  # (mtime_ns, size) before reading; None: no file
    source: str | None
    tree: astroid.nodes.Module | None
    diagnostics: tuple[Diagnostic, ...]


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _prepare(path: Path, module: str) -> _Prepared:
    """Read and parse *path*."""
    collector = ListReporter()
    stamp = _stamp(path)
    source = _read_source(path, collector)
    tree = None if source is None else _build(source, module, str(path), collector)
    return _Prepared(stamp, source, tree, tuple(collector.diagnostics))


def _cached(path: Path, module: str, key: tuple[float, bool]) -> _Entry | None:
    """The cache entry for *path* if the file is unchanged since."""
    entry = _CACHE.get((str(path), module, *key))
    if entry is None or entry[:2] != _stamp(path):
        return None
    return entry


def _analyze_file(
    path: Path,
    module: str,
    reporter: Reporter | None,
    key: tuple[float, bool],
    prepared: _Prepared | None,
) -> list[ObjectInfo]:
    """Analyse *path* (resolved) through the per-process cache.

    *key* is ``(infer_timeout, calls)``.
    """
    entry = _cached(path, module, key)
    if entry is None:
        ready = prepared or _prepare(path, module)
        collector = ListReporter()
        collector.diagnostics.extend(ready.diagnostics)
        infos: list[ObjectInfo] = []
        if ready.source is not None and ready.tree is not None:
            infos = _walk(
                ready.tree,
                source=ready.source,
                module=module,
                file=str(path),
                reporter=collector,
                timeout=key[0],
                calls=key[1],
            )
        entry = (*(ready.stamp or (-1, -1)), tuple(infos), tuple(collector.diagnostics))
        if ready.stamp is not None:
            _CACHE[(str(path), module, *key)] = entry
    for diagnostic in entry[3]:
        _report(reporter, diagnostic)
    return list(entry[2])


def _build(
    source: str, module: str, file: str, reporter: Reporter | None
) -> astroid.nodes.Module | None:
    """Parse *source* into an astroid tree; None (and a diagnostic) on failure."""
    try:
        with warnings.catch_warnings():
            _quiet_compile_warnings()
            return AstroidBuilder(astroid.MANAGER).string_build(
                source, modname=module, path=None if file.startswith("<") else file
            )
    except AstroidSyntaxError as exc:
        _report_parse(reporter, file, exc.error)
    except Exception as exc:  # RecursionError on deep nesting; a brain plugin bug
        logger.debug("aidoc: cannot build %s", file, exc_info=True)
        _report_parse(reporter, file, exc)
    return None


def _walk(
    tree: astroid.nodes.Module,
    *,
    source: str,
    module: str,
    file: str,
    reporter: Reporter | None,
    timeout: float,
    calls: bool = True,
) -> list[ObjectInfo]:
    """Build the records of every object in *tree*."""
    walk = ModuleWalk(
        module=module,
        file=file,
        lines=source.splitlines(keepends=True),
        reporter=reporter,
        timeout=timeout,
        calls=calls,
    )
    with warnings.catch_warnings():
        _quiet_compile_warnings()  # astroid parses imported modules lazily
        return walk.run(tree)


def _python_files(root: Path) -> Iterator[Path]:
    """``*.py`` files under *root*, skipping hidden and build directories."""
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and d not in SKIP_DIRS
        )
        for filename in sorted(filenames):
            if filename.endswith(".py"):
                yield (Path(directory) / filename).resolve()


def _read_source(path: Path, reporter: Reporter) -> str | None:
    """The text of *path* decoded as Python does (PEP 263); None on failure."""
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        reporter.report(Diagnostic("parse", f"cannot read {where}: {_why(exc)}", where))
        return None
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        reporter.report(
            Diagnostic("parse", f"cannot parse {where}: {_why(exc)}", where)
        )
        return None


def _report_parse(reporter: Reporter | None, file: str, error: BaseException) -> None:
    lineno = getattr(error, "lineno", None)
    message = f"cannot parse {file}: {_why(error)}"
    if lineno:
        message += f" (line {lineno})"
    location = f"{file}:{lineno}" if lineno else file
    _report(reporter, Diagnostic("parse", message, location))


def _why(error: BaseException) -> str:
    """One line describing *error*."""
    if isinstance(error, SyntaxError) and error.msg:
        return error.msg
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    if isinstance(error, RecursionError):
        return "code nested too deeply to analyse"
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def _report(reporter: Reporter | None, diagnostic: Diagnostic) -> None:
    if reporter is not None:
        reporter.report(diagnostic)


def _quiet_compile_warnings() -> None:
    """Ignore warnings Python emits while *compiling* analysed code."""
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.filterwarnings("ignore", "invalid escape sequence", DeprecationWarning)
    warnings.filterwarnings("ignore", "invalid .* literal", DeprecationWarning)
