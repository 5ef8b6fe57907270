"""Portable history, snapshot references and pruning, through real builds."""

from __future__ import annotations

import io
import json
import shutil
from contextlib import redirect_stdout
from datetime import datetime, timezone

from sphinxcontrib_aidoc.cli import main
from sphinxcontrib_aidoc.model import Draft, ObjectSnapshot
from sphinxcontrib_aidoc.store import Store
from tests.test_changelog_sphinx import PKG, edit_v2, forget_package


def _page(app) -> str:
    """The changelog page's body: the part the directive renders."""
    html = (app.outdir / "changelog.html").read_text("utf-8")
    body = html[html.index('<section id="api-changes">') :]
    return body[: body.index("</section>\n</section>") + 10]


def _changelog_json(db) -> dict:
    return json.loads(_run_json(["changelog", "--db", str(db), "--format", "json"]))


def _run_json(argv) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(argv) == 0
    return out.getvalue()


def _two_versions(build, srcname):
    first = build("changelog", srcname=srcname)
    edit_v2(first.srcdir)
    forget_package(first.srcdir)
    return build("changelog", srcname=srcname)


def test_history_moves_to_a_fresh_checkout_with_the_same_changelog_page(
    build, tmp_path, capsys
):
    second = _two_versions(build, "laptop")
    page = _page(second)
    assert "changelog_pkg.shapes.new_helper" in page
    exported = tmp_path / "aidoc-history.jsonl"
    assert (
        main(["history", "export", "-c", str(second.srcdir), "-o", str(exported)]) == 0
    )

    # A fresh checkout elsewhere (the CI machine): same sources, no database.
    fresh = tmp_path / "ci" / "checkout"
    shutil.copytree(
        second.srcdir, fresh, ignore=shutil.ignore_patterns("_build", "_aidoc")
    )
    forget_package(second.srcdir)
    assert main(["history", "import", str(exported), "-c", str(fresh)]) == 0
    assert "imported 2 build(s)" in capsys.readouterr().err
    ci = build("changelog", srcname="ci/checkout")
    assert _page(ci) == page
    # Exporting again gives the same lines, plus the CI build (no change).
    again = tmp_path / "again.jsonl"
    assert main(["history", "export", "-c", str(fresh), "-o", str(again)]) == 0
    old_lines = exported.read_text().splitlines()
    new_lines = again.read_text().splitlines()
    assert new_lines[: len(old_lines)] == old_lines
    added = [json.loads(line) for line in new_lines[len(old_lines) :]]
    assert added[0]["type"] == "build"
    # The laptop's second build served unchanged modules from its cache; the
    # CI build, with an empty cache, drafted them: only the provenance of
    # generated text ("cache" against "inference") can differ, not the API.
    laptop = {
        r["qualname"]: r for r in map(json.loads, old_lines) if r["type"] == "object"
    }
    for record in added[1:]:
        assert record["type"] == "object"
        before = laptop[record["qualname"]]
        differs = {k for k in record if record[k] != before.get(k)} - {"build"}
        assert differs == {"source"}, record
    # Importing twice adds nothing.
    assert main(["history", "import", str(exported), "-c", str(fresh)]) == 0
    assert "imported 0 build(s)" in capsys.readouterr().err


def test_export_is_diff_friendly_and_paths_are_relative(build, tmp_path):
    second = _two_versions(build, "diffs")
    out = tmp_path / "h.jsonl"
    assert (
        main(
            [
                "history",
                "export",
                "--db",
                str(second.srcdir / "_aidoc" / "aidoc.db"),
                "-o",
                str(out),
            ]
        )
        == 0
    )
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert records[0] == {"format_version": 1, "type": "history"}
    assert [r["id"] for r in records if r["type"] == "build"] == [1, 2]
    objects = [r for r in records if r["type"] == "object"]
    # Build 2 lists only what differs from build 1.
    second_objects = {r["qualname"] for r in objects if r["build"] == 2}
    assert f"{PKG}.shapes.new_helper" in second_objects
    assert f"{PKG}.colors.Color" not in second_objects
    assert {
        "type": "removed",
        "build": 2,
        "qualname": f"{PKG}.shapes.old_helper",
    } in records
    assert all(r["file"].startswith("../changelog_pkg/") for r in objects if r["file"])
    assert all(
        line == json.dumps(r, sort_keys=True, ensure_ascii=False)
        for line, r in zip(out.read_text().splitlines(), records, strict=True)
    )


