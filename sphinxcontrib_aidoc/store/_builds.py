"""Build history: one ``builds`` row per build, its objects and its LLM calls."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Mapping
from typing import Any

from sphinxcontrib_aidoc.model import ObjectSnapshot
from sphinxcontrib_aidoc.store._base import CHUNK, StoreBase, dump_json
from sphinxcontrib_aidoc.store._leases import process_alive

#: What a build may be (``interrupted``: its process died while running).
STATUSES = ("running", "ok", "failed", "interrupted")
#: The counters of a build, in table order.
COUNTERS = (
    "objects",
    "generated",
    "cache_hits",
    "llm_calls",
    "failures",
    "tokens_in",
    "tokens_out",
    "cost",
)
#: Name parts that mark a configuration value as a credential.
_SECRET_PARTS = frozenset({"secret", "password", "passwd", "credential", "credentials"})
_SECRET_LAST = frozenset({"key", "apikey", "token"})
_MAX_ERROR = 2000

_END = """
UPDATE builds SET ended_at = ?, status = ?,
    objects = coalesce(?, objects), generated = coalesce(?, generated),
    cache_hits = coalesce(?, cache_hits), llm_calls = coalesce(?, llm_calls),
    failures = coalesce(?, failures), tokens_in = coalesce(?, tokens_in),
    tokens_out = coalesce(?, tokens_out), cost = coalesce(?, cost)
WHERE id = ?
"""
_SNAPSHOT_ROWS = (
    "SELECT objects.*, docstrings.text AS docstring FROM objects "
    "LEFT JOIN docstrings ON docstrings.hash = objects.docstring_hash "
)
_DERIVED_OBJECTS = """
SELECT count(*) AS objects,
       coalesce(sum(generated), 0) AS generated,
       coalesce(sum(source = 'cache'), 0) AS cache_hits
FROM objects WHERE build_id = ?
"""
_DERIVED_CALLS = """
SELECT count(*) AS llm_calls,
       coalesce(sum(outcome != 'ok'), 0) AS failures,
       coalesce(sum(tokens_in), 0) AS tokens_in,
       coalesce(sum(tokens_out), 0) AS tokens_out,
       coalesce(sum(cost), 0.0) AS cost
FROM calls WHERE build_id = ?
"""


def public_config(config: Mapping[str, Any]) -> dict[str, Any]:
    """Return *config* without the values whose names mark credentials.

    A name marks a credential when, split on ``_`` and ``-``, its last part
    is ``key``, ``apikey`` or ``token``, or any part is ``secret``,
    ``password``, ``passwd`` or ``credential(s)``: ``azure_api_key`` and
    ``access_token`` go, ``max_tokens_per_build`` and ``api_key_env`` (the
    name of a variable) stay. Nested mappings are cleaned the same way.
    """
    clean: dict[str, Any] = {}
    for name, value in config.items():
        parts = str(name).lower().replace("-", "_").split("_")
        if parts[-1] in _SECRET_LAST or _SECRET_PARTS.intersection(parts):
            continue
        clean[str(name)] = public_config(value) if isinstance(value, Mapping) else value
    return clean


def _alive(pid: int) -> bool:
    """Whether a process *pid* exists on this machine."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, but belongs to someone else
        return True
    return True


