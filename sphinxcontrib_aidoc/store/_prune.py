"""``prune``: keep the last N builds of history and what they still use.

What goes: builds older than the N newest successful ones, with their
objects, changes and logged calls; docstring texts no object names any
more; cache rows that no kept build used and that are either for objects no
kept build documents or superseded by a newer draft of the same object
(the current draft of every documented object stays, so a full rebuild
pays for nothing again). What stays besides the N builds: the builds they are
compared against (the changelog's baseline of the oldest kept build) and
those whose snapshot rows they point at, as rows without changes of their
own, so the changelog of the N builds reads exactly as before.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass, field

from sphinxcontrib_aidoc.store._base import StoreBase, chunks, where_in


@dataclass(frozen=True, slots=True)
class PruneReport:
    """What :meth:`PruneMixin.prune` removed and freed."""

    kept: int = 0
    baselines: int = 0
    builds: int = 0
    objects: int = 0
    changes: int = 0
    calls: int = 0
    docstrings: int = 0
    cache: int = 0
    bytes_before: int = 0
    bytes_after: int = 0
    vacuumed: bool = False
    #: Row counts by table, for ``--format json``.
    removed: dict[str, int] = field(default_factory=dict)

    @property
    def freed(self) -> int:
        """Bytes the database file shrank by."""
        return max(0, self.bytes_before - self.bytes_after)


class PruneMixin(StoreBase):
    """The ``prune`` method of :class:`~sphinxcontrib_aidoc.store.Store`."""

    def prune(self, keep: int, *, vacuum: bool = True) -> PruneReport:
        """Keep the *keep* newest successful builds; drop what only older ones used.

        Args:
            keep: How many successful builds to keep (at least 1).
            vacuum: Rewrite the file afterwards when pages were freed.

        Raises:
            ValueError: *keep* is below 1.
        """
        if keep < 1:
            msg = f"keep must be 1 or more, not {keep}"
            raise ValueError(msg)
        before = self.file_size()
        with self._write() as db:
            kept = [
                int(r["id"])
                for r in self._rows(
                    "SELECT id FROM builds WHERE status = 'ok' ORDER BY id DESC LIMIT ?",
                    [keep],
                )
            ]
            if not kept:
                return PruneReport(bytes_before=before, bytes_after=before)
            oldest = min(kept)
            needed = self._needed_by(kept)
            gone = [
                int(r["id"])
                for r in self._rows("SELECT id FROM builds WHERE id < ?", [oldest])
                if int(r["id"]) not in needed
            ]
            baselines = sorted(needed - set(kept))
            counts = {
                "changes": self._delete("changes", "build_id", baselines + gone),
                "calls": self._delete("calls", "build_id", gone),
                "objects": self._delete("objects", "build_id", gone),
            }
            counts["builds"] = self._delete("builds", "id", gone)
            counts["docstrings"] = db.execute(
                "DELETE FROM docstrings WHERE hash NOT IN "
                "(SELECT docstring_hash FROM objects)"
            ).rowcount
            counts["cache"] = self._prune_cache(kept)
        vacuumed = False
        if vacuum and any(counts.values()):
            vacuumed = self._vacuum()
        return PruneReport(
            kept=len(kept),
            baselines=len(baselines),
            bytes_before=before,
            bytes_after=self.file_size(),
            vacuumed=vacuumed,
            removed=counts,
            **counts,
        )

    def _needed_by(self, kept: list[int]) -> set[int]:
        """The kept builds, their changelog baselines and snapshot owners.

        Owners are those of every build from the oldest kept one on (a
        failed build in between may point at an older snapshot too).
        """
        needed = set(kept)
        marks = ", ".join("?" * len(kept))
        needed.update(
            int(r["id"])
            for r in self._rows(
                "SELECT DISTINCT since_build_id AS id FROM changes"  # noqa: S608 (marks)
                f" WHERE build_id IN ({marks})",
                kept,
            )
        )
        needed.update(
            int(r["id"])
            for r in self._rows(
                "SELECT DISTINCT snapshot_of AS id FROM builds"
                " WHERE id >= ? AND snapshot_of IS NOT NULL",
                [min(kept)],
            )
        )
        # A baseline's own snapshot may live in an older build.
        needed.update({self._owner(build_id) for build_id in needed})
        return needed

    def _prune_cache(self, kept: list[int]) -> int:
        """Delete cache rows no kept build used and no kept object needs.

        A row goes when no kept build used it (``last_used_at`` before the
        oldest kept build started) and either its object is in none of the
        kept snapshots, or a newer draft of the same object, provider, model
        and style exists (the row is for code that has changed since).
        """
        owners = sorted({self._owner(build_id) for build_id in kept})
        start = self._rows("SELECT started_at FROM builds WHERE id = ?", [min(kept)])[
            0
        ]["started_at"]
        marks = ", ".join("?" * len(owners))
        sql = (
            "DELETE FROM cache WHERE last_used_at < ? AND ("  # noqa: S608 (marks)
            " qualname NOT IN (SELECT qualname FROM objects"
            f" WHERE build_id IN ({marks}))"
            " OR EXISTS (SELECT 1 FROM cache AS newer"
            " WHERE newer.qualname = cache.qualname"
            " AND newer.provider = cache.provider AND newer.model = cache.model"
            " AND newer.style = cache.style AND newer.created_at > cache.created_at))"
        )
        return int(self.db.execute(sql, [start, *owners]).rowcount)

    def _owner(self, build_id: int) -> int:
        rows = self._rows("SELECT snapshot_of FROM builds WHERE id = ?", [build_id])
        owner = rows[0]["snapshot_of"] if rows else None
        return build_id if owner is None else int(owner)

    def _delete(self, table: str, column: str, ids: list[int]) -> int:
        removed = 0
        for chunk in chunks([str(i) for i in ids]):
            template = f"DELETE FROM {table} WHERE {column} IN ({{marks}})"  # noqa: S608 (constant names)
            sql = where_in(template, len(chunk))
            removed += self.db.execute(sql, [int(i) for i in chunk]).rowcount
        return removed

    def _vacuum(self) -> bool:
        """Rewrite the file without its free pages; False if it is busy."""
        with self._lock:
            try:
                self.db.execute("VACUUM")
            except sqlite3.OperationalError:
                return False  # another connection is reading: keep the pages
            with contextlib.suppress(sqlite3.OperationalError):
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return True

    def file_size(self) -> int:
        """Bytes of the database file and its write-ahead log."""
        total = 0
        for suffix in ("", "-wal"):
            path = self.path.with_name(self.path.name + suffix)
            with contextlib.suppress(OSError):
                total += path.stat().st_size
        return total
