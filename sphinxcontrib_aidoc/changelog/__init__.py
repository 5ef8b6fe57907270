"""The API changelog: what changed between builds, and how to show it.

Core only (no Sphinx, no SQLite): :func:`compare` turns two build snapshots
into :class:`~sphinxcontrib_aidoc.model.ChangeEvent` records,
:func:`breaking_reasons` judges a signature change, :func:`select` reads a
changelog from a :class:`ChangeSource` (the store) with the filters of a
:class:`Query`, and :mod:`~sphinxcontrib_aidoc.changelog.render` writes it
as Markdown, reST, JSON or Atom.
"""

from __future__ import annotations

from sphinxcontrib_aidoc.changelog._compare import compare, is_public
from sphinxcontrib_aidoc.changelog._query import (
    BuildInfo,
    Changelog,
    ChangeSource,
    Query,
    ReleaseGroup,
    SinceError,
    by_build,
    by_release,
    resolve_since,
    select,
    sort_key,
)
from sphinxcontrib_aidoc.changelog._signature import breaking_reasons, parse_params

__all__ = [
    "BuildInfo",
    "ChangeSource",
    "Changelog",
    "Query",
    "ReleaseGroup",
    "SinceError",
    "breaking_reasons",
    "by_build",
    "by_release",
    "compare",
    "is_public",
    "parse_params",
    "resolve_since",
    "select",
    "sort_key",
]
