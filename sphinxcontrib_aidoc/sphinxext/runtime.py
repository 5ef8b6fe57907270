"""The per-build object: everything aidoc holds for one build of one app.

:func:`runtime_of` is the one way from the Sphinx application to it: one
:class:`Runtime` per application, created on first use (``builder-inited``)
and dropped at ``build-finished`` (:func:`end_runtime`), so each build
starts afresh. It owns the open store, the analysed objects and drafts, the
scores, the call graph, the changelogs selected, how generated text is
rendered, and the pages sphinx-autoapi renders; nothing else in the
extension keeps state per application.

Plain data is inherited by ``-j N`` worker processes when Sphinx forks them,
so a batch generated in the main process before reading is served to every
worker without a database round trip. Connections are per process: a worker
that needs the store opens its own (``os.getpid()`` differs).

What a later, incremental build reuses does not live here but in the
environment, which Sphinx pickles: :class:`.AidocDomain` (the snapshots of
each document, the kept scores and the fingerprints of live pages).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sys
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.diagnostics import Diagnostic, Reporter
from sphinxcontrib_aidoc.sphinxext.deferred import Deferred
from sphinxcontrib_aidoc.sphinxext.members import (
    definition,
    is_external,
    safe_getattr,
    unwrap,
)
from sphinxcontrib_aidoc.sphinxext.progress import Stopwatch
from sphinxcontrib_aidoc.sphinxext.reporting import SphinxReporter
from sphinxcontrib_aidoc.sphinxext.settings import get_config
from sphinxcontrib_aidoc.store import Store, StoreError

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinxcontrib_aidoc.analyze._deps import ImportGraph, Parsed
    from sphinxcontrib_aidoc.changelog import Changelog, Query
    from sphinxcontrib_aidoc.config import AidocConfig
    from sphinxcontrib_aidoc.generate import Generator, Progress
    from sphinxcontrib_aidoc.model import Draft, ObjectInfo, ObjectSnapshot
    from sphinxcontrib_aidoc.quality import Score
    from sphinxcontrib_aidoc.search_index import Relation
    from sphinxcontrib_aidoc.sphinxext.ahead import ScoredAhead
    from sphinxcontrib_aidoc.sphinxext.members import MemberOptions
    from sphinxcontrib_aidoc.sphinxext.preread import Preparation
    from sphinxcontrib_aidoc.sphinxext.pycode_kept import KeptParses
    from sphinxcontrib_aidoc.sphinxext.quality import ScorePlan
    from sphinxcontrib_aidoc.sphinxext.rendering import Rendering
    from sphinxcontrib_aidoc.store import Review


#: The one registry of build state: the runtime of each application.
_RUNTIMES: weakref.WeakKeyDictionary[Sphinx, Runtime] = weakref.WeakKeyDictionary()


def runtime_of(app: Sphinx) -> Runtime:
    """Return the runtime of *app*'s current build (created on first use)."""
    runtime = _RUNTIMES.get(app)
    if runtime is None:
        config = get_config(app)
        runtime = Runtime(
            config=config, db_path=db_path_of(app), reporter=SphinxReporter()
        )
        _RUNTIMES[app] = runtime
    return runtime


def db_path_of(app: Sphinx) -> Path:
    """The database file of *app*: ``aidoc_db``, relative to the conf.py directory."""
    path = Path(get_config(app).db)
    return path if path.is_absolute() else Path(app.confdir) / path


def end_runtime(app: Sphinx) -> Runtime | None:
    """Forget *app*'s runtime (its build has finished); return it, if any."""
    return _RUNTIMES.pop(app, None)


