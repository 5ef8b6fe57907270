"""The project-wide pass in a build: one package at a time, kept by its key.

A build reads each module's records through
:func:`~.persist.analyze_file_kept`; the types the project pass
(:mod:`._project`) proves for one module depend on other modules (a
parameter typed by its call sites depends on the modules that call it, a
return type on the functions it calls). So the pass runs over the whole
top-level package at once, and its result is kept under a key of
everything it depends on:

* the name and content of every module of the package (a call site can be
  added or changed in any of them), and of every file of the project's
  tests directory when one sits beside the package (``pkg/../tests``, or
  ``src/pkg/../../tests``): tests are calls the maintainers wrote, which
  the pass reads as call sites (``aidoc generate --call-sites`` does the
  same), parsed with :mod:`ast` only;
* the analyser and its options (as the per-module key).

The per-module analyses keep their own keys (a module and what it
imports), so an edit re-analyses, with astroid, only what it touches; the
pass itself reads every module's stored records and parses the package
with :mod:`ast` again (no inference), which is what an edit costs beyond
that. What the pass reads of every node of a module (not only of its
functions: :mod:`._module_walks`) is kept per module in one row per
package, so an edit walks the edited module's nodes only. :attr:`PackageTypes.prints` gives, per module, a digest of what the
pass changed in it: a module's records are the same as last build while
its own key and its print are.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._deps import ImportGraph, Parsed, _module_name
from sphinxcontrib_aidoc.analyze._files import python_files
from sphinxcontrib_aidoc.analyze._pass_files import (
    SKIP,
    WALK_FORMAT,
    analyzer_fingerprint,
    find_tests_dir,
    signature,
)
from sphinxcontrib_aidoc.analyze._pass_files import (
    Signature as _Signature,
)
from sphinxcontrib_aidoc.gc_pause import gc_paused
from sphinxcontrib_aidoc.model import ObjectInfo

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sphinxcontrib_aidoc.analyze.persist import (
        AnalysisCache,
        BackgroundAnalyses,
        Job,
    )

#: Version of the stored pass payload's layout.
PASS_FORMAT = 1


@dataclass
class PackageTypes:
    """What the project pass changed in one package's records."""

    key: str
    #: The records the pass changed, by qualname.
    changed: dict[str, ObjectInfo] = field(default_factory=dict)
    #: Per module, a digest of its changed records (absent: nothing changed).
    prints: dict[str, str] = field(default_factory=dict)
    #: Whether every module's records were read (a complete pass is stored).
    complete: bool = True


class _Package:
    """The files of one package and its tests, and the key of the pass over them."""

    def __init__(
        self,
        root: Path,
        top: str,
        infer_steps: int,
        analyser: str,
        known: Parsed | None = None,
    ) -> None:
        self.root = root
        self.top = top
        self.analyser = analyser
        files = [root] if root.is_file() else sorted(python_files(root, SKIP))
        named = {_module_name(f, root, top): f for f in files}
        #: The package's modules: analysed (astroid) for the pass.
        self.modules = package_modules(root, top)
        #: Its test modules (``tests/`` inside it, ``test_*.py``): call sites only.
        self.inner_tests = {
            m: str(f) for m, f in named.items() if m not in self.modules
        }
        tests = find_tests_dir(root)
        self.tests = (
            [] if tests is None else sorted(python_files(tests.resolve(), SKIP))
        )
        self.graph = ImportGraph.scan(root, top, known)
        digest = hashlib.sha256()
        digest.update(f"pass {PASS_FORMAT} {analyser} {infer_steps};".encode())
        for module in sorted(self.graph.digests):
            digest.update(f"{module}={self.graph.digests[module]};".encode())
        for file in self.tests:
            digest.update(f"{file}={_digest(file)};".encode())
        self.key = "pass:" + digest.hexdigest()


#: The pass of each package root this process ran or loaded, with the
#: :func:`signature` of its files then.
_MEMO: dict[tuple[str, str, int], tuple[_Signature, PackageTypes]] = {}
#: The files and key of each package root this process read, likewise.
_PACKAGES: dict[tuple[str, str, int], tuple[_Signature, _Package]] = {}


def package_modules(root: Path, top: str) -> dict[str, Path]:
    """The modules of the package *top* at *root* the pass analyses (no tests).

    Listed from its files alone: nothing is parsed or imported.
    """
    files = [root] if root.is_file() else sorted(python_files(root, SKIP))
    named = {_module_name(f, root, top): f for f in files}
    return {m: f for m, f in named.items() if not _is_test(f, root)}


