"""Build lifecycle: open the store, batch work before reading, record the build.

* ``builder-inited``: resolve ``aidoc_db`` against the conf.py directory,
  open it (a corrupt or foreign file is reported, never overwritten) and
  start a row in ``builds``.
* ``env-before-read-docs``: find the modules that the documents to read name
  in ``auto*`` directives, analyse them and draft everything they need in
  one batch, in the main process, before ``-j N`` workers fork; a serial
  build reads the documents that show no object first and finishes this
  when a document first needs it (``source-read``, or ``env-updated`` at
  the latest): :mod:`.preread`.
* ``env-updated``: write the snapshot of every documented object.
* ``build-finished``: close the build row with its counts.

With ``aidoc_freeze_gc`` (the default), what the build holds once the
pre-read is done (the environment Sphinx loaded, aidoc's records) is
frozen out of the garbage collector's full collections until the build
ends (:func:`~sphinxcontrib_aidoc.gc_pause.freeze_survivors`), or, when
``sphinx-build`` runs it, until the process ends (:func:`_thaw`). What
reading adds is frozen too (after a collection) only when few pages were
read (:data:`FREEZE_READ_SHARE`): Sphinx keeps the doctrees it read until
it writes them, then drops them, and frozen they are freed only at the
end, which for a whole project's pages costs more memory than the
collections it saves. From ``builder-inited`` to the end, the collector
also runs less often (:func:`~sphinxcontrib_aidoc.gc_pause.collect_less`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.gc_pause import (
    collect_less,
    freeze_survivors,
    gc_paused,
    release_frozen,
    started_by_command_line,
    thaw,
)
from sphinxcontrib_aidoc.generate.select import describe_provider
from sphinxcontrib_aidoc.generate.usage import ProviderUsage, summary_line
from sphinxcontrib_aidoc.sphinxext import kept_imports
from sphinxcontrib_aidoc.sphinxext.analysis_jobs import start_child_early
from sphinxcontrib_aidoc.sphinxext.autodoc import fill_after_reading
from sphinxcontrib_aidoc.sphinxext.domain import AidocDomain, aidoc_domain
from sphinxcontrib_aidoc.sphinxext.outputs import setup_outputs
from sphinxcontrib_aidoc.sphinxext.preread import (
    abort_preparation,
    deferring,
    finish_preparation,
    prepare,
    reads_in_parallel,
    release_trees,
)
from sphinxcontrib_aidoc.sphinxext.pycode_cache import release_cached_tracebacks
from sphinxcontrib_aidoc.sphinxext.quality import finish_scoring
from sphinxcontrib_aidoc.sphinxext.reporting import logger
from sphinxcontrib_aidoc.sphinxext.restamp import restamp, restamped
from sphinxcontrib_aidoc.sphinxext.runtime import (
    Runtime,
    end_runtime,
    runtime_of,
)
from sphinxcontrib_aidoc.sphinxext.xref_lookup import setup_xref_lookup
from sphinxcontrib_aidoc.store import git_commit

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinxcontrib_aidoc.model import ObjectSnapshot
    from sphinxcontrib_aidoc.store import Store


def setup_lifecycle(app: Sphinx) -> None:
    """Connect the build lifecycle handlers."""
    # After the settings are read (400): a first build's child starts now.
    app.connect("config-inited", start_child_early, priority=900)
    app.connect("builder-inited", on_builder_inited)
    app.connect("env-purge-doc", on_env_purge_doc)
    app.connect("env-before-read-docs", on_env_before_read_docs)
    app.connect("source-read", on_source_read)
    # Before every other listener: they read the records and drafts.
    app.connect("env-updated", on_reading_done, priority=100)
    app.connect("env-updated", on_env_updated)
    app.connect("build-finished", on_build_finished_early, priority=1)
    app.connect("build-finished", on_build_finished)
    # After the other listeners: what they keep is frozen with the rest.
    app.connect("env-updated", _release_read_pages, priority=890)
    app.connect("env-updated", _freeze_read_environment, priority=900)
    app.connect("build-finished", _thaw, priority=900)
    setup_outputs(app)
    setup_xref_lookup(app)


def on_builder_inited(app: Sphinx) -> None:
    """Open the store, start this build's row and say which provider writes."""
    runtime = runtime_of(app)
    release_frozen()  # what an earlier build in this process kept frozen
    if runtime.config.freeze_gc:
        collect_less()
    # What each file imports, kept in the environment between builds.
    runtime.parsed_imports = aidoc_domain(app.env).imports
    store = runtime.store
    # A fresh environment takes them back from the database.
    kept_imports.restore(app, store, runtime.parsed_imports)
    if store is not None:
        runtime.build_id = store.begin_build(
            project=str(app.config.project or ""),
            release=str(app.config.release or ""),
            version=str(app.config.version or ""),
            git_commit=git_commit(Path(app.confdir)),
            builder=app.builder.name,
            config=runtime.config.to_dict(),
        )
    if runtime.config.mode != "off":
        logger.info(describe_provider(runtime.generator.provider))


