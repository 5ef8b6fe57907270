"""What a build does after the project pass, done ahead while it waits for it.

A serial first build waits, once every page is read, for its analysis child
to finish the project pass (0.8 s on tomlkit's docs, most of it with the
build's process idle). After the pass, the build drafts the objects the
pages show, writes the objects autodoc showed meanwhile and parses their
lines (:mod:`.deferred`), each from the records the pass gives. Most
records are those of the modules' own analyses, which the child sent back
before the pass: the pass changes only types it proves across modules.

So while it waits, once the other warm-ups are done (:mod:`.preread`), the
build does that work from the records it has (:func:`work_ahead`):

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
  guessed takes what they parsed to.

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

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinxcontrib_aidoc.analyze.persist import BackgroundAnalyses
    from sphinxcontrib_aidoc.model import Draft, ObjectInfo
    from sphinxcontrib_aidoc.sphinxext.deferred import Entry
    from sphinxcontrib_aidoc.sphinxext.preread import Preparation
    from sphinxcontrib_aidoc.sphinxext.runtime import Runtime


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
    """
    with gc_paused():
        parsed = _work_ahead(preparation, analyses, until)
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
    if until() or not entries:
        return 0
    return parse_ahead(
        preparation.app,
        runtime,
        _written_of(preparation, runtime, resolve, drafts),
        until,
    )


def _written_of(
    preparation: Preparation,
    runtime: Runtime,
    resolve: Callable[[str, object], ObjectInfo | None],
    drafts: dict[str, Draft],
) -> Callable[[Entry], list[str] | None]:
    """The lines an entry is expected to get once written (None: no guess)."""
    from sphinxcontrib_aidoc.sphinxext.autodoc import compose  # noqa: PLC0415 (cycle)

    def drafted(info: ObjectInfo) -> Draft:
        draft = runtime.drafts.get(info.qualname) or drafts.get(info.qualname)
        if draft is None:
            raise _NotAhead(info.qualname)
        return draft

    def written_of(entry: Entry) -> list[str] | None:
        try:
            info = resolve(entry.name, entry.obj)
            composed = (
                compose(
                    preparation.app,
                    runtime,
                    entry.what,
                    entry.name,
                    entry.obj,
                    entry.options,
                    list(entry.lines),
                    info,
                    drafted,
                )
                if info is not None
                else None
            )
        except Exception:  # noqa: BLE001 (_NotAhead, or user code: written later)
            return None
        return composed[2] if composed is not None else None

    return written_of