def _package(
    root: Path, top: str, infer_steps: int, known: Parsed | None
) -> tuple[_Signature, _Package]:
    """The package at *root* as its files are now (read once while unchanged)."""
    memo_key = (str(root), top, infer_steps)
    current = signature(root)
    kept = _PACKAGES.get(memo_key)
    if kept is None or kept[0] != current:
        package = _Package(root, top, infer_steps, analyzer_fingerprint(), known)
        kept = _PACKAGES[memo_key] = (current, package)
    return kept


def package_types(
    root: Path,
    top: str,
    *,
    cache: AnalysisCache,
    infer_timeout: float,
    infer_steps: int,
    known: Parsed | None = None,
    stored_keys: set[str] | None = None,
    held: Mapping[str, str] | None = None,
    pool: BackgroundAnalyses | None = None,
) -> PackageTypes:
    """The project pass over the package *top* at *root*: kept, loaded or run.

    Records of modules the store does not hold yet are analysed first in
    a child process (stored as the build stores them), so the build's
    process never imports astroid for them. *known* spares parsing files
    whose imports are known (see :meth:`~._deps.ImportGraph.scan`); the
    keys of the modules analysed here are added to *stored_keys*.
    *held* gives analyses this build holds but does not store (cut short
    by the wall clock): used, not redone. A pass that read such an
    analysis, or lacks a module's records, is not stored, so a busy build
    does not fix its gaps for the builds after it. The pass runs in
    *pool*'s worker processes when given (else in a child of its own).
    """
    root = root.resolve()
    memo_key = (str(root), top, infer_steps)
    current, package = _package(root, top, infer_steps, known)
    kept = _MEMO.get(memo_key)
    if kept is not None and kept[0] == current:
        return kept[1]
    found = _load(cache, package.key)
    if found is None:
        found, complete = _run(
            package, cache, infer_timeout, infer_steps, stored_keys, held or {}, pool
        )
        found.complete = complete
        if complete:
            _store(cache, package, found)
    _MEMO[memo_key] = (current, found)
    return found


def queue_pass(
    root: Path,
    top: str,
    *,
    cache: AnalysisCache,
    infer_steps: int,
    known: Parsed | None,
    held: Mapping[str, str] | None,
    pool: BackgroundAnalyses,
) -> None:
    """Queue the pass over the package in *pool*'s one worker, behind its modules.

    Called once every module the store lacks is queued there
    (:meth:`~.persist.BackgroundAnalyses.wait`): the worker runs the pass
    with the payloads it made itself for those and the stored ones for
    the rest, as soon as it is done with them. :func:`package_types` takes
    the result when the payloads it reads are those
    (:meth:`~.persist.BackgroundAnalyses.queued_pass`), else runs it again.
    Nothing is queued for a pass that is kept.
    """
    package = _unkept(root, top, cache, infer_steps, known)
    if package is None:
        return
    keys = _keys(package, infer_steps)
    inputs: dict[str, tuple[str, str | None]] = {}
    for module, file in package.modules.items():
        stored = _get(cache, keys[module])
        inputs[module] = (
            str(file),
            stored if stored is not None else (held or {}).get(keys[module]),
        )
    pool.queue(
        package.key,
        {module: stored for module, (_, stored) in inputs.items()},
        _pass_after_modules,
        inputs,
        _sites(package),
        _get(cache, _walks_key(package)),
    )


def _sites(package: _Package) -> dict[str, str]:
    """The package's modules read as call sites only: its tests."""
    from sphinxcontrib_aidoc.analyze import _site_modules  # noqa: PLC0415

    sites = dict(package.inner_tests)
    sites.update(_site_modules(package.tests, set(package.modules.values())))
    return sites


def _pass_after_modules(
    inputs: Mapping[str, tuple[str, str | None]],
    sites: Mapping[str, str],
    walks_payload: str | None,
) -> tuple[dict[str, bool], tuple[str, dict[str, str], str | None]]:
    """:func:`_typed_payloads` in a worker, over the payloads it made itself.

    A module given no payload reads the one this worker made for it, if
    any (else it is a call site only, as a module without records).
    Returns, per such module, whether it had one, and the pass's result.
    """
    from sphinxcontrib_aidoc.analyze.persist import made_payload  # noqa: PLC0415

    payloads: dict[str, tuple[str, str | None]] = {}
    used: dict[str, bool] = {}
    for module, (file, given) in inputs.items():
        payload = given
        if given is None:
            payload = made_payload(file, module)
            used[module] = payload is not None
        payloads[module] = (file, payload)
    return used, _pass_in_worker(payloads, sites, walks_payload)


