"""What each file imports, kept in the database too, for a fresh environment.

The import graph (``analyze._deps.ImportGraph.scan``) parses every file of
a package once and keeps, per file and content digest, what it imports and
defines in the environment (``AidocDomain.imports``), so an incremental
build parses only the files that changed. A fresh environment (``-E``, a
deleted ``_build``) would parse them all again; the same entries are kept
in the database's analysis table, one row per file (its path and content
digest, what it imports and defines), and read back at ``builder-inited``
when the environment has none. An entry is used only for a file whose
content has that digest, as in the environment.

Rows are written at ``build-finished``, only for the files parsed in this
build: a rebuild with nothing changed writes none and imports nothing.
"""

from __future__ import annotations

import contextlib
import json
import weakref
from typing import TYPE_CHECKING, Any

from sphinxcontrib_aidoc.store import StoreError

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinxcontrib_aidoc.analyze._deps import ModuleFacts, Parsed
    from sphinxcontrib_aidoc.store import Store

#: The rows' keys: this prefix and the file's path (one row per file; their
#: ``file`` column is the path and ``#imports``, apart from its analysis).
PREFIX = "imports:"
#: Bump when the payload's layout changes (older rows are then ignored).
_FORMAT = "imports 1"
#: Per build (its application): ``{file: digest}`` as the build started.
_AT_START: weakref.WeakKeyDictionary[Sphinx, dict[str, str]] = (
    weakref.WeakKeyDictionary()
)


def restore(app: Sphinx, store: Store | None, parsed: Parsed) -> None:
    """Fill an empty *parsed* from the database; note what it held at start."""
    if store is not None and not parsed:
        with contextlib.suppress(StoreError):
            parsed.update(load(store))
    _AT_START[app] = _digests(parsed)


def keep(app: Sphinx, store: Store, parsed: Parsed) -> int:
    """Store the entries of *parsed* added or changed in this build; count them."""
    before = _AT_START.pop(app, {})
    rows: list[tuple[str, str, str]] = []
    for file, (digest, facts) in parsed.items():
        if before.get(file) == digest:
            continue
        with contextlib.suppress(AttributeError):  # an older layout: not kept
            rows.append((PREFIX + file, file + "#imports", _pack(digest, facts)))
    if rows:
        # A store that cannot write only costs a parse after the next -E.
        with contextlib.suppress(StoreError):
            store.analysis_put_many(rows)
    return len(rows)


def load(store: Store) -> Parsed:
    """Every kept entry of the database (rows of another layout skipped)."""
    from sphinxcontrib_aidoc.analyze._deps import ModuleFacts  # noqa: PLC0415

    found: Parsed = {}
    for key, payload in store.analysis_prefixed(PREFIX):
        try:
            data = json.loads(payload)
            if data.get("format") != _FORMAT:
                continue
            facts = ModuleFacts(
                imports=frozenset(data["imports"]),
                uses={m: frozenset(n) for m, n in data["uses"].items()},
                defs={
                    name: (str(digest), frozenset(names))
                    for name, (digest, names) in data["defs"].items()
                },
                rest=data["rest"],
            )
            found[key.removeprefix(PREFIX)] = (str(data["digest"]), facts)
        except (ValueError, TypeError, KeyError, AttributeError):
            continue  # a damaged row: that file is parsed again
    return found


def _pack(digest: str, facts: ModuleFacts) -> str:
    data: dict[str, Any] = {
        "format": _FORMAT,
        "digest": digest,
        "imports": sorted(facts.imports),
        "uses": {m: sorted(n) for m, n in facts.uses.items()},
        "defs": {
            name: [value, sorted(names)] for name, (value, names) in facts.defs.items()
        },
        "rest": facts.rest,
    }
    return json.dumps(data, sort_keys=True)


def _digests(parsed: Parsed) -> dict[str, str]:
    return {file: entry[0] for file, entry in parsed.items()}