def test_a_build_that_changed_nothing_stores_a_reference(build):
    first = build("changelog", srcname="same")
    forget_package(first.srcdir)
    second = build("changelog", srcname="same")
    forget_package(second.srcdir)
    third = build("changelog", srcname="same")
    db = third.srcdir / "_aidoc" / "aidoc.db"
    with Store.open(db, readonly=True) as store:
        rows = {
            r["id"]: r["snapshot_of"]
            for r in store._rows("SELECT id, snapshot_of FROM builds")
        }
        assert rows == {1: None, 2: 1, 3: 1}
        own = store._rows(
            "SELECT build_id, count(*) AS n FROM objects GROUP BY build_id"
        )
        assert [r["build_id"] for r in own] == [1]
        assert store.snapshot(3) == store.snapshot(1)
        assert len(store.snapshot(3)) > 10
        assert store.build_counts(3)["objects"] == len(store.snapshot(1))


def test_a_reference_becomes_a_copy_when_more_objects_are_recorded(tmp_path):
    snap = ObjectSnapshot("m.f", "m", "function", "()", "h1", False, docstring="F.")
    other = ObjectSnapshot("m.g", "m", "function", "()", "h2", False)
    with Store.open(tmp_path / "a.db") as store:
        one = store.begin_build()
        store.record_objects(one, [snap])
        store.end_build(one)
        two = store.begin_build()
        store.record_objects(two, [snap])
        assert store.snapshot_owner(two) == one
        store.record_objects(two, [other])
        assert store.snapshot_owner(two) == two
        assert store.snapshot(two) == [snap, other]
        assert store.snapshot(one) == [snap]


def test_prune_keeps_the_changelog_of_the_last_builds(build, tmp_path, capsys):
    app = _two_versions(build, "prune")
    srcdir = app.srcdir
    shapes = srcdir / PKG / "shapes.py"
    for n in (3, 4):
        with shapes.open("a", encoding="utf-8") as f:
            f.write(f"\n\ndef extra{n}(value):\n    return value\n")
        forget_package(srcdir)
        app = build("changelog", srcname="prune")
    db = srcdir / "_aidoc" / "aidoc.db"
    before = _changelog_json(db)
    builds_before = {c["build_id"] for c in before["changes"]}
    assert {2, 3, 4} <= builds_before
    long_ago = datetime(2001, 1, 1, tzinfo=timezone.utc)
    with Store.open(db, clock=lambda: long_ago) as store:
        store.cache_put(
            "old-key",
            Draft(summary="Old."),
            qualname="gone",
            provider="offline",
            model="",
            prompt_version="0",
        )
    capsys.readouterr()
    assert main(["db", "prune", "--keep", "2", "--db", str(db), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["kept"] == 2
    assert report["baselines"] == 1
    assert report["removed"]["builds"] == 1
    assert report["removed"]["changes"] >= 1
    assert report["removed"]["cache"] == 1
    after = _changelog_json(db)
    kept = [c for c in before["changes"] if c["build_id"] in (3, 4)]
    assert after["changes"] == kept
    # A build after pruning renders the kept builds as before.
    forget_package(srcdir)
    rebuilt = build("changelog", srcname="prune")
    page = _page(rebuilt)
    assert "extra4" in page
    assert "extra3" in page
    assert "old_helper" not in page  # build 2's changes went with it
    with Store.open(db, readonly=True) as store:
        assert store.snapshot(3)  # the baseline's snapshot is still there


def test_prune_needs_a_count_and_reports_usage_errors(tmp_path, capsys):
    with Store.open(tmp_path / "a.db"):
        pass
    assert main(["db", "prune", "--db", str(tmp_path / "a.db")]) == 2
    assert "give --keep N" in capsys.readouterr().err
    assert main(["db", "prune", "--keep", "0", "--db", str(tmp_path / "a.db")]) == 2
    (tmp_path / "conf.py").write_text("aidoc_history_keep = 3\naidoc_db = 'a.db'\n")
    assert main(["db", "prune", "-c", str(tmp_path)]) == 0
    assert "kept 0 build(s)" in capsys.readouterr().out


def test_import_rejects_a_damaged_file_and_imports_nothing(tmp_path, capsys):
    bad = tmp_path / "h.jsonl"
    bad.write_text('{"type": "history", "format_version": 1}\n{"type": "build"\n')
    db = tmp_path / "a.db"
    assert main(["history", "import", str(bad), "--db", str(db)]) == 2
    assert "line 2 is not an aidoc history record" in capsys.readouterr().err
    with Store.open(db, readonly=True) as store:
        assert store.builds() == []
    assert (
        main(
            [
                "history",
                "import",
                str(tmp_path / "none.jsonl"),
                "--db",
                str(db),
                "--missing-ok",
            ]
        )
        == 0
    )
    assert (
        main(["history", "import", str(tmp_path / "none.jsonl"), "--db", str(db)]) == 2
    )
