"""Which modules go to the analysis child, and when (the pre-read's jobs).

:func:`start_child_early` starts the one child of a first build at
``config-inited``, before anything is known of the documents.
:func:`start_analyses` starts the children (:func:`analysis_workers`) with
the ``automodule`` targets the documents name and, on a first build, every
module of the packages they name that no analysis was ever kept for
(:func:`_never_analysed`): those are sent before their keys are known,
since computing the keys needs the import graph. :func:`analysis_jobs`
gives the keyed jobs of project modules, which claim such early results.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.sphinxext.project_pass import sources_changed
from sphinxcontrib_aidoc.sphinxext.runtime import Runtime, db_path_of, module_file
from sphinxcontrib_aidoc.sphinxext.settings import get_config
from sphinxcontrib_aidoc.store import keeps_analyses

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinxcontrib_aidoc.analyze.persist import BackgroundAnalyses, Job


def analysis_workers(app: Sphinx) -> int:
    """How many analysis children a build starts: one, or up to N with ``-j N``.

    While the children analyse, the build's own process imports the
    pages' modules and walks their members (the scan), then reads: with
    ``-j N``, a child for each core beside it, at most N. On two cores,
    ``-j 2``'s two children made first builds slower than one child
    started early: tomlkit's docs 5.46 / 5.23 s against 5.16 / 4.94 s,
    5,000 objects 42.0 / 39.9 s against 37.3 / 35.6 s.
    """
    if app.parallel <= 1:
        return 1
    return max(1, min(app.parallel, _cores() - 1))


def _cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # (not Linux)
        return os.cpu_count() or 1


def start_child_early(app: Sphinx, config: object) -> None:
    """At ``config-inited``: start the analysis child now if the build will analyse.

    A build whose database keeps no analysis (a first build) is about to
    analyse the whole project, and a rebuild after a package's file changed
    (:func:`~.project_pass.sources_changed`) to analyse it again and run
    the project pass: when it analyses in one child
    (:func:`analysis_workers`), the child starts while Sphinx reads its
    configuration, loads its environment and finds its documents, and
    builds astroid's first trees meanwhile (``persist.start_early``). With
    more children, and for a rebuild whose packages are as they were (no
    change, ``-E``, pages edited), the children start when the build
    needs them. A child no analysis takes is shut down at the build's end.
    """
    del config
    settings = get_config(app)
    if settings.mode == "off" or analysis_workers(app) > 1:
        return
    db = db_path_of(app)
    if keeps_analyses(db) and not sources_changed(db):
        return
    from sphinxcontrib_aidoc.analyze.persist import start_early  # noqa: PLC0415

    start_early()


def start_analyses(
    runtime: Runtime, modules: list[str], workers: int, packages: list[str]
) -> BackgroundAnalyses | None:
    """Start analysing *modules* in *workers* processes (:func:`analysis_workers`).

    The results go to the store's analysis table, from which the serial
    loop then reads them in its usual order: the same records and messages
    as a serial build. Even without ``-j``, one child process analyses, so
    astroid's trees never add to the build's own peak memory. Without a
    store, the loop analyses everything in the build's process (None).
    """
    from sphinxcontrib_aidoc.analyze.persist import (  # noqa: PLC0415
        BackgroundAnalyses,
    )

    store = runtime.store
    if store is None:
        return None
    analyses = BackgroundAnalyses(
        cache=store,
        workers=workers,
        infer_timeout=runtime.config.infer_timeout,
        infer_steps=runtime.config.infer_steps,
        stored_keys=runtime.analysed_keys,
        project=True,
        held=runtime.held_analyses,
        known=runtime.parsed_imports,
    )
    # The modules of the *packages* no analysis was ever kept for (a first
    # build) start at once, the named ones first: the pass needs them all,
    # and their keys wait for the import graphs.
    analyses.prefetch(_never_analysed(runtime, modules, packages))
    # The scan counts these packages as the project too.
    runtime.project.update(m.partition(".")[0] for m in modules)
    analyses.submit(analysis_jobs(runtime, modules))
    return analyses


def _never_analysed(
    runtime: Runtime, modules: list[str], packages: list[str]
) -> dict[str, Path]:
    """The modules of the project *packages* with no analysis kept, *modules* first."""
    from sphinxcontrib_aidoc.analyze._package_pass import (  # noqa: PLC0415
        package_modules,
    )

    store = runtime.store
    if store is None:
        return {}
    found: dict[str, Path] = {}
    kept: set[Path] | None = None
    for top in packages:
        root = _package_dir(top)
        if root is None or runtime.is_external(top):
            continue  # not found, or installed: not the project's
        if kept is None:
            try:
                kept = {Path(f).resolve() for f in store.analysis_files()}
            except Exception:  # noqa: BLE001 (a broken store: the usual path says so)
                return {}
        found.update(
            (module, path)
            for module, path in package_modules(root, top).items()
            if path.resolve() not in kept
        )
    first = {m: found[m] for m in modules if m in found}
    first.update(found)
    return first


def _package_dir(top: str) -> Path | None:
    """Where the top-level package (or module) *top* is, without importing it."""
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError, AttributeError):
        return None
    if spec is None:
        return None
    locations = list(spec.submodule_search_locations or [])
    if locations:
        return Path(locations[0])
    if spec.origin and spec.origin.endswith(".py"):
        return Path(spec.origin)
    return None


def analysis_jobs(runtime: Runtime, modules: list[str]) -> list[Job]:
    """The analysis jobs of the project *modules* with a source file."""
    from sphinxcontrib_aidoc.analyze.persist import Job  # noqa: PLC0415

    jobs: list[Job] = []
    for modname in modules:
        path = module_file(modname)
        key = runtime.analysis_print(modname)
        if path is not None and key is not None:
            jobs.append(Job(key=key, module=modname, path=path))
    return jobs
