"""Docstring quality in Sphinx: the ``aidoc-quality`` directive and the gate.

* ``.. aidoc-quality::`` emits a placeholder and marks its page dynamic, so
  the page is rewritten on every build; ``doctree-resolved`` (main process,
  every document merged) replaces it with plain docutils nodes: a summary
  and a table of scores (:mod:`.quality_nodes`).
* ``build-finished`` (priority 400, before the runtime is closed at 500):
  with :confval:`aidoc_fail_under` or :confval:`aidoc_coverage_fail_under`
  set and the build otherwise successful, a project below either logs an
  ``aidoc.quality`` error and sets the exit status to 1.

Scores are those of the docstrings as the build shows them (the
``ObjectSnapshot`` of each documented object, generated ones included),
judged against the object's analysis; they are computed once per build.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxcontrib_aidoc.diagnostics import Diagnostic
from sphinxcontrib_aidoc.model import ObjectInfo, ObjectSnapshot
from sphinxcontrib_aidoc.sphinxext import placeholders
from sphinxcontrib_aidoc.sphinxext.domain import aidoc_domain
from sphinxcontrib_aidoc.sphinxext.reporting import SphinxReporter
from sphinxcontrib_aidoc.sphinxext.runtime import runtime_of
from sphinxcontrib_aidoc.sphinxext.settings import get_config
from sphinxcontrib_aidoc.store import StoreError

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec
    from sphinx.writers.html5 import HTML5Translator

    from sphinxcontrib_aidoc.apart import Apart
    from sphinxcontrib_aidoc.config import AidocConfig
    from sphinxcontrib_aidoc.quality import DocstringEvaluator, Score
    from sphinxcontrib_aidoc.sphinxext.runtime import Runtime

logger = logging.getLogger(__name__)

DIRECTIVE = "aidoc-quality"
SHOW = ("all", "failing")
SORT = ("name", "score")
#: The threshold of ``:show: failing`` when neither it nor aidoc_fail_under is set.
DEFAULT_THRESHOLD = 70.0
_DOTTED = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")


class AidocQualityPlaceholder(nodes.General, nodes.Element):
    """Where an ``aidoc-quality`` table goes; filled at ``doctree-resolved``."""


placeholders.register(AidocQualityPlaceholder)


class AidocQualityDirective(SphinxDirective):
    """``.. aidoc-quality::``: coverage, scores and findings of the API.

    Options: ``:module:`` (dotted prefix), ``:threshold:`` (0-100),
    ``:show: all|failing`` and ``:sort: name|score``.
    """

    has_content = False
    option_spec: ClassVar[OptionSpec] = {
        "module": directives.unchanged,
        "threshold": directives.unchanged,
        "show": directives.unchanged,
        "sort": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        """Validate the options and return the placeholder."""
        node = AidocQualityPlaceholder()
        self.set_source_info(node)
        module = (self.options.get("module") or "").strip()
        if module and not _DOTTED.match(module):
            self._bad(node, "module", module, "a dotted module name")
            module = ""
        node["module"] = module
        node["threshold"] = self._threshold(node)
        node["show"] = self._choice(node, "show", SHOW)
        node["sort"] = self._choice(node, "sort", SORT)
        aidoc_domain(self.env).note_dynamic(self.env.docname, DIRECTIVE)
        return [node]

    def _threshold(self, node: nodes.Element) -> float | None:
        text = (self.options.get("threshold") or "").strip()
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            value = -1.0
        if not 0 <= value <= 100:
            self._bad(node, "threshold", text, "a number from 0 to 100")
            return None
        return value

    def _choice(self, node: nodes.Element, name: str, choices: tuple[str, ...]) -> str:
        text = (self.options.get(name) or "").strip().lower()
        if not text:
            return choices[0]
        if text not in choices:
            self._bad(node, name, text, " or ".join(choices))
            return choices[0]
        return text

    def _bad(self, node: nodes.Element, option: str, value: str, wanted: str) -> None:
        logger.warning(
            "%s: :%s: %r is not %s; using the default",
            DIRECTIVE,
            option,
            value,
            wanted,
            type="aidoc",
            subtype="directive",
            location=node,
        )


def setup_quality(app: Sphinx) -> None:
    """Register the directive, its node and the resolve and gate handlers."""
    app.add_node(
        AidocQualityPlaceholder,
        html=(_skip, None),
        latex=(_skip, None),
        text=(_skip, None),
        man=(_skip, None),
        texinfo=(_skip, None),
    )
    app.add_directive(DIRECTIVE, AidocQualityDirective)
    app.connect("doctree-resolved", on_doctree_resolved)
    app.connect("build-finished", on_build_finished, priority=400)


def _skip(translator: HTML5Translator, node: nodes.Element) -> None:
    """An unresolved placeholder (a builder without doctree-resolved) is dropped."""
    del translator, node
    raise nodes.SkipNode


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace each quality placeholder with the summary and the table."""
    found = placeholders.take(doctree, AidocQualityPlaceholder)
    if not found:
        return
    # The scoring modules load only for a page that shows scores.
    from sphinxcontrib_aidoc.sphinxext.quality_nodes import (  # noqa: PLC0415
        quality_nodes,
    )

    scored = project_scores(app)
    fail_under = get_config(app).fail_under
    for node in found:
        threshold = node.get("threshold")
        if threshold is None:
            threshold = DEFAULT_THRESHOLD if fail_under is None else fail_under
        node.replace_self(
            quality_nodes(
                app.builder,
                docname,
                scored,
                module=node.get("module", ""),
                threshold=float(threshold),
                failing_only=node.get("show") == "failing",
                by_score=node.get("sort") == "score",
            )
        )


