"""The draft cache: one row per cache key, the draft stored as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from sphinxcontrib_aidoc.model import Draft
from sphinxcontrib_aidoc.store._base import StoreBase, chunks, dump_json, where_in

#: Columns of the ``cache`` table, in the order rows are written.
CACHE_COLUMNS = (
    "key",
    "qualname",
    "provider",
    "model",
    "style",
    "prompt_version",
    "draft_json",
    "created_at",
    "last_used_at",
    "hits",
)
_UPSERT = """
INSERT INTO cache (key, qualname, provider, model, style, prompt_version,
                   draft_json, created_at, last_used_at, hits)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (key) DO UPDATE SET
    qualname = excluded.qualname,
    provider = excluded.provider,
    model = excluded.model,
    style = excluded.style,
    prompt_version = excluded.prompt_version,
    draft_json = excluded.draft_json,
    created_at = excluded.created_at,
    last_used_at = excluded.last_used_at,
    hits = excluded.hits
"""
_SELECT = "SELECT key, draft_json FROM cache WHERE key IN ({marks})"
_HIT = "UPDATE cache SET hits = hits + 1, last_used_at = ? WHERE key IN ({marks})"
_DELETE = "DELETE FROM cache WHERE key IN ({marks})"


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One draft to cache, with what its key was made of."""

    key: str
    draft: Draft
    qualname: str = ""
    provider: str = ""
    model: str = ""
    #: Only rows of prompt version 1 have one: the style no longer changes a draft.
    style: str = ""
    prompt_version: str = ""


class CacheMixin(StoreBase):
    """The ``cache_*`` methods of :class:`~sphinxcontrib_aidoc.store.Store`."""

    def cache_get(self, key: str) -> Draft | None:
        """Return the cached draft for *key* and count the hit, or None.

        A row whose JSON does not describe a draft is deleted and is a miss.
        """
        return self.cache_get_many([key]).get(key)

    def cache_get_many(self, keys: Sequence[str]) -> dict[str, Draft]:
        """Return the cached drafts among *keys*, counting a hit for each.

        Keys are looked up 500 to a query. Rows that do not parse are
        deleted and left out. A read-only store counts no hits.
        """
        found: dict[str, Draft] = {}
        bad: list[str] = []
        with self._lock:
            for chunk in chunks(list(dict.fromkeys(keys))):
                rows = self.conn.execute(where_in(_SELECT, len(chunk)), chunk)
                for key, text in rows.fetchall():
                    draft = parse_draft(text)
                    if draft is None:
                        bad.append(key)
                    else:
                        found[key] = draft
            if self.readonly or not (found or bad):
                return found
            now = self._now()
            with self._writing():
                for chunk in chunks(list(found)):
                    self.conn.execute(where_in(_HIT, len(chunk)), [now, *chunk])
                for chunk in chunks(bad):
                    self.conn.execute(where_in(_DELETE, len(chunk)), chunk)
        return found

    def cache_put(
        self,
        key: str,
        draft: Draft,
        *,
        qualname: str,
        provider: str,
        model: str,
        prompt_version: str,
    ) -> None:
        """Store *draft* under *key*, replacing what was stored there.

        A replaced row starts again with no hits and new timestamps.
        """
        entry = CacheEntry(
            key, draft, qualname, provider, model, prompt_version=prompt_version
        )
        self.cache_put_many([entry])

    def cache_put_many(self, entries: Iterable[CacheEntry]) -> int:
        """Store many drafts in one transaction.

        Returns:
            The number of entries stored.
        """
        now = self._now()
        rows = [
            (
                *(e.key, e.qualname, e.provider, e.model, e.style, e.prompt_version),
                *(dump_json(e.draft.to_json()), now, now, 0),
            )
            for e in entries
        ]
        return self._upsert_cache(rows)

    def _upsert_cache(self, rows: list[tuple[Any, ...]]) -> int:
        if rows:
            with self._write() as db:
                db.conn.executemany(_UPSERT, rows)
        return len(rows)

    def cache_stats(self) -> dict[str, Any]:
        """Summarise the cache.

        Returns:
            ``entries``, ``hits`` (total), ``size_bytes`` (the database file
            plus its WAL, on disk), ``oldest`` and ``newest`` (``created_at``
            values, None when empty), and ``by_provider``: a list of
            ``{provider, model, entries, hits}``, one per pair.
        """
        (totals,) = self._rows(
            "SELECT count(*) AS entries, coalesce(sum(hits), 0) AS hits,"
            " min(created_at) AS oldest, max(created_at) AS newest FROM cache"
        )
        groups = self._rows(
            "SELECT provider, model, count(*) AS entries, sum(hits) AS hits"
            " FROM cache GROUP BY provider, model ORDER BY provider, model"
        )
        files = (self.path, self.path.with_name(self.path.name + "-wal"))
        size = sum(p.stat().st_size for p in files if p.is_file())
        return {**totals, "size_bytes": size, "by_provider": groups}

    def cache_clear(self, *, provider: str | None = None) -> int:
        """Delete cached drafts, all or one *provider*'s.

        Returns:
            The number of rows deleted.
        """
        with self._write() as db:
            if provider is None:
                return db.execute("DELETE FROM cache").rowcount
            return db.execute(
                "DELETE FROM cache WHERE provider = ?", [provider]
            ).rowcount

    def cache_export(self, fp: TextIO) -> int:
        """Write every cache row to *fp* as JSON lines, ordered by key.

        Each line is one object with the column names as keys (sorted), so
        the same cache always exports to the same text.

        Returns:
            The number of rows written.
        """
        count = 0
        with self._lock:
            for row in self.db.query("SELECT * FROM cache ORDER BY key"):
                fp.write(dump_json(row) + "\n")
                count += 1
        return count

    def cache_import(self, fp: TextIO) -> tuple[int, int]:
        """Upsert the rows of a :meth:`cache_export` file in one transaction.

        Lines that are not a valid row (bad JSON, no key, a draft that does
        not parse, wrong types) are skipped; blank lines are ignored. An
        imported row replaces a stored row with the same key.

        Returns:
            ``(imported, skipped)``.
        """
        now = self._now()
        rows: list[tuple[Any, ...]] = []
        skipped = 0
        for line in fp:
            if not line.strip():
                continue
            row = _import_row(line, now)
            if row is None:
                skipped += 1
            else:
                rows.append(row)
        return self._upsert_cache(rows), skipped


def parse_draft(text: object) -> Draft | None:
    """Return the draft stored as *text*, or None if it is not one."""
    try:
        data = json.loads(text) if isinstance(text, str) else None
        return Draft.from_json(data) if isinstance(data, dict) else None
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def _import_row(line: str, now: str) -> tuple[Any, ...] | None:
    """Return one exported line as a row to upsert; None if it is unusable."""
    try:
        data = json.loads(line)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    defaults: dict[str, Any] = {"created_at": now, "last_used_at": now, "hits": 0}
    row = {name: data.get(name, defaults.get(name, "")) for name in CACHE_COLUMNS}
    texts_ok = all(isinstance(row[name], str) for name in CACHE_COLUMNS[:-1])
    hits = row["hits"]
    hits_ok = isinstance(hits, int) and not isinstance(hits, bool) and hits >= 0
    if not (texts_ok and hits_ok and row["key"]):
        return None
    if parse_draft(row["draft_json"]) is None:
        return None
    return tuple(row.values())
