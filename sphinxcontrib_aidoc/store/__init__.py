"""The aidoc database: a draft cache, build history and an LLM call log.

One SQLite file (``aidoc_db``), used through sqlite-utils. It is safe to
open from several processes at once (``sphinx-build -j N``): the journal is
WAL, lock waits last up to 30 s, every write is a short ``BEGIN IMMEDIATE``
transaction, and schema steps are checked and applied under the write lock.
Workers write cache rows; the main process writes builds, objects, calls
and changes.

:meth:`Store.open` refuses a file aidoc must not touch (not SQLite, damaged,
another program's database, a newer aidoc's schema) with a
:class:`StoreError`, and leaves it byte for byte as it was. A database file
that cannot be written (read-only file or directory, read-only medium) is
used as a read-only cache: the store works on an in-memory copy, reads
find what the file holds, and nothing written is saved (``Store.notice``
says so, for one warning).

Opening an existing file checks its pages (``PRAGMA quick_check``) unless
the file is byte for byte as this store's last clean close left it, as
recorded beside it in ``<db>-verified`` (``_verified``).

The methods live in four parts: ``_base`` (connection, lock, transactions),
``_cache`` (``cache_*``), ``_builds`` (build history) and ``_changes`` (the
API changelog); :class:`Store` puts them together with opening and closing.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.store import _verified, schema
from sphinxcontrib_aidoc.store._analysis import (
    AnalysisMixin,
    keeps_analyses,
    kept_payload,
)
from sphinxcontrib_aidoc.store._base import Clock, StoreError, utc_now
from sphinxcontrib_aidoc.store._builds import COUNTERS, BuildsMixin, public_config
from sphinxcontrib_aidoc.store._cache import CacheEntry, CacheMixin
from sphinxcontrib_aidoc.store._changes import ChangesMixin
from sphinxcontrib_aidoc.store._git import git_commit, rev_parse
from sphinxcontrib_aidoc.store._history import HistoryImport, HistoryMixin
from sphinxcontrib_aidoc.store._jobs import BatchItem, BatchJob, JobsMixin
from sphinxcontrib_aidoc.store._leases import LeasesMixin
from sphinxcontrib_aidoc.store._prune import PruneMixin, PruneReport
from sphinxcontrib_aidoc.store._review import (
    DECISIONS,
    REVIEW_STATES,
    Review,
    ReviewMixin,
    text_hash,
)
from sphinxcontrib_aidoc.store._stats import STAGES, StatsMixin, Usage, by_month

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = [
    "COUNTERS",
    "DECISIONS",
    "REVIEW_STATES",
    "STAGES",
    "BatchItem",
    "BatchJob",
    "CacheEntry",
    "Clock",
    "HistoryImport",
    "PruneReport",
    "Review",
    "Store",
    "StoreError",
    "Usage",
    "by_month",
    "git_commit",
    "keeps_analyses",
    "kept_payload",
    "public_config",
    "rev_parse",
    "text_hash",
]

_TIMEOUT_S = 30


class _ReadOnlyFileError(Exception):
    """The file exists but cannot be written."""


class Store(
    CacheMixin,
    HistoryMixin,  # a BuildsMixin: it comes before it
    BuildsMixin,
    ChangesMixin,
    AnalysisMixin,
    ReviewMixin,
    PruneMixin,
    LeasesMixin,
    StatsMixin,
    JobsMixin,
):
    """An open aidoc database; get one from :meth:`Store.open`.

    Every method is thread-safe (one connection behind a lock) and keeps its
    transaction short. Use the store as a context manager, or call
    :meth:`close`. A store belongs to the process that opened it: after a
    fork, open another.
    """

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        create: bool = True,
        readonly: bool = False,
        clock: Clock | None = None,
    ) -> Store:
        """Open (or create) the database at *path* and bring its schema up to date.

        Args:
            path: The database file; missing parent directories are created.
                An empty (0 byte) file counts as missing.
            create: Create the file when it is missing.
            readonly: Open without writing anything: no schema steps, no hit
                counts; write methods raise :class:`StoreError`.
            clock: Returns the current time; the UTC wall clock by default.

        Returns:
            The open store.

        Raises:
            StoreError: The file is not SQLite, is damaged, belongs to another
                program or to a newer aidoc, is missing while *create* is off
                or *readonly* is on, or cannot be opened. The message names
                the path and what to do; a rejected file is not modified.
        """
        path = Path(path)
        if path.is_file() and path.stat().st_size > 0:
            try:
                schema.inspect_file(path, pages=not _verified.unchanged(path))
            except schema.SchemaError as exc:
                raise StoreError(str(exc)) from exc
        elif path.exists() and not path.is_file():
            msg = f"{path} is not a file: set aidoc_db to a file path"
            raise StoreError(msg)
        elif readonly or not create:
            msg = f"there is no aidoc database at {path}: run a build first"
            raise StoreError(msg)
        try:
            conn = _connect(path, readonly=readonly)
        except StoreError as exc:
            if readonly or not path.is_file() or path.stat().st_size == 0:
                raise
            return cls._memory_copy(path, clock, str(exc.__cause__ or exc))
        store = cls(
            conn,
            path,
            readonly=readonly,
            clock=clock or utc_now,
        )
        try:
            store._prepare()
        except _ReadOnlyFileError as exc:
            store.close()
            return cls._memory_copy(path, clock, str(exc))
        except BaseException:
            store.close()
            raise
        # A writable file: its clean close stamps it (see _verified).
        store._stamps = not readonly
        return store

    @classmethod
    def _memory_copy(cls, path: Path, clock: Clock | None, reason: str) -> Store:
        """Open an in-memory copy of a file that cannot be written."""
        memory = sqlite3.connect(":memory:", check_same_thread=False)
        try:
            _copy_into(path, memory)
        except sqlite3.Error as exc:
            memory.close()
            msg = f"cannot read {path} ({exc}): set aidoc_db to a readable path"
            raise StoreError(msg) from exc
        store = cls(
            memory,
            path,
            readonly=False,
            clock=clock or utc_now,
        )
        store.notice = (
            f"{path} cannot be written ({reason}); using it as a read-only "
            "cache: drafts and build history of this build are not saved"
        )
        try:
            store._prepare(memory_copy=True)
        except BaseException:
            store.close()
            raise
        return store

    def _prepare(self, *, memory_copy: bool = False) -> None:
        self.conn.execute(f"PRAGMA busy_timeout = {_TIMEOUT_S * 1000}")
        self.conn.execute("PRAGMA foreign_keys = ON")
        if not self.readonly and not memory_copy:
            self._probe_writable()
            self._enable_wal()
            self.conn.execute("PRAGMA synchronous = NORMAL")
        if self._checked_state().is_current:
            return
        if self.readonly:
            msg = (
                f"{self.path} has an older aidoc schema: open it once without "
                "read-only (any build does) to upgrade it"
            )
            raise StoreError(msg)
        # Check again under the write lock: another process may have created
        # or upgraded the file meanwhile, and each step must run once. Steps
        # that rebuild a table run with foreign keys off (SQLite's own
        # procedure), so a dropped table cascades to nothing; they are
        # checked again before the connection is handed out.
        self.conn.execute("PRAGMA foreign_keys = OFF")
        try:
            with self._write():
                if not self._checked_state().is_current:
                    schema.upgrade(self.db)
                    broken = self.conn.execute("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        msg = f"{self.path}: the schema upgrade broke {len(broken)} row(s)"
                        raise StoreError(msg)
        finally:
            self.conn.execute("PRAGMA foreign_keys = ON")

    def _probe_writable(self) -> None:
        """Raise :class:`_ReadOnlyFileError` if the file cannot be written.

        SQLite opens a file it may not write read-only without a word; the
        first write would fail in the middle of a build. A rolled-back write
        of the header finds out at once.
        """
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = int(conn.execute("PRAGMA user_version").fetchone()[0])
                conn.execute(f"PRAGMA user_version = {version}")
            finally:
                conn.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if "readonly" in text or "read-only" in text or "unable to open" in text:
                raise _ReadOnlyFileError(text) from exc
            if "locked" not in text:
                raise

    def _enable_wal(self) -> None:
        # While another process creates the file, switching the journal mode
        # can fail at once with "locked"; retry within the usual timeout.
        deadline = time.monotonic() + _TIMEOUT_S
        while not self._try_enable_wal(deadline):
            time.sleep(0.02)

    def _try_enable_wal(self, deadline: float) -> bool:
        try:
            self.conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) and time.monotonic() < deadline:
                return False
            msg = f"cannot use {self.path} ({exc}): set aidoc_db to a local path"
            raise StoreError(msg) from exc
        return True

    def _checked_state(self) -> schema.DatabaseState:
        try:
            state = schema.read_state(self.conn)
            schema.check_state(state, self.path)
        except schema.SchemaError as exc:
            raise StoreError(str(exc)) from exc
        except sqlite3.DatabaseError as exc:
            msg = (
                f"cannot read {self.path} ({exc}): move it away or set aidoc_db "
                "to another path"
            )
            raise StoreError(msg) from exc
        return state

    @property
    def schema_version(self) -> int:
        """The schema version of the file (``PRAGMA user_version``)."""
        with self._lock:
            return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    #: Stamp the file at :meth:`close` (a writable file, not a memory copy).
    _stamps = False

    def close(self) -> None:
        """Close the connection; closing again does nothing.

        A writable file that met no error saying it may be damaged is
        stamped as clean (``_verified.remember``), so that the next open
        need not check its pages.
        """
        with self._lock:
            stamps, self._stamps = self._stamps, False
            damaged = isinstance(self.conn, _verified.VerifiedConnection) and (
                self.conn.damaged
            )
            self.conn.close()
        if damaged:
            _verified.forget(self.path)
        elif stamps:
            _verified.remember(self.path)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, readonly={self.readonly})"


def _copy_into(path: Path, memory: sqlite3.Connection) -> None:
    """Copy the database at *path* into *memory*, reading it only."""
    uri = path.resolve().as_uri()
    try:
        source = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=_TIMEOUT_S)
        try:
            source.backup(memory)
        finally:
            source.close()
    except sqlite3.OperationalError:
        # A WAL file in a directory that cannot be written: read the file as
        # it is (nobody can be writing it).
        source = sqlite3.connect(f"{uri}?immutable=1", uri=True)
        try:
            source.backup(memory)
        finally:
            source.close()


def _connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    """Connect to *path* (creating its directory), or read-only by URI.

    The connection may be used from any thread: the store serialises its
    use with a lock.

    Raises:
        StoreError: The directory or the file cannot be opened.
    """
    try:
        if readonly:
            uri = f"{path.resolve().as_uri()}?mode=ro"
            return sqlite3.connect(
                uri,
                uri=True,
                timeout=_TIMEOUT_S,
                check_same_thread=False,
                factory=_verified.VerifiedConnection,
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        return sqlite3.connect(
            path,
            timeout=_TIMEOUT_S,
            check_same_thread=False,
            factory=_verified.VerifiedConnection,
        )
    except (OSError, sqlite3.Error) as exc:
        msg = f"cannot open {path} ({exc}): set aidoc_db to a writable path"
        raise StoreError(msg) from exc
