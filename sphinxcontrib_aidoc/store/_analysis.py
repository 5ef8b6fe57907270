"""Analysis results kept between builds (the ``analysis`` table).

One row per analysed file and everything its records depend on (see
:func:`sphinxcontrib_aidoc.analyze.persist.analysis_key`); a file keeps only
its newest row, so the table does not grow build by build.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.store._base import StoreBase

if TYPE_CHECKING:
    from pathlib import Path


def keeps_analyses(path: Path) -> bool:
    """Whether the database at *path* keeps any analysis (False: no such file).

    Read only, without opening the store (no migration, no sqlite-utils):
    a build asks it before it starts its analysis child. An unreadable file
    counts as keeping some (the store says why when it is opened).
    """
    try:
        row = _read_only(path, "SELECT 1 FROM analysis LIMIT 1", ())
    except sqlite3.Error:
        return True
    return row is not None


def kept_payload(path: Path, key: str) -> str | None:
    """The payload kept under *key* at *path*, read as :func:`keeps_analyses` reads.

    None when there is no such file or row, or the file cannot be read.
    """
    try:
        row = _read_only(path, "SELECT payload FROM analysis WHERE key = ?", (key,))
    except sqlite3.Error:
        return None
    return None if row is None else str(row[0])


def _read_only(
    path: Path, query: str, args: tuple[str, ...]
) -> tuple[object, ...] | None:
    """The first row of *query* in the database at *path*, opened read only."""
    if not path.is_file():
        return None
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
        row: tuple[object, ...] | None = db.execute(query, args).fetchone()
        return row


class AnalysisMixin(StoreBase):
    """The ``analysis_*`` methods of :class:`~sphinxcontrib_aidoc.store.Store`."""

    def analysis_get(self, key: str) -> str | None:
        """Return the stored payload under *key*, or None."""
        rows = self._rows("SELECT payload FROM analysis WHERE key = ?", [key])
        return str(rows[0]["payload"]) if rows else None

    def analysis_files(self) -> set[str]:
        """The files some analysis is kept for (under any key)."""
        return {str(row["file"]) for row in self._rows("SELECT file FROM analysis", [])}

    def analysis_put(self, key: str, *, module: str, file: str, payload: str) -> None:
        """Store *payload* under *key*, replacing older rows of *file*."""
        with self._write() as db:
            db.execute("DELETE FROM analysis WHERE file = ? AND key != ?", [file, key])
            db.execute(
                "INSERT OR REPLACE INTO analysis (key, module, file, payload, "
                "created_at) VALUES (?, ?, ?, ?, ?)",
                [key, module, file, payload, self._now()],
            )

    def analysis_put_many(self, rows: list[tuple[str, str, str]]) -> None:
        """Store ``(key, file, payload)`` rows in one transaction (key replaced)."""
        now = self._now()
        with self._transaction():
            self.conn.executemany(
                "INSERT OR REPLACE INTO analysis (key, module, file, payload, "
                "created_at) VALUES (?, '', ?, ?, ?)",
                [(key, file, payload, now) for key, file, payload in rows],
            )

    def analysis_prefixed(self, prefix: str) -> list[tuple[str, str]]:
        """Every ``(key, payload)`` whose key starts with *prefix*."""
        rows = self._rows(
            "SELECT key, payload FROM analysis WHERE key >= ? AND key < ?",
            [prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)],
        )
        return [(str(row["key"]), str(row["payload"])) for row in rows]
