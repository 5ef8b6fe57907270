"""The connection, lock and transaction helpers every part of the store uses."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

#: Keys per ``IN (...)`` query, below SQLite's oldest host-parameter limit.
CHUNK = 500

#: Returns the current time; tests pass a fixed one.
Clock = Callable[[], datetime]


class StoreError(Exception):
    """The database cannot be used; the message names the file and the fix."""


def utc_now() -> datetime:
    """Return the current UTC time (the default clock)."""
    return datetime.now(timezone.utc)


class StoreBase:
    """One connection, a lock around it, and short write transactions."""

    def __init__(
        self, conn: sqlite3.Connection, path: Path, *, readonly: bool, clock: Clock
    ) -> None:
        #: The one connection, shared under the lock.
        self.conn = conn
        # What sqlite-utils' Database sets on the connections it is given.
        conn.execute("PRAGMA recursive_triggers = ON")
        #: The database file.
        self.path = path
        #: True when opened with ``readonly=True``: writes raise StoreError.
        self.readonly = readonly
        #: Set when a read-only file is used through an in-memory copy: what
        #: to tell the user (writes go to the copy and are not saved).
        self.notice = ""
        self._clock = clock
        self._lock = threading.RLock()

    @cached_property
    def db(self) -> Database:
        """The sqlite-utils database on :attr:`conn`.

        Made (and sqlite-utils imported) on first use: what a build that
        reads no document does with the store (record the build, check the
        last snapshot) runs plain SQL on :attr:`conn` and never needs it.
        """
        from sqlite_utils import Database  # noqa: PLC0415

        return Database(self.conn, execute_plugins=False)

    @contextlib.contextmanager
    def _write(self) -> Iterator[Database]:
        """Hold the lock and a write transaction; yield the sqlite-utils database.

        See :meth:`_transaction`; nested blocks become savepoints through
        ``Database.atomic()``.

        Raises:
            StoreError: The store is read-only.
        """
        with self._transaction() as nested:
            if nested:
                with self.db.atomic():
                    yield self.db
            else:
                yield self.db

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """:meth:`_write` for blocks of plain SQL on :attr:`conn`: no sqlite-utils.

        Nested in a transaction already open, the block is a savepoint (as
        ``Database.atomic()`` makes it): an exception undoes the block only.
        Importing sqlite-utils costs a tenth of a second, which a rebuild
        that only reads the cache and points its snapshot at the last one
        never pays.
        """
        with self._transaction() as nested:
            if not nested:
                yield
                return
            self.conn.execute("SAVEPOINT aidoc_writing")
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK TO SAVEPOINT aidoc_writing")
                self.conn.execute("RELEASE SAVEPOINT aidoc_writing")
                raise
            self.conn.execute("RELEASE SAVEPOINT aidoc_writing")

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[bool]:
        """Hold the lock and a write transaction (``BEGIN IMMEDIATE``).

        ``Database.atomic()`` starts with a deferred ``BEGIN``; a deferred
        transaction that reads before it writes fails with "database is
        locked" at once when another process wrote in between, whatever the
        busy timeout. So the outermost block takes the write lock up front.
        Yields True inside a transaction already open (nothing is begun or
        committed here), False for the outermost block. Statements run on
        :attr:`conn`: no sqlite-utils needed.

        Raises:
            StoreError: The store is read-only.
        """
        if self.readonly:
            msg = f"{self.path} is open read-only"
            raise StoreError(msg)
        with self._lock:
            if self.conn.in_transaction:
                yield True
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield False
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.rollback()  # does nothing when nothing is open
                raise

    def _rows(
        self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> list[dict[str, Any]]:
        """Run a query under the lock and return its rows as dicts."""
        args = params if isinstance(params, dict) else list(params)
        with self._lock:
            cursor = self.conn.execute(sql, args)
            keys = [column[0] for column in cursor.description or ()]
            return [dict(zip(keys, row, strict=True)) for row in cursor]

    def _now(self) -> str:
        """Return the clock's time as ISO 8601 UTC, to the second."""
        return self._clock().astimezone(timezone.utc).isoformat(timespec="seconds")


def dump_json(data: Mapping[str, Any]) -> str:
    """Return canonical JSON (sorted keys, UTF-8 text, ``str()`` for the rest)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)


def chunks(items: Sequence[str]) -> Iterator[list[str]]:
    """Yield *items* in lists of at most :data:`CHUNK`."""
    for start in range(0, len(items), CHUNK):
        yield list(items[start : start + CHUNK])


def where_in(sql: str, count: int) -> str:
    """Return *sql* with ``{marks}`` replaced by *count* ``?`` placeholders."""
    return sql.replace("{marks}", ", ".join("?" * count))
