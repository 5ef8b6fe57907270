"""The pre-read: what the documents to read show, analysed and drafted in one batch.

At ``env-before-read-docs`` (main process, before ``-j N`` workers fork),
:func:`prepare` reads the documents once for their ``auto*`` directives
(:func:`~.scan.read_pages`), starts analysing the ``automodule`` targets in
a child process (more with ``-j N`` and cores to spare:
:func:`~.analysis_jobs.analysis_workers`) and, while it analyses them, imports
them and walks their members (:func:`~.scan.scan`, on another core); the
modules defining the objects found there (re-exports) follow. What is left,
the :class:`Preparation` (wait for the analyses, read them, draft in one
batch everything the pages will show), is done:

* under ``-j N``, at once: the workers fork after this event and need the
  drafts;
* in a serial build, when first needed (:func:`finish_preparation`): the
  documents naming no ``auto*`` directive are read first, while the child
  analyses, and the preparation is finished at the ``source-read`` of the
  first document that does, or earlier by any handler that needs an
  analysis or a draft (``autodoc-process-docstring``: an object shown
  through ``.. include::`` or a directive the scan does not know), or at
  ``env-updated`` when no document needed it. Nothing else a page does
  while it is read depends on it (aidoc's directives leave placeholders,
  filled when every document is read).

While the preparation waits for the child, the build does work it would
do later anyway, into the caches Sphinx reads: it parses the modules
autodoc will read (:mod:`~.pycode_cache`), compiles the HTML theme's
templates (:mod:`~.templates_cache`), imports aidoc's drafting and scoring
engines (:mod:`~.engines_cache`) and compiles the Pygments lexers of the
pages' code blocks (:mod:`~.lexers_cache`), only while the waiting thread
is blocked on the child (:meth:`_Waiting.done`); then it drafts, parses and
scores ahead what follows the child's project pass (:mod:`~.ahead`).

The analysis child is shut down on every path: when the preparation is
finished, and at ``build-finished`` when a build fails before that
(:func:`abort_preparation`).
"""

from __future__ import annotations

import importlib
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from sphinx.pycode import ModuleAnalyzer

from sphinxcontrib_aidoc.diagnostics import Diagnostic
from sphinxcontrib_aidoc.gc_pause import freeze_survivors
from sphinxcontrib_aidoc.sphinxext.analysis_jobs import (
    analysis_jobs,
    analysis_workers,
    start_analyses,
)
from sphinxcontrib_aidoc.sphinxext.deferred import can_defer
from sphinxcontrib_aidoc.sphinxext.domain import aidoc_domain
from sphinxcontrib_aidoc.sphinxext.engines_cache import warm_engines
from sphinxcontrib_aidoc.sphinxext.lexers_cache import warm_lexers
from sphinxcontrib_aidoc.sphinxext.members import safe_getattr, shows_text
from sphinxcontrib_aidoc.sphinxext.progress import batch_progress, each_module
from sphinxcontrib_aidoc.sphinxext.pycode_cache import (
    release_cached_tracebacks,
    source_modules,
    warm_analyzers,
)
from sphinxcontrib_aidoc.sphinxext.pycode_kept import KeptParses
from sphinxcontrib_aidoc.sphinxext.reporting import logger
from sphinxcontrib_aidoc.sphinxext.runtime import Runtime, module_file, runtime_of
from sphinxcontrib_aidoc.sphinxext.scan import (
    Page,
    ScanPlan,
    named_modules,
    named_packages,
    read_pages,
    scan,
)
from sphinxcontrib_aidoc.sphinxext.templates_cache import warm_templates

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinxcontrib_aidoc.analyze.persist import BackgroundAnalyses
    from sphinxcontrib_aidoc.model import ObjectInfo
    from sphinxcontrib_aidoc.sphinxext.members import Keep, MemberOptions


