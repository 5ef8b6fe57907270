"""The search index, search page, aidoc-search box, xrefs and aidoc-index in builds."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time

import pytest

from sphinxcontrib_aidoc.search_index import (
    display_signature,
    plain_summary,
    read_records,
)
from sphinxcontrib_aidoc.sphinxext.quality import project_scores
from sphinxcontrib_aidoc.store import Store
from tests.conftest import ROOTS


def _forget_pkg() -> None:
    for name in [n for n in sys.modules if n.split(".")[0] == "search_pkg"]:
        del sys.modules[name]


def _index_files(app) -> tuple[bytes, bytes]:
    folder = app.outdir / "_static" / "aidoc"
    return (folder / "index.json").read_bytes(), (folder / "index.js").read_bytes()


def _records(app) -> dict[str, dict]:
    index = json.loads(_index_files(app)[0])
    return {r["qualname"]: r for r in read_records(index)}


def _entry(html: str, object_id: str) -> str:
    """The HTML of an object's entry up to the next object's signature."""
    start = html.index(f'id="{object_id}"')
    end = html.find('<dt class="sig sig-object', start)
    return html[start : end if end > 0 else len(html)]


def _xrefs(html: str, object_id: str) -> dict[str, list[str]]:
    """``{"Called by": [hrefs], "Calls": [hrefs]}`` of an object's entry."""
    found: dict[str, list[str]] = {}
    for label, body in re.findall(
        r'<p class="aidoc-xrefs-[a-z-]+"><strong>([^<:]+):</strong>(.*?)</p>',
        _entry(html, object_id),
        re.DOTALL,
    ):
        found[label] = re.findall(r'href="([^"]+)"', body)
    return found


def _copy_root(tmp_path, srcname: str):
    srcdir = tmp_path / srcname
    shutil.copytree(ROOTS / "test-search", srcdir)
    return srcdir


# -- the index --------------------------------------------------------------
def test_index_has_exactly_the_documented_objects(build):
    app = build("search")
    records = _records(app)
    objects = app.env.domains["aidoc"].all_objects()
    assert list(records) == sorted(objects)
    assert len(records) == 17
    with Store.open(app.srcdir / "_aidoc" / "aidoc.db", readonly=True) as store:
        last = store.last_build()
        assert last is not None
        recorded = [s.qualname for s in store.snapshot(last["id"])]
    assert recorded == list(records)
    for qualname, record in records.items():
        snapshot = objects[qualname]
        assert record["kind"] == snapshot.kind
        assert record["module"] == snapshot.module
        assert record["generated"] is snapshot.generated
        assert record["summary"] == plain_summary(snapshot.summary)
        assert record["signature"] == display_signature(
            snapshot.kind, snapshot.signature
        )
        assert record["url"] == f"{snapshot.docname}.html#{qualname}"
        page = (app.outdir / record["page"]).read_text(encoding="utf-8")
        assert f'id="{qualname}"' in page
        assert record["quality"] is None or 0 <= record["quality"] <= 100
        assert set(record["tokens"].split()) <= set(
            re.split(r"[._]", record["qualname"].lower())
        ) | {"http", "server", "config", "user", "store"}


def test_index_records_generated_flag_tokens_and_calls(build):
    records = _records(build("search"))
    find_users = records["search_pkg.users.find_users"]
    assert find_users["generated"] is True
    assert find_users["signature"] == "(text: str) -> list"
    assert find_users["calls"] == ["search_pkg.storage.load_record"]
    assert find_users["called_by"] == ["search_pkg.users.get_user_by_email"]
    assert records["search_pkg.text.HTTPServerConfig.from_text"]["tokens"] == (
        "http server config from text"
    )
    assert records["search_pkg.users.UserStore.add_user"]["signature"] == (
        "(name: str) -> int"
    )
    # A class is credited with the calls of its undocumented __init__.
    assert records["search_pkg.users.UserStore"]["calls"] == [
        "search_pkg.storage.save_record"
    ]
    assert records["search_pkg.numbers.ping"]["calls"] == ["search_pkg.numbers.pong"]
    assert records["search_pkg.numbers.ping"]["called_by"] == [
        "search_pkg.numbers.pong"
    ]
    assert records["search_pkg.storage.compute_checksum"]["called_by"] == [
        "search_pkg.storage.load_record",
        "search_pkg.storage.save_record",
    ]


def test_index_js_assigns_the_same_json_to_one_global(build):
    data, script = _index_files(build("search"))
    assert script == b"window.AIDOC_INDEX=" + data.strip() + b";\n"
    assert b"<" not in data  # hostile docstring: \u003c/script\u003e
    records = _records(build("search", srcname="again"))
    assert "</script><script>" in records["search_pkg.hostile.render_banner"]["summary"]


