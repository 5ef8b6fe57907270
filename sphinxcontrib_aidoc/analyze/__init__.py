"""Analysis: Python source to :class:`~sphinxcontrib_aidoc.model.ObjectInfo`.

One walker (``analyze._walk``) reads the code's ``ast`` tree and asks an
inference oracle (``analyze._oracle``) what syntax cannot tell. Nothing here
imports Sphinx, docutils, openai or sqlite, and the analysed code is
parsed, never imported or executed. The *engine* chooses the oracle:

* ``engine="astroid"`` (the default, and what the Sphinx extension uses):
  the astroid oracle (``analyze._astroid``), so unannotated parameters, return
  and yield values get inferred types, and ``ObjectInfo.calls`` lists what
  each object calls. Inference that takes more than ``infer_steps`` steps
  of work for one object gives one ``infer`` diagnostic and "unknown"
  types, the same on every machine; ``infer_timeout`` seconds is a
  wall-clock safety net whose diagnostic is marked transient (see
  :class:`~sphinxcontrib_aidoc.analyze._infer.Budget`).
* ``engine="ast"`` (what ``aidoc report`` uses by default): no oracle,
  several times faster, and astroid is never imported. The records are the
  same for everything that needs no inference, and None ("unknown") where
  the oracle would infer; ``calls`` stays empty (``analyze._walk`` lists
  what it does not see).

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
import contextlib
import gc
import logging
import os
import sys
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypedDict

from sphinxcontrib_aidoc.analyze._files import (
    python_files,
    quiet_compile_warnings,
    read_source,
    report,
    report_parse,
    stamp,
)
from sphinxcontrib_aidoc.diagnostics import Diagnostic, ListReporter, Reporter
from sphinxcontrib_aidoc.limits import DEFAULT_STEPS, DEFAULT_TIMEOUT
from sphinxcontrib_aidoc.model import ObjectInfo

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from sphinxcontrib_aidoc.analyze._oracle import Oracle

__all__ = [
    "DEFAULT_STEPS",
    "DEFAULT_TIMEOUT",
    "ENGINES",
    "SKIP_DIRS",
    "Engine",
    "Options",
    "analyze_file",
    "analyze_paths",
    "analyze_source",
    "clear_cache",
    "find_object",
    "module_name_for",
    "release_trees",
]

#: The analysis engines: astroid with inference, or Python's ast alone.
Engine = Literal["astroid", "ast"]
ENGINES: tuple[Engine, ...] = ("astroid", "ast")
#: Directory names :func:`analyze_paths` never descends into (besides hidden ones).
SKIP_DIRS = frozenset({"__pycache__", ".venv", "build"})

logger = logging.getLogger(__name__)


class Options(TypedDict, total=False):
    """How to analyse; every key is optional.

    ``engine``: ``"astroid"`` (the default: inference) or ``"ast"`` (no
    inference, astroid never imported). ``infer_steps``: steps of inference
    work allowed per object. ``infer_timeout``: wall-clock seconds of
    inference per object, a safety net (see the module docstring).
    ``calls``: resolve what each object calls (``ObjectInfo.calls``); False
    skips that inference, the costliest part.
    """

    engine: Engine
    infer_steps: int
    infer_timeout: float
    calls: bool


#: How a file is analysed: (engine, infer_timeout, infer_steps, calls).
_Key = tuple[str, float, int, bool]
# (resolved path, module, *key) -> (mtime_ns, size, objects, diagnostics)
_Entry = tuple[int, int, tuple[ObjectInfo, ...], tuple[Diagnostic, ...]]
_CACHE: dict[tuple[str, str, str, float, int, bool], _Entry] = {}


def clear_cache() -> None:
    """Forget every result :func:`analyze_file` remembered in this process."""
    _CACHE.clear()


def release_trees(packages: Iterable[str]) -> int:
    """Forget astroid's trees of the modules of *packages*; return how many.

    astroid keeps every module it parsed (so that later modules can import
    it) until the process ends; once the analyses that needed them are
    done (and stored), this gives their memory back. A module analysed later
    parses what it imports again. The standard library's trees stay.
    """
    if "astroid" not in sys.modules:
        return 0  # the fast engine: nothing parsed by astroid
    import astroid  # type: ignore[import-untyped]  # noqa: PLC0415 - see module doc

    tops = set(packages)
    cache: dict[str, object] = astroid.MANAGER.astroid_cache
    names = [name for name in cache if name.partition(".")[0] in tops]
    for name in names:
        del cache[name]
    if names:
        _forget_where_modules_are(tops)
        _clear_astroid_caches()
        gc.collect()  # astroid trees are cycles (parents and children)
    return len(names)


def _forget_where_modules_are(tops: set[str]) -> None:
    """Drop astroid's lookups of the modules of *tops*, failed ones too.

    While a module's tree is cached, imports of it never look for its
    file; once released, they do, through astroid's lookup caches. Those
    remember a search that failed (the package was not on ``sys.path``
    then: analysed by file, as ``aidoc report`` does) whatever the path
    is now, so every later import of the package failed, and inference
    through it with it: a method inherited from another module was no
    longer found.
    """
    import astroid  # noqa: PLC0415 - see module doc

    # (Private to astroid, as the caches below: another layout skips them.)
    files = getattr(astroid.MANAGER, "_mod_file_cache", None)
    if isinstance(files, dict):
        for key in [k for k in files if str(k[0]).partition(".")[0] in tops]:
            del files[key]
    try:
        from astroid.interpreter._import import spec  # type: ignore[import-untyped]  # noqa: PLC0415
    except ImportError:  # another astroid layout
        return
    finders = getattr(spec, "_SPEC_FINDERS", ())
    for cached in (
        getattr(spec, "_find_spec", None),
        *(getattr(f, "find_module", None) for f in finders),
    ):
        with contextlib.suppress(AttributeError):
            cached.cache_clear()  # type: ignore[union-attr]


def _clear_astroid_caches() -> None:
    """Empty astroid's caches that hold nodes of any module (refilled lazily)."""
    # astroid ships no py.typed; these are the caches its manager clears.
    try:
        from astroid.constraint import clear_preceding_guards_cache  # type: ignore[import-untyped]  # noqa: PLC0415
        from astroid.context import _invalidate_cache  # type: ignore[import-untyped]  # noqa: PLC0415
        from astroid.inference_tip import clear_inference_tip_cache  # type: ignore[import-untyped]  # noqa: PLC0415
        from astroid.interpreter.objectmodel import ObjectModel  # type: ignore[import-untyped]  # noqa: PLC0415
        from astroid.nodes._base_nodes import LookupMixIn  # type: ignore[import-untyped]  # noqa: PLC0415
        from astroid.nodes.scoped_nodes import ClassDef  # type: ignore[import-untyped]  # noqa: PLC0415
    except ImportError:  # another astroid layout: the trees go when unused
        return

    clear_inference_tip_cache()
    clear_preceding_guards_cache()
    _invalidate_cache()
    for cached in (
        LookupMixIn.lookup,
        ObjectModel.attributes,
        ClassDef._metaclass_lookup_attribute,
    ):
        with contextlib.suppress(AttributeError):
            cached.cache_clear()