def prepare(
    app: Sphinx, env: BuildEnvironment, docnames: list[str], runtime: Runtime
) -> None:
    """Start the pre-read of the documents *docnames*; finish it now if forked workers read.

    In a serial build the documents that show objects are moved to the end
    of *docnames* (Sphinx reads them in that order) and the rest of the
    preparation is left on the runtime, for :func:`finish_preparation`.
    """
    paths = {Path(env.doc2path(docname)): docname for docname in docnames}
    pages = read_pages(paths)
    # The modules pages name are analysed (in a child process) while the
    # scan below imports them and walks their members.
    analyses = start_analyses(
        runtime, named_modules(pages), analysis_workers(app), named_packages(pages)
    )
    preparation = Preparation(app, env, runtime, analyses)
    forked = reads_in_parallel(app)
    try:
        with runtime.stopwatch.timed("scan"):
            preparation.scan(pages)
        if preparation.needed:
            with runtime.stopwatch.timed("analyse"):
                preparation.submit()
    except BaseException:
        preparation.abort()
        raise
    if not preparation.needed:
        preparation.abort()  # (no job was sent)
    elif forked:
        preparation.finish()
    else:
        showing = {paths[page.path] for page in pages if page.shows_objects}
        docnames[:] = [d for d in docnames if d not in showing] + [
            d for d in docnames if d in showing
        ]
        preparation.showing = showing
        runtime.preparation = preparation
        # Pages then read at once; what aidoc does to the objects they show
        # waits for the end of reading (deferred.py), unless it cannot.
        runtime.defer_fills = runtime.config.mode == "missing" and can_defer(app)


def reads_in_parallel(app: Sphinx) -> bool:
    """Whether Sphinx will read the documents in forked workers.

    As ``Builder.read`` decides right after ``env-before-read-docs``:
    with ``-j N`` where processes can fork, and only when every extension
    declares itself safe for parallel reading (one that does not makes
    Sphinx read serially, and say so; read here without a warning).
    """
    from sphinx.util.parallel import parallel_available  # noqa: PLC0415

    return (
        parallel_available
        and app.parallel > 1
        and all(
            getattr(extension, "parallel_read_safe", None)
            for extension in app.extensions.values()
        )
    )


def finish_preparation(app: Sphinx, docname: str | None = None) -> None:
    """Finish the pre-read if it is pending (at once, or when *docname* needs it).

    Idempotent: the first call does it, the others return at once. With
    *docname* (``source-read``), only a document that shows objects does.
    """
    runtime = runtime_of(app)
    preparation = runtime.preparation
    if preparation is None or (
        docname is not None and docname not in preparation.showing
    ):
        return
    runtime.preparation = None
    preparation.finish()
    if runtime.config.freeze_gc:
        # What it made (the records, the drafts) lives to the build's end:
        # frozen, as the pre-read's is under -j (lifecycle), with the pages
        # read meanwhile. Left to the collector, the records and every page
        # read so far were walked again by a full collection (0.5 s at
        # 1,000 objects).
        freeze_survivors()


def deferring(runtime: Runtime) -> bool:
    """Whether an object shown now waits for the end of reading (deferred.py).

    While the analysis child still works, in a build that can defer; once
    it is done, the pre-read is finished at once (no wait) and the objects
    read after are written as they are read: writing them after reading
    costs a second pass over their pages (a parse, a pickle), which only
    the wait it saves pays for.
    """
    preparation = runtime.preparation
    return runtime.defer_fills and preparation is not None and not preparation.analysed


def abort_preparation(app: Sphinx) -> None:
    """Drop a pending pre-read (the build failed first), closing the analyses."""
    runtime = runtime_of(app)
    preparation, runtime.preparation = runtime.preparation, None
    if preparation is not None:
        preparation.abort()