def test_index_is_byte_identical_across_builds(build):
    first = _index_files(build("search", srcname="one"))
    _forget_pkg()
    second = _index_files(build("search", srcname="two"))
    _forget_pkg()
    rebuilt = _index_files(build("search", srcname="one"))  # incremental
    assert first == second == rebuilt


def test_parallel_build_gives_the_same_index_and_xrefs(build):
    serial = build("search", srcname="serial", parallel=1)
    _forget_pkg()
    parallel = build("search", srcname="parallel", parallel=2)
    assert _index_files(serial) == _index_files(parallel)
    for name in ("users", "storage", "text", "numbers", "overview"):
        pages = [
            (app.outdir / f"{name}.html").read_text(encoding="utf-8")
            for app in (serial, parallel)
        ]
        assert pages[0].count("aidoc-xrefs") == pages[1].count("aidoc-xrefs")
        assert pages[0] == pages[1], name
    storage = (parallel.outdir / "storage.html").read_text(encoding="utf-8")
    assert _xrefs(storage, "search_pkg.storage.load_record")["Called by"] == [
        "users.html#search_pkg.users.UserStore.get_user",
        "users.html#search_pkg.users.find_users",
        "users.html#search_pkg.users.get_user",
    ]


def test_index_scores_equal_the_quality_table(build):
    """One scoring path: the search page and ``aidoc-quality`` agree."""
    app = build("search")
    records = _records(app)
    table = {snapshot.qualname: score for score, snapshot in project_scores(app)}
    assert set(table) == set(records)
    for qualname, record in records.items():
        assert record["quality"] == table[qualname].overall, qualname
        assert record["complexity"] == table[qualname].complexity, qualname
    assert records["search_pkg.text.parse_config"]["complexity"] == 2


# -- cross-references -------------------------------------------------------
def test_entries_link_callers_and_callees(build):
    app = build("search")
    users = (app.outdir / "users.html").read_text(encoding="utf-8")
    assert _xrefs(users, "search_pkg.users.find_users") == {
        "Called by": ["#search_pkg.users.get_user_by_email"],
        "Calls": ["storage.html#search_pkg.storage.load_record"],
    }
    # The class's own lines come before its methods' entries.
    assert _xrefs(users, "search_pkg.users.UserStore") == {
        "Calls": ["storage.html#search_pkg.storage.save_record"]
    }
    storage = (app.outdir / "storage.html").read_text(encoding="utf-8")
    assert _xrefs(storage, "search_pkg.storage.compute_checksum") == {
        "Called by": [
            "#search_pkg.storage.load_record",
            "#search_pkg.storage.save_record",
        ]
    }
    assert "aidoc-xrefs" not in (app.outdir / "hostile.html").read_text(
        encoding="utf-8"
    )
    assert re.search(
        r'<a class="reference internal" href="#search_pkg.numbers.pong" '
        r'title="search_pkg.numbers.pong"><code class="xref py py-obj docutils '
        r'literal notranslate"><span class="pre">pong</span></code></a>',
        (app.outdir / "numbers.html").read_text(encoding="utf-8"),
    )


def test_xrefs_can_be_turned_off(build):
    app = build("search", confoverrides={"aidoc_xrefs": False})
    for page in app.outdir.glob("*.html"):
        assert "aidoc-xrefs" not in page.read_text(encoding="utf-8"), page.name
    records = _records(app)
    assert all(not r["calls"] and not r["called_by"] for r in records.values())


def test_called_by_follows_a_changed_caller_in_another_document(build, tmp_path):
    build("search", srcname="inc")
    storage = (tmp_path / "inc" / "_build" / "html" / "storage.html").read_text(
        encoding="utf-8"
    )
    assert "total_amount" not in storage
    module = tmp_path / "inc" / "search_pkg" / "numbers.py"
    module.write_text(
        module.read_text(encoding="utf-8").replace(
            "return float(sum(values))",
            "from search_pkg.storage import compute_checksum\n\n"
            "    return float(compute_checksum(bytes(values)))",
        ),
        encoding="utf-8",
    )
    later = time.time() + 5
    os.utime(module, (later, later))
    _forget_pkg()
    app = build("search", srcname="inc")
    storage = (app.outdir / "storage.html").read_text(encoding="utf-8")
    assert (
        "numbers.html#search_pkg.numbers.total_amount"
        in _xrefs(storage, "search_pkg.storage.compute_checksum")["Called by"]
    )


def test_text_builder_renders_xrefs_and_tree_without_search_files(build):
    app = build("search", "text")
    assert not (app.outdir / "_static").exists()
    users = (app.outdir / "users.txt").read_text(encoding="utf-8")
    assert '**Called by:** "get_user_by_email"' in users
    assert '**Calls:** "search_pkg.storage.load_record"' in users
    index = (app.outdir / "index.txt").read_text(encoding="utf-8")
    assert index.startswith("Search test\n***********\n\n* search_pkg.users")
    overview = (app.outdir / "overview.txt").read_text(encoding="utf-8")
    assert "17 objects in 5 modules: documented 11, generated 6, total 17" in overview
    assert '"find_users" generated — Find the users: return' in overview


