"""Bad input never stops a build: broken sources, bad databases, -j builds."""

from __future__ import annotations

import re
import sqlite3

from sqlite_utils import Database

from tests.conftest import entry


def test_broken_modules_warn_and_the_build_goes_on(build):
    app = build("broken-source", "text")
    warnings = app.warning.getvalue()
    assert re.search(
        r"syntax\.py:8: WARNING: cannot parse .*\[aidoc\.parse\]", warnings
    ), warnings
    assert re.search(
        r"WARNING: \S*needs_missing\.py: cannot import broken_pkg\.needs_missing "
        r"\(ModuleNotFoundError.*\[aidoc\.parse\]",
        warnings,
    ), warnings
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    assert "Return the name, " in entry(text, "get_name")


def test_parse_warnings_can_be_suppressed(build):
    app = build(
        "broken-source", "text", confoverrides={"suppress_warnings": ["aidoc.parse"]}
    )
    assert "[aidoc.parse]" not in app.warning.getvalue()


def test_corrupt_database_is_reported_and_left_untouched(build, tmp_path):
    db = tmp_path / "corrupt.db"
    garbage = b"SQLite format 3\x00" + b"\x13" * 3000
    db.write_bytes(garbage)
    app = build("missing", confoverrides={"aidoc_db": str(db)})
    warnings = app.warning.getvalue()
    assert re.search(r"ERROR: .*corrupt\.db.*\[aidoc\.db\]", warnings), warnings
    assert db.read_bytes() == garbage
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "Return the area, " in html  # documented anyway, without the cache
    assert app.statuscode == 1


def test_foreign_database_is_refused(build, tmp_path):
    db = tmp_path / "someone-elses.db"
    conn = sqlite3.connect(db)
    conn.execute("create table invoices (id integer primary key, total real)")
    conn.execute("insert into invoices values (1, 9.5)")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    app = build("missing", confoverrides={"aidoc_db": str(db)})
    warnings = app.warning.getvalue()
    assert re.search(r"did not create.*\[aidoc\.db\]", warnings), warnings
    assert db.read_bytes() == before


def _pages(app) -> dict[str, str]:
    pages = {}
    for path in sorted(app.outdir.glob("*.html")):
        html = path.read_text(encoding="utf-8")
        body = html[
            html.index('<div class="body"') : html.index('<div class="sphinxsidebar"')
        ]
        pages[path.name] = body
    return pages


def test_parallel_build_equals_serial_build(build):
    serial = build("parallel", srcname="serial", parallel=1)
    parallel = build("parallel", srcname="parallel", parallel=2)
    assert _pages(serial) == _pages(parallel)
    assert len(_pages(serial)) >= 9
    snapshots = []
    for app in (serial, parallel):
        db = Database(app.srcdir / "_aidoc" / "aidoc.db")
        snapshots.append(
            list(
                db.query(
                    "select qualname, kind, signature, docstring_hash, generated "
                    "from objects order by qualname"
                )
            )
        )
        counts = next(db.query("select objects, generated, cache_hits from builds"))
        assert counts == {"objects": 48, "generated": 40, "cache_hits": 0}
    assert snapshots[0] == snapshots[1]
    assert len(snapshots[0]) == 48


def test_a_broken_cache_table_is_reported_and_the_build_goes_on(build):
    first = build("missing", srcname="cachebroken")
    db = first.srcdir / "_aidoc" / "aidoc.db"
    conn = sqlite3.connect(db)
    conn.execute("drop table cache")
    conn.commit()
    conn.close()
    second = build("missing", srcname="cachebroken", freshenv=True)
    assert re.search(
        r"generation cache failed.*no such table: cache.*\[aidoc\.cache\]",
        second.warning.getvalue(),
    )
    html = (second.outdir / "index.html").read_text(encoding="utf-8")
    assert "Return the area, " in html


def test_cache_warnings_can_be_suppressed(build):
    first = build("missing", srcname="cachequiet")
    conn = sqlite3.connect(first.srcdir / "_aidoc" / "aidoc.db")
    conn.execute("drop table cache")
    conn.commit()
    conn.close()
    second = build(
        "missing",
        srcname="cachequiet",
        freshenv=True,
        confoverrides={"suppress_warnings": ["aidoc.cache"]},
    )
    assert "[aidoc.cache]" not in second.warning.getvalue()