class Preparation:
    """A pre-read begun: the scan's plan, the analyses running; then the drafts."""

    def __init__(
        self,
        app: Sphinx,
        env: BuildEnvironment,
        runtime: Runtime,
        analyses: BackgroundAnalyses | None,
    ) -> None:
        self.app = app
        self.env = env
        self.runtime = runtime
        self.analyses = analyses
        self.inherit = bool(app.config.autodoc_inherit_docstrings)
        self.plan = ScanPlan()
        #: Modules to read the analysis of, in order.
        self.modules: list[str] = []
        #: The documents that name an ``auto*`` directive (serial builds).
        self.showing: set[str] = set()
        self._waiting: _Waiting | None = None

    @property
    def needed(self) -> bool:
        """Whether the documents show anything to analyse."""
        return bool(self.plan.objects or self.plan.modules)

    def scan(self, pages: list[Page]) -> None:
        """Find what *pages* show; import the modules they name."""
        app, runtime = self.app, self.runtime
        store = runtime.store
        if runtime.parses is None and store is not None:
            runtime.parses = KeptParses(store)
        parses = runtime.parses
        self.plan = plan = scan(
            pages,
            dict(app.config.autodoc_default_options or {}),
            keep=member_keeper(app, runtime),
            inherit_docstrings=self.inherit,
            parsed=ModuleAnalyzer.for_module if parses is None else parses.analyzer,
        )
        runtime.project.update(plan.packages)
        if self.needed:
            for modname in plan.modules:
                _check_import(runtime, modname)
            if parses is not None:
                # What autodoc will parse, parsed in an earlier build.
                parses.restore()
                if parses.restored:
                    logger.verbose(
                        "aidoc: %d module source(s) not parsed again "
                        "(Sphinx's parses kept from an earlier build)",
                        len(parses.restored),
                    )

    def submit(self) -> None:
        """Send the modules defining what pages show to the analyses.

        A thread waits for the analyses (and starts the pass over each
        package) while Sphinx reads, or while :meth:`finish` warms the
        caches autodoc will read.
        """
        runtime, plan = self.runtime, self.plan
        # A module that does not import shows nothing, but its analysis says
        # where it does not parse.
        self.modules = runtime.unanalysed(
            [(shown.name, shown.obj) for shown in plan.objects.values()],
            runtime.failed_modules & set(plan.modules),
        )
        if self.analyses is None:
            return
        # Modules shown by pages not read again whose analysis key changed
        # (they import an edited module) are scored at the end of reading:
        # the same worker analyses them now, with one import of astroid.
        shown_before = {s.module for s in aidoc_domain(self.env).all_objects().values()}
        self.analyses.submit(
            analysis_jobs(
                runtime, [*self.modules, *sorted(shown_before - set(self.modules))]
            )
        )
        self._waiting = _Waiting(self.analyses)

    def finish(self) -> None:
        """Wait for the analyses, read them, and draft what the pages show."""
        # Every module asks for its package's pass: its files are listed
        # and stated once for the whole preparation, not once per module.
        from sphinxcontrib_aidoc.analyze._pass_files import (  # noqa: PLC0415
            files_fixed,
        )

        try:
            with files_fixed():
                self._analyse_and_draft()
        finally:
            self.abort()  # (closes the analyses: done by now, unless it failed)
            if self.analyses is not None:
                from sphinxcontrib_aidoc.analyze.persist import (  # noqa: PLC0415
                    drop_parsed,
                )

                drop_parsed()
            # The analyses are done (and stored): astroid's trees of the
            # project are not needed while Sphinx reads.
            release_trees(self.runtime.project)  # (collects, when it releases any)
            release_cached_tracebacks()

    @property
    def analysed(self) -> bool:
        """Whether finishing would not wait for the child (its analyses are over)."""
        return self._waiting is None or self._waiting.over

    def abort(self) -> None:
        """Shut the analyses down (dropping what has not started) and stop waiting."""
        if self.analyses is not None:
            self.analyses.abort()
        if self._waiting is not None:
            self._waiting.join()

    def _analyse_and_draft(self) -> None:
        app, runtime, analyses = self.app, self.runtime, self.analyses
        with runtime.stopwatch.timed("analyse"):
            if analyses is not None:
                waiting = self._waiting  # (joined again by abort(): at once)
                if waiting is not None:
                    from sphinxcontrib_aidoc.analyze.persist import (  # noqa: PLC0415
                        read_ahead,
                    )

                    # Until the child is done, parse what autodoc will parse,
                    # compile what the writing phase will render, import
                    # what drafts and scores, parse the analyses stored, and
                    # compile the lexers the writing phase will highlight with.
                    warm_analyzers(self._source_modules(), until=waiting.done)
                    warm_templates(app, until=waiting.done)
                    warm_engines(until=waiting.done)
                    read_ahead(
                        analyses.cache,
                        list(analyses.stored_keys or ()),
                        until=waiting.done,
                    )
                    warm_lexers(app, until=waiting.done)
                    # What follows the pass, ahead, from the records so far.
                    from sphinxcontrib_aidoc.sphinxext.ahead import (  # noqa: PLC0415 (cycle)
                        work_ahead,
                    )

                    work_ahead(self, analyses, until=waiting.done)
                stored = waiting.result() if waiting is not None else analyses.wait()
                if stored:
                    logger.verbose(
                        "aidoc: %d module(s) analysed in %d processes",
                        stored,
                        analyses.workers,
                    )
            for modname in each_module(self.modules, app.verbosity):
                runtime.analyse_modules([modname])
            todo = self.to_draft(runtime.resolve)
        runtime.draft_batch(list(todo.values()), batch_progress(app.verbosity))
        runtime.members_drafted.update(self.plan.listed)

    def to_draft(
        self, resolve: Callable[[str, object], ObjectInfo | None]
    ) -> dict[str, ObjectInfo]:
        """The batch to draft: the records of the objects shown that aidoc writes.

        Each object the scan found is resolved through *resolve* (the
        runtime's, or :mod:`.ahead`'s over the records before the pass).
        """
        from sphinxcontrib_aidoc.plan import decide  # noqa: PLC0415 (what a read needs)

        runtime = self.runtime
        content = str(self.app.config.autoclass_content or "class")
        todo: dict[str, ObjectInfo] = {}
        for shown in self.plan.objects.values():
            info = resolve(shown.name, shown.obj)
            if info is None or info.qualname in todo:
                continue
            empty = not shows_text(
                shown.obj,
                shown.kind,
                shown.parent,
                shown.attr,
                inherit_docstrings=self.inherit,
                class_content=content,
            )
            if decide(
                info,
                runtime.config,
                shown_empty=empty,
                shown_name=shown.name,
                review=runtime.reviews.get(shown.name),
            ):
                todo[info.qualname] = info
        return todo

    def _source_modules(self) -> list[str]:
        """The modules autodoc will parse for the pages, in the order they show them.

        Those of the objects shown, then those of every public member of
        the modules the pages name that have no ``__all__``: Sphinx 9 loads
        each (and formats its signature) before it drops those imported
        from elsewhere.
        """
        shown = [(shown.obj, shown.kind) for shown in self.plan.objects.values()]
        for modname in self.plan.modules:
            module = sys.modules.get(modname)
            if isinstance(safe_getattr(module, "__all__"), (list, tuple)):
                continue  # autodoc loads only those (the scan found them)
            members = dict(safe_getattr(module, "__dict__") or {})
            shown.extend(
                (value, "class" if isinstance(value, type) else "function")
                for name, value in members.items()
                if not name.startswith("_") and not isinstance(value, ModuleType)
            )
        return source_modules(shown)