def on_build_finished(app: Sphinx, exception: BaseException | None) -> None:
    """Fail the build when the project is below a quality threshold."""
    config = get_config(app)
    limits = (config.fail_under, config.coverage_fail_under)
    if exception is not None or limits == (None, None):
        return
    from sphinxcontrib_aidoc.quality import gate_failures, summarize  # noqa: PLC0415

    summary = summarize(score for score, _ in project_scores(app))
    problems = gate_failures(summary.mean, summary.coverage, *limits)
    reporter = SphinxReporter()
    for problem in problems:
        reporter.report(Diagnostic("quality", problem, level="error"))
    if problems:
        app.statuscode = 1


def project_scores(app: Sphinx) -> list[tuple[Score, ObjectSnapshot]]:
    """Score every documented object of the build (once per build).

    Each object is judged as shown (its snapshot's docstring) against its
    analysis (the runtime's, kept between builds in the store), never a new
    draft. This is the one scoring path: the ``aidoc-quality`` table, the
    gate and the search index all read it. A score is kept in the database
    (one row for the build) under what it depends on (the docstring shown,
    the key of its module's analysis: that source and the sources it
    imports, the style and weights), so a rebuild, ``-E`` or not, scores
    again, and loads the analysis of, only the objects whose module or
    docstring changed. The scores are not kept in the environment: a
    rebuild that reads no document never needs them, and would only load
    them with it (2.9 MB of pickle at 5,000 objects).

    The objects :func:`score_apart` sent to a forked copy are taken from
    it (waited for); any it did not score are scored here.
    """
    runtime = runtime_of(app)
    if runtime.scores is None:
        plan, runtime.scoring = runtime.scoring or ScorePlan(app), None
        runtime.scores = plan.finish(runtime)
    return runtime.scores


def score_apart(app: Sphinx) -> None:
    """Start scoring the objects to score in a forked copy of the build.

    Called once every document is read, when no page shows the scores
    before the pages are written (the search index, written last, and the
    gate read them): the copy scores on a processor the build leaves idle
    while it writes, and :func:`project_scores` takes its scores. Only for
    at least :data:`APART_FROM` objects (a fork costs what scoring about
    ten does); fewer, or no fork, are scored when first asked for.
    """
    runtime = runtime_of(app)
    if runtime.scores is not None or runtime.scoring is not None:
        return
    plan = runtime.scoring = ScorePlan(app)
    if len(plan.todo) >= APART_FROM:
        from sphinxcontrib_aidoc.apart import Apart  # noqa: PLC0415

        config, todo = plan.config, plan.todo
        plan.apart = Apart.start(lambda: _scores(config, todo))


#: The fewest objects :func:`score_apart` scores in a forked copy.
APART_FROM = 40


