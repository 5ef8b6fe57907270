"""A ``-E`` rebuild with a warm database parses no file for the import graph.

What each file imports and defines is kept in the environment and, one row
per file keyed on its content digest, in the database; a fresh environment
reads the rows back instead of parsing every file of the package again
(issue 14), and builds the same pages. A row is written only for a file
parsed in the build.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from sphinxcontrib_aidoc.analyze import _deps, persist

ROWS = "SELECT key, payload FROM analysis WHERE key LIKE 'imports:%' ORDER BY key"


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The module of every file the import graph parses, in order."""
    seen: list[str] = []
    facts = _deps._facts

    def counted(data: bytes, module: str, file: Path) -> Any:
        seen.append(module)
        return facts(data, module, file)

    monkeypatch.setattr(_deps, "_facts", counted)
    return seen


@pytest.fixture
def started(monkeypatch) -> list[str]:
    """What starts analysing: a pool of analysis processes, or an analysis."""
    seen: list[str] = []
    pool = persist.ProcessPoolExecutor
    analyze_file = persist.analyze_file

    def counted_pool(*args: Any, **kwargs: Any) -> Any:
        seen.append("pool")
        return pool(*args, **kwargs)

    def counted_analysis(path: Path, **kwargs: Any) -> Any:
        seen.append(str(kwargs.get("module")))
        return analyze_file(path, **kwargs)

    monkeypatch.setattr(persist, "ProcessPoolExecutor", counted_pool)
    monkeypatch.setattr(persist, "analyze_file", counted_analysis)
    return seen


def _rows(app: Any) -> list[tuple[str, str]]:
    db = sqlite3.connect(app.srcdir / "_aidoc" / "aidoc.db")
    try:
        return [(str(k), str(p)) for k, p in db.execute(ROWS)]
    finally:
        db.close()


def _pages(app: Any) -> dict[str, str]:
    return {
        name: (app.outdir / f"{name}.html").read_text(encoding="utf-8")
        for name in ("shapes", "drawing")
    }


def test_fresh_environment_reads_the_imports_kept_in_the_database(
    build, parsed, started
):
    first = build("callsites", srcname="warm")
    assert "pool" in started  # the first build analyses in a child process
    assert sorted(set(parsed)) == ["cs_pkg", "cs_pkg.drawing", "cs_pkg.shapes"]
    rows = _rows(first)
    assert [key.rpartition("/")[2] for key, _ in rows] == [
        "__init__.py",
        "drawing.py",
        "shapes.py",
    ]
    pages = _pages(first)
    parsed.clear()
    started.clear()
    again = build("callsites", srcname="warm", freshenv=True)
    assert parsed == []
    assert started == []  # nothing analysed, no process started
    assert _pages(again) == pages
    assert _rows(again) == rows  # nothing parsed, nothing written


def test_an_edited_file_is_parsed_and_its_row_alone_rewritten(build, parsed):
    first = build("callsites", srcname="edit")
    rows = dict(_rows(first))
    shapes = Path(first.srcdir) / "cs_pkg" / "shapes.py"
    shapes.write_text(
        shapes.read_text(encoding="utf-8") + "\n\ndef extra(n: int) -> int:\n"
        "    return n\n",
        encoding="utf-8",
    )
    parsed.clear()
    again = build("callsites", srcname="edit", freshenv=True)
    assert parsed == ["cs_pkg.shapes"]
    after = dict(_rows(again))
    assert after.keys() == rows.keys()
    assert {key for key in rows if rows[key] != after[key]} == {
        key for key in rows if key.endswith("shapes.py")
    }


def test_a_damaged_row_is_parsed_again_and_rewritten(build, parsed):
    first = build("callsites", srcname="damaged")
    pages = _pages(first)
    db = sqlite3.connect(first.srcdir / "_aidoc" / "aidoc.db")
    with db:
        changed = db.execute(
            "UPDATE analysis SET payload = '{not json' "
            "WHERE key LIKE 'imports:%drawing.py'"
        ).rowcount
    db.close()
    assert changed == 1
    parsed.clear()
    again = build("callsites", srcname="damaged", freshenv=True)
    assert parsed == ["cs_pkg.drawing"]
    assert _pages(again) == pages
    assert all(
        payload.startswith("{") and "digest" in payload for _, payload in _rows(again)
    )