#: How long :meth:`_Waiting.done` waits at a time for the thread to block.
_TURN = 0.01
#: The interpreter's switch interval while the analyses are awaited (s).
SWITCH_INTERVAL = 0.0002


class _Waiting:
    """:meth:`BackgroundAnalyses.wait` in a thread, while Sphinx reads or warms up.

    The thread only waits on the child process and stores what it sends
    back (through the store's connection, which serialises its use); the
    build's thread reads nothing of the analyses before :meth:`result`.
    """

    def __init__(self, analyses: BackgroundAnalyses) -> None:
        self.stored = 0
        self.error: BaseException | None = None
        self._analyses = analyses
        self._thread = threading.Thread(
            target=self._run, args=(analyses,), name="aidoc-analyses", daemon=True
        )
        self._thread.start()

    def _run(self, analyses: BackgroundAnalyses) -> None:
        # While Sphinx reads in the build's thread (objects filled after
        # reading), each step of this one (a record stored, a key computed)
        # waits for the interpreter to be handed over: every 5 ms by
        # default, which made the child wait seconds for its next job on
        # click's docs (1 ms still left 0.25-0.4 s between the last module
        # and the pass; 0.2 ms, 0.02-0.14 s). A shorter interval hands it
        # over sooner; the build's thread pays for a switch only when this
        # one asks.
        interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, SWITCH_INTERVAL))
        try:
            self.stored = analyses.wait()
        except BaseException as exc:  # noqa: BLE001 (raised again by result())
            self.error = exc
        finally:
            sys.setswitchinterval(interval)

    def done(self) -> bool:
        """Whether the analyses are over; else wait until the thread only awaits a worker.

        The thread does some of the analyses' work in this process (the
        import graphs and keys of the package's modules, the records it
        stores), on the path to the child's next job: work of the build's
        own thread in the meantime would halve its share of the
        interpreter. So this returns False only while the thread is
        blocked on the child (the build's thread may then work), and
        True once the thread has ended.
        """
        while self._thread.is_alive():
            if self._analyses.blocked.wait(_TURN):
                return False
        return True

    @property
    def over(self) -> bool:
        """Whether the analyses are over (the thread has ended), without waiting."""
        return not self._thread.is_alive()

    def join(self) -> None:
        """Wait for the thread to end."""
        self._thread.join()

    def result(self) -> int:
        """How many modules were stored (the thread's exception is raised here)."""
        self.join()
        if self.error is not None:
            raise self.error
        return self.stored


