"""The ``changes`` table: what each build changed against the previous one."""

from __future__ import annotations

from collections.abc import Iterable

from sphinxcontrib_aidoc.model import ChangeEvent
from sphinxcontrib_aidoc.store._base import CHUNK, StoreBase

#: Columns of ``changes`` that a ChangeEvent fills, in table order.
CHANGE_COLUMNS = (
    "build_id",
    "since_build_id",
    "qualname",
    "module",
    "object_kind",
    "kind",
    "before",
    "after",
    "breaking",
    "detail",
    "docname",
)

_SELECT = """
SELECT changes.*, builds.started_at AS time, builds.release, builds.version,
       builds.git_commit
FROM changes JOIN builds ON builds.id = changes.build_id
WHERE builds.status = 'ok' OR builds.id = :include
ORDER BY changes.build_id DESC, changes.id
"""


class ChangesMixin(StoreBase):
    """The change-history methods of :class:`~sphinxcontrib_aidoc.store.Store`."""

    def record_changes(
        self, build_id: int, since_build_id: int, events: Iterable[ChangeEvent]
    ) -> int:
        """Store what build *build_id* changed against build *since_build_id*.

        Idempotent: a change already recorded for the same pair of builds,
        object and kind is not recorded again.

        Returns:
            The number of new rows.
        """
        rows = [
            (
                build_id,
                since_build_id,
                e.qualname,
                e.module,
                e.object_kind,
                e.kind,
                e.before,
                e.after,
                int(e.breaking),
                e.detail,
                e.docname,
            )
            for e in events
        ]
        if not rows:
            return 0
        sql = (
            f"INSERT OR IGNORE INTO changes ({', '.join(CHANGE_COLUMNS)})"  # noqa: S608 (constant)
            f" VALUES ({', '.join('?' * len(CHANGE_COLUMNS))})"
        )
        added = 0
        with self._write() as db:
            for start in range(0, len(rows), CHUNK):
                before = db.conn.total_changes
                db.conn.executemany(sql, rows[start : start + CHUNK])
                added += db.conn.total_changes - before
        return added

    def changes(self, *, include_build: int | None = None) -> list[ChangeEvent]:
        """Return the recorded changes of ``ok`` builds, newest build first.

        Args:
            include_build: Also this build's changes whatever its status (the
                build that is running).
        """
        rows = self._rows(_SELECT, {"include": include_build})
        return [ChangeEvent.from_json(row) for row in rows]
