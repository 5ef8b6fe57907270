"""The page check at open is skipped for a file as aidoc's clean close left it."""

from __future__ import annotations

import os
import random
import re
import sqlite3
from pathlib import Path

import pytest

from sphinxcontrib_aidoc.model import Draft
from sphinxcontrib_aidoc.store import CacheEntry, Store, StoreError, schema

DRAFT = Draft(summary="Add two numbers.", source="llm")


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each open checked the file's pages (``PRAGMA quick_check``)."""
    seen: list[bool] = []
    real = schema.inspect_file

    def spy(path: Path, **kwargs: bool) -> schema.DatabaseState:
        seen.append(kwargs.get("pages", True))
        return real(path, **kwargs)

    monkeypatch.setattr(schema, "inspect_file", spy)
    return seen


def _filled(path: Path, rows: int = 400) -> None:
    with Store.open(path) as store:
        store.cache_put_many(
            CacheEntry(f"key-{i:05d}", DRAFT, qualname=f"q{i}" * 20)
            for i in range(rows)
        )


def _garbage(path: Path, page: int = 4, count: int = 3) -> None:
    """Overwrite *count* pages from *page* (1-based) in place; the size stays."""
    with path.open("r+b") as fp:
        fp.seek(4096 * (page - 1))
        fp.write(random.Random(2).randbytes(count * 4096))


def test_clean_close_stamps_the_file_and_the_next_open_skips_the_check(
    tmp_path: Path, checks: list[bool]
) -> None:
    path = tmp_path / "aidoc.db"
    _filled(path)
    assert (tmp_path / "aidoc.db-verified").is_file()
    with Store.open(path) as store:
        assert store.cache_get("key-00007") == DRAFT
        store.cache_put_many([CacheEntry("new", DRAFT, qualname="n")])
    with Store.open(path, readonly=True) as store:
        assert store.cache_get("new") == DRAFT
    assert checks == [False, False]


def test_a_file_changed_after_its_clean_close_is_checked_and_refused(
    tmp_path: Path, checks: list[bool]
) -> None:
    path = tmp_path / "aidoc.db"
    _filled(path)
    stat = path.stat()
    _garbage(path)  # at once: in the same clock tick as the close, maybe
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even so
    before = path.read_bytes()
    with pytest.raises(StoreError, match="is a damaged SQLite database"):
        Store.open(path)
    assert checks == [True]
    assert path.read_bytes() == before


def test_a_pending_write_ahead_log_means_a_check(
    tmp_path: Path, checks: list[bool]
) -> None:
    path = tmp_path / "aidoc.db"
    _filled(path, rows=10)
    with Store.open(path) as writer:
        writer.cache_put_many([CacheEntry("new", DRAFT, qualname="n")])
        with Store.open(path) as reader:  # the log holds the write
            assert reader.cache_get("new") == DRAFT
    assert checks == [False, True]
    with Store.open(path):
        pass
    assert checks[-1] is False  # the last close stamped it again


def test_a_store_that_met_damage_writes_no_stamp(
    tmp_path: Path, checks: list[bool]
) -> None:
    path = tmp_path / "aidoc.db"
    _filled(path)
    store = Store.open(path)
    (root,) = store.conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'cache'"
    ).fetchone()
    _garbage(path, root, 20)  # the cache table's pages, under the connection
    with pytest.raises(sqlite3.DatabaseError):
        store.conn.execute("SELECT count(*), max(draft_json) FROM cache").fetchall()
    store.close()
    assert not (tmp_path / "aidoc.db-verified").exists()
    with pytest.raises(StoreError, match="is a damaged SQLite database"):
        Store.open(path)
    assert checks == [False, True]


def test_a_sidecar_that_says_nothing_useful_means_a_check(
    tmp_path: Path, checks: list[bool]
) -> None:
    path = tmp_path / "aidoc.db"
    _filled(path, rows=10)
    sidecar = tmp_path / "aidoc.db-verified"
    for text in ("{not json", "[]", '{"format": 1, "stamp": [1, 2]}'):
        sidecar.write_text(text)
        with Store.open(path, readonly=True):
            pass
    assert checks == [True, True, True]


def test_a_database_damaged_after_a_build_is_reported_and_left_untouched(
    build, checks: list[bool]
):
    app = build("missing", srcname="damaged")
    db = app.srcdir / "_aidoc" / "aidoc.db"
    assert (db.parent / "aidoc.db-verified").is_file()
    again = build("missing", srcname="damaged")
    assert again.statuscode == 0
    assert checks == [False]  # (the first build created the file)
    _garbage(db)
    before = db.read_bytes()
    app = build("missing", srcname="damaged")
    warnings = app.warning.getvalue()
    assert re.search(r"ERROR: .*aidoc\.db.*damaged.*\[aidoc\.db\]", warnings), warnings
    assert db.read_bytes() == before
    assert app.statuscode == 1