# -- aidoc-index --------------------------------------------------------------
def test_aidoc_index_is_a_tree_by_module_and_kind(build):
    app = build("search")
    html = (app.outdir / "overview.html").read_text(encoding="utf-8")
    tree = html[html.index('<div class="aidoc-index') :]
    assert (
        '<code class="docutils literal notranslate"><span class="pre">search_pkg.users'
        in tree
    )
    assert "(documented 4, generated 2, total 6, 100% covered)" in tree
    assert 'href="users.html#search_pkg.users.UserStore.add_user"' in tree
    assert '<span class="aidoc-index-generated">generated</span>' in tree
    storage_only = html[html.index('id="storage-only"') :]
    assert "3 objects in 1 module: documented 3, generated 0, total 3" in storage_only
    assert "search_pkg.users" not in storage_only


def test_aidoc_index_bad_module_options_warn(build, tmp_path):
    srcdir = _copy_root(tmp_path, "badopts")
    overview = srcdir / "overview.rst"
    overview.write_text(
        overview.read_text(encoding="utf-8")
        + "\n.. aidoc-index::\n   :module: not a module!\n"
        + "\n.. aidoc-index::\n   :module: nowhere\n",
        encoding="utf-8",
    )
    app = build("search", srcname="badopts")
    warnings = app.warning.getvalue()
    assert re.search(
        r"overview\.rst:\d+: WARNING: aidoc-index: :module: 'not a module!' is not "
        r"a dotted module name; showing every module \[aidoc\.directive\]",
        warnings,
    ), warnings
    assert re.search(
        r"overview\.rst:\d+: WARNING: aidoc-index: no documented object in module "
        r"'nowhere' \[aidoc\.directive\]",
        warnings,
    ), warnings


def test_aidoc_index_warnings_can_be_suppressed(build, tmp_path):
    srcdir = _copy_root(tmp_path, "quiet")
    overview = srcdir / "overview.rst"
    overview.write_text(
        overview.read_text(encoding="utf-8")
        + "\n.. aidoc-index::\n   :module: nowhere\n",
        encoding="utf-8",
    )
    app = build(
        "search",
        srcname="quiet",
        confoverrides={"suppress_warnings": ["aidoc.directive"]},
    )
    assert "aidoc.directive" not in app.warning.getvalue()


# -- the search page and box ----------------------------------------------------
def _script_tag(html: str) -> str:
    match = re.search(r"<script [^>]*aidoc-search\.js[^>]*>", html)
    assert match, html
    return match.group(0)


def test_search_page_uses_the_theme_and_data_attributes(build):
    app = build("search")
    html = (app.outdir / "aidoc-search.html").read_text(encoding="utf-8")
    assert "<title>API search" in html
    assert 'class="sphinxsidebar"' in html  # alabaster's page.html around it
    assert 'id="aidoc-search-input"' in html
    tag = _script_tag(html)
    assert 'data-index="_static/aidoc/index.js"' in tag
    assert 'data-root="./"' in tag
    assert "AIDOC_INDEX" not in html  # no data templated into the page
    assert "aidoc-search.js" not in (app.outdir / "users.html").read_text(
        encoding="utf-8"
    )
    index = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert '<form class="aidoc-search-box" action="aidoc-search.html"' in index
    assert (app.outdir / "_static" / "aidoc" / "aidoc-search.js").is_file()
    assert "aidoc/aidoc-search.css" in index


def test_dirhtml_search_page_paths(build):
    app = build("search", "dirhtml")
    html = (app.outdir / "aidoc-search" / "index.html").read_text(encoding="utf-8")
    tag = _script_tag(html)
    assert 'data-index="../_static/aidoc/index.js"' in tag
    assert 'data-root="../"' in tag
    assert _records(app)["search_pkg.users.get_user"]["url"] == (
        "users/#search_pkg.users.get_user"
    )
    index = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert 'action="aidoc-search/"' in index


@pytest.mark.parametrize("builder", ["singlehtml", "latex"])
def test_builders_without_a_search_page_drop_the_box(build, builder):
    app = build("search", builder)
    assert not (app.outdir / "aidoc-search.html").exists()
    assert not (app.outdir / "_static" / "aidoc" / "index.json").exists()
    text = "".join(
        p.read_text(encoding="utf-8")
        for p in app.outdir.iterdir()
        if p.suffix in (".html", ".tex")
    )
    assert "aidoc-search-box" not in text
    assert "Called by" in text
