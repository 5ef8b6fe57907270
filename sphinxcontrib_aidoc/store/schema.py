"""The aidoc database schema: what an aidoc file looks like, and its steps.

A database belongs to aidoc when its header carries :data:`APPLICATION_ID`
(``PRAGMA application_id``). ``PRAGMA user_version`` holds the number of
schema steps applied, and sqlite-utils records each step by name in
``_sqlite_migrations``. Every step is one function registered on
:data:`MIGRATIONS`; add steps at the end and never edit an applied one.

:func:`inspect_file` looks at an existing file without writing to it, and
:func:`check_state` decides whether aidoc may use a database at all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from sqlite_utils import Database

#: ``PRAGMA application_id`` of every aidoc database ("AIDC").
APPLICATION_ID = 0x41494443
#: Magic bytes at the start of every SQLite 3 database file.
SQLITE_MAGIC = b"SQLite format 3\x00"
#: Where sqlite-utils' ``Migrations`` records the applied steps by name.
MIGRATIONS_TABLE = "_sqlite_migrations"

_Step = TypeVar("_Step", bound=Callable[["Database"], None])


class _Steps:
    """The registered steps, handed to sqlite-utils' ``Migrations`` to apply.

    Registering is the same decorator as ``Migrations`` (``@MIGRATIONS()``),
    but sqlite-utils is imported only when a step is applied: opening a
    database that is up to date never loads it.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.steps: list[tuple[str, Callable[[Database], None], bool]] = []

    def __call__(
        self, *, name: str | None = None, transactional: bool = True
    ) -> Callable[[_Step], _Step]:
        def register(func: _Step) -> _Step:
            step = name or func.__name__
            if any(known == step for known, _, _ in self.steps):
                msg = f"schema step {step!r} is registered twice"
                raise ValueError(msg)
            self.steps.append((step, func, transactional))
            return func

        return register

    def apply(self, db: Database) -> None:
        """Apply the steps *db* lacks, through sqlite-utils' ``Migrations``."""
        from sqlite_utils.migrations import Migrations  # noqa: PLC0415

        migrations = Migrations(self.name)
        for step, func, transactional in self.steps:
            migrations(name=step, transactional=transactional)(func)
        migrations.apply(db)


#: The aidoc schema steps, applied in order by :func:`upgrade`.
MIGRATIONS = _Steps("aidoc")

_REMEDY = "move it away or set aidoc_db to another path"


class SchemaError(Exception):
    """A database aidoc must not use; the message says why and what to do."""


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    """Create the builds, objects, cache and calls tables."""
    for statement in _M001:
        db.execute(statement)


