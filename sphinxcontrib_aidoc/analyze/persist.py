"""Analysis results kept between runs, so an unchanged project is not re-analysed.

astroid analysis is the slowest step of a build, and every build needs the
analysis of every documented module (quality scores, the search index,
cross-references), not only of the documents Sphinx re-reads. A result is
stored under a key of everything it depends on:

* the file's path, module name and content;
* the contents of the modules it imports, directly or not, within its
  top-level package (inference follows those imports; see
  :class:`~sphinxcontrib_aidoc.analyze._deps.ImportGraph`), so an edit
  re-analyses the edited module and the modules that import it, not the
  whole package; contents, not modification times, so a fresh CI checkout
  still hits;
* the analyser itself (a hash of the ``analyze`` package's source, the
  astroid and Python versions) and the analysis options.

A module no page documents is analysed for the project pass only: its
records' types and raised exceptions feed the pass, but what its objects
call (``ObjectInfo.calls``, the costliest part of an analysis) is read by
nothing, so a build's pre-read analyses it without (a :class:`Job` with
``calls`` off). Its payload says so (:func:`calls_analysed`): the pass takes
it like any other; a build that documents the module later analyses it
again, with its calls, and stores that instead.

The store is passed in as :class:`AnalysisCache` (the SQLite Store
implements it); this module never imports sqlite.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import multiprocessing
import multiprocessing.context
import pickle
import sys
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sphinxcontrib_aidoc.analyze import (
    DEFAULT_STEPS,
    DEFAULT_TIMEOUT,
    SKIP_DIRS,
    analyze_file,
)
from sphinxcontrib_aidoc.analyze._deps import ImportGraph, Parsed
from sphinxcontrib_aidoc.analyze._package_pass import (
    missing_jobs,
    package_types,
    queue_pass,
)
from sphinxcontrib_aidoc.analyze._pass_files import analyzer_fingerprint, package_root
from sphinxcontrib_aidoc.diagnostics import Diagnostic, ListReporter, Reporter
from sphinxcontrib_aidoc.gc_pause import gc_paused
from sphinxcontrib_aidoc.model import BodyFacts, ObjectInfo

_T = TypeVar("_T")

#: Version of the stored payload's layout.
PAYLOAD_FORMAT = 2


class AnalysisCache(Protocol):
    """Where analysis results are kept (``Store`` implements it)."""

    def analysis_get(self, key: str) -> str | None:
        """Return the payload stored under *key*, or None."""

    def analysis_put(self, key: str, *, module: str, file: str, payload: str) -> None:
        """Store *payload* under *key*."""


def import_graph(root: Path, module: str, known: Parsed | None = None) -> ImportGraph:
    """The import graph of the top-level package at *root* (of *module*).

    *known* keeps what each file imports between calls (see
    :meth:`ImportGraph.scan`), so unchanged files are not parsed again.
    """
    return ImportGraph.scan(root, module.partition(".")[0], known)


def package_fingerprint(root: Path) -> str:
    """Hash of the names and contents of every ``.py`` file under *root*."""
    digest = hashlib.sha256()
    files = [root] if root.is_file() else sorted(_python_files(root))
    for file in files:
        try:
            content = file.read_bytes()
        except OSError:
            continue
        digest.update(str(file.relative_to(root.parent)).encode())
        digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()


def _python_files(root: Path) -> list[Path]:
    found: list[Path] = []
    for child in root.iterdir():
        if child.is_dir():
            if child.name not in SKIP_DIRS and not child.name.startswith("."):
                found.extend(_python_files(child))
        elif child.suffix == ".py":
            found.append(child)
    return found


def analysis_key(path: Path, module: str, *, package: str, infer_steps: int) -> str:
    """Return the key of *path*'s analysis (see the module docstring)."""
    payload = {
        "file": str(path),
        "module": module,
        "package": package,
        "analyzer": analyzer_fingerprint(),
        "infer_steps": infer_steps,
        "format": PAYLOAD_FORMAT,
    }
    text = json.dumps(payload, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def dump(
    infos: list[ObjectInfo], diagnostics: list[Diagnostic], *, calls: bool = True
) -> str:
    """Serialise records (with their sources) and the diagnostics they gave.

    With *calls* off (records analysed without what their objects call),
    the payload starts by saying so (:func:`calls_analysed`).
    """
    return json.dumps(
        {
            **({} if calls else {"calls": False}),
            "format": PAYLOAD_FORMAT,
            "infos": [_kept(i) for i in infos],
            "diagnostics": [
                [d.subtype, d.message, d.location, d.level] for d in diagnostics
            ],
        },
        separators=(",", ":"),
    )


#: How the payload of an analysis made without calls begins (:func:`dump`).
_NO_CALLS = '{"calls":false,'


def calls_analysed(payload: str) -> bool:
    """Whether the records of *payload* say what their objects call.

    Not those of a module analysed for the project pass only (see the
    module doc): a build that shows the module analyses it again.
    """
    return not payload.startswith(_NO_CALLS)


def _kept(info: ObjectInfo) -> dict[str, Any]:
    """The JSON record of *info* with what it keeps out of JSON: source, body."""
    body = info.body.to_json() if info.body is not None else None
    return {**info.to_json(), "source": info.source, "body": body}


def load(payload: str) -> tuple[list[ObjectInfo], list[Diagnostic]] | None:
    """Read :func:`dump` output; None when it is unreadable or of another format."""
    try:
        data: dict[str, Any] = json.loads(payload)
        if data.get("format") != PAYLOAD_FORMAT:
            return None
        infos = [
            replace(
                ObjectInfo.from_json(item),
                source=str(item.get("source", "")),
                body=BodyFacts.from_json(item["body"]) if item.get("body") else None,
            )
            for item in data["infos"]
        ]
        diagnostics = [Diagnostic(*row) for row in data["diagnostics"]]
    except (ValueError, KeyError, TypeError):
        return None
    return infos, diagnostics


def analyze_file_kept(
    path: Path,
    *,
    module: str,
    cache: AnalysisCache,
    package: str,
    reporter: Reporter | None = None,
    infer_timeout: float = DEFAULT_TIMEOUT,
    infer_steps: int = DEFAULT_STEPS,
    project: bool = False,
) -> list[ObjectInfo]:
    """Analyse *path* (astroid), or return the stored result of an equal run.

    With *project*, the records carry the types proven across the module's
    whole package (:func:`~._package_pass.package_types`, kept under its
    own key: every module of the package and the tests beside it).

    *package* is the fingerprint of what the file's analysis depends on:
    ``import_graph(root, module).fingerprint(module)`` (callers build the
    graph once per package root and build), or :func:`package_fingerprint`
    of the whole package. The diagnostics of the
    original analysis are reported again, so a cached file that does not
    parse still says so. A result with a transient diagnostic (inference cut
    short by the wall clock, not by its step budget) is not stored, so a
    build on a busy machine does not fix its gaps for the builds after it.
    A cache that fails is skipped, never fatal.
    """
    # Types proven across the package (call sites, calls into the project),
    # asked first: the module's own look-up below is the cache's last.
    found = (
        package_types(
            package_root(path, module),
            module.partition(".")[0],
            cache=cache,
            infer_timeout=infer_timeout,
            infer_steps=infer_steps,
        )
        if project
        else None
    )
    key = analysis_key(path, module, package=package, infer_steps=infer_steps)
    stored = _get(cache, key)
    if stored is not None and not calls_analysed(stored):
        stored = None  # (analysed for the pass only: again, with its calls)
    loaded = taken(stored) if stored is not None else None
    if loaded is not None:
        infos, diagnostics = loaded
    else:
        collected = ListReporter()
        infos = analyze_file(
            path,
            module=module,
            reporter=collected,
            infer_timeout=infer_timeout,
            infer_steps=infer_steps,
        )
        diagnostics = collected.diagnostics
        if not any(d.transient for d in diagnostics):
            _put(cache, key, module, str(path), dump(infos, diagnostics))
    if reporter is not None:
        for diagnostic in diagnostics:
            reporter.report(diagnostic)
    if found is None:
        return infos
    return [_proven(found.changed.get(i.qualname), i) for i in infos]


def _proven(changed: ObjectInfo | None, own: ObjectInfo) -> ObjectInfo:
    """*own* record with the types the pass proved (*changed*), and its own calls.

    The pass changes no call: it may have read the module's analysis made
    without them (for the pass only), whose records it hands back as read.
    """
    if changed is None:
        return own
    return changed if changed.calls == own.calls else replace(changed, calls=own.calls)


#: Payloads whose records this process already has, by :func:`payload_digest`:
#: those an analysis worker made (the project pass, run in the same worker
#: once the modules are analysed, reads them), and those a waiting build
#: parsed ahead (:func:`read_ahead`). Each is taken once (:func:`taken`),
#: instead of parsing its JSON (``load(dump(infos))`` equals *infos*).
_PARSED: dict[bytes, tuple[list[ObjectInfo], list[Diagnostic]]] = {}


def payload_digest(payload: str) -> bytes:
    """A digest naming one payload (its records) in :data:`_PARSED`."""
    return hashlib.blake2b(payload.encode(), digest_size=16).digest()


def read_ahead(
    cache: AnalysisCache, keys: Iterable[str], *, until: Callable[[], bool]
) -> int:
    """Parse the analyses stored under *keys* before they are asked for.

    For a build waiting for its analysis child: the records of the modules
    already analysed are parsed while it waits, not once the project pass
    is back. :func:`analyze_file_kept` takes them (the same records as
    parsing then); :func:`drop_parsed` drops those never taken. Stops as
    soon as *until* says so; returns how many were parsed.
    """
    count = 0
    for key in keys:
        if until():
            break
        payload = _get(cache, key)
        if payload is not None:
            before = len(_PARSED)
            peek(payload)
            count += len(_PARSED) - before
    return count


def peek(payload: str) -> list[ObjectInfo] | None:
    """*payload*'s records, kept for :func:`taken` (parsed once); None if unreadable."""
    digest = payload_digest(payload)
    kept = _PARSED.get(digest)
    if kept is None:
        loaded = load(payload)
        if loaded is None:
            return None
        kept = _PARSED[digest] = loaded
    return kept[0]


def drop_parsed() -> None:
    """Drop the records kept for payloads and never taken."""
    _PARSED.clear()


def taken(payload: str) -> tuple[list[ObjectInfo], list[Diagnostic]] | None:
    """*payload*'s records and diagnostics: as this process has them, else parsed."""
    if _PARSED:
        kept = _PARSED.pop(payload_digest(payload), None)
        if kept is not None:
            return kept
    return load(payload)


def _get(cache: AnalysisCache, key: str) -> str | None:
    try:
        return cache.analysis_get(key)
    except Exception:  # noqa: BLE001 (a broken cache only costs the re-analysis)
        return None


def _put(cache: AnalysisCache, key: str, module: str, file: str, payload: str) -> None:
    # A broken cache only costs the re-analysis next time.
    with contextlib.suppress(Exception):
        cache.analysis_put(key, module=module, file=file, payload=payload)


@dataclass(frozen=True)
class Job:
    """One module to analyse in a worker process, and where its result goes."""

    key: str
    module: str
    path: Path
    #: Whether what the module's objects call is analysed too: off for a
    #: module the pass alone reads (see the module doc).
    calls: bool = True


def analyse_in_processes(
    jobs: list[Job],
    *,
    cache: AnalysisCache,
    workers: int,
    infer_timeout: float = DEFAULT_TIMEOUT,
    infer_steps: int = DEFAULT_STEPS,
    stored_keys: set[str] | None = None,
    project: bool = False,
    held: dict[str, str] | None = None,
) -> int:
    """Analyse independent modules in *workers* processes, into *cache*.

    The jobs of :class:`BackgroundAnalyses` given all at once; see there.

    Returns:
        The number of modules stored; their keys are added to *stored_keys*.
    """
    analyses = BackgroundAnalyses(
        cache=cache,
        workers=workers,
        infer_timeout=infer_timeout,
        infer_steps=infer_steps,
        stored_keys=stored_keys,
        project=project,
        held=held,
    )
    analyses.submit(jobs)
    return analyses.wait()


class AnalysesAborted(Exception):  # noqa: N818 (what happened, not a failure)
    """Raised in a thread waiting on analyses that :meth:`~BackgroundAnalyses.abort` stopped."""


class BackgroundAnalyses:
    """Modules analysed in worker processes while the caller goes on.

    With one worker, the analysis still runs in a child process: astroid's
    trees and caches live and die there, so the caller's peak memory does
    not carry them (a build holds only the records it reads back). Jobs are
    submitted as the caller learns of them (:meth:`submit`: a build submits
    the modules its pages name at once, and those defining re-exported
    objects once it has imported them) and analysed in that order, while
    the caller does its own work; :meth:`wait` collects them. A result with
    a transient diagnostic (inference cut short by the wall clock) is not
    stored; with *held*, it goes there (key to payload) for the caller to
    use in this run only, instead of analysing the module again in its own
    process.

    Each module's analysis depends only on its sources (the key says which),
    never on what else one process analysed, so a worker's result is the
    serial one. Results are stored exactly as :func:`analyze_file_kept`
    stores them (and not at all when a diagnostic is transient), so the
    caller then reads every module through :func:`analyze_file_kept` as
    usual, in its own order, with the same records, diagnostics and
    messages as a serial run. A pool that cannot start or a worker that
    dies leaves the remaining modules to that serial path.

    :meth:`wait` may run in another thread than the one that submitted (a
    serial build waits while Sphinx reads); :meth:`abort`, from any thread,
    stops it: the jobs not started are dropped, nothing more starts, and
    the waiting thread gets :class:`AnalysesAborted` (never a pass run in
    its own process instead).
    """

    def __init__(
        self,
        *,
        cache: AnalysisCache,
        workers: int,
        infer_timeout: float = DEFAULT_TIMEOUT,
        infer_steps: int = DEFAULT_STEPS,
        stored_keys: set[str] | None = None,
        project: bool = False,
        held: dict[str, str] | None = None,
        known: Parsed | None = None,
    ) -> None:
        self.cache = cache
        self.held = held
        #: What each file imports, shared with the caller's import graphs
        #: (see :meth:`~._deps.ImportGraph.scan`): the pass parses no file
        #: the build's pre-read already parsed.
        self.known = known
        #: Whether :meth:`wait` then runs the project pass over the packages
        #: of the jobs (their other modules analysed in the same pool).
        self.project = project
        self._roots: dict[Path, str] = {}
        self.workers = workers
        self.infer_timeout = infer_timeout
        self.infer_steps = infer_steps
        self.stored_keys = stored_keys
        self._pool: ProcessPoolExecutor | None = None
        self._broken = False
        self._aborted = False
        self._lock = threading.Lock()  # the pool, started or shut down once
        self._submitting = threading.Lock()  # each key submitted once
        self._pending: list[tuple[Job, Future[tuple[str, bool]]]] = []
        #: Each key submitted, and whether a job of it asked for calls.
        self._seen: dict[str, bool] = {}
        #: Analyses started before their keys were known (:meth:`prefetch`).
        self._early: dict[str, tuple[Path, Future[tuple[str, bool]]]] = {}
        #: Set while the waiting thread only awaits a worker's result: the
        #: caller's other threads then have this process to themselves.
        self.blocked = threading.Event()
        #: Each package's pass queued behind its modules (:meth:`queue_pass`),
        #: by the pass's key: the payloads it was given, and its future.
        self._queued: dict[str, tuple[dict[str, str | None], Future[Any]]] = {}
        #: The payload each module's job in the worker made, by module.
        self._made: dict[str, str] = {}
        #: Set once every module's result is in (:meth:`made` is complete),
        #: when the project pass is next, or when :meth:`wait` ends.
        self.modules_done = threading.Event()

    def prefetch(self, modules: dict[str, Path]) -> None:
        """Start analysing *modules* before their keys are known.

        For modules no analysis was ever kept for (a first build): the
        store cannot hold theirs, so they are analysed whatever their key,
        and the child starts at once instead of after the import graphs
        the keys need. :meth:`submit` then takes each one's result as its
        job's (the same module and file); one never claimed is dropped.
        """
        if self.workers < 1 or self._broken or not modules:
            return
        try:
            pool = self._start()
            for module, path in modules.items():
                if module not in self._early:
                    future = pool.submit(
                        _analyse_payload,
                        str(path),
                        module,
                        self.infer_timeout,
                        self.infer_steps,
                    )
                    self._early[module] = (path, future)
        except (OSError, BrokenProcessPool, RuntimeError):
            self._broken = True

    def submit(self, jobs: list[Job]) -> None:
        """Start analysing the *jobs* not stored yet (each key once).

        From any thread (the waiting one queues the packages' other modules).
        """
        with self._submitting:
            self._submit(jobs)

    def _submit(self, jobs: list[Job]) -> None:
        todo = [job for job in jobs if not self._had(job)]
        for job in jobs:
            self._seen[job.key] = self._seen.get(job.key, False) or job.calls
            self._roots.setdefault(package_root(job.path, job.module), job.module)
        if self.workers < 1 or not todo or self._broken:
            return
        try:
            pool = self._start()
            for job in todo:
                early = self._early.pop(job.module, None)
                # An early job analyses calls too: kept, unless the pass
                # alone reads the module and it has not started yet.
                if (
                    early is not None
                    and _same_file(early[0], job.path)
                    and (job.calls or not early[1].cancel())
                ):
                    self._pending.append((job, early[1]))
                    continue
                future = pool.submit(
                    _analyse_payload,
                    str(job.path),
                    job.module,
                    self.infer_timeout,
                    self.infer_steps,
                    job.calls,
                )
                self._pending.append((job, future))
        except (OSError, BrokenProcessPool, RuntimeError):
            self._broken = True  # the rest is analysed serially

    def _had(self, job: Job) -> bool:
        """Whether *job* is submitted or stored already (its calls if it asks)."""
        seen = self._seen.get(job.key)
        if seen is not None and (seen or not job.calls):
            return True
        stored = _get(self.cache, job.key)
        return stored is not None and (not job.calls or calls_analysed(stored))

    def wait(self) -> int:
        """Store every result as it comes; return how many modules were stored.

        The keys of those with calls are added to ``stored_keys``. The pool
        is shut down; a job that failed is left to the caller's serial path.
        """
        try:
            if self.project:
                # While the child analyses what the pages show: list the
                # packages' files (off the path from its last module to
                # the pass), queue their other modules behind, and each
                # package's pass behind those.
                self.submit(self._missing())
                self._queue_passes()
            stored = self.collect()
            if self.project:
                stored += self._project_pass()
        finally:
            self.modules_done.set()
            self.close()
        return stored

    def _missing(self) -> list[Job]:
        """The jobs' packages' modules the store lacks and no job analyses."""
        return [
            job
            for root, m in list(self._roots.items())
            for job in missing_jobs(
                root, m.partition(".")[0], self.cache, self.infer_steps, self.known
            )
            if job.key not in (self.held or {})
        ]

    def _queue_passes(self) -> None:
        """Queue each package's pass in the one worker, behind its modules.

        The worker then starts the pass as soon as it has analysed the last
        module, instead of once this process has stored every result and
        asked for it (0.1 s later on tomlkit's first build, the build's
        thread reading beside it). With more workers, a module may still be
        analysed in another one when the pass starts: nothing is queued.
        """
        if self.workers != 1 or self._broken:
            return
        for root, module in list(self._roots.items()):
            queue_pass(
                root,
                module.partition(".")[0],
                cache=self.cache,
                infer_steps=self.infer_steps,
                known=self.known,
                held=self.held,
                pool=self,
            )

    def queue(
        self,
        key: str,
        given: dict[str, str | None],
        function: Callable[..., Any],
        *args: object,
    ) -> None:
        """Queue *function* (a pass: see :func:`queued_pass`) under *key*.

        *given* is, per module, the payload handed to it (None: the one the
        worker makes for the module's job, if any).
        """
        if key in self._queued or self._aborted or self._broken:
            return
        try:
            self._queued[key] = (given, self._start().submit(function, *args))
        except (OSError, BrokenProcessPool, RuntimeError, AnalysesAborted):
            return  # asked for once the modules are stored, as without queueing

    def queued_pass(self, key: str, payloads: dict[str, str | None]) -> Any | None:  # noqa: ANN401 (the pass's own result)
        """The result of the pass queued under *key*, if it read *payloads*.

        *payloads* gives, per module, the payload the caller would hand to
        the pass now. A pass queued with other inputs (a job that failed,
        a file changed in between) is dropped: None, and the caller runs it
        again with its own.
        """
        queued = self._queued.pop(key, None)
        if queued is None:
            return None
        given, future = queued
        try:
            used, result = self._result(future)
        except CancelledError as exc:
            raise AnalysesAborted from exc
        except Exception:  # noqa: BLE001 (run again, where it raises as before)
            return None
        if given.keys() != payloads.keys():
            return None
        for module, payload in payloads.items():
            expected = given[module]
            if expected is None and used.get(module):
                expected = self._made.get(module)  # (the one it made itself)
            if payload != expected:
                return None
        return result

    def made(self) -> dict[str, str]:
        """The payload of each module the worker analysed so far, by module.

        Its records before the project pass (:func:`peek`): what a build
        waiting for the pass can work ahead with.
        """
        return dict(self._made)  # (a copy: the waiting thread adds to it)

    def _project_pass(self) -> int:
        """Analyse the jobs' packages' other modules, then run the pass on each.

        Returns how many modules were stored first.
        """
        packages = [(root, m.partition(".")[0]) for root, m in self._roots.items()]
        # Listed again (:meth:`wait` listed them as it started): the build may
        # have submitted jobs of other packages since; each key runs once.
        self.submit(self._missing())
        stored = self.collect()
        self.modules_done.set()
        for root, top in packages:
            package_types(
                root,
                top,
                cache=self.cache,
                infer_timeout=self.infer_timeout,
                infer_steps=self.infer_steps,
                known=self.known,
                held=self.held,
                pool=self,
            )
        return stored

    def call(self, function: Callable[..., _T], *args: object) -> _T | None:
        """*function* called in a worker process; None if no worker can run it.

        For work that allocates much and returns little (the project pass):
        the caller's collector never sees its garbage. An exception raised
        by *function* is raised here.
        """
        if self._aborted:
            raise AnalysesAborted
        if self.workers < 1 or self._broken:
            return None
        try:
            future = self._start().submit(function, *args)
            return self._result(future)
        except (
            OSError,
            BrokenProcessPool,
            RuntimeError,
            pickle.PicklingError,
            CancelledError,
        ) as exc:
            if self._aborted:
                raise AnalysesAborted from exc
            self._broken = True
            return None

    def _start(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._aborted:
                raise AnalysesAborted
            if self._pool is None and self.workers == 1:
                self._pool = take_early()
            if self._pool is None:
                # A forked worker freezes what it inherits (the build's
                # environment and doctrees): its collections never walk
                # them, nor copy their pages (0.43 -> 0.30 s CPU per edit
                # at 5,000 objects).
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=_context(),
                    initializer=gc.freeze,
                )
            return self._pool

    def collect(self) -> int:
        """Store the results of every job submitted so far; return how many.

        A job that failed is left to the caller's serial path.
        """
        stored = 0
        pending, self._pending = self._pending, []
        try:
            for job, future in pending:
                payload, transient = self._result(future)
                self._made[job.module] = payload
                if not transient:
                    _put(self.cache, job.key, job.module, str(job.path), payload)
                    stored += 1
                    if self.stored_keys is not None and calls_analysed(payload):
                        self.stored_keys.add(job.key)
                elif self.held is not None:
                    self.held[job.key] = payload
        except CancelledError as exc:
            raise AnalysesAborted from exc  # (only abort() cancels)
        except (OSError, BrokenProcessPool):
            self._broken = True  # the rest is analysed serially
        return stored

    def _result(self, future: Future[_T]) -> _T:
        """*future*'s result, :attr:`blocked` set while it is awaited."""
        self.blocked.set()
        try:
            return future.result()
        finally:
            self.blocked.clear()

    def close(self) -> None:
        """Shut the pool down, dropping jobs not started."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def abort(self) -> None:
        """Stop for good: drop the jobs not started, start nothing more.

        Returns once the jobs running have ended (as :meth:`close`).
        """
        with self._lock:
            self._aborted = self._broken = True
        self.close()


#: The analysis child started early (:func:`start_early`), and the
#: ``sys.path`` it was started with.
_EARLY: list[tuple[ProcessPoolExecutor, tuple[str, ...]]] = []


def start_early() -> None:
    """Start the one analysis child now; it builds astroid's first trees.

    For a build about to analyse a whole project (a first build): the
    child starts while Sphinx reads its configuration and finds its
    documents, and builds the trees every analysis reads first
    (``_astroid_scope.bootstrap``); :class:`BackgroundAnalyses` with one
    worker takes it (:func:`take_early`) instead of starting its own.
    """
    drop_early()
    try:
        pool = ProcessPoolExecutor(
            max_workers=1, mp_context=_context(), initializer=gc.freeze
        )
        pool.submit(_warm_engine)
    except (OSError, RuntimeError):
        return  # the build starts its child when it needs one, as before
    _EARLY.append((pool, tuple(sys.path)))


def take_early() -> ProcessPoolExecutor | None:
    """The child :func:`start_early` started, if its ``sys.path`` still holds.

    A child imports the project's modules by ``sys.path`` as it was when
    it forked: one forked before the path changed is shut down instead.
    """
    if not _EARLY:
        return None
    pool, path = _EARLY.pop()
    if path == tuple(sys.path):
        return pool
    pool.shutdown(wait=False, cancel_futures=True)
    return None


def drop_early() -> None:
    """Shut down a child started early and never taken (nothing to analyse)."""
    while _EARLY:
        pool, _ = _EARLY.pop()
        pool.shutdown(wait=False, cancel_futures=True)


def _warm_engine() -> None:
    """In the child started early: import astroid, build its first trees."""
    from sphinxcontrib_aidoc.analyze import _astroid, _astroid_scope  # noqa: PLC0415

    del _astroid  # (imported for astroid and its brain plugins)
    with gc_paused():
        _astroid_scope.install()
        _astroid_scope.bootstrap()
        gc.freeze()


def _same_file(first: Path, second: Path) -> bool:
    """Whether two paths name one file."""
    return first == second or first.resolve() == second.resolve()


def _context() -> multiprocessing.context.BaseContext:
    """Fork where it exists (workers inherit ``sys.path``, as Sphinx's do)."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def _analyse_payload(
    path: str, module: str, infer_timeout: float, infer_steps: int, calls: bool = True
) -> tuple[str, bool]:
    """Analyse one file in a worker: its stored payload, and whether transient.

    Without *calls*, what its objects call is not analysed (see the module
    doc), and the payload says so.

    The worker's cyclic collector never walks what the analysis builds:
    it is paused while the file is analysed, and what is alive then is
    frozen out of later collections (:func:`gc.freeze`, as the worker
    froze what it inherited). Nearly all of it is astroid's trees, of
    this module and of those its inference imported, which the worker
    keeps to its end for the modules analysed after (and so walked again
    by every collection): on tomlkit, click and jinja2, the collector was
    6-8% of the analysis with a build's thresholds, a third with
    Python's. What the analysis leaves as cyclic garbage (a few thousand
    objects per module) is kept until the worker ends.
    """
    from sphinxcontrib_aidoc.analyze._kept_syntax import keeping  # noqa: PLC0415

    collected = ListReporter()
    with gc_paused(), keeping():  # (its syntax tree, for the pass behind)
        infos = analyze_file(
            Path(path),
            module=module,
            reporter=collected,
            infer_timeout=infer_timeout,
            infer_steps=infer_steps,
            calls=calls,
        )
        gc.freeze()  # before the collector is back, which would walk it all once
    diagnostics = collected.diagnostics
    payload = dump(infos, diagnostics, calls=calls)
    _PARSED[payload_digest(payload)] = (infos, diagnostics)
    _MADE[module] = (path, payload)
    return payload, any(d.transient for d in diagnostics)


#: In a worker: the payload it made for each module (:func:`_analyse_payload`),
#: and the file it analysed, for a pass queued behind (:func:`made_payload`).
_MADE: dict[str, tuple[str, str]] = {}


def made_payload(file: str, module: str) -> str | None:
    """The payload this worker made for *module* from *file*, if it did."""
    made = _MADE.get(module)
    if made is None or not _same_file(Path(made[0]), Path(file)):
        return None
    return made[1]