@dataclass
class Runtime:
    """Everything aidoc keeps in memory during one build, in one process."""

    config: AidocConfig
    db_path: Path
    reporter: Reporter
    infos: dict[str, ObjectInfo] = field(default_factory=dict)
    drafts: dict[str, Draft] = field(default_factory=dict)
    modules: dict[str, bool] = field(default_factory=dict)
    store_error: str = ""
    #: Row id of this build in the ``builds`` table (main process only).
    build_id: int | None = None
    #: Documents (re)read in this build.
    read_docs: set[str] = field(default_factory=set)
    #: Documents forgotten in this build (removed, or about to be re-read).
    purged_docs: set[str] = field(default_factory=set)
    #: Modules named by the documents that failed to parse or import.
    failed_modules: set[str] = field(default_factory=set)
    #: Top-level packages of the project: what the documents name.
    project: set[str] = field(default_factory=set)
    #: Import graphs of package roots, read once per build.
    packages: dict[Path, ImportGraph] = field(default_factory=dict)
    #: What each file imports, by content (kept in the domain between builds).
    parsed_imports: Parsed = field(default_factory=dict)
    #: Sphinx's parses of module sources, kept in the database (the pre-read's).
    parses: KeptParses | None = None
    #: :meth:`analysis_print` of each module asked, once per build.
    _prints: dict[str, str | None] = field(default_factory=dict)
    #: Drafts made while reading, beyond the pre-read batch.
    late_drafts: int = 0
    #: Qualnames whose draft a page of this process used.
    shown_drafts: set[str] = field(default_factory=set)
    #: Where this process's time goes, by stage (``aidoc stats``).
    stopwatch: Stopwatch = field(default_factory=Stopwatch)
    #: Objects analysed in this process, and served from the analysis table.
    analysed: int = 0
    analysis_kept: int = 0
    #: Analysis keys stored by worker processes in this build (analysed, not kept).
    analysed_keys: set[str] = field(default_factory=set)
    #: Analyses a worker cut short by the wall clock in this build (key to
    #: payload): used by this build, never stored, never analysed again here.
    held_analyses: dict[str, str] = field(default_factory=dict)
    #: Every documented object's score, computed once (``quality.project_scores``).
    scores: list[tuple[Score, ObjectSnapshot]] | None = None
    #: The scores decided but not all made yet, some in a forked copy
    #: (``quality.score_apart``); taken by ``quality.project_scores``.
    scoring: ScorePlan | None = None
    #: Scores computed while waiting for the project pass (:mod:`.ahead`), by
    #: the name shown: taken when the inputs are equal (``ScoredAhead``).
    scored_ahead: dict[str, ScoredAhead] = field(default_factory=dict)
    #: The call graph among documented objects (``calls.relations``).
    relations: dict[str, Relation] | None = None
    #: Qualnames whose snapshot differs from the previous build's, when this
    #: build's snapshot was stored as a delta (``lifecycle.record_snapshot``).
    snapshot_delta: set[str] | None = None
    #: Changelogs selected in this build, by query, or why there is none.
    changelogs: dict[Query, Changelog | str] = field(default_factory=dict)
    #: How generated text is written, resolved once (``rendering``).
    rendering: Rendering | None = None
    #: ``{docname: snapshots}`` of the pages sphinx-autoapi renders.
    autoapi_pages: dict[str, list[ObjectSnapshot]] = field(default_factory=dict)
    #: The pre-read begun and not finished yet (a serial build reads the
    #: pages that show no object first): ``preread.finish_preparation``.
    preparation: Preparation | None = None
    #: Whether objects autodoc shows before the pre-read is finished wait
    #: for the end of reading instead of for it (``deferred.can_defer``).
    defer_fills: bool = False
    #: The objects waiting for the end of reading (:mod:`.deferred`).
    deferred: Deferred = field(default_factory=Deferred)
    #: The modules and classes whose members the pre-read listed (with the
    #: member options, under the configured ``autoclass_content``) and
    #: drafted: autodoc's reading of one lists nothing new (``autodoc``).
    members_drafted: set[tuple[str, MemberOptions]] = field(default_factory=set)
    _reviews: dict[str, Review] | None = None
    _store: Store | None = None
    _store_pid: int = 0
    _generator: Generator | None = None
    _generator_pid: int = 0

    # -- store ---------------------------------------------------------
    @property
    def store(self) -> Store | None:
        """The store of this process, opened lazily; None if it is unusable."""
        if self.store_error:
            return None
        if self._store is None or self._store_pid != os.getpid():
            try:
                self._store = Store.open(self.db_path)
            except StoreError as exc:
                self.store_error = str(exc)
                self.reporter.report(Diagnostic("db", str(exc), level="error"))
                self._store = None
                return None
            self._store_pid = os.getpid()
            if self._store.notice:  # a read-only file, used as a read-only cache
                self.reporter.report(Diagnostic("db", self._store.notice))
        return self._store

    def close(self) -> None:
        """Close this process's store connection and provider clients."""
        if self._generator is not None and self._generator_pid == os.getpid():
            self._generator.close()  # the batch API's connection
        if self._store is not None and self._store_pid == os.getpid():
            self._store.close()
        self._store = None

    @property
    def reviews(self) -> dict[str, Review]:
        """Review decisions by the name pages show (``aidoc review``), or {}."""
        if self._reviews is None:
            store = self.store
            try:
                self._reviews = store.reviews() if store is not None else {}
            except Exception:  # noqa: BLE001 (no reviews table: nobody reviewed)
                self._reviews = {}
        return self._reviews

    # -- generation ----------------------------------------------------
    @property
    def generator(self) -> Generator:
        """The generator of this process (provider clients are per process)."""
        if self._generator is None or self._generator_pid != os.getpid():
            # Imported here: a build that drafts nothing never loads them.
            from sphinxcontrib_aidoc.generate import Generator  # noqa: PLC0415
            from sphinxcontrib_aidoc.generate.select import (  # noqa: PLC0415
                select_provider,
            )

            store = self.store
            recorder = (
                functools.partial(store.record_call, self.build_id)
                if store is not None
                else None
            )
            self._generator = Generator(
                provider=select_provider(self.config, self.reporter, recorder),
                reporter=self.reporter,
                cache=store,
            )
            self._generator_pid = os.getpid()
        return self._generator

    def drop_drafts_ahead(self) -> None:
        """Forget the drafts made ahead (:mod:`.ahead`) that no batch took."""
        if self._generator is not None:
            self._generator.drop_ahead()

    def unanalysed(self, shown: list[tuple[str, object]], also: set[str]) -> list[str]:
        """The project modules defining *shown* objects not analysed yet, and *also*.

        *shown* holds (name a page shows, live object) pairs; the modules are
        where Python says each object is defined (see :meth:`resolve`).
        """
        found: set[str] = set(also)
        for name, obj in shown:
            self.project.add(name.partition(".")[0])
            where = definition(obj)
            if where is not None:
                found.add(where.module)
        return sorted(
            m for m in found if m not in self.modules and not self.is_external(m)
        )

    def analyse_modules(self, modnames: list[str]) -> None:
        """Analyse *modnames* (each once)."""
        for modname in modnames:
            self._analyse_module(modname)

    def draft_batch(
        self,
        infos: list[ObjectInfo],
        progress: Progress | None = None,
        *,
        late: bool = False,
    ) -> int:
        """Draft *infos* in one batch; return how many were new to this run.

        *late* batches are the ones autodoc's reading asked for beyond what
        the pre-read scan foresaw; they are counted apart.
        """
        count = self._draft(infos, progress)
        if late:
            self.late_drafts += count
        return count

    def lookup(
        self, name: str, module_hint: str | None, *, draft: bool = False
    ) -> ObjectInfo | None:
        """Return the analysed object recorded under *name*.

        Modules are analysed on first use (never drafted as a whole: only
        what a page shows is drafted); ``draft=True`` drafts the object
        found, unless a batch already did.
        """
        info = self.infos.get(name)
        if info is None:
            for modname in _candidate_modules(name, module_hint):
                if modname in self.modules or self.is_external(modname):
                    continue
                self._analyse_module(modname)
                info = self.infos.get(name)
                if info is not None:
                    break
        if info is not None and draft:
            self.draft_for(info)
        return info

    @property
    def documents_changed(self) -> bool:
        """Whether any document was read or removed in this build.

        When none was, nothing a page shows can have changed: sources are
        dependencies of the documents that show them, so an edited module
        makes Sphinx read its pages again.
        """
        return bool(self.read_docs or self.purged_docs)

    def defined(self, qualname: str, module: str) -> ObjectInfo | None:
        """Return the analysis of *qualname*, defined in *module* (or None).

        Only *module* is analysed: for names known to be defined there, such
        as a recorded object's ``__init__``.
        """
        info = self.infos.get(qualname)
        if info is None and module and module not in self.modules:
            if not self.is_external(module):
                self._analyse_module(module)
            info = self.infos.get(qualname)
        return info

    def resolve(self, name: str, obj: object) -> ObjectInfo | None:
        """Return the analysis of the object a page shows as *name*.

        The object is found where it is defined (a re-export ``pkg.dumps``
        of ``pkg._api.dumps``, an inherited method), from what Python says
        of the live object; objects defined outside the project (standard
        library, third-party packages) give None: aidoc neither analyses
        nor drafts them.
        """
        self.project.add(name.partition(".")[0])
        where = definition(obj)
        if where is not None:
            if self.is_external(where.module):
                return None
            info = self.infos.get(where.dotted)
            if info is None and where.module not in self.modules:
                self._analyse_module(where.module)
                info = self.infos.get(where.dotted)
            if info is not None:
                return info
        module = safe_getattr(unwrap(obj), "__module__")
        hint = module if isinstance(module, str) else None
        if hint is not None and self.is_external(hint):
            return None
        return self.lookup(name, hint)

    def is_external(self, module: str) -> bool:
        """Whether *module* is outside the project (see :func:`is_external`)."""
        if is_external(module, frozenset(self.project)):
            return True
        if self.project:
            return False
        return self.project_file(module) is None

    def project_file(self, module: str) -> Path | None:
        """The source file of *module* when it is the project's, else None.

        Without a known project (a rebuild that read no page), a module
        found nowhere or installed (``site-packages``) is not the project's.
        """
        if is_external(module, frozenset(self.project)):
            return None
        path = module_file(module)
        if path is None or (
            not self.project
            and any(part in ("site-packages", "dist-packages") for part in path.parts)
        ):
            return None
        return path

    def draft_for(self, info: ObjectInfo) -> Draft:
        """Return the draft of *info* for a page, generating it if no batch did.

        Drafts that pages used are counted in :attr:`shown_drafts`.
        """
        draft = self.drafts.get(info.qualname)
        if draft is None:
            self.late_drafts += self._draft([info])
            draft = self.drafts[info.qualname]
        self.shown_drafts.add(info.qualname)
        return draft

    def analyse_file(self, modname: str, path: Path) -> None:
        """Analyse *path* as module *modname*, once, without importing it.

        For modules another tool located (sphinx-autoapi reads files that
        need not be importable).
        """
        if modname in self.modules:
            return
        self.modules[modname] = True
        for info in self._analyse_file(path, modname):
            self.infos.setdefault(info.qualname, info)

    def _analyse_module(self, modname: str) -> None:
        if modname in self.modules:
            return
        path = module_file(modname)
        self.modules[modname] = path is not None
        if path is not None:
            for info in self._analyse_file(path, modname):
                self.infos.setdefault(info.qualname, info)

    def _analyse_file(self, path: Path, modname: str) -> list[ObjectInfo]:
        """Analyse one file, through the store's analysis table when it works."""
        # The analyser (and astroid) is imported when a build analyses.
        from sphinxcontrib_aidoc.analyze import analyze_file  # noqa: PLC0415
        from sphinxcontrib_aidoc.analyze.persist import analyze_file_kept  # noqa: PLC0415

        with self.stopwatch.timed("analyse"):
            store = self.store
            if store is None:
                infos = analyze_file(
                    path,
                    module=modname,
                    reporter=self.reporter,
                    infer_timeout=self.config.infer_timeout,
                    infer_steps=self.config.infer_steps,
                )
                self.analysed += len(infos)
                return infos
            self._analyse_in_child(path, modname, store)
            counted = _CountingCache(store, self.analysed_keys, self.held_analyses)
            infos = analyze_file_kept(
                path,
                module=modname,
                cache=counted,
                package=self._graph(path, modname).fingerprint(modname),
                reporter=self.reporter,
                infer_timeout=self.config.infer_timeout,
                infer_steps=self.config.infer_steps,
                project=True,
            )
        if counted.hit:
            self.analysis_kept += len(infos)
        else:
            self.analysed += len(infos)
        return infos

    def _analyse_in_child(self, path: Path, modname: str, store: Store) -> None:
        """Analyse a module the pre-read did not foresee in a child process.

        Its result goes to the store, where :meth:`_analyse_file` reads it:
        astroid is then never imported into the build's process, whose
        memory would keep its trees (and the import) to the end.
        """
        from sphinxcontrib_aidoc.analyze.persist import (  # noqa: PLC0415
            Job,
            analyse_in_processes,
            analysis_key,
            calls_analysed,
        )

        key = analysis_key(
            path,
            modname,
            package=self._graph(path, modname).fingerprint(modname),
            infer_steps=self.config.infer_steps,
        )
        held = self.held_analyses.get(key)
        if key in self.analysed_keys or (held is not None and calls_analysed(held)):
            return  # analysed by a child in this build (not for the pass only)
        analyse_in_processes(
            [Job(key=key, module=modname, path=path)],
            cache=store,
            workers=1,
            infer_timeout=self.config.infer_timeout,
            infer_steps=self.config.infer_steps,
            stored_keys=self.analysed_keys,
            project=True,
            held=self.held_analyses,
        )

    def _graph(self, path: Path, modname: str) -> ImportGraph:
        """The import graph of *modname*'s package (read once per build)."""
        from sphinxcontrib_aidoc.analyze._pass_files import (  # noqa: PLC0415
            package_root,
        )
        from sphinxcontrib_aidoc.analyze.persist import (  # noqa: PLC0415
            import_graph,
        )

        root = package_root(path, modname)
        graph = self.packages.get(root)
        if graph is None:
            graph = self.packages[root] = import_graph(
                root, modname, self.parsed_imports
            )
        return graph

    def analysis_print(self, modname: str) -> str | None:
        """The key of what *modname*'s analysis depends on; None if unknown.

        The module's source, the sources of the package modules it imports,
        the analyser and its options (``analyze.persist.analysis_key``): a
        result derived from the analysis alone (a score, the calls) and kept
        under this key stays right while the key is the same. Known without
        analysing or loading anything.
        """
        if modname not in self._prints:
            from sphinxcontrib_aidoc.analyze.persist import analysis_key  # noqa: PLC0415

            path = None if self.is_external(modname) else module_file(modname)
            self._prints[modname] = (
                None
                if path is None
                else analysis_key(
                    path,
                    modname,
                    package=self._graph(path, modname).fingerprint(modname),
                    infer_steps=self.config.infer_steps,
                )
            )
        return self._prints[modname]

    def _draft(self, infos: list[ObjectInfo], progress: Progress | None = None) -> int:
        todo = [i for i in infos if i.qualname not in self.drafts]
        if not todo:
            return 0
        with self.stopwatch.timed("draft"):
            self.drafts.update(self.generator.drafts(todo, progress=progress))
        return len(todo)