def analyze_source(
    source: str,
    *,
    module: str,
    file: str = "<string>",
    reporter: Reporter | None = None,
    **options: Unpack[Options],
) -> list[ObjectInfo]:
    """Analyse Python *source* as module *module*.

    Args:
        source: The module's source text.
        module: Dotted module name; qualnames are ``f"{module}.{local}"``.
        file: Path shown in records and diagnostics; a real path lets astroid
            resolve relative imports of an importable project.
        reporter: Receives ``parse`` and ``infer`` diagnostics.
        **options: How to analyse (:class:`Options`).

    Returns:
        One record per class, function, method and property, in line order;
        ``[]`` when the source does not parse.
    """
    key = _key(options)
    tree = _parse(source, module, file, reporter, key[0])
    if tree is None:
        return []
    return _build_records(tree, _Where(source, module, file, reporter, key))


def analyze_file(
    path: str | os.PathLike[str],
    *,
    module: str | None = None,
    reporter: Reporter | None = None,
    **options: Unpack[Options],
) -> list[ObjectInfo]:
    """Analyse one Python file (cached per process while it is unchanged).

    Args:
        path: The ``.py`` file.
        module: Its dotted module name; by default :func:`module_name_for`.
        reporter: Receives ``parse`` and ``infer`` diagnostics.
        **options: How to analyse (:class:`Options`).

    Returns:
        The file's records (see :func:`analyze_source`); ``[]`` when the file
        cannot be read, decoded or parsed.
    """
    resolved = Path(path).resolve()
    name = module if module is not None else module_name_for(resolved)
    key = _key(options)
    return _analyze_file(resolved, name, reporter, key, None)


def analyze_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    reporter: Reporter | None = None,
    call_sites: Iterable[str | os.PathLike[str]] = (),
    **options: Unpack[Options],
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
        call_sites: Files and directories that call the project without
            being documented (its tests): with astroid, parsed with Python's
            ``ast`` only, for the calls that type parameters without a
            default when every call agrees. No records come from them.
        **options: How to analyse (:class:`Options`).

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
    key = _key(options)
    names = {file: module_name_for(file) for file in sorted(files)}
    prepared: dict[Path, _Prepared] = {}
    if key[0] == "astroid":
        prepared = {
            file: _prepare(file, name, key[0])
            for file, name in names.items()
            if _cached(file, name, key) is None
        }
    infos: list[ObjectInfo] = []
    for file, name in names.items():
        infos.extend(_analyze_file(file, name, reporter, key, prepared.get(file)))
    infos.sort(key=lambda i: (i.file, i.lineno, i.qualname))
    if key[0] == "astroid":  # types proven across the project (never cached)
        # Modules without objects (an ``__init__`` of re-exports) still bind
        # names the project's calls go through.
        sites = {
            n: str(f) for f, n in names.items() if n not in {i.module for i in infos}
        }
        sites.update(_site_modules(call_sites, set(files)))
        from sphinxcontrib_aidoc.analyze._project import project_types  # noqa: PLC0415

        infos = project_types(infos, sites)
    return infos


