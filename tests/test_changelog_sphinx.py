"""The API changelog in real Sphinx builds of tests/roots/test-changelog.

Each test builds the root, edits its package in place and builds the same
source directory again, as a user's incremental build would.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import textwrap
import xml.etree.ElementTree as ET

from sphinx.pycode import ModuleAnalyzer
from sqlite_utils import Database

from sphinxcontrib_aidoc.store import Store
from tests.conftest import ROOTS
from tests.test_changelog import ATOM, check_atom

PKG = "changelog_pkg"

#: (kind, qualname below changelog_pkg, breaking) after :func:`edit_v2`.
V2_CHANGES = {
    ("removed", "shapes.old_helper", True),
    ("signature_changed", "shapes.area", True),
    ("signature_changed", "shapes.scale", False),
    ("signature_changed", "shapes.Shape.describe", True),
    ("deprecated", "shapes.Shape.describe", False),
    ("added", "shapes.new_helper", False),
    ("generated", "shapes.new_helper", False),
    ("documented", "shapes.perimeter", False),
    ("docstring_changed", "units.to_metres", False),
}


def replace_in(path, *pairs):
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def forget_package(srcdir):
    """Make the next build import the edited package (autodoc imports it).

    A new ``sphinx-build`` process starts afresh; several builds in one test
    process must drop the imported modules, their bytecode, and Sphinx's
    per-process source analysers (which name the file that autodoc records
    as a dependency of the document).
    """
    for name in [m for m in sys.modules if m.split(".")[0] == PKG]:
        del sys.modules[name]
    for key in list(ModuleAnalyzer.cache):
        if key[0] == "module" and str(key[1]).split(".")[0] == PKG:
            del ModuleAnalyzer.cache[key]
    shutil.rmtree(srcdir / PKG / "__pycache__", ignore_errors=True)


def edit_v2(srcdir):
    """Every kind of change, in shapes.py and units.py only."""
    replace_in(
        srcdir / PKG / "shapes.py",
        ("def area(width, height):", "def area(width, height, unit):"),
        ("def scale(shape, factor):", "def scale(shape, factor, *, origin=None):"),
        (
            'def old_helper(value):\n    """Do what the old helper did."""\n',
            "def new_helper(value):\n",
        ),
        (
            "def perimeter(width, height):\n",
            'def perimeter(width, height):\n    """Return the perimeter."""\n',
        ),
        (
            'def describe(self, verbose=False):\n        """Describe the shape."""\n',
            (
                'def describe(self):\n        """Describe the shape."""\n'
                "        import warnings\n\n"
                '        warnings.warn("use str()", DeprecationWarning, stacklevel=2)\n'
            ),
        ),
    )
    replace_in(
        srcdir / PKG / "units.py",
        (
            '"""Convert a length to metres."""',
            '"""Convert a length in *unit* to metres."""',
        ),
    )
    forget_package(srcdir)


def changes(app, columns="kind, qualname, breaking"):
    db = Database(app.srcdir / "_aidoc" / "aidoc.db")
    return list(db.query(f"select {columns} from changes order by id"))


def triples(app):
    return {
        (r["kind"], r["qualname"].removeprefix(f"{PKG}."), bool(r["breaking"]))
        for r in changes(app)
    }


def body(app, page="changelog.html"):
    html = (app.outdir / page).read_text(encoding="utf-8")
    return html[
        html.index('<div class="body"') : html.index('<div class="sphinxsidebar"')
    ]


def read_docs(app):
    """The documents this build read (from its status output)."""
    status = re.sub(r"\x1b\[[0-9;]*m", "", app.status.getvalue())
    found = re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", status)
    return set(found)


def test_incremental_rebuild_records_every_change_kind(build):
    first = build("changelog", srcname="hist")
    assert changes(first) == []  # the first build is the baseline
    edit_v2(first.srcdir)
    second = build("changelog", srcname="hist")
    # Only the documents of the edited modules were read again: autodoc records
    # each module file as a dependency of its document.
    assert read_docs(second) == {"shapes", "units"}
    assert triples(second) == V2_CHANGES
    detail = {
        r["qualname"].rpartition(".")[2]: r["detail"]
        for r in changes(second, "qualname, detail")
        if r["detail"]
    }
    assert detail == {
        "old_helper": "public object removed",
        "area": "new required parameter 'unit'",
        "describe": "positional parameter 'verbose' removed",
    }
    rows = {(r["kind"], r["qualname"]): r for r in changes(second, "*")}
    area = rows["signature_changed", f"{PKG}.shapes.area"]
    assert (area["before"], area["after"]) == (
        "(width, height)",
        "(width, height, unit)",
    )
    assert {r["build_id"] for r in rows.values()} == {2}
    assert {r["since_build_id"] for r in rows.values()} == {1}

    page = body(second)
    # Three breaking changes, under "all changes" and under "shapes, breaking".
    assert page.count('class="aidoc-breaking"') == 3 + 3
    assert (
        '<a class="reference internal" href="shapes.html#changelog_pkg.shapes.area"'
        in page
    )
    # A removed object has no entry to link to.
    assert re.search(
        r'</strong> <code class="docutils literal notranslate">'
        r'<span class="pre">changelog_pkg.shapes.old_helper</span></code>',
        page,
    )
    assert "→" in page and "new required parameter" in page

    third = build("changelog", srcname="hist")
    assert read_docs(third) == set()  # nothing to read ...
    assert len(changes(third)) == len(V2_CHANGES)  # ... and nothing new recorded
    # The dynamic page is rewritten, the same (the :since: section names the
    # newest build of release 1.0, so it moves on).
    end = page.index('id="added-and-removed-since-1-0"')
    assert body(third)[:end] == page[:end]


def test_release_groups_since_and_site_outputs(build):
    first = build("changelog", srcname="rel", confoverrides={"release": "1.0"})
    edit_v2(first.srcdir)
    build("changelog", srcname="rel", confoverrides={"release": "1.1"})
    replace_in(
        first.srcdir / PKG / "colors.py",
        (
            "def is_dark(color):",
            "def is_dark(color, threshold=300):\n    pass\n\n\ndef mix(a, b):",
        ),
    )
    forget_package(first.srcdir)
    app = build("changelog", srcname="rel", confoverrides={"release": "1.2"})

    page = body(app)
    assert page.index('id="aidoc-changelog-release-1-2"') < page.index(
        'id="aidoc-changelog-release-1-1"'
    )
    # :since: 1.0 with :kinds: added, removed: the net difference, one group.
    since = page[page.index('id="added-and-removed-since-1-0"') :]
    assert "Changes since release 1.0, build 1." in since
    assert since.count("<li>") == 3  # new_helper and mix added, old_helper removed
    assert "Changed signatures" not in since

    data = json.loads(
        (app.outdir / "_static" / "aidoc" / "changelog.json").read_text("utf-8")
    )
    assert data["format_version"] == 1 and data["project"] == "changelog"
    assert [c["release"] for c in data["changes"]][:3] == ["1.2"] * 3
    urls = {c["qualname"]: c["url"] for c in data["changes"]}
    assert urls[f"{PKG}.colors.mix"] == "colors.html#changelog_pkg.colors.mix"
    assert urls[f"{PKG}.shapes.old_helper"] is None

    feed = (app.outdir / "aidoc-changelog.atom").read_text("utf-8")
    root = check_atom(feed)
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text.split(":")[0] for e in entries] == [
        "1.2",
        "1.1",
    ]
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Changelog authors"
    assert (
        root.find(f"{ATOM}link[@rel='alternate']").get("href") == "aidoc-changelog.html"
    )

    standalone = body(app, "aidoc-changelog.html")
    assert "<h1>API changelog" in standalone
    assert 'href="aidoc-changelog.atom"' in standalone
    assert 'id="release-1-1"' in standalone
    assert 'href="shapes.html#changelog_pkg.shapes.area"' in standalone

    # Rebuilding changes neither the feed's ids nor the JSON.
    again = build("changelog", srcname="rel", confoverrides={"release": "1.2"})
    ids = [e.find(f"{ATOM}id").text for e in entries]
    new_root = ET.fromstring((again.outdir / "aidoc-changelog.atom").read_text("utf-8"))
    assert [e.find(f"{ATOM}id").text for e in new_root.findall(f"{ATOM}entry")] == ids
    assert (again.outdir / "_static" / "aidoc" / "changelog.json").read_text(
        "utf-8"
    ) == json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def test_text_builder_shows_sections_and_lists(build):
    first = build("changelog", "text", srcname="text")
    edit_v2(first.srcdir)
    app = build("changelog", "text", srcname="text")
    text = (app.outdir / "changelog.txt").read_text(encoding="utf-8")
    text = re.sub(r"\d{4}-\d{2}-\d{2}", "DATE", text)
    expected = textwrap.dedent(
        """\
        API changes
        ***********


        1.0
        ===

        9 changes, 3 breaking (build 2, DATE).


        Removed
        -------

        * **breaking** "changelog_pkg.shapes.old_helper": "(value)" (*public
          object removed*)


        Changed signatures
        ------------------

        * **breaking** "changelog_pkg.shapes.Shape.describe": "(self,
          verbose=False)" → "(self)" (*positional parameter 'verbose'
          removed*)

        * **breaking** "changelog_pkg.shapes.area": "(width, height)" →
          "(width, height, unit)" (*new required parameter 'unit'*)

        * "changelog_pkg.shapes.scale": "(shape, factor)" → "(shape, factor,
          *, origin=None)"
        """
    )
    assert text.startswith(expected), text


def test_parallel_build_gives_the_same_changelog(build, tmp_path):
    results = []
    for parallel in (1, 2):
        srcname = f"j{parallel}"
        forget_package(tmp_path / srcname)  # the other copy's package
        first = build("changelog", srcname=srcname, parallel=parallel)
        edit_v2(first.srcdir)
        app = build("changelog", srcname=srcname, parallel=parallel)
        page = re.sub(r"\d{4}-\d{2}-\d{2}", "DATE", body(app))
        results.append((changes(app, "*"), page))
    assert results[0] == results[1]
    assert len(results[0][0]) == len(V2_CHANGES)


def test_bad_options_warn_at_the_directive(build, tmp_path):
    srcdir = tmp_path / "bad"
    shutil.copytree(ROOTS / "test-changelog", srcdir)
    (srcdir / "changelog.rst").write_text(
        "Bad\n===\n\n"
        ".. aidoc-changelog::\n   :limit: many\n   :kinds: added, renamed\n\n"
        ".. aidoc-changelog::\n   :since: v9.9\n",
        encoding="utf-8",
    )
    app = build("changelog", srcname="bad")
    warnings = app.warning.getvalue()
    assert re.search(
        r"changelog\.rst:4: WARNING: aidoc-changelog: :limit: must be a whole number"
        r".*\[aidoc\.directive\]",
        warnings,
    )
    assert re.search(
        r"changelog\.rst:4: WARNING: aidoc-changelog: :kinds: unknown change kind"
        r"\(s\) renamed.*\[aidoc\.directive\]",
        warnings,
    )
    assert re.search(
        r"changelog\.rst:8: WARNING: aidoc-changelog: no build matches 'v9\.9'"
        r".*\[aidoc\.directive\]",
        warnings,
    )
    assert "no build matches" in body(app)

    quiet = build(
        "changelog",
        srcname="bad",
        freshenv=True,
        confoverrides={"suppress_warnings": ["aidoc.directive"]},
    )
    assert "aidoc.directive" not in quiet.warning.getvalue()


def test_page_title_and_absolute_feed_links(build):
    app = build(
        "changelog",
        confoverrides={
            "aidoc_changelog_page": "",
            "html_baseurl": "https://example.org/docs/",
        },
    )
    assert not (app.outdir / "aidoc-changelog.html").exists()
    root = check_atom((app.outdir / "aidoc-changelog.atom").read_text("utf-8"))
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {
        "self": "https://example.org/docs/aidoc-changelog.atom",
        "alternate": "https://example.org/docs/index.html",
    }
    assert (app.outdir / "_static" / "aidoc" / "changelog.json").is_file()


def test_other_builders_get_no_site_outputs(build):
    app = build("changelog", "text")
    assert not (app.outdir / "aidoc-changelog.atom").exists()
    assert "No API changes recorded." in (app.outdir / "changelog.txt").read_text(
        "utf-8"
    )


def test_a_module_that_fails_to_import_is_not_recorded_as_removed(build):
    first = build("changelog", srcname="flaky")
    units = first.srcdir / PKG / "units.py"
    original = units.read_text(encoding="utf-8")
    before = {
        s["qualname"]
        for s in Database(first.srcdir / "_aidoc" / "aidoc.db").query(
            "select qualname from objects where build_id = 1"
        )
        if s["qualname"].startswith(f"{PKG}.units")
    }
    assert before

    units.write_text("import aidoc_missing_dependency\n" + original, encoding="utf-8")
    forget_package(first.srcdir)
    broken = build("changelog", srcname="flaky")
    assert "cannot import changelog_pkg.units" in broken.warning.getvalue()
    assert changes(broken) == []  # no "removed", no breaking change
    # Build 2 documents what build 1 did: its snapshot is build 1's rows.
    with Store.open(broken.srcdir / "_aidoc" / "aidoc.db", readonly=True) as store:
        kept = {
            s.qualname
            for s in store.snapshot(2)
            if s.qualname.startswith(f"{PKG}.units")
        }
    assert kept == before
    assert "kept from the previous build" in broken.status.getvalue()

    units.write_text(original, encoding="utf-8")
    forget_package(broken.srcdir)
    fixed = build("changelog", srcname="flaky")
    assert changes(fixed) == []  # and nothing "added" back either