def _pass_in_worker(
    payloads: Mapping[str, tuple[str, str | None]],
    sites: Mapping[str, str],
    walks_payload: str | None,
) -> tuple[str, dict[str, str], str | None]:
    """:func:`_typed_payloads` in a worker process, its garbage left uncollected.

    The pass allocates a few hundred thousand objects, most of them garbage
    once it returns; the collector, back on, would walk them all before the
    result is sent (0.03 s of tomlkit's first build, on its critical path).
    What is alive then is frozen out of collections instead, as an
    analysis's trees are (``persist._analyse_payload``): the garbage is
    kept until the worker ends, which in a build is soon after its pass.
    """
    with gc_paused():
        found = _typed_payloads(payloads, sites, walks_payload)
        gc.freeze()
    return found


def missing_jobs(
    root: Path,
    top: str,
    cache: AnalysisCache,
    infer_steps: int,
    known: Parsed | None = None,
) -> list[Job]:
    """The modules of the package the pass needs and the store does not hold.

    A build's pre-read asks for them once it has sent the modules its pages
    document: the pass alone reads these, so they are analysed without
    what their objects call (see :mod:`.persist`). *known* as for
    :func:`package_types`.
    """
    from sphinxcontrib_aidoc.analyze.persist import Job  # noqa: PLC0415 - cycle

    package = _unkept(root, top, cache, infer_steps, known)
    if package is None:
        return []  # the pass is kept: it needs nothing
    keys = _keys(package, infer_steps)
    return [
        Job(key=keys[m], module=m, path=f, calls=False)
        for m, f in package.modules.items()
        if _get(cache, keys[m]) is None
    ]


def _unkept(
    root: Path,
    top: str,
    cache: AnalysisCache,
    infer_steps: int,
    known: Parsed | None,
) -> _Package | None:
    """The package at *root*, unless its pass is kept (this process's, or stored)."""
    root = root.resolve()
    current, package = _package(root, top, infer_steps, known)
    kept = _MEMO.get((str(root), top, infer_steps))
    if (kept is not None and kept[0] == current) or _get(
        cache, package.key
    ) is not None:
        return None
    return package


def _keys(package: _Package, infer_steps: int) -> dict[str, str]:
    from sphinxcontrib_aidoc.analyze.persist import analysis_key  # noqa: PLC0415

    return {
        module: analysis_key(
            file,
            module,
            package=package.graph.fingerprint(module),
            infer_steps=infer_steps,
        )
        for module, file in package.modules.items()
    }


def _run(  # noqa: PLR0917 (private, called once)
    package: _Package,
    cache: AnalysisCache,
    infer_timeout: float,
    infer_steps: int,
    stored_keys: set[str] | None,
    held: Mapping[str, str],
    pool: BackgroundAnalyses | None = None,
) -> tuple[PackageTypes, bool]:
    """The pass's types, and whether every module's records came from *cache*.

    The modules the store lacks are analysed first, then the pass itself
    runs in a worker process too (*pool*'s, or one started here): it
    allocates a great deal that is garbage at once, which in the build's
    process would make its cyclic collector walk the whole environment
    again and again (a third of an edit's cost at 5,000 objects). Only the
    records it changed come back. A pool that cannot start runs the pass
    here.
    """
    from sphinxcontrib_aidoc.analyze.persist import (  # noqa: PLC0415 - cycle
        BackgroundAnalyses,
        Job,
        load,
    )

    keys = _keys(package, infer_steps)
    missing = [
        Job(key=keys[m], module=m, path=f)
        for m, f in package.modules.items()
        if keys[m] not in held and _get(cache, keys[m]) is None
    ]
    own = pool is None
    if pool is None:
        pool = BackgroundAnalyses(
            cache=cache,
            workers=1,
            infer_timeout=infer_timeout,
            infer_steps=infer_steps,
            stored_keys=stored_keys,
        )
    try:
        # (A build's pre-read has analysed them: see BackgroundAnalyses.)
        pool.submit(missing)
        pool.collect()
        payloads: dict[str, tuple[str, str | None]] = {}
        complete = True
        for module, file in package.modules.items():
            stored = _get(cache, keys[module])
            if stored is None:
                complete = False
                stored = held.get(keys[module])
            payloads[module] = (str(file), stored)
        # (Queued behind the modules: :func:`queue_pass`.)
        done = (
            None
            if own
            else pool.queued_pass(
                package.key,
                {module: stored for module, (_, stored) in payloads.items()},
            )
        )
        if done is None:
            sites = _sites(package)
            walks = _get(cache, _walks_key(package))
            done = pool.call(_pass_in_worker, payloads, sites, walks)
            if done is None:  # no worker: here
                done = _typed_payloads(payloads, sites, walks)
    finally:
        if own:
            pool.close()
    changed, prints, walked = done
    if walked is not None and complete:  # as the pass: a busy build keeps nothing
        with contextlib.suppress(Exception):  # a broken cache costs a walk
            cache.analysis_put(
                _walks_key(package),
                module=package.top,
                file=f"{package.root}#module-walks",  # one row per package
                payload=walked,
            )
    found = PackageTypes(package.key, prints=prints)
    loaded = load(changed)
    if loaded is not None:
        found.changed = {i.qualname: i for i in loaded[0]}
    return found, complete


