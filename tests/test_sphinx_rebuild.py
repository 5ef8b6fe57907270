"""Incremental rebuilds: what a rebuild writes, records and re-analyses.

A rebuild with nothing changed writes no page and stores no new snapshot,
yet every page aidoc adds is still there; an edit re-writes the pages whose
content changed, re-analyses the edited module and the modules importing
it, and ends with what a build from scratch of the same sources shows.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import sphinx

from sphinxcontrib_aidoc.store import Store


def test_no_change_rebuild_of_a_project_without_objects(build):
    first = build("no-objects", srcname="site")
    before = _written(first)
    for name in ("aidoc-changelog.html", "aidoc-search.html"):
        (first.outdir / name).unlink()
    second = build("no-objects", srcname="site")
    assert second.statuscode == 0
    written = _written(second)
    if sphinx.version_info < (9,):
        # Sphinx 8 stops before its collecting step when no document is to
        # be written: the root page is, to bring the deleted outputs back.
        assert written.pop("index") != before.pop("index")
    assert written == before  # no other page of its own is written
    assert (second.outdir / "aidoc-changelog.html").is_file()
    assert "No API changes recorded" in (
        second.outdir / "aidoc-changelog.html"
    ).read_text(encoding="utf-8")
    assert (second.outdir / "aidoc-search.html").is_file()


def _written(app) -> dict[str, int]:
    """``{docname: mtime_ns}`` of the pages of the project's own documents."""
    return {
        docname: (app.outdir / f"{docname}.html").stat().st_mtime_ns
        for docname in app.env.found_docs
    }


def test_a_rebuild_with_nothing_changed_writes_no_page(build):
    first = build("search", srcname="site")
    before = _written(first)
    second = build("search", srcname="site")
    assert _written(second) == before
    # aidoc's static folder is part of the configuration from the start:
    # Sphinx does not report a changed configuration on every rebuild.
    assert "html_static_path" not in second._status.getvalue()
    assert (second.outdir / "_static" / "aidoc" / "aidoc.css").is_file()


def test_an_edit_rewrites_exactly_the_pages_it_changes(build):
    first = build("search", srcname="site")
    before = _written(first)
    numbers = first.srcdir / "search_pkg" / "numbers.py"
    source = numbers.read_text(encoding="utf-8")
    # total_amount now calls storage.compute_checksum: the numbers page (its
    # source changed) and the storage page (a new "Called by" line) change.
    numbers.write_text(
        source.replace(
            "    return float(sum(values))",
            "    from search_pkg.storage import compute_checksum\n\n"
            "    return float(sum(values) + compute_checksum(b''))",
        ),
        encoding="utf-8",
    )
    second = build("search", srcname="site")
    after = _written(second)
    rewritten = {name for name in after if after[name] != before[name]}
    # Sphinx itself rewrites the toctree parent of a re-read page (index);
    # aidoc adds the page whose "Called by" line changed and the overview,
    # which shows total_amount's generated summary, read from its return
    # expression (``float(sum(values))`` before, too long to quote after).
    assert rewritten == {"index", "numbers", "storage", "overview"}
    storage = (second.outdir / "storage.html").read_text(encoding="utf-8")
    assert "numbers.html#search_pkg.numbers.total_amount" in storage


def _usage(app) -> dict:
    """The usage record of *app*'s build (the newest in its database)."""
    with Store.open(app.srcdir / "_aidoc" / "aidoc.db") as store:
        usage = store.usage(last=1)[0]
    return {"analysed": usage.analysed, "analysis_kept": usage.analysis_kept}


def _numbers(app):
    return app.srcdir / "search_pkg" / "numbers.py"


def _edit(path, old: str, new: str) -> None:
    """Replace *old* by *new* in *path*, as a new sphinx-build process sees it.

    Each build runs in this one process: the package imported by the last
    build is forgotten, so autodoc imports the edited source.
    """
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    for name in [n for n in sys.modules if n.partition(".")[0] == "search_pkg"]:
        del sys.modules[name]


def test_a_rebuild_with_nothing_changed_stores_no_snapshot_rows(build):
    first = build("search", srcname="site")
    second = build("search", srcname="site")
    third = build("search", srcname="site")
    assert third.statuscode == 0
    db = second.srcdir / "_aidoc" / "aidoc.db"
    with Store.open(db) as store:
        builds = sorted(int(b["id"]) for b in store.builds())
        rows = {
            build_id: store.db.execute(
                "SELECT count(*) FROM objects WHERE build_id = ?", [build_id]
            ).fetchone()[0]
            for build_id in builds
        }
        snapshots = [store.snapshot(build_id) for build_id in builds]
        changes = store.db.execute("SELECT count(*) FROM changes").fetchone()[0]
    assert len(builds) == 3
    assert rows[builds[0]] > 0
    assert rows[builds[1]] == rows[builds[2]] == 0  # pointed at the first's
    assert snapshots[0] == snapshots[1] == snapshots[2]
    assert changes == 0
    # The changelog of a later edit compares with the pointed snapshot.
    _edit(
        _numbers(first),
        "def total_amount",
        "def halve(value: int) -> int:\n    return value // 2\n\n\ndef total_amount",
    )
    build("search", srcname="site")
    with Store.open(db) as store:
        kinds = store.db.execute("SELECT kind, qualname FROM changes").fetchall()
    assert {tuple(row) for row in kinds} == {
        ("added", "search_pkg.numbers.halve"),
        ("generated", "search_pkg.numbers.halve"),
    }


