"""SphinxReporter: core diagnostics to Sphinx warnings (``type="aidoc"``)."""

from __future__ import annotations

from sphinx.util import logging

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
