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
