"""Rebuilds with nothing changed: every page aidoc adds is still written."""

from __future__ import annotations


def test_no_change_rebuild_of_a_project_without_objects(build):
    first = build("no-objects", srcname="site")
    for name in ("aidoc-changelog.html", "aidoc-search.html"):
        (first.outdir / name).unlink()
    second = build("no-objects", srcname="site")
    assert second.statuscode == 0
    assert (second.outdir / "aidoc-changelog.html").is_file()
    assert "No API changes recorded" in (
        second.outdir / "aidoc-changelog.html"
    ).read_text(encoding="utf-8")
    assert (second.outdir / "aidoc-search.html").is_file()