def finish_scoring(runtime: Runtime, *, keep: bool) -> None:
    """At the build's end: keep the scores nothing read yet (*keep*), or stop.

    A build that never read its scores (no search page, no gate) still
    keeps them for the next one, as when they were all made at once.
    """
    plan, runtime.scoring = runtime.scoring, None
    if plan is None:
        return
    if keep and runtime.scores is None:
        runtime.scores = plan.finish(runtime)
    elif plan.apart is not None:
        plan.apart.close()


#: An object to score: its index in the result, the key its score is kept
#: under, its record, the docstring shown, whether it was generated, and
#: the docstring of its ``__init__``.
_ToScore = tuple[int, str, ObjectInfo, str, bool, "str | None"]


class ScorePlan:
    """The scores kept or made ahead, and the objects left to score."""

    def __init__(self, app: Sphinx) -> None:
        runtime = runtime_of(app)
        domain = aidoc_domain(app.env)
        objects = domain.all_objects()
        stored = _stored_scores(runtime)
        self.stored_names = stored.keys()
        #: Each object's score (None: to score) and snapshot, in order.
        self.result: list[tuple[Score | None, ObjectSnapshot]] = []
        #: The entries to keep in the database, by the name shown.
        self.fresh: dict[str, tuple[str, dict[str, Any]]] = {}
        self.todo: list[_ToScore] = []
        self.apart: Apart[list[Score | None]] | None = None
        self.config = config = get_config(app)
        #: Whether any object was scored in this build (ahead or not).
        self.scored_now = False
        if not runtime.documents_changed and stored.keys() == objects.keys():
            # Nothing a page shows changed: the scores of the last build stand.
            same = [
                (score, snapshot)
                for name, snapshot in objects.items()
                if (score := unpack_score(stored[name][1])) is not None
            ]
            if len(same) == len(objects):
                self.result = list(same)
                self.fresh = stored
                return
        from sphinxcontrib_aidoc.quality import SCORING_VERSION  # noqa: PLC0415

        judge = repr(
            (SCORING_VERSION, config.style, sorted(config.quality_weights.items()))
        )
        for snapshot in objects.values():
            entry = stored.get(snapshot.qualname)
            # What the object's analysis depends on, known without loading it:
            # an unchanged key keeps the score and loads nothing.
            depends = runtime.analysis_print(snapshot.module)
            shown = (snapshot.docstring_hash, str(snapshot.generated), judge)
            key = "|".join((*shown, depends)) if depends is not None else ""
            score = unpack_score(entry[1]) if entry is not None else None
            if key and entry is not None and entry[0] == key and score is not None:
                self.fresh[snapshot.qualname] = entry
                self.result.append((score, snapshot))
                continue
            info = runtime.defined(snapshot.defined_as, snapshot.module)
            info = info or _bare_info(snapshot)
            init = runtime.defined(f"{snapshot.defined_as}.__init__", snapshot.module)
            key = key or "|".join(
                (
                    *shown,
                    info.source_hash,
                    init.source_hash if init else "",
                    (init.docstring or "") if init else "",
                )
            )
            if entry is not None and entry[0] == key and score is not None:
                self.fresh[snapshot.qualname] = entry
                self.result.append((score, snapshot))
                continue
            init_docstring = init.docstring if init else None
            # Scored while the build waited for the project pass, if it
            # was from the same record and docstring (:mod:`.ahead`).
            ahead = runtime.scored_ahead.pop(snapshot.qualname, None)
            score = (
                ahead.taken(
                    info, snapshot.docstring, snapshot.generated, init_docstring
                )
                if ahead is not None
                else None
            )
            index = len(self.result)
            self.result.append((score, snapshot))
            if score is not None:
                self._scored(index, key, score, snapshot)
                continue
            todo = (index, key, info, snapshot.docstring, snapshot.generated)
            self.todo.append((*todo, init_docstring))

    def finish(self, runtime: Runtime) -> list[tuple[Score, ObjectSnapshot]]:
        """Score what is left (taking the copy's scores), keep, return all."""
        made = self.apart.result() if self.apart is not None else None
        if made is None or len(made) != len(self.todo):
            made = [None] * len(self.todo)
        evaluator: DocstringEvaluator | None = None
        for (index, key, info, docstring, generated, init_doc), apart in zip(
            self.todo, made, strict=True
        ):
            score = apart
            if score is None:
                if evaluator is None:
                    evaluator = _evaluator(self.config)
                score = evaluator.evaluate(
                    info, docstring, generated=generated, init_docstring=init_doc
                )
            self._scored(index, key, score, self.result[index][1])
        if self.scored_now or self.fresh.keys() != self.stored_names:
            _store_scores(runtime, self.fresh)
        return [(s, snapshot) for s, snapshot in self.result if s is not None]

    def _scored(
        self, index: int, key: str, score: Score, snapshot: ObjectSnapshot
    ) -> None:
        # The table and its links use the name the page shows.
        score = dataclasses.replace(score, qualname=snapshot.qualname)
        self.fresh[snapshot.qualname] = (key, pack_score(score))
        self.result[index] = (score, snapshot)
        self.scored_now = True