class BuildsMixin(StoreBase):
    """The build-history methods of :class:`~sphinxcontrib_aidoc.store.Store`."""

    def begin_build(
        self,
        *,
        project: str = "",
        release: str = "",
        version: str = "",
        git_commit: str = "",
        builder: str = "",
        config: Mapping[str, Any] | None = None,
    ) -> int:
        """Record the start of a build (status ``running``).

        Builds still ``running`` whose process is gone (killed, crashed
        machine) are marked ``interrupted`` first; their call log stays.

        Args:
            project: Sphinx ``project``.
            release: Sphinx ``release``.
            version: Sphinx ``version``.
            git_commit: The documented commit (see :func:`git_commit`).
            builder: The builder name (``html``, ``text``...).
            config: Settings to remember; stored by :func:`public_config`,
                so without credentials.

        Returns:
            The id of the new build.
        """
        row: dict[str, object] = {
            "started_at": self._now(),
            "project": project,
            "release": release,
            "version": version,
            "git_commit": git_commit,
            "builder": builder,
            "config_json": dump_json(public_config(config or {})),
            "status": "running",
            "host": socket.gethostname(),
            "pid": os.getpid(),
        }
        with self._transaction():
            self.mark_interrupted()
            cursor = self.conn.execute(
                "INSERT INTO builds (started_at, project, release, version,"
                " git_commit, builder, config_json, status, host, pid)"
                " VALUES (:started_at, :project, :release, :version,"
                " :git_commit, :builder, :config_json, :status, :host, :pid)",
                row,
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def mark_interrupted(self) -> list[int]:
        """Mark ``running`` builds whose process no longer runs as interrupted.

        A build of this host whose process id is gone, or one recorded before
        builds had a process id, cannot still be running. Builds of other
        hosts are left alone (their processes cannot be checked from here).

        Returns:
            The ids of the builds marked.
        """
        with self._transaction():
            rows = self.conn.execute(
                "SELECT id, host, pid FROM builds WHERE status = 'running'"
            ).fetchall()
            dead = [
                int(build_id)
                for build_id, host, pid in rows
                if not process_alive(str(host), int(pid))
            ]
            for build_id in dead:
                self.conn.execute(
                    "UPDATE builds SET status = 'interrupted' WHERE id = ?", [build_id]
                )
        return dead

    def record_objects(self, build_id: int, snapshots: Iterable[ObjectSnapshot]) -> int:
        """Store what build *build_id* documented, in one transaction.

        A qualname given twice keeps its last snapshot. When the build has
        no objects yet and documents exactly what the previous successful
        build did, it stores no copy: ``builds.snapshot_of`` points at the
        build that holds those rows (a few bytes instead of a snapshot).

        Returns:
            The number of snapshots given.
        """
        snapshots = list(snapshots)
        if not snapshots:
            return 0
        with self._writing():
            if self._reuse_snapshot(build_id, snapshots):
                return len(snapshots)
            self._own_snapshot(build_id)
            self._insert_objects(build_id, snapshots)
        return len(snapshots)

    def record_delta(
        self,
        build_id: int,
        base: tuple[int, str],
        changed: Iterable[ObjectSnapshot],
        removed: Iterable[str],
    ) -> bool:
        """Store build *build_id*'s snapshot as *base*'s plus a few changes.

        For a caller that knows the snapshot *base* names (see
        :meth:`snapshot_stamp`) and which objects differ from it: the rows
        of *base* are copied inside the database, except those of
        *changed* (stored as given) and *removed* (left out), so an edit
        costs what it touched. Done only when *base* is the snapshot of the
        previous successful build and *build_id* has no rows yet; returns
        False otherwise (record the whole snapshot with
        :meth:`record_objects`).
        """
        changed = list(changed)
        removed = set(removed)
        with self._write() as db:
            if not self._follows_last_snapshot(build_id, base):
                return False
            owner = int(base[0])
            if not changed and not removed:
                db.execute(
                    "UPDATE builds SET snapshot_of = ? WHERE id = ?", [owner, build_id]
                )
                return True
            columns = [c for c in self._object_columns() if c != "build_id"]
            names = ", ".join(columns)
            db.execute(
                "CREATE TEMP TABLE IF NOT EXISTS aidoc_replaced (qualname TEXT PRIMARY KEY)"
            )
            db.execute("DELETE FROM aidoc_replaced")
            db.conn.executemany(
                "INSERT OR IGNORE INTO aidoc_replaced (qualname) VALUES (?)",
                [(name,) for name in sorted(removed | {s.qualname for s in changed})],
            )
            db.execute(
                f"INSERT INTO objects (build_id, {names}) SELECT ?, {names} "  # noqa: S608 (column names from the schema)
                "FROM objects WHERE build_id = ? "
                "AND qualname NOT IN (SELECT qualname FROM aidoc_replaced)",
                [build_id, owner],
            )
            db.execute("DELETE FROM aidoc_replaced")
            self._insert_objects(build_id, changed)
        return True

    def snapshot_of_names(
        self, build_id: int, names: Iterable[str]
    ) -> list[ObjectSnapshot]:
        """Return the objects named *names* of build *build_id*'s snapshot."""
        owner = self.snapshot_owner(build_id)
        wanted = sorted(set(names))
        found: list[ObjectSnapshot] = []
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            marks = ", ".join("?" * len(chunk))
            where = f"WHERE build_id = ? AND qualname IN ({marks})"
            rows = self._rows(_SNAPSHOT_ROWS + where, [owner, *chunk])
            found.extend(ObjectSnapshot.from_json(row) for row in rows)
        return sorted(found, key=lambda snapshot: snapshot.qualname)

    def _object_columns(self) -> list[str]:
        """The columns of the ``objects`` table, in table order."""
        return [str(row[1]) for row in self.conn.execute("PRAGMA table_info(objects)")]

    def _insert_objects(self, build_id: int, snapshots: list[ObjectSnapshot]) -> None:
        """Insert *snapshots* as rows of *build_id* (inside a write block)."""
        if not snapshots:
            return
        latest = {s.qualname: s for s in snapshots}  # a name given twice: the last
        rows = [s.to_json() for s in latest.values()]
        names = list(rows[0])
        self.conn.executemany(
            f"INSERT OR REPLACE INTO objects (build_id, {', '.join(names)}) "  # noqa: S608 (field names of ObjectSnapshot)
            f"VALUES (?, {', '.join('?' * len(names))})",
            [(build_id, *(row[name] for name in names)) for row in rows],
        )
        texts = {s.docstring_hash: s.docstring for s in latest.values() if s.docstring}
        self.conn.executemany(
            "INSERT OR IGNORE INTO docstrings (hash, text) VALUES (?, ?)",
            sorted(texts.items()),
        )

    def snapshot_owner(self, build_id: int) -> int:
        """Return the build whose ``objects`` rows are *build_id*'s snapshot."""
        rows = self._rows("SELECT snapshot_of FROM builds WHERE id = ?", [build_id])
        owner = rows[0]["snapshot_of"] if rows else None
        return build_id if owner is None else int(owner)

    def snapshot_stamp(self, build_id: int) -> tuple[int, str]:
        """Return ``(owner, owner's start time)`` of *build_id*'s snapshot.

        The start time tells a database started afresh (ids count from 1
        again) from the one the stamp was taken in.
        """
        owner = self.snapshot_owner(build_id)
        rows = self._rows("SELECT started_at FROM builds WHERE id = ?", [owner])
        return owner, str(rows[0]["started_at"]) if rows else ""

    def repeat_snapshot(self, build_id: int, stamp: tuple[int, str] | None) -> bool:
        """Point *build_id* at the snapshot *stamp* names, without reading it.

        For a build whose caller knows it documents exactly what was recorded
        under *stamp* (see :meth:`snapshot_stamp`); done only when that is the
        snapshot of the previous successful build, so the changelog compares
        equal snapshots. Returns False (nothing changed) otherwise: record
        the objects with :meth:`record_objects`.
        """
        if not stamp:
            return False
        with self._transaction():
            if not self._follows_last_snapshot(build_id, stamp):
                return False
            self.conn.execute(
                "UPDATE builds SET snapshot_of = ? WHERE id = ?", [stamp[0], build_id]
            )
        return True

    def _reuse_snapshot(self, build_id: int, snapshots: list[ObjectSnapshot]) -> bool:
        """Point *build_id* at the previous build's rows if they are the same."""
        if self._rows("SELECT 1 FROM objects WHERE build_id = ? LIMIT 1", [build_id]):
            return False
        previous = self.last_build(status="ok", before=build_id)
        if previous is None:
            return False
        owner = self.snapshot_owner(int(previous["id"]))
        latest = {s.qualname: s for s in snapshots}
        if self.snapshot(owner) != [latest[name] for name in sorted(latest)]:
            return False
        self.conn.execute(
            "UPDATE builds SET snapshot_of = ? WHERE id = ?", [owner, build_id]
        )
        return True

    def _own_snapshot(self, build_id: int) -> None:
        """Give *build_id* its own copy of a snapshot it only pointed at."""
        owner = self.snapshot_owner(build_id)
        if owner == build_id:
            return
        self.conn.execute(
            "INSERT OR IGNORE INTO objects (build_id, qualname, module, kind,"
            " signature, docstring_hash, generated, source, summary, docname, file,"
            " lineno, deprecated, writer) SELECT ? AS build_id, qualname, module,"
            " kind, signature, docstring_hash, generated, source, summary, docname,"
            " file, lineno, deprecated, writer FROM objects WHERE build_id = ?",
            [build_id, owner],
        )
        self.conn.execute(
            "UPDATE builds SET snapshot_of = NULL WHERE id = ?", [build_id]
        )

    def end_build(self, build_id: int, *, status: str = "ok", **counts: float) -> None:
        """Record the end of a build, its status and its counters.

        Args:
            build_id: What :meth:`begin_build` returned.
            status: ``"ok"`` or ``"failed"`` (or ``"running"``).
            **counts: Any of the :data:`COUNTERS` (ints, ``cost`` a float);
                counters not given keep their value.

        Raises:
            ValueError: An unknown status or counter name.
            KeyError: No build has this id.
        """
        if status not in STATUSES:
            msg = f"status must be one of {', '.join(STATUSES)}, not {status!r}"
            raise ValueError(msg)
        unknown = sorted(set(counts) - set(COUNTERS))
        if unknown:
            msg = f"unknown build counters: {', '.join(unknown)}"
            raise ValueError(msg)
        params = [self._now(), status, *(counts.get(c) for c in COUNTERS), build_id]
        with self._transaction():
            if self.conn.execute(_END, params).rowcount == 0:
                raise KeyError(build_id)

    def _follows_last_snapshot(self, build_id: int, stamp: tuple[int, str]) -> bool:
        """Whether *build_id* has no rows yet and the last good build's snapshot is *stamp*.

        Read inside the caller's write transaction.
        """
        if self._rows("SELECT 1 FROM objects WHERE build_id = ? LIMIT 1", [build_id]):
            return False
        previous = self.last_build(status="ok", before=build_id)
        return previous is not None and self.snapshot_stamp(
            int(previous["id"])
        ) == tuple(stamp)

    def record_call(
        self,
        build_id: int | None,
        *,
        qualname: str,
        provider: str,
        model: str,
        outcome: str,
        tokens_in: int = 0,
        tokens_out: int = 0,
        latency_ms: float = 0.0,
        cost: float = 0.0,
        error: str = "",
        via: str = "request",
    ) -> None:
        """Log one LLM request, or one answer read from a batch job.

        Args:
            build_id: The build that made it, or None outside a build.
            qualname: The object the request was for.
            provider: Provider name (``azure``...).
            model: Model or deployment.
            outcome: ``ok`` or what went wrong (``timeout``, ``rate_limit``...).
            tokens_in: Prompt tokens.
            tokens_out: Completion tokens.
            latency_ms: Time until the answer.
            cost: Estimated cost.
            error: Error text; only its first 2,000 characters are kept.
            via: ``request``, or ``batch`` for an answer of a batch job.
        """
        row = {
            "build_id": build_id,
            "qualname": qualname,
            "provider": provider,
            "model": model,
            "outcome": outcome,
            "tokens_in": tokens_in,
            "tokens_out": tokens_out,
            "latency_ms": latency_ms,
            "cost": cost,
            "error": error[:_MAX_ERROR],
            "created_at": self._now(),
            "via": via,
        }
        with self._write() as db:
            db.table("calls").insert(row)

    def builds(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Return build rows (column names as keys), newest first.

        Args:
            limit: At most this many; all when None.
        """
        return self._rows(
            "SELECT * FROM builds ORDER BY id DESC LIMIT ?",
            [-1 if limit is None else limit],
        )

    def last_build(
        self, *, status: str | None = "ok", before: int | None = None
    ) -> dict[str, Any] | None:
        """Return the newest build row with *status* and an id below *before*.

        Args:
            status: Wanted status; None accepts any.
            before: Only builds older than this id (the previous build of
                build *before*); None for no bound.
        """
        rows = self._rows(
            "SELECT * FROM builds WHERE (:status IS NULL OR status = :status)"
            " AND (:before IS NULL OR id < :before) ORDER BY id DESC LIMIT 1",
            {"status": status, "before": before},
        )
        return rows[0] if rows else None

    def snapshot(self, build_id: int) -> list[ObjectSnapshot]:
        """Return the objects build *build_id* recorded, ordered by qualname."""
        rows = self._rows(
            "SELECT objects.*, docstrings.text AS docstring FROM objects "
            "LEFT JOIN docstrings ON docstrings.hash = objects.docstring_hash "
            "WHERE build_id = ? ORDER BY qualname",
            [self.snapshot_owner(build_id)],
        )
        return [ObjectSnapshot.from_json(row) for row in rows]

    def build_counts(self, build_id: int) -> dict[str, float]:
        """Return the :data:`COUNTERS` of a build by name.

        Counters :meth:`end_build` did not set (a build still running, or one
        that crashed) are derived from its rows: ``objects``, ``generated``
        and ``cache_hits`` from ``objects``; ``llm_calls``, ``failures``
        (outcome other than ``ok``), tokens and cost from ``calls``.

        Raises:
            KeyError: No build has this id.
        """
        stored = self._rows("SELECT * FROM builds WHERE id = ?", [build_id])
        if not stored:
            raise KeyError(build_id)
        derived = {
            **self._rows(_DERIVED_OBJECTS, [self.snapshot_owner(build_id)])[0],
            **self._rows(_DERIVED_CALLS, [build_id])[0],
        }
        return {
            name: derived[name] if stored[0][name] is None else stored[0][name]
            for name in COUNTERS
        }
