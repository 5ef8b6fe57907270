"""What a rebuild writes besides pages, and references resolved without a scan.

A rebuild with nothing changed writes none of aidoc's own outputs (search
page and index, changelog page, JSON and feed); an edit rewrites those whose
content changed; the snapshot of an edit is stored as a delta that reads
back as the whole snapshot; and ``py`` references that no object can answer
skip the domain's fuzzy search with the same pages as a result.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from sphinxcontrib_aidoc.changelog import compare
from sphinxcontrib_aidoc.sphinxext import xref_lookup
from sphinxcontrib_aidoc.sphinxext.domain import aidoc_domain
from sphinxcontrib_aidoc.store import Store

ROOTS = Path(__file__).parent / "roots"
OUTPUTS = (
    "aidoc-search.html",
    "aidoc-changelog.html",
    "aidoc-changelog.atom",
    "_static/aidoc/changelog.json",
    "_static/aidoc/index.json",
    "_static/aidoc/index.js",
)


def _stamps(app) -> dict[str, int]:
    return {name: (app.outdir / name).stat().st_mtime_ns for name in OUTPUTS}


def test_a_rebuild_with_nothing_changed_rewrites_no_aidoc_output(build):
    first = build("search", srcname="site")
    before = _stamps(first)
    second = build("search", srcname="site")
    assert second.statuscode == 0
    assert _stamps(second) == before


def test_a_deleted_output_is_written_again(build):
    first = build("search", srcname="site")
    for name in ("aidoc-search.html", "aidoc-changelog.atom"):
        (first.outdir / name).unlink()
    second = build("search", srcname="site")
    assert (second.outdir / "aidoc-search.html").is_file()
    assert "<feed" in (second.outdir / "aidoc-changelog.atom").read_text("utf-8")


def test_an_html_setting_rewrites_the_extra_pages(build):
    first = build("search", srcname="site")
    before = _stamps(first)
    second = build("search", srcname="site", confoverrides={"html_title": "Other"})
    after = _stamps(second)
    assert after["aidoc-search.html"] != before["aidoc-search.html"]
    assert after["aidoc-changelog.html"] != before["aidoc-changelog.html"]
    assert "Other" in (second.outdir / "aidoc-search.html").read_text("utf-8")
    # The data did not change: the JSON and the feed stay as they were.
    assert (
        after["_static/aidoc/changelog.json"] == before["_static/aidoc/changelog.json"]
    )
    assert after["aidoc-changelog.atom"] == before["aidoc-changelog.atom"]


def test_an_edit_rewrites_the_changelog_outputs_and_stores_a_delta(build):
    first = build("search", srcname="site")
    before = _stamps(first)
    numbers = first.srcdir / "search_pkg" / "numbers.py"
    numbers.write_text(
        numbers.read_text(encoding="utf-8")
        + '\n\ndef appended(value: int) -> int:\n    """Return it."""\n    return value\n',
        encoding="utf-8",
    )
    for module in [n for n in sys.modules if n.partition(".")[0] == "search_pkg"]:
        del sys.modules[module]  # autodoc imports the edited module again
    second = build("search", srcname="site")
    after = _stamps(second)
    for name in ("_static/aidoc/changelog.json", "aidoc-changelog.atom"):
        assert after[name] != before[name]
    changes = json.loads((second.outdir / "_static/aidoc/changelog.json").read_text())
    assert {(c["qualname"], c["kind"]) for c in changes["changes"]} >= {
        ("search_pkg.numbers.appended", "added")
    }
    index = (second.outdir / "_static/aidoc/index.json").read_text(encoding="utf-8")
    assert "search_pkg.numbers.appended" in index
    shown = aidoc_domain(second.env).all_objects()
    with Store.open(second.srcdir / "_aidoc" / "aidoc.db") as store:
        builds = store.builds()
        newest, previous = int(builds[0]["id"]), int(builds[1]["id"])
        # The delta reads back as the whole snapshot of the build ...
        assert store.snapshot(newest) == [shown[name] for name in sorted(shown)]
        # ... and records the changes a comparison of whole snapshots finds.
        expected = compare(store.snapshot(previous), store.snapshot(newest))
        recorded = [e for e in store.changes() if e.build_id == newest]
    assert [(e.qualname, e.kind) for e in recorded] == [
        (e.qualname, e.kind) for e in expected
    ]


_FUZZY_PAGE = """\
Fuzzy
=====

.. py:function:: elsewhere.lookup(port)

   :param port: The port.
   :type port: int
   :rtype: HTTPServerConfig

.. py:function:: elsewhere.other()

   :rtype: text.HTTPServerConfig
"""


def test_hopeless_references_skip_the_fuzzy_search_with_the_same_pages(
    build, tmp_path, monkeypatch
):
    pages = {}
    for name, skip in (("skipping", True), ("scanning", False)):
        srcdir = tmp_path / name
        shutil.copytree(ROOTS / "test-search", srcdir)
        (srcdir / "fuzzy.rst").write_text(_FUZZY_PAGE, encoding="utf-8")
        if not skip:
            monkeypatch.setattr(
                xref_lookup.SkipHopelessFuzzySearch, "run", lambda self, **kw: None
            )
        app = build("search", srcname=name)
        pages[name] = (app.outdir / "fuzzy.html").read_text(encoding="utf-8")
    assert pages["skipping"] == pages["scanning"]
    # A short name another module defines is still found by the fuzzy search.
    assert 'href="text.html#search_pkg.text.HTTPServerConfig"' in pages["skipping"]
    assert pages["skipping"].count("search_pkg.text.HTTPServerConfig") >= 2