_M001 = (
    """CREATE TABLE builds (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        project TEXT NOT NULL DEFAULT '',
        release TEXT NOT NULL DEFAULT '',
        version TEXT NOT NULL DEFAULT '',
        git_commit TEXT NOT NULL DEFAULT '',
        builder TEXT NOT NULL DEFAULT '',
        config_json TEXT NOT NULL DEFAULT '{}',
        objects INTEGER,
        generated INTEGER,
        cache_hits INTEGER,
        llm_calls INTEGER,
        failures INTEGER,
        tokens_in INTEGER,
        tokens_out INTEGER,
        cost REAL,
        status TEXT NOT NULL DEFAULT 'running'
            CHECK (status IN ('running', 'ok', 'failed'))
    )""",
    """CREATE TABLE objects (
        build_id INTEGER NOT NULL REFERENCES builds(id) ON DELETE CASCADE,
        qualname TEXT NOT NULL,
        module TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL DEFAULT '',
        signature TEXT NOT NULL DEFAULT '',
        docstring_hash TEXT NOT NULL DEFAULT '',
        generated INTEGER NOT NULL DEFAULT 0,
        source TEXT NOT NULL DEFAULT 'human',
        summary TEXT NOT NULL DEFAULT '',
        docname TEXT NOT NULL DEFAULT '',
        file TEXT NOT NULL DEFAULT '',
        lineno INTEGER NOT NULL DEFAULT 0,
        deprecated INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (build_id, qualname)
    )""",
    "CREATE INDEX objects_qualname ON objects (qualname)",
    """CREATE TABLE cache (
        key TEXT PRIMARY KEY,
        qualname TEXT NOT NULL DEFAULT '',
        provider TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL DEFAULT '',
        style TEXT NOT NULL DEFAULT '',
        prompt_version TEXT NOT NULL DEFAULT '',
        draft_json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_used_at TEXT NOT NULL,
        hits INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX cache_provider_model ON cache (provider, model)",
    """CREATE TABLE calls (
        id INTEGER PRIMARY KEY,
        build_id INTEGER REFERENCES builds(id) ON DELETE SET NULL,
        qualname TEXT NOT NULL DEFAULT '',
        provider TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL DEFAULT '',
        outcome TEXT NOT NULL DEFAULT '',
        tokens_in INTEGER NOT NULL DEFAULT 0,
        tokens_out INTEGER NOT NULL DEFAULT 0,
        latency_ms REAL NOT NULL DEFAULT 0,
        cost REAL NOT NULL DEFAULT 0,
        error TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX calls_build_id ON calls (build_id)",
)


@MIGRATIONS()
def m002_docstrings(db: Database) -> None:
    """Keep each distinct docstring text once, keyed by its hash."""
    db.execute(
        """CREATE TABLE docstrings (
            hash TEXT PRIMARY KEY,
            text TEXT NOT NULL
        )"""
    )


@MIGRATIONS()
def m003_changes(db: Database) -> None:
    """Record what each build changed in the documented API."""
    db.execute(
        """CREATE TABLE changes (
            id INTEGER PRIMARY KEY,
            build_id INTEGER NOT NULL REFERENCES builds(id) ON DELETE CASCADE,
            since_build_id INTEGER NOT NULL
                REFERENCES builds(id) ON DELETE CASCADE,
            qualname TEXT NOT NULL,
            module TEXT NOT NULL DEFAULT '',
            object_kind TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL,
            before TEXT NOT NULL DEFAULT '',
            after TEXT NOT NULL DEFAULT '',
            breaking INTEGER NOT NULL DEFAULT 0,
            detail TEXT NOT NULL DEFAULT '',
            docname TEXT NOT NULL DEFAULT '',
            UNIQUE (build_id, since_build_id, qualname, kind)
        )"""
    )
    db.execute("CREATE INDEX changes_qualname ON changes (qualname)")


@MIGRATIONS()
def m004_analysis(db: Database) -> None:
    """Keep analysis results between builds, keyed by what they depend on."""
    db.execute(
        """CREATE TABLE analysis (
            key TEXT PRIMARY KEY,
            module TEXT NOT NULL DEFAULT '',
            file TEXT NOT NULL DEFAULT '',
            payload TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX analysis_file ON analysis (file)")


@MIGRATIONS()
def m005_leases_interrupts(db: Database) -> None:
    """Leases shared by concurrent builds; interrupted builds; who wrote a draft.

    ``builds`` is rebuilt (SQLite cannot change a CHECK constraint in place)
    to allow the status ``interrupted`` and to record the ``host`` and
    ``pid`` of the process running a build. The store applies steps with
    foreign keys off, so dropping the old table cascades to nothing.
    """
    if db.execute("PRAGMA foreign_keys").fetchone()[0]:
        msg = "m005_leases_interrupts must run with foreign keys off"
        raise RuntimeError(msg)
    db.execute(
        """CREATE TABLE leases (
            key TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            host TEXT NOT NULL DEFAULT '',
            pid INTEGER NOT NULL DEFAULT 0,
            expires_at REAL NOT NULL
        )"""
    )
    db.execute("ALTER TABLE objects ADD COLUMN writer TEXT NOT NULL DEFAULT ''")
    db.execute(_M005_BUILDS.replace("CREATE TABLE builds", "CREATE TABLE builds_new"))
    columns = (
        "id, started_at, ended_at, project, release, version, git_commit, builder,"
        " config_json, objects, generated, cache_hits, llm_calls, failures,"
        " tokens_in, tokens_out, cost, status"
    )
    db.execute(
        f"INSERT INTO builds_new ({columns}) SELECT {columns} FROM builds"  # noqa: S608 (constant)
    )
    db.execute("DROP TABLE builds")
    db.execute("ALTER TABLE builds_new RENAME TO builds")
    db.execute("CREATE INDEX builds_status ON builds (status)")


_M005_BUILDS = """CREATE TABLE builds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    project TEXT NOT NULL DEFAULT '',
    release TEXT NOT NULL DEFAULT '',
    version TEXT NOT NULL DEFAULT '',
    git_commit TEXT NOT NULL DEFAULT '',
    builder TEXT NOT NULL DEFAULT '',
    config_json TEXT NOT NULL DEFAULT '{}',
    objects INTEGER,
    generated INTEGER,
    cache_hits INTEGER,
    llm_calls INTEGER,
    failures INTEGER,
    tokens_in INTEGER,
    tokens_out INTEGER,
    cost REAL,
    status TEXT NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'ok', 'failed', 'interrupted')),
    host TEXT NOT NULL DEFAULT '',
    pid INTEGER NOT NULL DEFAULT 0
)"""


@MIGRATIONS()
def m006_review(db: Database) -> None:
    """Record review decisions about generated docstrings."""
    db.execute(
        """CREATE TABLE reviews (
            qualname TEXT PRIMARY KEY,
            state TEXT NOT NULL CHECK (state IN ('accepted', 'edited', 'rejected')),
            source_hash TEXT NOT NULL DEFAULT '',
            text_hash TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL DEFAULT '',
            provider TEXT NOT NULL DEFAULT '',
            model TEXT NOT NULL DEFAULT '',
            score INTEGER,
            decided_at TEXT NOT NULL
        )"""
    )


@MIGRATIONS()
def m007_snapshot_refs(db: Database) -> None:
    """Let a build that changed nothing point at an earlier build's snapshot.

    ``builds.snapshot_of`` names the build whose ``objects`` rows are this
    build's too (NULL: the build has its own rows).
    """
    db.execute(
        "ALTER TABLE builds ADD COLUMN snapshot_of INTEGER REFERENCES builds(id)"
    )


@MIGRATIONS()
def m008_build_usage(db: Database) -> None:
    """Keep what a build did besides its counters (``aidoc stats``).

    ``builds.usage_json`` holds the seconds spent by stage and the objects
    analysed or served from the analysis table (see
    :meth:`~sphinxcontrib_aidoc.store.Store.record_usage`).
    """
    db.execute("ALTER TABLE builds ADD COLUMN usage_json TEXT NOT NULL DEFAULT '{}'")


@MIGRATIONS()
def m009_batch_jobs(db: Database) -> None:
    """Jobs submitted to a provider's batch API, and the objects each asks for.

    ``batch_jobs`` holds one row per job (the provider's batch id, its last
    known status, its files); ``collected_at`` is set once its answers were
    read into the cache (NULL: the job is live). ``batch_items`` holds one
    row per object of a job: its ``custom_id`` in the job, its cache key,
    the analysis record needed to check its answer (``info_json``), and
    whether its answer was cached (``state``).
    """
    db.execute(
        """CREATE TABLE batch_jobs (
            id TEXT PRIMARY KEY,
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            prompt_version TEXT NOT NULL,
            input_file_id TEXT NOT NULL,
            status TEXT NOT NULL,
            objects INTEGER NOT NULL,
            submitted_at TEXT NOT NULL,
            checked_at TEXT,
            collected_at TEXT,
            output_file_id TEXT,
            error_file_id TEXT,
            answered INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute(
        """CREATE TABLE batch_items (
            job_id TEXT NOT NULL REFERENCES batch_jobs(id) ON DELETE CASCADE,
            custom_id TEXT NOT NULL,
            key TEXT NOT NULL,
            qualname TEXT NOT NULL,
            info_json TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'cached', 'failed')),
            error TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (job_id, custom_id)
        )"""
    )
    db.execute("CREATE INDEX batch_items_key ON batch_items (key)")


@MIGRATIONS()
def m010_calls_via(db: Database) -> None:
    """Tell answers read from a batch job from requests (``calls.via``).

    ``request`` for a chat request, ``batch`` for one object's answer in a
    collected batch job (its tokens are billed at the batch price).
    """
    db.execute("ALTER TABLE calls ADD COLUMN via TEXT NOT NULL DEFAULT 'request'")


#: Names of the steps this version knows, in order.
STEPS: tuple[str, ...] = tuple(step for step, _, _ in MIGRATIONS.steps)
#: ``PRAGMA user_version`` of a database with every known step applied.
SCHEMA_VERSION = len(STEPS)


@dataclass(frozen=True, slots=True)
class DatabaseState:
    """What the header and the migrations table of a database say."""

    application_id: int
    user_version: int
    #: Number of tables, indexes, views and triggers in ``sqlite_schema``.
    schema_objects: int
    #: Names of the aidoc steps recorded in ``_sqlite_migrations``.
    applied: tuple[str, ...]

    @property
    def is_blank(self) -> bool:
        """True for a database nobody has put anything in yet."""
        return self.application_id == 0 and self.schema_objects == 0

    @property
    def is_current(self) -> bool:
        """True when every known step is applied and nothing else."""
        return (
            self.application_id == APPLICATION_ID
            and self.user_version == SCHEMA_VERSION
            # The same steps, in any order: steps written on parallel
            # branches may have been applied in the order they arrived.
            and sorted(self.applied) == sorted(STEPS)
        )


def read_state(conn: sqlite3.Connection) -> DatabaseState:
    """Read the marker, version and applied steps of the database on *conn*.

    Raises:
        sqlite3.DatabaseError: The file is not a database or is damaged.
    """
    # One read transaction, so that all values come from the same commit.
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        application_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        user_version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        applied: tuple[str, ...] = ()
        if MIGRATIONS_TABLE in names:
            rows = conn.execute(
                f"SELECT name FROM {MIGRATIONS_TABLE}"  # noqa: S608 (constant)
                " WHERE migration_set = ? ORDER BY rowid",
                [MIGRATIONS.name],
            )
            applied = tuple(str(row[0]) for row in rows)
    finally:
        if own and conn.in_transaction:
            conn.execute("ROLLBACK")
    return DatabaseState(application_id, user_version, len(names), applied)


def check_state(state: DatabaseState, path: Path) -> None:
    """Refuse a database that belongs to someone else or to a newer aidoc.

    Raises:
        SchemaError: With a message naming *path*, the problem and the remedy.
    """
    if state.is_blank:
        return
    if state.application_id != APPLICATION_ID:
        msg = (
            f"{path} is an SQLite database that sphinxcontrib-aidoc did not "
            f"create (application_id {state.application_id:#x}); aidoc will not "
            f"touch it: {_REMEDY}"
        )
        raise SchemaError(msg)
    unknown = [name for name in state.applied if name not in STEPS]
    if state.user_version > SCHEMA_VERSION or unknown:
        msg = (
            f"{path} was created by a newer sphinxcontrib-aidoc (schema version "
            f"{state.user_version}, this version knows {SCHEMA_VERSION}"
            + (f"; unknown steps: {', '.join(unknown)}" if unknown else "")
            + f"): upgrade sphinxcontrib-aidoc, or {_REMEDY}"
        )
        raise SchemaError(msg)


def upgrade(db: Database) -> None:
    """Mark the database as aidoc's and apply the pending steps.

    Call it inside a write transaction (``BEGIN IMMEDIATE``) after
    :func:`check_state`, so that concurrent openers apply each step once.
    """
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    MIGRATIONS.apply(db)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def inspect_file(path: Path, *, pages: bool = True) -> DatabaseState:
    """Check an existing, non-empty file without writing to it.

    The header must be SQLite's, ``PRAGMA quick_check`` must pass (with
    *pages*; without, for a file as aidoc's last clean close left it, see
    ``store._verified``), and :func:`check_state` must accept the
    database. The file is opened
    read-only (``mode=ro``), so a rejected file is left byte for byte as it
    was. (SQLite still creates empty ``-wal`` and ``-shm`` files beside a
    WAL database it reads; it needs them to coordinate with writers.)

    Raises:
        SchemaError: The file is not SQLite, is damaged, is another
            program's database, or comes from a newer aidoc.
    """
    try:
        with path.open("rb") as fp:
            head = fp.read(len(SQLITE_MAGIC))
    except OSError as exc:
        msg = f"cannot read {path}: {exc.strerror or exc}; {_REMEDY}"
        raise SchemaError(msg) from exc
    if head != SQLITE_MAGIC:
        msg = f"{path} is not an SQLite database (it holds other data): {_REMEDY}"
        raise SchemaError(msg)
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=30)
    except sqlite3.Error as exc:
        msg = f"cannot open {path} read-only ({exc}); {_REMEDY}"
        raise SchemaError(msg) from exc
    try:
        state = read_state(conn)
        check_state(state, path)
        problems = (
            [str(row[0]) for row in conn.execute("PRAGMA quick_check")]
            if pages
            else ["ok"]
        )
    except sqlite3.OperationalError as exc:
        msg = f"cannot read {path} ({exc}); if no other build is using it, {_REMEDY}"
        raise SchemaError(msg) from exc
    except sqlite3.DatabaseError as exc:
        problems = [str(exc)]
    finally:
        conn.close()
    if problems != ["ok"]:
        detail = "; ".join(problems[:3])
        msg = (
            f"{path} is a damaged SQLite database ({detail}); aidoc will not "
            f"write to it: {_REMEDY} (the cache is rebuilt on the next build)"
        )
        raise SchemaError(msg)
    return state