def _scores(config: AidocConfig, todo: list[_ToScore]) -> list[Score | None]:
    """In the forked copy: the score of each object of *todo* (None: failed)."""
    evaluator = _evaluator(config)
    scores: list[Score | None] = []
    for _, _, info, docstring, generated, init_docstring in todo:
        try:
            score: Score | None = evaluator.evaluate(
                info, docstring, generated=generated, init_docstring=init_docstring
            )
        except Exception:  # noqa: BLE001 (scored again by the build, which reports)
            score = None
        scores.append(score)
    return scores


def _evaluator(config: AidocConfig) -> DocstringEvaluator:
    """The evaluator *config* asks for, made when an object has to be scored.

    A build whose scores are all kept never imports it and its rules.
    """
    from sphinxcontrib_aidoc.quality import DocstringEvaluator  # noqa: PLC0415

    return DocstringEvaluator.from_config(config)


#: The database row keeping the last build's score entries (see
#: :func:`project_scores`), in the analysis table beside the analyses.
_SCORES_KEY = "scores:last-build"


def _stored_scores(runtime: Runtime) -> dict[str, tuple[str, dict[str, Any]]]:
    """The score entries the last build kept in the database; {} if none."""
    if runtime.store is None:
        return {}
    try:
        payload = runtime.store.analysis_get(_SCORES_KEY)
        loaded = json.loads(payload) if payload else {}
        return {
            name: (str(key), dict(packed)) for name, (key, packed) in loaded.items()
        }
    except (StoreError, ValueError, TypeError, AttributeError):
        return {}  # no row, an older or a damaged one: scored again, then kept


def _store_scores(
    runtime: Runtime, entries: dict[str, tuple[str, dict[str, Any]]]
) -> None:
    """Keep *entries* in the database for the next fresh environment.

    Not when an analysis was cut short by the wall clock (held, not
    stored): a score read from it would outlive it under the same key.
    """
    if runtime.store is None or runtime.held_analyses:
        return
    payload = json.dumps(entries, sort_keys=True)
    # A store that cannot write only costs the scoring next time.
    with contextlib.suppress(StoreError):
        runtime.store.analysis_put(
            _SCORES_KEY, module="", file=_SCORES_KEY, payload=payload
        )


def pack_score(score: Score) -> dict[str, Any]:
    """*score* as plain data, to keep in the environment (see :func:`unpack_score`)."""
    packed = {f.name: getattr(score, f.name) for f in dataclasses.fields(score)}
    packed["findings"] = tuple(dataclasses.astuple(f) for f in score.findings)
    return packed


def unpack_score(packed: dict[str, Any]) -> Score | None:
    """The score :func:`pack_score` kept; None if its record has changed since."""
    from sphinxcontrib_aidoc.quality import Finding, Score  # noqa: PLC0415

    try:
        findings = tuple(Finding(*fields) for fields in packed["findings"])
        return Score(**{**packed, "findings": findings})
    except (KeyError, TypeError):
        return None


def score_of(app: Sphinx) -> dict[str, float]:
    """The overall score of every documented object, by the name shown."""
    return {snapshot.qualname: score.overall for score, snapshot in project_scores(app)}


def complexity_of(app: Sphinx) -> dict[str, int]:
    """The cyclomatic complexity of every documented object, by the name shown."""
    return {
        snapshot.qualname: score.complexity for score, snapshot in project_scores(app)
    }


def _bare_info(snapshot: ObjectSnapshot) -> ObjectInfo:
    """What the snapshot alone tells when analysis does not know the object."""
    return ObjectInfo(
        qualname=snapshot.qualname,
        module=snapshot.module,
        kind=snapshot.kind,
        file=snapshot.file,
        lineno=snapshot.lineno,
        signature=snapshot.signature,
    )
