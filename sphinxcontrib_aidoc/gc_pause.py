"""Garbage collection paused while aidoc builds large, long-lived structures.

Python's cyclic collector runs after every few hundred allocations, and
each full collection walks every tracked object of the process: in a
Sphinx build, the environment of every page and, with aidoc, the records
of every object. Work that allocates tens of thousands of objects at
once (loading the stored analyses, the project pass, the call graph, the
scores and search records of the whole project) would pay for many such
walks while creating little garbage. Measured on a 5,000-object project's
incremental rebuild, the project pass spent more than a third of its time
in the collector.

:func:`gc_paused` turns the collector off for such a stretch and restores
it as it was; what the stretch left as garbage is collected by the next
collection after it (the allocation count goes on while paused).

:func:`freeze_survivors` serves a build as a whole. What a build keeps to
its end (the environment it loaded or read, the records aidoc loaded) is
walked again by every full collection, and a Sphinx build makes many:
profiled at 5,000 objects, an incremental rebuild spent a third of its
time in the collector, most of it walking that same heap. Frozen
(:func:`gc.freeze`), it is left out of every collection until
:func:`thaw` gives it back at the end of the build. Only what is alive
once aidoc's pre-read is done, and what reading adds only when it read
few pages: it includes the doctrees Sphinx drops once written, which
frozen would be kept to the end.

:func:`collect_less` raises the collector's thresholds for the build
(:data:`BUILD_THRESHOLDS`). Freezing makes full collections cheaper but
more frequent (CPython starts one when what survived since the last grew
by a quarter of what that one left, and frozen objects no longer count),
and reading a page leaves much short-lived cyclic garbage (docutils' state
machines and nodes point back at their parents). Measured on a first
build at 5,000 objects: 35 full collections and 14.3 s of the collector
with the defaults, 5 and 7.2 s with these, peak memory the same; at
1,000-2,000 objects the peak is about a sixth higher (1.26x plain's ->
1.47x), garbage waiting longer for a full collection.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator
from types import FrameType


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside; usable as a decorator too."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def freeze_survivors(*, collect: bool = False) -> None:
    """Leave every object alive now out of later collections (until :func:`thaw`).

    With *collect*, garbage is collected first; without, what is garbage
    now but not yet collected is kept until the thaw (call it so where a
    collection has just run, or where little garbage is pending).
    """
    global _frozen  # noqa: PLW0603 - the process's collector is global too
    if collect:
        gc.collect()
    gc.freeze()
    _frozen = True


def collect_less() -> None:
    """Collect less often until :func:`thaw` (:data:`BUILD_THRESHOLDS`).

    Thresholds already higher than those are kept.
    """
    global _thresholds  # noqa: PLW0603
    if _thresholds is None:
        _thresholds = gc.get_threshold()
        gc.set_threshold(
            *(
                max(now, build)
                for now, build in zip(_thresholds, BUILD_THRESHOLDS, strict=True)
            )
        )


def thaw(*, keep_frozen: bool = False) -> None:
    """Give back the thresholds, and what :func:`freeze_survivors` froze.

    With *keep_frozen*, the frozen objects stay frozen until
    :func:`release_frozen` (the next build's start): a process that exits
    after the build then does not walk them again in the collection
    Python makes at exit, which over a whole build's heap costs about as
    much as all the build's own collections.
    """
    global _thresholds  # noqa: PLW0603
    if not keep_frozen:
        release_frozen()
    if _thresholds is not None:
        gc.set_threshold(*_thresholds)
        _thresholds = None


def release_frozen() -> None:
    """Give back what :func:`freeze_survivors` froze, if anything is."""
    global _frozen  # noqa: PLW0603
    if _frozen:
        gc.unfreeze()
        _frozen = False


def started_by_command_line() -> bool:
    """Whether this build runs inside ``sphinx-build``'s own ``build_main``.

    ``sphinx-build``, ``python -m sphinx`` and a script calling
    ``sphinx.cmd.build.main`` run the build there, and the process then
    ends; an application made otherwise (``sphinx.testing``, a tool that
    builds again and again) is not.
    """
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "build_main" and frame.f_globals.get("__name__") == (
            "sphinx.cmd.build"
        ):
            return True
        frame = frame.f_back
    return False


#: Whether :func:`freeze_survivors` froze objects that :func:`thaw` has not
#: given back.
_frozen = False
#: The collector's thresholds for a build (:func:`collect_less`): a young
#: collection every 2,000 new objects instead of 700, a full one after 50
#: collections of the middle generation instead of 10.
BUILD_THRESHOLDS = (2000, 10, 50)
#: The thresholds :func:`collect_less` replaced (None: it has not, or
#: :func:`thaw` put them back).
_thresholds: tuple[int, int, int] | None = None