def on_env_purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """Note that *docname* is forgotten (removed or about to be re-read)."""
    del env
    runtime_of(app).purged_docs.add(docname)


def on_env_before_read_docs(
    app: Sphinx, env: BuildEnvironment, docnames: list[str]
) -> None:
    """Analyse and draft, in one batch, what the documents to read show.

    Under ``-j N`` it is all done here; a serial build only begins it here
    (:func:`~.preread.prepare`) and reads the documents that show no
    object while the analyses run.
    """
    runtime = runtime_of(app)
    runtime.read_docs.update(docnames)
    try:
        if docnames:
            # Every module asks for its package's pass: its files are listed
            # and stated once for the whole pre-read, not once per module.
            from sphinxcontrib_aidoc.analyze._pass_files import (  # noqa: PLC0415
                files_fixed,
            )

            with files_fixed():
                prepare(app, env, docnames, runtime)
    finally:
        # The analyses are done (and stored), or run in a child process:
        # astroid's trees of the project are not needed while Sphinx reads,
        # which reuses their memory.
        release_trees(runtime.project)  # (collects, when it releases any)
        release_cached_tracebacks()  # (the pre-read's frames)
        if runtime.config.freeze_gc:
            freeze_survivors()
        runtime.stopwatch.start("read")


def on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    """Finish the pre-read before the first document that shows objects."""
    del source
    if not deferring(runtime_of(app)):
        finish_preparation(app, docname)


def on_reading_done(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Finish the pre-read if no document needed it while it was read."""
    del env
    finish_preparation(app)
    fill_after_reading(app)
    return []


def on_build_finished_early(app: Sphinx, exception: BaseException | None) -> None:
    """Stop a pre-read still pending (the build failed while reading)."""
    del exception
    abort_preparation(app)
    # A child started early for a build that analysed nothing: shut down.
    persist = sys.modules.get("sphinxcontrib_aidoc.analyze.persist")
    if persist is not None:
        persist.drop_early()


#: Largest share of the project's pages read in a build whose reading is
#: frozen too (see the module doc).
FREEZE_READ_SHARE = 0.2


def _release_read_pages(app: Sphinx, env: BuildEnvironment) -> None:
    """Drop the stacks Sphinx's cached failures keep (:mod:`.pycode_cache`).

    They hold pages read in this build, which once written are then freed.
    """
    del app, env
    release_cached_tracebacks()


def _freeze_read_environment(app: Sphinx, env: BuildEnvironment) -> None:
    """Freeze what reading left alive, when it read few pages."""
    runtime = runtime_of(app)
    read = len(runtime.read_docs)
    if runtime.config.freeze_gc and read <= FREEZE_READ_SHARE * len(env.found_docs):
        freeze_survivors(collect=True)


def _thaw(app: Sphinx, exception: BaseException | None) -> None:
    """Give the collector back its thresholds, and what was frozen.

    A build run by ``sphinx-build`` keeps what it froze frozen: the
    process ends next, and unfrozen, Python's collection at exit would walk
    the whole build's heap once more (measured on a 1,000-object project's
    no-change rebuild: 0.69 s of CPU with it, 0.50 s without). Any other
    build gives it back now; a later build in the same process gives back
    what an earlier one kept (:func:`on_builder_inited`).
    """
    del app, exception
    thaw(keep_frozen=started_by_command_line())


@gc_paused()
def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Record the snapshot of every documented object in the store.

    Which pages with live data must be written again is decided after
    this, by :mod:`sphinxcontrib_aidoc.sphinxext.pages`.
    """
    runtime = runtime_of(app)
    runtime.stopwatch.stop("read")
    runtime.stopwatch.start("write")
    release_trees(runtime.project)  # parsed by analyses made while reading
    domain = aidoc_domain(env)
    store = runtime.store
    build_id = runtime.build_id
    if store is None or build_id is None:
        return []
    held = domain.recorded
    if not runtime.documents_changed:
        # No document read or removed: the records are those stored last,
        # under the environment's stamp or, when Sphinx did not save it
        # since, the one the database remembers for it.
        if store.repeat_snapshot(build_id, held):
            return []
        later = restamped(store, str(app.doctreedir), held)
        if later is not None and store.repeat_snapshot(build_id, later):
            domain.recorded = later
            return []
    snapshots = domain.all_objects()
    carried = carry_over(store, runtime.failed_modules, snapshots)
    if carried:
        logger.info(
            "aidoc: %d object(s) of modules that failed to import kept from "
            "the previous build's snapshot",
            len(carried),
        )
    current = {**{s.qualname: s for s in carried}, **snapshots}
    record_snapshot(runtime, domain, current)
    domain.recorded = store.snapshot_stamp(build_id)
    domain.recorded_objects = current
    if not runtime.documents_changed:  # the environment will not be saved
        restamp(store, str(app.doctreedir), held, domain.recorded)
    return []  # pages with live data: see sphinxext.pages


