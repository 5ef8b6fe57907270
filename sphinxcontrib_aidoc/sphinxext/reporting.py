"""SphinxReporter: core diagnostics to Sphinx warnings (``type="aidoc"``)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from sphinx.util import logging
from sphinx.util.display import status_iterator

from sphinxcontrib_aidoc.diagnostics import Diagnostic

logger = logging.getLogger("sphinxcontrib_aidoc")


class SphinxReporter:
    """Logs each diagnostic as ``WARNING: ... [aidoc.<subtype>]``."""

    def __init__(self, *, once: bool = True) -> None:
        self.once = once
        self.errors = 0

    def report(self, diagnostic: Diagnostic) -> None:
        """Log *diagnostic* with its subtype and location."""
        location: str | None = diagnostic.location or None
        message = diagnostic.message
        if location is not None and ":" not in location:
            # Sphinx reads a colon-less string as a docname: name the file
            # in the message instead.
            message, location = f"{location}: {message}", None
        if diagnostic.level == "error":
            self.errors += 1
            logger.error(
                message,
                type="aidoc",
                subtype=diagnostic.subtype,
                location=location,
            )
            return
        logger.warning(
            message,
            type="aidoc",
            subtype=diagnostic.subtype,
            location=location,
            once=self.once,
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
