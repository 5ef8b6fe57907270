"""The SQLite store: schema, file checks, cache, builds, concurrency."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import random
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from sphinxcontrib_aidoc.model import Draft, ObjectSnapshot
from sphinxcontrib_aidoc.store import (
    CacheEntry,
    Store,
    StoreError,
    git_commit,
    public_config,
    schema,
)

DRAFT = Draft(
    summary="Add two numbers.",
    description="Works for ints and floats.\n\nSecond paragraph: ünïcode.",
    params=(("a", "First addend."), ("b", "Second addend.")),
    returns="The sum.",
    raises=(("TypeError", "If an operand is not a number."),),
    source="llm",
    provider="azure",
    model="gpt-4o-mini",
)


def put(store: Store, key: str, draft: Draft = DRAFT, **meta: str) -> None:
    fields = {
        "qualname": "pkg.mod.add",
        "provider": "azure",
        "model": "gpt-4o-mini",
        "prompt_version": "1",
    }
    store.cache_put(key, draft, **{**fields, **meta})


class FixedClock:
    """A clock that advances one second per call."""

    def __init__(self) -> None:
        self.now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "nested" / "dir" / "aidoc.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path) as opened:
        yield opened


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path)


# -- schema and file format --------------------------------------------------


def test_open_creates_parent_dirs_wal_marker_and_migrations(db_path: Path) -> None:
    with Store.open(db_path) as store:
        assert store.path == db_path
        assert store.schema_version == schema.SCHEMA_VERSION == len(schema.STEPS)
        assert store.db.journal_mode == "wal"
        conn = store.db.conn
        assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x41494443
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        applied = conn.execute(
            "SELECT migration_set, name FROM _sqlite_migrations ORDER BY id"
        ).fetchall()
        assert applied == [("aidoc", name) for name in schema.STEPS]
        assert applied[0] == ("aidoc", "m001_initial")
        assert {"builds", "objects", "cache", "calls", "docstrings"} <= set(
            store.db.table_names()
        )


def test_reopen_keeps_data_and_applies_nothing_twice(db_path: Path) -> None:
    with Store.open(db_path) as store:
        put(store, "k1")
        build = store.begin_build(project="demo")
    with Store.open(db_path) as store:
        assert store.cache_get("k1") == DRAFT
        assert [b["id"] for b in store.builds()] == [build]
        count = store.db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()
        assert count == (len(schema.STEPS),)


def test_empty_file_is_treated_as_new(tmp_path: Path) -> None:
    path = tmp_path / "aidoc.db"
    path.touch()
    with Store.open(path) as store:
        assert store.schema_version == schema.SCHEMA_VERSION


def test_blank_sqlite_database_is_adopted(tmp_path: Path) -> None:
    path = tmp_path / "aidoc.db"
    conn = raw(path)
    conn.execute("PRAGMA user_version = 0")
    conn.execute("VACUUM")
    conn.close()
    with Store.open(path) as store:
        assert store.schema_version == schema.SCHEMA_VERSION


def test_missing_file_without_create_or_readonly(tmp_path: Path) -> None:
    path = tmp_path / "none.db"
    with pytest.raises(StoreError, match=r"no aidoc database at .*none\.db"):
        Store.open(path, create=False)
    with pytest.raises(StoreError, match="no aidoc database"):
        Store.open(path, readonly=True)
    assert not path.exists()


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is not a file"):
        Store.open(tmp_path)


# -- files that must be refused and left alone ------------------------------


def _aidoc_file(path: Path, rows: int = 0) -> None:
    with Store.open(path) as store:
        store.cache_put_many(
            CacheEntry(f"key-{i:05d}", DRAFT, qualname=f"q{i}" * 20)
            for i in range(rows)
        )


def _not_sqlite_binary(path: Path) -> None:
    path.write_bytes(random.Random(1).randbytes(8192))


def _not_sqlite_text(path: Path) -> None:
    path.write_text("project = 'demo'\n# not a database\n" * 50)


def _truncated(path: Path) -> None:
    _aidoc_file(path, rows=400)
    size = path.stat().st_size
    with path.open("r+b") as fp:
        fp.truncate(size // 2)


def _garbage_pages(path: Path) -> None:
    _aidoc_file(path, rows=400)
    data = bytearray(path.read_bytes())
    garbage = random.Random(2).randbytes(3 * 4096)
    data[4096 * 3 : 4096 * 6] = garbage
    path.write_bytes(bytes(data))


def _foreign(path: Path) -> None:
    conn = raw(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('mine')")
    conn.commit()
    conn.close()


def _foreign_application_id(path: Path) -> None:
    conn = raw(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("CREATE TABLE cache (key TEXT)")
    conn.commit()
    conn.close()


def _newer_user_version(path: Path) -> None:
    _aidoc_file(path)
    conn = raw(path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()


def _newer_unknown_step(path: Path) -> None:
    _aidoc_file(path)
    conn = raw(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('aidoc', 'm999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (_not_sqlite_binary, "is not an SQLite database"),
        (_not_sqlite_text, "is not an SQLite database"),
        (_truncated, "is a damaged SQLite database"),
        (_garbage_pages, "is a damaged SQLite database"),
        (_foreign, "sphinxcontrib-aidoc did not create"),
        (_foreign_application_id, r"did not create \(application_id 0x4d2\)"),
        (_newer_user_version, "created by a newer sphinxcontrib-aidoc"),
        (_newer_unknown_step, "newer sphinxcontrib-aidoc.*m999_from_the_future"),
    ],
)
@pytest.mark.parametrize("readonly", [False, True])
def test_refused_file_is_left_unchanged(
    tmp_path: Path, make: Callable[[Path], None], problem: str, readonly: bool
) -> None:
    path = tmp_path / "aidoc.db"
    make(path)
    before = path.read_bytes()
    stat = path.stat()
    siblings = sorted(p.name for p in tmp_path.iterdir())
    wal_mode = before[18:20] == b"\x02\x02"
    with pytest.raises(StoreError, match=problem) as excinfo:
        Store.open(path, readonly=readonly)
    message = str(excinfo.value)
    assert str(path) in message
    assert "aidoc_db" in message
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    if not wal_mode:  # SQLite adds empty -wal/-shm files to read a WAL database
        assert sorted(p.name for p in tmp_path.iterdir()) == siblings


# -- read-only --------------------------------------------------------------


def test_readonly_reads_without_writing(db_path: Path) -> None:
    with Store.open(db_path) as store:
        put(store, "k")
    before = db_path.read_bytes()
    with Store.open(db_path, readonly=True) as store:
        assert store.cache_get("k") == DRAFT
        assert store.cache_stats()["hits"] == 0
        with pytest.raises(StoreError, match="read-only"):
            put(store, "other")
        with pytest.raises(StoreError, match="read-only"):
            store.begin_build()
    assert db_path.read_bytes() == before


# -- cache ------------------------------------------------------------------


def test_cache_round_trip_counts_hits(tmp_path: Path) -> None:
    clock = FixedClock()
    with Store.open(tmp_path / "a.db", clock=clock) as store:
        assert store.cache_get("k") is None
        put(store, "k")
        assert store.cache_get("k") == DRAFT
        assert store.cache_get_many(["k", "missing", "k"]) == {"k": DRAFT}
        (row,) = store.db.query("SELECT * FROM cache")
    assert row["hits"] == 2
    assert row["created_at"] == "2024-05-01T12:00:01+00:00"
    assert row["last_used_at"] > row["created_at"]
    assert json.loads(row["draft_json"]) == DRAFT.to_json()
    assert (row["qualname"], row["provider"]) == ("pkg.mod.add", "azure")


def test_cache_put_replaces(store: Store) -> None:
    put(store, "k", Draft("Old."))
    store.cache_get("k")
    put(store, "k", Draft("New."))
    assert store.cache_get("k") == Draft("New.")
    assert store.cache_stats()["entries"] == 1


@pytest.mark.parametrize(
    "text",
    ["{not json", "[1, 2]", '"a string"', '{"params": 5}', '{"raises": [[1, 2, 3]]}'],
)
def test_bad_cache_row_is_a_miss_and_deleted(store: Store, text: str) -> None:
    put(store, "good")
    store.db.execute(
        "INSERT INTO cache (key, draft_json, created_at, last_used_at)"
        " VALUES ('bad', ?, '', '')",
        [text],
    )
    assert store.cache_get("bad") is None
    assert store.cache_get_many(["good", "bad"]) == {"good": DRAFT}
    assert [r["key"] for r in store.db.query("SELECT key FROM cache")] == ["good"]


def test_cache_get_many_chunks_large_batches(store: Store) -> None:
    keys = [f"k{i:04d}" for i in range(1234)]
    stored = store.cache_put_many(CacheEntry(k, Draft(k)) for k in keys[::2])
    assert stored == 617
    found = store.cache_get_many(keys)
    assert found == {k: Draft(k) for k in keys[::2]}
    assert store.cache_stats()["hits"] == 617


def test_cache_stats_and_clear(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.db", clock=FixedClock()) as store:
        assert store.cache_stats()["entries"] == 0
        assert store.cache_stats()["oldest"] is None
        put(store, "a1", provider="azure", model="m1")
        put(store, "a2", provider="azure", model="m1")
        put(store, "o1", provider="offline", model="")
        store.cache_get("a1")
        stats = store.cache_stats()
        assert stats["entries"] == 3
        assert stats["hits"] == 1
        assert stats["oldest"] == "2024-05-01T12:00:01+00:00"
        assert stats["newest"] == "2024-05-01T12:00:03+00:00"
        assert stats["size_bytes"] > 0
        assert stats["by_provider"] == [
            {"provider": "azure", "model": "m1", "entries": 2, "hits": 1},
            {"provider": "offline", "model": "", "entries": 1, "hits": 0},
        ]
        assert store.cache_clear(provider="offline") == 1
        assert store.cache_clear() == 2
        assert store.cache_stats()["entries"] == 0


def test_export_import_round_trip(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.db", clock=FixedClock()) as source:
        for i in (3, 1, 2):
            put(source, f"key{i}", Draft(f"Draft {i}."), qualname=f"pkg.f{i}")
        source.cache_get("key2")
        out = io.StringIO()
        assert source.cache_export(out) == 3
        rows = list(source.db.query("SELECT * FROM cache ORDER BY key"))
    text = out.getvalue()
    lines = text.splitlines()
    assert [json.loads(line)["key"] for line in lines] == ["key1", "key2", "key3"]
    with Store.open(tmp_path / "b.db") as target:
        assert target.cache_import(io.StringIO(text)) == (3, 0)
        assert list(target.db.query("SELECT * FROM cache ORDER BY key")) == rows
        again = io.StringIO()
        target.cache_export(again)
    assert again.getvalue() == text


def test_import_skips_bad_lines(store: Store) -> None:
    good = {"key": "k1", "draft_json": json.dumps(DRAFT.to_json())}
    lines = [
        json.dumps(good),
        "",
        "{broken json",
        json.dumps(["a", "list"]),
        json.dumps({"draft_json": good["draft_json"]}),  # no key
        json.dumps({"key": "k2", "draft_json": "not a draft"}),
        json.dumps({**good, "key": "k3", "hits": "many"}),
        json.dumps({**good, "key": "k4", "provider": 7}),
        json.dumps({**good, "key": "k5", "provider": "azure", "hits": 4}),
    ]
    assert store.cache_import(io.StringIO("\n".join(lines) + "\n")) == (2, 6)
    assert store.cache_get("k1") == DRAFT
    (row,) = store.db.query("SELECT provider, hits FROM cache WHERE key = 'k5'")
    assert row == {"provider": "azure", "hits": 4}


def test_store_is_usable_from_threads(store: Store) -> None:
    def work(i: int) -> Draft | None:
        put(store, f"t{i}", Draft(f"{i}"))
        return store.cache_get(f"t{i}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(100)))
    assert results == [Draft(f"{i}") for i in range(100)]
    assert threading.active_count() >= 1


# -- builds -----------------------------------------------------------------


def test_config_is_stored_without_secrets(store: Store) -> None:
    config = {
        "provider": "azure",
        "azure_api_key": "sk-secret-1",
        "api_key": "sk-secret-2",
        "AZURE_OPENAI_API_KEY": "sk-secret-3",
        "client_secret": "sk-secret-4",
        "password": "sk-secret-5",
        "token": "sk-secret-6",
        "access_token": "sk-secret-7",
        "api-key": "sk-secret-8",
        "nested": {"openai_api_key": "sk-secret-9", "endpoint": "https://x"},
        "max_tokens_per_build": 100000,
        "tokens_per_minute": 6000,
        "api_key_env": "AZURE_OPENAI_API_KEY",
        "cache_dir": Path("/tmp/cache"),
    }
    build = store.begin_build(config=config)
    (row,) = store.builds()
    assert row["id"] == build
    assert "sk-secret" not in row["config_json"]
    assert json.loads(row["config_json"]) == {
        "provider": "azure",
        "nested": {"endpoint": "https://x"},
        "max_tokens_per_build": 100000,
        "tokens_per_minute": 6000,
        "api_key_env": "AZURE_OPENAI_API_KEY",
        "cache_dir": "/tmp/cache",
    }
    assert public_config({}) == {}


SNAPSHOTS = [
    ObjectSnapshot(
        qualname="pkg.mod.zeta",
        module="pkg.mod",
        kind="function",
        signature="(x: int) -> int",
        docstring_hash="h1",
        generated=True,
        source="llm",
        summary="Zeta.",
        docname="api",
        file="pkg/mod.py",
        lineno=10,
        deprecated=True,
    ),
    ObjectSnapshot(
        qualname="pkg.mod.Alpha",
        module="pkg.mod",
        kind="class",
        signature="()",
        docstring_hash="h2",
        generated=False,
    ),
]


def test_snapshot_round_trip(store: Store) -> None:
    build = store.begin_build(project="demo", builder="html")
    assert store.record_objects(build, SNAPSHOTS) == 2
    assert store.snapshot(build) == sorted(SNAPSHOTS, key=lambda s: s.qualname)
    assert store.snapshot(build + 1) == []


def test_record_objects_keeps_last_duplicate(store: Store) -> None:
    build = store.begin_build()
    first = SNAPSHOTS[1]
    second = ObjectSnapshot(**{**first.to_json(), "docstring_hash": "h3"})
    store.record_objects(build, [first, second])
    assert store.snapshot(build) == [second]


def test_objects_need_an_existing_build(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.record_objects(999, SNAPSHOTS)
    assert store.db.execute("SELECT count(*) FROM objects").fetchone() == (0,)


def test_builds_newest_first_and_last_build(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.db", clock=FixedClock()) as store:
        b1 = store.begin_build(project="demo", git_commit="a" * 40)
        store.end_build(b1, status="ok", objects=3)
        b2 = store.begin_build(project="demo")
        store.end_build(b2, status="failed")
        b3 = store.begin_build(project="demo")
        assert [b["id"] for b in store.builds()] == [b3, b2, b1]
        assert [b["id"] for b in store.builds(limit=2)] == [b3, b2]
        last_ok = store.last_build()
        assert last_ok is not None
        assert last_ok["id"] == b1
        assert last_ok["git_commit"] == "a" * 40
        assert last_ok["ended_at"] == "2024-05-01T12:00:02+00:00"

        def last_id(**kwargs: Any) -> int | None:
            row = store.last_build(**kwargs)
            return None if row is None else int(row["id"])

        assert last_id(status=None) == b3
        assert last_id(status="failed") == b2
        assert last_id(status=None, before=b2) == b1
        assert store.last_build(before=b1) is None
        assert store.builds()[0]["status"] == "running"


def test_end_build_and_counts(store: Store) -> None:
    build = store.begin_build()
    store.record_objects(build, SNAPSHOTS)
    store.record_call(
        build,
        qualname="pkg.mod.zeta",
        provider="azure",
        model="gpt",
        outcome="ok",
        tokens_in=100,
        tokens_out=20,
        latency_ms=512.5,
        cost=0.25,
    )
    store.record_call(
        build,
        qualname="pkg.mod.Alpha",
        provider="azure",
        model="gpt",
        outcome="timeout",
        error="x" * 5000,
    )
    derived = store.build_counts(build)
    assert derived == {
        "objects": 2,
        "generated": 1,
        "cache_hits": 0,
        "llm_calls": 2,
        "failures": 1,
        "tokens_in": 100,
        "tokens_out": 20,
        "cost": 0.25,
    }
    store.end_build(build, objects=5, cache_hits=4, cost=1.5)
    counts = store.build_counts(build)
    assert counts == {**derived, "objects": 5, "cache_hits": 4, "cost": 1.5}
    (row,) = store.builds()
    assert row["status"] == "ok"
    assert row["ended_at"]
    errors = [r["error"] for r in store.db.query("SELECT error FROM calls")]
    assert [len(e) for e in errors] == [0, 2000]


def test_end_build_rejects_bad_input(store: Store) -> None:
    build = store.begin_build()
    with pytest.raises(ValueError, match="status must be one of"):
        store.end_build(build, status="great")
    with pytest.raises(ValueError, match="unknown build counters: bogus"):
        store.end_build(build, bogus=1)
    with pytest.raises(KeyError):
        store.end_build(build + 1)
    with pytest.raises(KeyError):
        store.build_counts(build + 1)


def test_record_call_outside_a_build(store: Store) -> None:
    store.record_call(
        None, qualname="f", provider="openai", model="m", outcome="rate_limit"
    )
    (row,) = store.db.query("SELECT build_id, outcome FROM calls")
    assert row == {"build_id": None, "outcome": "rate_limit"}


# -- concurrency --------------------------------------------------------------


def _writer(path: str, worker: int, barrier: Any, errors: Any) -> None:
    try:
        barrier.wait(timeout=30)
        with Store.open(path) as store:
            for i in range(200):
                store.cache_put(
                    f"w{worker}-{i:03d}",
                    Draft(f"Worker {worker}, draft {i}."),
                    qualname=f"pkg.f{i}",
                    provider="offline",
                    model="",
                    prompt_version="1",
                )
            store.cache_get_many([f"w{(worker + 1) % 4}-{i:03d}" for i in range(200)])
    except (sqlite3.Error, StoreError) as exc:  # "database is locked" and kin
        errors.put(f"worker {worker}: {type(exc).__name__}: {exc}")


def test_concurrent_processes_open_and_write(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "aidoc.db"
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(4)
    errors = ctx.Queue()
    procs = [
        ctx.Process(target=_writer, args=(str(path), n, barrier, errors))
        for n in range(4)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=60)
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert problems == []
    assert [proc.exitcode for proc in procs] == [0, 0, 0, 0]
    with Store.open(path) as store:
        assert store.cache_stats()["entries"] == 800
        assert store.schema_version == schema.SCHEMA_VERSION
        applied = store.db.execute("SELECT count(*) FROM _sqlite_migrations")
        assert applied.fetchone() == (len(schema.STEPS),)
        assert store.cache_get("w3-199") == Draft("Worker 3, draft 199.")


# -- git ------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_commit(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    assert git_commit(repo) == ""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args],
            cwd=repo,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    git("init", "-q")
    assert git_commit(repo) == ""  # no commits yet
    git("commit", "-q", "--allow-empty", "-m", "first")
    head = git("rev-parse", "HEAD")
    assert git_commit(repo) == head
    assert git_commit(repo / "missing") == ""


def test_snapshot_keeps_each_docstring_text_once(db_path: Path) -> None:
    text = "Return the area.\n\nArgs:\n    width: The width."
    snap = ObjectSnapshot(
        qualname="m.f",
        module="m",
        kind="function",
        signature="()",
        docstring_hash="abc",
        generated=True,
        docstring=text,
    )
    with Store.open(db_path) as store:
        first = store.begin_build()
        store.record_objects(first, [snap])
        second = store.begin_build()
        store.record_objects(second, [snap])
        assert store.snapshot(second)[0].docstring == text
        assert store.db.execute("SELECT count(*) FROM docstrings").fetchone() == (1,)
