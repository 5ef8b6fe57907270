"""Batch API jobs: which job asks for which cache key, and what came of it.

A job is *live* until its answers were read into the cache
(``collected_at`` set). A key in a live job is never submitted again nor
asked for directly, so no answer is paid for twice.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sphinxcontrib_aidoc.store._base import StoreBase, chunks, where_in

_LIVE_KEYS = (
    "SELECT i.key, i.job_id FROM batch_items i JOIN batch_jobs j ON j.id = i.job_id"
    " WHERE j.collected_at IS NULL AND i.key IN ({marks})"
)


@dataclass(frozen=True, slots=True)
class BatchJob:
    """One row of ``batch_jobs``."""

    id: str
    provider: str
    model: str
    prompt_version: str
    input_file_id: str
    status: str
    objects: int
    submitted_at: str
    checked_at: str | None = None
    collected_at: str | None = None
    output_file_id: str | None = None
    error_file_id: str | None = None
    answered: int = 0
    failed: int = 0

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form ``aidoc batch status`` prints."""
        return {
            "id": self.id,
            "provider": self.provider,
            "model": self.model,
            "status": self.status,
            "objects": self.objects,
            "submitted_at": self.submitted_at,
            "checked_at": self.checked_at,
            "collected_at": self.collected_at,
            "answered": self.answered,
            "failed": self.failed,
        }


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One object of a job: its custom id, cache key and analysis record."""

    custom_id: str
    key: str
    qualname: str
    info: dict[str, Any]
    state: str = "pending"


class JobsMixin(StoreBase):
    """The ``batch_*`` methods of :class:`~sphinxcontrib_aidoc.store.Store`."""

    def batch_job_add(
        self,
        job_id: str,
        *,
        provider: str,
        model: str,
        prompt_version: str,
        input_file_id: str,
        status: str,
        items: Sequence[tuple[str, str, str, dict[str, Any]]],
    ) -> None:
        """Record a submitted job and its objects, in one transaction.

        Each item is (custom_id, cache key, qualname, analysis record).
        """
        now = self._now()
        with self._write() as db:
            db.execute(
                "INSERT INTO batch_jobs (id, provider, model, prompt_version,"
                " input_file_id, status, objects, submitted_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    job_id,
                    provider,
                    model,
                    prompt_version,
                    input_file_id,
                    status,
                    len(items),
                    now,
                ],
            )
            db.conn.executemany(
                "INSERT INTO batch_items (job_id, custom_id, key, qualname, info_json)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    (job_id, custom_id, key, qualname, json.dumps(info))
                    for custom_id, key, qualname, info in items
                ],
            )

    def batch_jobs(self, *, live: bool = False) -> list[BatchJob]:
        """Return the recorded jobs, oldest first (only live ones if *live*)."""
        where = " WHERE collected_at IS NULL" if live else ""
        rows = self._rows(
            f"SELECT * FROM batch_jobs{where} ORDER BY submitted_at, id"  # noqa: S608 (constant)
        )
        return [BatchJob(**row) for row in rows]

    def batch_items(self, job_id: str) -> list[BatchItem]:
        """Return the objects of job *job_id*."""
        rows = self._rows(
            "SELECT custom_id, key, qualname, info_json, state FROM batch_items"
            " WHERE job_id = ? ORDER BY rowid",
            [job_id],
        )
        return [
            BatchItem(
                r["custom_id"],
                r["key"],
                r["qualname"],
                json.loads(r["info_json"]),
                r["state"],
            )
            for r in rows
        ]

    def batch_live_keys(self, keys: Sequence[str]) -> dict[str, str]:
        """Return the live job asking for each of *keys* that one asks for."""
        found: dict[str, str] = {}
        with self._lock:
            for chunk in chunks(list(dict.fromkeys(keys))):
                rows = self.db.execute(where_in(_LIVE_KEYS, len(chunk)), chunk)
                found.update((key, job) for key, job in rows.fetchall())
        return found

    def batch_job_checked(
        self,
        job_id: str,
        status: str,
        *,
        output_file_id: str | None = None,
        error_file_id: str | None = None,
    ) -> None:
        """Record the status (and files) the provider reported for a job."""
        with self._write() as db:
            db.execute(
                "UPDATE batch_jobs SET status = ?, checked_at = ?,"
                " output_file_id = coalesce(?, output_file_id),"
                " error_file_id = coalesce(?, error_file_id) WHERE id = ?",
                [status, self._now(), output_file_id, error_file_id, job_id],
            )

    def batch_job_collected(
        self, job_id: str, *, cached: Sequence[str], failed: dict[str, str]
    ) -> None:
        """Mark a job's objects cached or failed, and the job collected."""
        with self._write() as db:
            db.conn.executemany(
                "UPDATE batch_items SET state = 'cached' WHERE job_id = ? AND custom_id = ?",
                [(job_id, c) for c in cached],
            )
            db.conn.executemany(
                "UPDATE batch_items SET state = 'failed', error = ?"
                " WHERE job_id = ? AND custom_id = ?",
                [(error, job_id, c) for c, error in failed.items()],
            )
            db.execute(
                "UPDATE batch_jobs SET collected_at = ?, answered = ?, failed = ?"
                " WHERE id = ?",
                [self._now(), len(cached), len(failed), job_id],
            )