@gc_paused()
def _typed_payloads(
    payloads: Mapping[str, tuple[str, str | None]],
    sites: Mapping[str, str],
    walks_payload: str | None,
) -> tuple[str, dict[str, str], str | None]:
    """The project pass over stored analyses (run in a worker process).

    *payloads* gives, per module, its file and stored analysis (None or
    unreadable: its calls still count, as a site). Returns the records the
    pass changed (dumped), each module's digest of them, and the module
    walks to keep (None when none was walked).
    """
    # (The walker and the pass are imported where the pass runs: a rebuild
    # that only checks the kept results never loads them.)
    from sphinxcontrib_aidoc.analyze._kept_syntax import forget  # noqa: PLC0415
    from sphinxcontrib_aidoc.analyze._module_walks import (  # noqa: PLC0415
        ModuleWalks,
        load_walks,
    )
    from sphinxcontrib_aidoc.analyze._project import project_types  # noqa: PLC0415
    from sphinxcontrib_aidoc.analyze.persist import dump  # noqa: PLC0415 - cycle

    records: list[ObjectInfo] = []
    all_sites: dict[str, str] = {}
    for module, (file, stored) in payloads.items():
        kept = _loaded(stored) if stored is not None else None
        if not kept:
            all_sites[module] = file  # its calls still count
        else:
            records.extend(kept)
    all_sites.update(sites)
    records.sort(key=lambda i: (i.file, i.lineno, i.qualname))
    walks = ModuleWalks(load_walks(walks_payload))
    try:
        typed = project_types(records, all_sites, walks)
    finally:
        forget()  # (the syntax trees kept that the pass did not read)
    changed: list[ObjectInfo] = []
    by_module: dict[str, list[ObjectInfo]] = {}
    for before, after in zip(records, typed, strict=True):
        if after is not before and after != before:
            changed.append(after)
            by_module.setdefault(after.module, []).append(after)
    prints = {}
    for module, found in by_module.items():
        text = json.dumps([i.to_json() for i in found], sort_keys=True)
        prints[module] = hashlib.sha256(text.encode()).hexdigest()
    return dump(changed, []), prints, walks.dump() if walks.walked else None


def _loaded(payload: str) -> list[ObjectInfo] | None:
    """The records of one module's stored analysis (None: unreadable).

    Those this worker made itself are taken as made (:func:`~.persist.taken`).
    """
    from sphinxcontrib_aidoc.analyze.persist import taken  # noqa: PLC0415 - cycle

    found = taken(payload)
    return None if found is None else found[0]


def _walks_key(package: _Package) -> str:
    """Where the package's :class:`~._module_walks.ModuleWalks` are kept.

    The analyser's fingerprint is part of it: walks a changed reader of the
    pass made are not read back.
    """
    where = f"{package.root}|{package.top}|{WALK_FORMAT}|{package.analyser}"
    return "walks:" + hashlib.sha256(where.encode()).hexdigest()


def _load(cache: AnalysisCache, key: str) -> PackageTypes | None:
    from sphinxcontrib_aidoc.analyze.persist import load  # noqa: PLC0415 - cycle

    stored = _get(cache, key)
    if stored is None:
        return None
    try:
        data = json.loads(stored)
        loaded = load(data["records"])
        prints = {str(k): str(v) for k, v in data["prints"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if loaded is None:
        return None
    return PackageTypes(key, {i.qualname: i for i in loaded[0]}, prints)


def _store(cache: AnalysisCache, package: _Package, found: PackageTypes) -> None:
    from sphinxcontrib_aidoc.analyze.persist import dump  # noqa: PLC0415 - cycle

    payload = json.dumps(
        {"records": dump(list(found.changed.values()), []), "prints": found.prints}
    )
    # A broken cache only costs a re-run.
    with contextlib.suppress(Exception):
        cache.analysis_put(
            found.key,
            module=package.top,
            file=f"{package.root}#project-pass",  # one row per package
            payload=payload,
        )


def _get(cache: AnalysisCache, key: str) -> str | None:
    try:
        return cache.analysis_get(key)
    except Exception:  # noqa: BLE001 (a broken cache only costs the re-analysis)
        return None


def _is_test(file: Path, root: Path) -> bool:
    """Whether *file* is a test module of the package at *root*."""
    if file == root:
        return False
    parts = file.relative_to(root).parts
    return (
        any(p in ("tests", "test") for p in parts[:-1])
        or file.name.startswith("test_")
        or file.name == "conftest.py"
    )


def _digest(file: Path) -> str:
    try:
        return hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError:
        return ""