def _site_modules(
    paths: Iterable[str | os.PathLike[str]], analysed: set[Path]
) -> dict[str, str]:
    """Module name to file of the ``*.py`` under *paths* not in *analysed*.

    Two files with one module name (``tests/a/test_x.py`` and
    ``tests/b/test_x.py`` without packages) both count: the second gets a
    name no import can spell.
    """
    found: dict[str, str] = {}
    for raw in paths:
        path = Path(raw)
        files = python_files(path, SKIP_DIRS) if path.is_dir() else [path.resolve()]
        for file in files:
            if file in analysed or not file.is_file():
                continue
            name = module_name_for(file)
            if name in found:
                name = f"{name}@{len(found)}"
            found[name] = str(file)
    return found


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


def _key(options: Options) -> _Key:
    engine = options.get("engine", "astroid")
    if engine not in ENGINES:
        msg = f"unknown analysis engine {engine!r} (choose from {', '.join(ENGINES)})"
        raise ValueError(msg)
    if engine == "ast":
        return engine, 0.0, 0, False  # no inference, no calls
    return (
        engine,
        float(options.get("infer_timeout", DEFAULT_TIMEOUT)),
        int(options.get("infer_steps", DEFAULT_STEPS)),
        bool(options.get("calls", True)),
    )


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
            where = _Where(ready.source, module, str(path), collector, key)
            infos = _build_records(ready.tree, where)
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
        from sphinxcontrib_aidoc.analyze import _walk  # noqa: PLC0415

        return _walk.parse(source, file, reporter)
    from sphinxcontrib_aidoc.analyze import _astroid  # noqa: PLC0415 - see module doc

    return _astroid.build(source, module, file, reporter)


def _shallow_retry(
    source: str, file: str, reporter: Reporter | None, error: RecursionError
) -> str | None:
    """*source* with its too-deep code cut out (reported), or None."""
    from sphinxcontrib_aidoc.analyze._shallow import shallow_source  # noqa: PLC0415

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


@dataclass(frozen=True, slots=True)
class _Where:
    """The module a tree was parsed from, and how to analyse it."""

    source: str
    module: str
    file: str
    reporter: Reporter | None
    key: _Key


def _build_records(tree: object, where: _Where) -> list[ObjectInfo]:
    """Build the records of every object in *tree* (parsed by ``key[0]``).

    Code too deep for the walk is cut out (and reported), then walked again.
    """
    try:
        return _records_from_tree(tree, where)
    except RecursionError as exc:
        shallow = _shallow_retry(where.source, where.file, where.reporter, exc)
    again = None
    if shallow is not None:
        again = _parse_with(
            shallow, where.module, where.file, where.reporter, where.key[0]
        )
    return [] if again is None else _records_from_tree(again, where)


def _records_from_tree(tree: object, where: _Where) -> list[ObjectInfo]:
    # The walker and the project pass load with the first analysis: reading
    # the import graph kept in the environment (``_deps``, ``_files``) and
    # the file checks of a rebuild need neither.
    from sphinxcontrib_aidoc.analyze import _walk  # noqa: PLC0415

    engine, timeout, steps, _ = where.key
    if engine != "astroid":
        return _walk_records(tree, None, where)
    from sphinxcontrib_aidoc.analyze import _astroid  # noqa: PLC0415 - see module doc
    from sphinxcontrib_aidoc.analyze._whole_trees import (  # noqa: PLC0415
        own_entries_only,
    )

    syntax = _walk.parse(where.source, where.file, where.reporter)
    if isinstance(syntax, ast.Module):  # (a worker's, for the pass behind it)
        from sphinxcontrib_aidoc.analyze._kept_syntax import keep  # noqa: PLC0415

        keep(where.file, where.source, syntax)
    # (What other modules' builds filed in the tree is not its code.)
    with own_entries_only(tree):
        oracle = _astroid.oracle_for(tree, syntax, timeout=timeout, steps=steps)
        return _walk_records(syntax, oracle, where)


def _walk_records(
    syntax: object, oracle: Oracle | None, where: _Where
) -> list[ObjectInfo]:
    """The records the walker reads from *syntax*, asking *oracle* (None: none)."""
    from sphinxcontrib_aidoc.analyze import _walk  # noqa: PLC0415

    if not isinstance(syntax, ast.Module):
        return []
    with warnings.catch_warnings():
        quiet_compile_warnings()  # astroid parses imported modules lazily
        args = (syntax, where.source, where.module, where.file)
        return _walk.analyze_tree(
            *args, oracle=oracle, reporter=where.reporter, calls=where.key[3]
        )
