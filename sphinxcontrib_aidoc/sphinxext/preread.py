"""The pre-read: what the documents to read show, analysed and drafted in one batch.

At ``env-before-read-docs`` (main process, before ``-j N`` workers fork),
:func:`prepare` finds the modules that the documents name in ``auto*``
directives, analyses them in a child process (N with ``-j N``) and drafts
everything the pages will show in one batch. The ``automodule`` targets
start analysing at once, while :func:`~.scan.scan` imports them and walks
their members (on another core); the modules defining the objects found
there (re-exports) follow.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.diagnostics import Diagnostic
from sphinxcontrib_aidoc.sphinxext.domain import aidoc_domain
from sphinxcontrib_aidoc.sphinxext.members import shows_text
from sphinxcontrib_aidoc.sphinxext.progress import batch_progress, each_module
from sphinxcontrib_aidoc.sphinxext.reporting import logger
from sphinxcontrib_aidoc.sphinxext.runtime import Runtime, module_file
from sphinxcontrib_aidoc.sphinxext.scan import named_modules, scan

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinxcontrib_aidoc.analyze.persist import BackgroundAnalyses, Job
    from sphinxcontrib_aidoc.model import ObjectInfo
    from sphinxcontrib_aidoc.sphinxext.members import Keep, MemberOptions


def prepare(
    app: Sphinx, env: BuildEnvironment, docnames: list[str], runtime: Runtime
) -> None:
    """Analyse and draft, in one batch, what the documents *docnames* show."""
    inherit = bool(app.config.autodoc_inherit_docstrings)
    paths = [Path(env.doc2path(docname)) for docname in docnames]
    # The modules pages name are analysed (in a child process) while the
    # scan below imports them and walks their members.
    analyses = _start_analyses(runtime, named_modules(paths), max(app.parallel, 1))
    try:
        _scan_and_draft(app, env, paths, runtime, analyses, inherit=inherit)
    finally:
        if analyses is not None:
            analyses.close()


def _scan_and_draft(
    app: Sphinx,
    env: BuildEnvironment,
    paths: list[Path],
    runtime: Runtime,
    analyses: BackgroundAnalyses | None,
    *,
    inherit: bool,
) -> None:
    with runtime.stopwatch.timed("scan"):
        plan = scan(
            paths,
            dict(app.config.autodoc_default_options or {}),
            keep=member_keeper(app, runtime),
            inherit_docstrings=inherit,
        )
        runtime.project.update(plan.packages)
        if not plan.objects and not plan.modules:
            return
        for modname in plan.modules:
            _check_import(runtime, modname)
    from sphinxcontrib_aidoc.plan import decide  # noqa: PLC0415 (what a read needs)

    content = str(app.config.autoclass_content or "class")
    todo: dict[str, ObjectInfo] = {}
    with runtime.stopwatch.timed("analyse"):
        # A module that does not import shows nothing, but its analysis says
        # where it does not parse.
        modules = runtime.unanalysed(
            [(shown.name, shown.obj) for shown in plan.objects.values()],
            runtime.failed_modules & set(plan.modules),
        )
        # Modules shown by pages not read again whose analysis key changed
        # (they import an edited module) are scored at the end of reading:
        # the same worker analyses them now, with one import of astroid.
        shown_before = {s.module for s in aidoc_domain(env).all_objects().values()}
        if analyses is not None:
            analyses.submit(
                _jobs(runtime, [*modules, *sorted(shown_before - set(modules))])
            )
            stored = analyses.wait()
            if stored:
                logger.verbose(
                    "aidoc: %d module(s) analysed in %d processes",
                    stored,
                    analyses.workers,
                )
        for modname in each_module(modules, app.verbosity):
            runtime.analyse_modules([modname])
        for shown in plan.objects.values():
            info = runtime.resolve(shown.name, shown.obj)
            if info is None or info.qualname in todo:
                continue
            empty = not shows_text(
                shown.obj,
                shown.kind,
                shown.parent,
                shown.attr,
                inherit_docstrings=inherit,
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
    runtime.draft_batch(list(todo.values()), batch_progress(app.verbosity))


def _start_analyses(
    runtime: Runtime, modules: list[str], workers: int
) -> BackgroundAnalyses | None:
    """Start analysing *modules* in *workers* processes (N with ``-j N``, else one).

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
    # The scan counts these packages as the project too.
    runtime.project.update(m.partition(".")[0] for m in modules)
    analyses.submit(_jobs(runtime, modules))
    return analyses


def _jobs(runtime: Runtime, modules: list[str]) -> list[Job]:
    """The analysis jobs of the project *modules* with a source file."""
    from sphinxcontrib_aidoc.analyze.persist import Job  # noqa: PLC0415

    jobs: list[Job] = []
    for modname in modules:
        path = module_file(modname)
        key = runtime.analysis_print(modname)
        if path is not None and key is not None:
            jobs.append(Job(key=key, module=modname, path=path))
    return jobs


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