def test_a_body_change_rewrites_only_the_page_that_shows_it(build):
    first = build("search", srcname="site")
    before = _written(first)
    # pong's body changes, not what it calls: no other page shows a line
    # that changes, except the overview page (aidoc-index), whose entry for
    # pong shows its generated summary, read from the returned expression.
    _edit(
        _numbers(first),
        "    return ping(count - 1) if count else 0\n\n\ndef total",
        "    return ping(count - 2) if count > 1 else 0\n\n\ndef total",
    )
    second = build("search", srcname="site")
    after = _written(second)
    assert {name for name in after if after[name] != before[name]} == {
        "index",
        "numbers",
        "overview",
    }


def test_an_edit_reanalyses_only_the_module_and_its_importers(build):
    first = build("search", srcname="site")
    assert _usage(first)["analysis_kept"] == 0
    _edit(_numbers(first), "float(sum(values))", "0.0")
    second = build("search", srcname="site")
    # numbers.py holds ping, pong and total_amount; no module imports it,
    # and no other module's analysis is loaded to score or link its objects.
    assert (_usage(second)["analysed"], _usage(second)["analysis_kept"]) == (3, 0)
    before = _analysis_keys(second)
    _edit(
        second.srcdir / "search_pkg" / "storage.py",
        "def compute_checksum",
        "LIMIT = 3\n\n\ndef compute_checksum",
    )
    third = build("search", srcname="site")
    after = _analysis_keys(third)
    # storage.py changed, and users.py imports it: both are analysed again;
    # the project pass over the package (ast only, no inference) runs again.
    assert {Path(f).name for f in after if after[f] != before.get(f)} == {
        "storage.py",
        "users.py",
        "search_pkg#project-pass",
    }


def test_appending_a_function_keeps_the_analyses_of_the_importers(build):
    # users.py imports load_record and save_record from storage.py: a new
    # function in storage.py is not what users.py uses, so its stored
    # analysis is kept; the edited module is analysed again.
    first = build("search", srcname="site")
    before = _analysis_keys(first)
    _edit(
        first.srcdir / "search_pkg" / "storage.py",
        "def compute_checksum",
        "def added_helper(value: int) -> int:\n    return value + 1\n\n\n"
        "def compute_checksum",
    )
    second = build("search", srcname="site")
    after = _analysis_keys(second)
    assert {Path(f).name for f in after if after[f] != before.get(f)} == {
        "storage.py",
        "search_pkg#project-pass",
    }
    # the objects of storage.py, its three functions and the new one
    assert _usage(second)["analysed"] == 4
    storage = (second.outdir / "storage.html").read_text(encoding="utf-8")
    assert "search_pkg.storage.added_helper" in storage


def _analysis_keys(app) -> dict[str, str]:
    """``{file: key}`` of the analyses the database keeps."""
    with Store.open(app.srcdir / "_aidoc" / "aidoc.db") as store:
        rows = store.db.execute("SELECT file, key FROM analysis").fetchall()
    return dict(rows)


def test_an_incremental_build_shows_what_a_fresh_build_shows(build):
    first = build("search", srcname="site")
    _edit(
        _numbers(first),
        "    return float(sum(values))",
        "    from search_pkg.storage import compute_checksum\n\n"
        "    return float(sum(values) + compute_checksum(b''))",
    )
    incremental = build("search", srcname="site")
    index = incremental.outdir / "_static" / "aidoc" / "index.json"
    kept = json.loads(index.read_text(encoding="utf-8"))
    pages = {
        name: (incremental.outdir / f"{name}.html").read_text(encoding="utf-8")
        for name in ("numbers", "storage", "users")
    }
    shutil.rmtree(incremental.srcdir / "_aidoc")
    shutil.rmtree(incremental.outdir)
    _edit(_numbers(first), "", "")
    fresh = build("search", srcname="site", freshenv=True)
    assert json.loads(index.read_text(encoding="utf-8")) == kept
    for name, text in pages.items():
        assert (fresh.outdir / f"{name}.html").read_text(encoding="utf-8") == text


def test_after_an_upgrade_one_rebuild_checks_the_project_pass(build, monkeypatch):
    """A new analyser with nothing else changed: the pass is checked once.

    The rebuild that checks it reads no page (the types are the same), so
    Sphinx does not save the environment; the database remembers the check
    and the next rebuild does not load the pass again.
    """
    from sphinxcontrib_aidoc.analyze import _package_pass, _pass_files

    first = build("search", srcname="site")
    before = _written(first)
    fingerprint = _pass_files.analyzer_fingerprint()
    monkeypatch.setattr(
        _pass_files, "analyzer_fingerprint", lambda: fingerprint + "-upgraded"
    )
    asked: list[str] = []
    pass_types = _package_pass.package_types

    def counted(*args, **kwargs):
        asked.append(str(args[0]))
        return pass_types(*args, **kwargs)

    monkeypatch.setattr(_package_pass, "package_types", counted)
    second = build("search", srcname="site")
    assert asked  # the new analyser's pass was looked at
    assert _written(second) == before  # and changed nothing
    asked.clear()
    third = build("search", srcname="site")
    assert asked == []
    assert _written(third) == before