def release_trees(project: set[str]) -> None:
    """Release astroid's trees of *project* (none if nothing was analysed)."""
    if "astroid" not in sys.modules:
        return  # nothing parsed: the analyser is not even imported
    from sphinxcontrib_aidoc.analyze import release_trees as release  # noqa: PLC0415

    release(project)


def member_keeper(app: Sphinx, runtime: Runtime) -> Keep:
    """Ask ``autodoc-skip-member`` handlers, as autodoc will, about a member.

    The user's handlers (and aidoc's own, which runs last) decide exactly as
    they will when autodoc reads the page; a handler that fails counts as no
    opinion.
    """

    def keep(
        what: str, name: str, obj: object, skip: bool, options: MemberOptions
    ) -> bool:
        try:
            result = app.emit_firstresult(
                "autodoc-skip-member",
                what,
                name,
                obj,
                skip,
                _Options(options.as_autodoc()),
            )
        except Exception:  # noqa: BLE001 (a user handler given our options)
            logger.verbose(
                "aidoc: an autodoc-skip-member handler failed on %s; "
                "assuming autodoc's own decision",
                name,
                exc_info=True,
            )
            result = None
        return not skip if result is None else not result

    return keep


class _Options(dict[str, object]):
    """An autodoc options object as handlers see it (missing names are None)."""

    def __getattr__(self, name: str) -> object:
        return self.get(name)


def _check_import(runtime: Runtime, modname: str) -> None:
    """Import *modname* as autodoc will, reporting a failure as aidoc's."""
    path = module_file(modname)
    if path is None:
        return
    try:
        importlib.import_module(modname)
    except SyntaxError:
        runtime.failed_modules.add(modname)  # the analysis reports it, with its line
    except Exception as exc:  # noqa: BLE001 (any import-time error of user code)
        runtime.failed_modules.add(modname)
        runtime.reporter.report(
            Diagnostic(
                "parse",
                f"cannot import {modname} ({type(exc).__name__}: {exc}); autodoc "
                "will not document it, aidoc documents the rest of the build",
                location=str(path),
            )
        )