class _CountingCache:
    """The store's analysis table, remembering whether it had the result.

    Results a worker cut short in this build (*held*, never stored) are read
    from there.
    """

    def __init__(self, store: Store, fresh: set[str], held: dict[str, str]) -> None:
        self._store = store
        self._fresh = fresh
        self._held = held
        self.hit = False

    def analysis_get(self, key: str) -> str | None:
        found = self._store.analysis_get(key)
        if found is None and key in self._held:
            self.hit = False  # analysed in this build
            return self._held[key]
        # A result a worker stored in this build was analysed, not kept.
        self.hit = found is not None and key not in self._fresh
        return found

    def analysis_put(self, key: str, *, module: str, file: str, payload: str) -> None:
        self._store.analysis_put(key, module=module, file=file, payload=payload)


def module_file(modname: str) -> Path | None:
    """Return the ``.py`` file of *modname* without importing it if possible."""
    module = sys.modules.get(modname)
    filename = getattr(module, "__file__", None) if module is not None else None
    if filename is None:
        try:
            spec = importlib.util.find_spec(modname)
        except (ImportError, ValueError, AttributeError):
            return None
        filename = spec.origin if spec is not None else None
    if not filename or not filename.endswith(".py"):
        return None
    return Path(filename)


def _candidate_modules(name: str, module_hint: str | None) -> list[str]:
    parts = name.split(".")
    prefixes = [".".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]
    known = [p for p in prefixes if p in sys.modules]
    if module_hint and module_hint not in known:
        known.insert(0, module_hint)
    return known
