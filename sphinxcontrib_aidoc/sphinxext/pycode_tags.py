"""Sphinx's parse of a module, without the definitions' line ranges until they are read.

``ModuleAnalyzer.analyze`` runs two parses of a module's source: the
comments' (``ast``: the ``#:`` comments, the annotations, the overloads
and the order of definitions), which autodoc reads, and the definitions'
(a walk over the source's tokens giving each class and function its
line range, ``ModuleAnalyzer.tags``), which only ``viewcode`` and
``literalinclude``'s ``:pyobject:`` read in Sphinx. The token walk is the
slower of the two: on tomlkit's own docs (14 modules autodoc parses,
``typing``, ``datetime`` and ``enum`` among them) about 0.27 s of the
0.47 s Sphinx spends parsing, in every build that reads pages with
nothing kept (:mod:`.pycode_kept`).

:func:`defer_definitions` makes ``analyze`` leave that walk out, and
``ModuleAnalyzer.tags`` a property that runs the same walk over the same
text the first time it is read, then keeps it: viewcode, literalinclude
or any other extension reads what Sphinx would have given it, and a
build that reads none never walks. One difference, where the comments'
parse succeeds and the walk fails (Sphinx's tokenizer and ``ast`` agree
on what parses, so no such source is known): autodoc now gets the
comments, where Sphinx dropped the whole parse; the walk's error is
raised, as Sphinx raises it, when ``tags`` is read.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sphinx.errors import PycodeError
from sphinx.pycode import ModuleAnalyzer
from sphinx.pycode.parser import Parser

#: Where an analyzer keeps its definitions (or :data:`_DEFERRED`).
_KEY = "_aidoc_tags"
#: Definitions not walked yet.
_DEFERRED: Any = object()

_Tags = dict[str, tuple[str, int, int]]


def defer_definitions() -> None:
    """Make ``ModuleAnalyzer`` walk the definitions only when read (once per process)."""
    if _deferred_here():
        return
    analyze = ModuleAnalyzer.analyze
    ModuleAnalyzer.analyze = _deferring(analyze)  # type: ignore[method-assign]
    ModuleAnalyzer.tags = property(_tags, _set_tags)  # type: ignore[assignment]


def walked(analyzer: ModuleAnalyzer) -> _Tags | None:
    """*analyzer*'s definitions if they were walked (or restored), else None."""
    if not _deferred_here():
        return analyzer.tags
    value = vars(analyzer).get(_KEY, _DEFERRED)
    return None if value is _DEFERRED else value


def _deferred_here() -> bool:
    """Whether :func:`defer_definitions` ran in this process."""
    return isinstance(vars(ModuleAnalyzer).get("tags"), property)


def _deferring(analyze: Callable[[ModuleAnalyzer], None]) -> Callable[..., None]:
    @functools.wraps(analyze)
    def deferred(self: ModuleAnalyzer) -> None:
        with _walk_left_out():
            analyze(self)

    return deferred


@contextmanager
def _walk_left_out() -> Iterator[None]:
    """``Parser.parse_definition`` notes the walk as not done, meanwhile."""
    walk = Parser.parse_definition

    def note(self: Parser) -> None:
        self.definitions = _DEFERRED

    Parser.parse_definition = note  # type: ignore[method-assign]
    try:
        yield
    finally:
        Parser.parse_definition = walk  # type: ignore[method-assign]


def _tags(self: ModuleAnalyzer) -> _Tags:
    value = vars(self).get(_KEY, _DEFERRED)
    if value is _DEFERRED:
        parser = Parser(self.code)
        try:
            parser.parse_definition()
        except Exception as exc:
            # (as ``analyze`` says it, which would have raised it)
            msg = f"parsing {self.srcname!r} failed: {exc!r}"
            raise PycodeError(msg) from exc
        value = vars(self)[_KEY] = parser.definitions
    return value  # type: ignore[no-any-return]


def _set_tags(self: ModuleAnalyzer, value: _Tags) -> None:
    vars(self)[_KEY] = value
