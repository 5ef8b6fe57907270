"""How a build shows its progress, and where its time goes.

On a terminal, aidoc's stages show Sphinx's own progress bars (one line
rewritten in place): analysis module by module, generation object by
object. In a CI log (standard output is not a terminal) a bar prints a line
per step, so each stage prints a few summary lines instead: what it starts,
a line every :data:`CI_EVERY` seconds while it runs long, and what it did.

:class:`Stopwatch` times the stages of a build for ``aidoc stats``; a stage
started inside another pauses it, so the seconds add up to the build's.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sphinx.util import logging
from sphinx.util.display import status_iterator

logger = logging.getLogger("sphinxcontrib_aidoc")

#: Seconds between two progress lines of one stage in a CI log.
CI_EVERY = 30.0


def on_terminal() -> bool:
    """Whether ``sphinx-build``'s output (standard output) is a terminal."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # replaced or closed stream
        return False


class Stopwatch:
    """Seconds spent by stage; a nested stage pauses the one around it."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self._clock = clock
        self.started = clock()
        self.totals: dict[str, float] = {}
        self._stack: list[str] = []
        self._since = self.started

    def _switch(self) -> None:
        now = self._clock()
        if self._stack:
            stage = self._stack[-1]
            self.totals[stage] = self.totals.get(stage, 0.0) + now - self._since
        self._since = now

    def start(self, stage: str) -> None:
        """Start timing *stage* (pausing the stage running now)."""
        self._switch()
        self._stack.append(stage)

    def stop(self, stage: str) -> None:
        """Stop timing *stage* (resuming the stage it paused)."""
        self._switch()
        if stage in self._stack:
            del self._stack[len(self._stack) - 1 - self._stack[::-1].index(stage)]

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        """Time the block as *stage*."""
        self.start(stage)
        try:
            yield
        finally:
            self.stop(stage)

    def elapsed(self) -> float:
        """Seconds since the stopwatch was made."""
        return self._clock() - self.started


def each_module(modules: list[str], verbosity: int) -> Iterator[str]:
    """Yield *modules* while showing analysis progress (see the module doc)."""
    total = len(modules)
    if on_terminal():
        yield from status_iterator(
            modules, "aidoc: analysing... ", "darkgreen", total, verbosity
        )
        return
    logger.info("aidoc: analysing %d module(s)", total)
    started = last = time.monotonic()
    for done, modname in enumerate(modules, 1):
        yield modname
        now = time.monotonic()
        if now - last >= CI_EVERY and done < total:
            logger.info("aidoc: analysed %d of %d module(s)", done, total)
            last = now
    logger.info(
        "aidoc: analysed %d module(s) in %.1f s", total, time.monotonic() - started
    )


class StatusProgress:
    """Shows a provider batch with Sphinx's own ``status_iterator``.

    The batch calls :meth:`advance` as each object is done; each call moves
    the iterator one step, so the bar is Sphinx's, in Sphinx's colours.
    """

    def __init__(self, summary: str, verbosity: int) -> None:
        self.summary = summary
        self.verbosity = verbosity
        self._pending: deque[str] = deque()
        self._steps: Iterator[str] | None = None

    def _items(self) -> Iterator[str]:
        while True:  # advance() queues exactly one name before each step
            yield self._pending.popleft()

    def start(self, total: int) -> None:
        """Begin a bar of *total* steps."""
        self._steps = status_iterator(
            self._items(), self.summary, "darkgreen", total, self.verbosity
        )

    def advance(self, qualname: str) -> None:
        """Show one more object done."""
        if self._steps is None:
            return
        self._pending.append(qualname)
        next(self._steps)

    def note(self, text: str) -> None:
        """Show a status line while the batch waits (Retry-After, a slow server)."""
        logger.info(text)

    def finish(self) -> None:
        """End the bar's line."""
        if self._steps is not None:
            self._steps = None
            logger.info("")


class SummaryProgress:
    """A provider batch in a CI log: a start line, a line now and then, an end."""

    def __init__(self, what: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.what = what
        self._clock = clock
        self._total = 0
        self._done = 0
        self._started = self._last = 0.0

    def start(self, total: int) -> None:
        """Say how many objects the batch has."""
        self._total, self._done = total, 0
        self._started = self._last = self._clock()
        logger.info("aidoc: %s %d object(s)", self.what, total)

    def advance(self, qualname: str) -> None:
        """Count one more object; print a line when the last one is old."""
        del qualname
        self._done += 1
        now = self._clock()
        if now - self._last >= CI_EVERY and self._done < self._total:
            logger.info("aidoc: %d of %d done", self._done, self._total)
            self._last = now

    def note(self, text: str) -> None:
        """Show a status line while the batch waits."""
        logger.info(text)

    def finish(self) -> None:
        """Say what the batch did, and how long it took."""
        logger.info(
            "aidoc: %d of %d done in %.1f s",
            self._done,
            self._total,
            self._clock() - self._started,
        )


def batch_progress(verbosity: int) -> StatusProgress | SummaryProgress:
    """The progress display of a provider batch for where Sphinx writes."""
    if on_terminal():
        return StatusProgress("aidoc: generating docstrings... ", verbosity)
    return SummaryProgress("generating docstrings for")
