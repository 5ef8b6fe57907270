"""Recoverable problems, reported without Sphinx.

The core never raises for bad input: it returns its best result and hands a
:class:`Diagnostic` to a :class:`Reporter`. The Sphinx glue turns them into
``logger.warning(..., type="aidoc", subtype=...)``; the CLI prints them to
stderr.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Protocol

#: Every warning subtype aidoc emits (``suppress_warnings = ["aidoc.<subtype>"]``).
SUBTYPES: tuple[str, ...] = (
    "config",
    "parse",
    "infer",
    "provider",
    "throttle",
    "batch",
    "budget",
    "sanitize",
    "rejected",
    "cache",
    "db",
    "directive",
    "quality",
)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem: a subtype from :data:`SUBTYPES`, a message, a location.

    ``location`` is ``"path/to/file.py:12"``, a path, or ``""``.
    ``level`` is ``"warning"`` or ``"error"`` (errors fail the build).
    ``transient`` marks a problem of this run's machine rather than of the
    input (inference cut short by the wall clock): a result that carries one
    is not kept between runs.
    """

    subtype: str
    message: str
    location: str = ""
    level: str = "warning"
    transient: bool = False

    def __post_init__(self) -> None:
        if self.subtype not in SUBTYPES:
            msg = f"unknown diagnostic subtype {self.subtype!r}"
            raise ValueError(msg)

    def format(self) -> str:
        """Render as ``location: WARNING: message [aidoc.subtype]``."""
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.level.upper()}: {self.message} [aidoc.{self.subtype}]"


class Reporter(Protocol):
    """Receives diagnostics from the core."""

    def report(self, diagnostic: Diagnostic) -> None:
        """Handle one diagnostic."""


class ListReporter:
    """Collects diagnostics in a list (tests, and batching before logging)."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def report(self, diagnostic: Diagnostic) -> None:
        """Append *diagnostic*."""
        self.diagnostics.append(diagnostic)


class StderrReporter:
    """Prints diagnostics to stderr, once each (the CLI's reporter)."""

    def __init__(self, suppress: frozenset[str] = frozenset()) -> None:
        self._seen: set[Diagnostic] = set()
        self._suppress = suppress
        self.count = 0

    def report(self, diagnostic: Diagnostic) -> None:
        """Print *diagnostic* unless suppressed or already printed."""
        if diagnostic.subtype in self._suppress or diagnostic in self._seen:
            return
        self._seen.add(diagnostic)
        self.count += 1
        sys.stderr.write(diagnostic.format() + "\n")
