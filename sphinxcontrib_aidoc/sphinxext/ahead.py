"""What a build does after the project pass, done ahead while it waits for it.

A serial first build waits, once every page is read, for its analysis child
to finish the project pass (0.8 s on tomlkit's docs, most of it with the
build's process idle). After the pass, the build drafts the objects the
pages show, writes the objects autodoc showed meanwhile and parses their
lines (:mod:`.deferred`), each from the records the pass gives. Most
records are those of the modules' own analyses, which the child sent back
before the pass: the pass changes only types it proves across modules.

So while it waits, once the other warm-ups are done (:mod:`.preread`) and
every module's records are in (``BackgroundAnalyses.modules_done``), the
build does that work from those records (:func:`work_ahead`):

* it words the two batches it will draft (the pre-read's, then the objects
  autodoc showed that the pre-read did not foresee) offline
  (:meth:`~sphinxcontrib_aidoc.generate.Generator.draft_ahead`). A batch
  drafted after the pass takes those drafts only when it is the same
  objects, in the same order, with equal records: an object's wording
  reads its class and the overrides in the batch;
* it writes the lines of each object with no docstring as
  :func:`~.autodoc.compose` would, with those drafts, and parses them as
  :func:`~.deferred.fill_deferred` would (:func:`~.deferred.parse_ahead`).
  An object whose lines, once written after the pass, are the ones
  guessed takes what they parsed to;
* it scores every object autodoc showed, as shown with those lines
  (:class:`ScoredAhead`): ``quality.project_scores`` takes a score whose
  record, docstring and ``__init__`` docstring are the ones it scores.

Nothing is recorded, stored or counted ahead: the drafts count and are
cached when a batch takes them, the objects are recorded when written.
Equal inputs give equal results, so the pages are those of a build that
did it all after the pass (a test compares them). With another provider
than the offline one nothing is drafted ahead (a paid call is made once,
for the batch as it is after the pass), and so nothing is parsed ahead.
Every step stops as soon as the child is done (*until*).
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.gc_pause import gc_paused
from sphinxcontrib_aidoc.sphinxext.members import definition
from sphinxcontrib_aidoc.sphinxext.reporting import logger

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinxcontrib_aidoc.analyze.persist import BackgroundAnalyses
    from sphinxcontrib_aidoc.model import Draft, ObjectInfo
    from sphinxcontrib_aidoc.quality import Score
    from sphinxcontrib_aidoc.sphinxext.deferred import Entry
    from sphinxcontrib_aidoc.sphinxext.preread import Preparation
    from sphinxcontrib_aidoc.sphinxext.runtime import Runtime


#: How long :func:`work_ahead` waits at a time for the modules' records (s).
_TURN = 0.01


class _NotAhead(LookupError):  # noqa: N818 (what happened, not a failure)
    """An object with no draft made ahead: its lines are not guessed."""


def work_ahead(
    preparation: Preparation,
    analyses: BackgroundAnalyses,
    *,
    until: Callable[[], bool],
) -> int:
    """Draft, write and parse ahead what follows the pass; how many were parsed.

    The collector is paused meanwhile: before the pre-read is done, what the
    build holds is not frozen yet (:func:`~.gc_pause.freeze_survivors`),
    and each full collection would walk every page read. What the parse
    leaves as garbage is collected with the youngest generation after.
    Whatever fails here (the wording of an odd record, user code behind an
    attribute) is done after the pass instead, where it is reported as
    without this: nothing made ahead is taken unless its inputs are equal.
    """
    try:
        with gc_paused():
            parsed = _work_ahead(preparation, analyses, until)
    except Exception as exc:  # noqa: BLE001 (an optimisation: done after the pass)
        logger.debug("aidoc: the work ahead of the pass stopped: %r", exc)
        parsed = 0
    gc.collect(0)
    return parsed


def _work_ahead(
    preparation: Preparation,
    analyses: BackgroundAnalyses,
    until: Callable[[], bool],
) -> int:
    from sphinxcontrib_aidoc.analyze.persist import peek  # noqa: PLC0415
    from sphinxcontrib_aidoc.sphinxext.autodoc import late_batch  # noqa: PLC0415 (cycle)
    from sphinxcontrib_aidoc.sphinxext.deferred import parse_ahead  # noqa: PLC0415

    runtime = preparation.runtime
    while not analyses.modules_done.wait(_TURN):  # (the records are not all in)
        if until():
            return 0
    if until():
        return 0
    records: dict[str, ObjectInfo] = {}
    for payload in analyses.made().values():
        for info in peek(payload) or ():
            records.setdefault(info.qualname, info)
    if not records:
        return 0

    def resolve(name: str, obj: object) -> ObjectInfo | None:
        # The first way the runtime's resolve finds a record (its others
        # give no batch equal to the one after the pass: nothing is taken).
        del name
        where = definition(obj)
        if where is None or runtime.is_external(where.module):
            return None
        return records.get(where.dotted)

    generator = runtime.generator
    planned = preparation.to_draft(resolve)
    drafts = dict(generator.draft_ahead(planned.values(), until))
    if until() or not drafts:
        return 0
    entries = runtime.deferred.entries
    drafted = runtime.drafts.keys() | planned.keys()
    late = late_batch(runtime, entries, resolve, drafted)
    drafts.update(generator.draft_ahead(late.values(), until))
    # Parsing sets the environment up for each page: not while Sphinx reads
    # one (a page that waits, an autosummary table), only once all are read.
    reading = getattr(getattr(preparation.env, "current_document", None), "docname", "")
    if until() or not entries or reading:
        return 0
    composer = _Composer(preparation, resolve, drafts)
    parsed = parse_ahead(preparation.app, runtime, composer.written, until)
    _score_ahead(runtime, composer, records, until)
    return parsed


class ScoredAhead:
    """One object's score made ahead, and what it was made from."""

    __slots__ = ("docstring", "generated", "info", "init_docstring", "score")

    def __init__(
        self,
        info: ObjectInfo,
        docstring: str,
        generated: bool,
        init_docstring: str | None,
        score: Score,
    ) -> None:
        self.info = info
        self.docstring = docstring
        self.generated = generated
        self.init_docstring = init_docstring
        self.score = score

    def taken(
        self,
        info: ObjectInfo,
        docstring: str,
        generated: bool,
        init_docstring: str | None,
    ) -> Score | None:
        """The score, if it was made from these; else None (score it now)."""
        same = (
            self.docstring == docstring
            and self.generated == generated
            and self.init_docstring == init_docstring
            and (self.info is info or self.info == info)
        )
        return self.score if same else None