def record_snapshot(
    runtime: Runtime, domain: AidocDomain, current: dict[str, ObjectSnapshot]
) -> None:
    """Store this build's snapshot: only what changed, when that is known.

    The domain keeps the objects stored under the last recorded snapshot;
    when that snapshot is the previous successful build's, only the
    objects that differ are written (``Store.record_delta``) and the
    changelog compares only those (``runtime.snapshot_delta``).
    """
    store, build_id = runtime.store, runtime.build_id
    assert store is not None and build_id is not None
    before = domain.recorded_objects
    stamp = domain.recorded
    if stamp and before:
        changed = [s for name, s in current.items() if before.get(name) != s]
        removed = before.keys() - current.keys()
        if store.record_delta(build_id, stamp, changed, removed):
            runtime.snapshot_delta = {s.qualname for s in changed} | removed
            return
    store.record_objects(build_id, current.values())


def carry_over(
    store: Store, failed: set[str], current: dict[str, ObjectSnapshot]
) -> list[ObjectSnapshot]:
    """Return the previous build's objects of *failed* modules that vanished.

    A module that fails to import this time documents nothing; without this,
    a transient import error would read as every object of it removed (a
    breaking change) and re-added one build later.
    """
    if not failed:
        return []
    previous = store.last_build(status="ok")
    if previous is None:
        return []
    prefixes = tuple(f"{name}." for name in failed)
    return [
        snapshot
        for snapshot in store.snapshot(int(previous["id"]))
        if snapshot.qualname not in current
        and (snapshot.module in failed or snapshot.module.startswith(prefixes))
    ]


def on_build_finished(app: Sphinx, exception: BaseException | None) -> None:
    """Close this build's row with its counts; fail on an unusable store."""
    runtime = end_runtime(app)
    if runtime is None:
        return
    finish_scoring(runtime, keep=exception is None)
    usage = _usage(runtime)
    if runtime.drafts:
        logger.info(summary_line(usage, runtime.generator.stats))
        _report_unshown(app, runtime)
    store = runtime.store
    if store is not None and runtime.build_id is not None:
        domain = aidoc_domain(app.env)
        runtime.stopwatch.stop("write")
        store.record_usage(
            runtime.build_id,
            seconds=runtime.stopwatch.elapsed(),
            stages=runtime.stopwatch.totals,
            analysed=runtime.analysed,
            analysis_kept=runtime.analysis_kept,
        )
        store.end_build(
            runtime.build_id,
            status="failed" if exception else "ok",
            llm_calls=usage.requests,
            failures=usage.failed + usage.skipped,
            tokens_in=usage.tokens_in,
            tokens_out=usage.tokens_out,
            cost=usage.cost,
            **build_counts(domain, runtime.read_docs),
        )
        kept_imports.keep(app, store, runtime.parsed_imports)
        if runtime.parses is not None and exception is None:
            runtime.parses.keep()
    runtime.close()
    if runtime.store_error and exception is None:
        app.statuscode = 1


def _report_unshown(app: Sphinx, runtime: Runtime) -> None:
    """Say how many drafts were made beyond what pages showed (serial builds).

    Under ``-j`` the pages are read by worker processes, which alone know
    which drafts they used, so the check is made only when Sphinx reads
    them in this process.
    """
    if runtime.late_drafts:
        logger.verbose(
            "aidoc: %d draft(s) made while reading, beyond the pre-read batch",
            runtime.late_drafts,
        )
    if reads_in_parallel(app):
        return
    unshown = sorted(set(runtime.drafts) - runtime.shown_drafts)
    if unshown:
        logger.info(
            "aidoc: %d draft(s) made for objects no page showed: %s",
            len(unshown),
            ", ".join(unshown[:5]) + (" ..." if len(unshown) > 5 else ""),
        )


def _usage(runtime: Runtime) -> ProviderUsage:
    """The provider counters of this process (offline: all zero)."""
    usage = getattr(runtime.generator.provider, "usage", None)
    return usage if isinstance(usage, ProviderUsage) else ProviderUsage()


def build_counts(domain: AidocDomain, read_docs: set[str]) -> dict[str, int]:
    """Count objects, and what the documents read in this build generated."""
    everything = domain.all_objects()
    generated = cache_hits = 0
    for docname in read_docs:
        for snapshot in domain.objects.get(docname, {}).values():
            if snapshot.generated and snapshot.source == "cache":
                cache_hits += 1
            elif snapshot.generated:
                generated += 1
    return {
        "objects": len(everything),
        "generated": generated,
        "cache_hits": cache_hits,
    }