def _score_ahead(
    runtime: Runtime,
    composer: _Composer,
    records: dict[str, ObjectInfo],
    until: Callable[[], bool],
) -> None:
    """Score ahead each object noted, as it is expected to be shown."""
    from sphinxcontrib_aidoc.quality import DocstringEvaluator  # noqa: PLC0415
    from sphinxcontrib_aidoc.sphinxext.autodoc import snapshot_of  # noqa: PLC0415 (cycle)

    evaluator = DocstringEvaluator.from_config(runtime.config)
    for entry in runtime.deferred.entries:
        if until():
            return
        composed = composer.composed(entry)
        if composed is None or entry.name in runtime.scored_ahead:
            continue
        info, shown, draft = composed
        # (the docstring and flag the object's snapshot will hold)
        shown_as = snapshot_of(info, entry.name, entry.docname, shown, draft)
        init = records.get(f"{info.qualname}.__init__")
        init_docstring = init.docstring if init else None
        try:
            score = evaluator.evaluate(
                info,
                shown_as.docstring,
                generated=shown_as.generated,
                init_docstring=init_docstring,
            )
        except Exception:  # noqa: BLE001, S112 (scored later, where it is reported)
            continue
        runtime.scored_ahead[entry.name] = ScoredAhead(
            info, shown_as.docstring, shown_as.generated, init_docstring, score
        )


class _Composer:
    """What each noted object is expected to show once written (each once)."""

    def __init__(
        self,
        preparation: Preparation,
        resolve: Callable[[str, object], ObjectInfo | None],
        drafts: dict[str, Draft],
    ) -> None:
        self._preparation = preparation
        self._resolve = resolve
        self._drafts = drafts
        self._done: dict[
            int, tuple[ObjectInfo, list[str], Draft | None, list[str] | None] | None
        ] = {}

    def composed(
        self, entry: Entry
    ) -> tuple[ObjectInfo, list[str], Draft | None] | None:
        """Its record, the docstring shown and its draft; None: no guess."""
        found = self._compose(entry)
        return None if found is None else found[:3]

    def written(self, entry: Entry) -> list[str] | None:
        """The lines it is expected to get (None: its own, or no guess)."""
        found = self._compose(entry)
        return None if found is None else found[3]

    def _compose(
        self, entry: Entry
    ) -> tuple[ObjectInfo, list[str], Draft | None, list[str] | None] | None:
        if id(entry) in self._done:
            return self._done[id(entry)]
        from sphinxcontrib_aidoc.sphinxext.autodoc import compose  # noqa: PLC0415 (cycle)

        preparation = self._preparation
        found = None
        try:
            info = self._resolve(entry.name, entry.obj)
            composed = (
                compose(
                    preparation.app,
                    preparation.runtime,
                    entry.what,
                    entry.name,
                    entry.obj,
                    entry.options,
                    list(entry.lines),
                    info,
                    self._draft,
                )
                if info is not None
                else None
            )
            if info is not None and composed is not None:
                found = (info, *composed)
        except Exception:  # noqa: BLE001, S110 (_NotAhead, or user code: done later)
            pass
        self._done[id(entry)] = found
        return found

    def _draft(self, info: ObjectInfo) -> Draft:
        draft = self._preparation.runtime.drafts.get(info.qualname)
        if draft is None:
            draft = self._drafts.get(info.qualname)
        if draft is None:
            raise _NotAhead(info.qualname)
        return draft
