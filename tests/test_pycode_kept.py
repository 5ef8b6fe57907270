"""Sphinx's parses of module sources, kept in the database between builds.

A fresh environment (``-E``) in a new process parses again every module
autodoc reads (the project's and the standard library's bases: ``enum``,
``typing``). aidoc keeps what a parse found, per module and source digest,
and restores it before the pages are read: the second build parses nothing
and shows the same page; an edited module is parsed again.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sphinx.pycode import ModuleAnalyzer
from sphinx.pycode.parser import Parser

from sphinxcontrib_aidoc.sphinxext import pycode_kept
from sphinxcontrib_aidoc.sphinxext.pycode_kept import PREFIX, KeptParses
from sphinxcontrib_aidoc.store import Store
from tests.conftest import ROOTS

if TYPE_CHECKING:
    from collections.abc import Iterator

#: What ``ModuleAnalyzer.analyze`` sets: a restored analyzer holds the same.
FIELDS = ("attr_docs", "annotations", "finals", "overloads", "tags", "tagorder")


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Count Sphinx's parses (the first line of each source parsed)."""
    parsed: list[str] = []
    real = Parser.parse

    def parse(self: Parser) -> None:
        parsed.append(self.code.partition("\n")[0])
        real(self)

    monkeypatch.setattr(Parser, "parse", parse)
    ModuleAnalyzer.cache.clear()
    yield parsed
    ModuleAnalyzer.cache.clear()


def _root(tmp_path: Path) -> Path:
    srcdir = tmp_path / "pycode-kept"
    shutil.copytree(ROOTS / "test-pycode-kept", srcdir)
    return srcdir


def _api_body(app) -> str:
    html = (Path(app.outdir) / "api.html").read_text(encoding="utf-8")
    return html[
        html.index('<section id="module-kept_pkg.shapes">') : html.index(
            '<div class="sphinxsidebar"'
        )
    ]


def test_a_fresh_environment_parses_nothing_kept_and_shows_the_same_page(
    make_app, tmp_path: Path, parses: list[str]
) -> None:
    srcdir = _root(tmp_path)
    first = make_app("html", srcdir=srcdir)
    first.build()
    assert '"""Shapes: ``#:`` comments' in parses[0] or any(
        line.startswith('"""Shapes') for line in parses
    )
    assert len(parses) >= 3  # kept_pkg.shapes, enum and typing at least
    page = _api_body(first)
    assert "The colour of a ripe tomato." in page
    assert "The height, in centimetres." in page
    assert (
        page.count('<span class="sig-name descname"><span class="pre">scale</span>')
        == 2
    )

    # A new process (the cache empty), a fresh environment, the same database.
    ModuleAnalyzer.cache.clear()
    parses.clear()
    again = make_app("html", srcdir=srcdir, freshenv=True, verbosity=1)
    again.build()

    assert parses == []
    assert _api_body(again) == page
    restored = re.search(
        r"aidoc: (\d+) module source\(s\) not parsed again", again.status.getvalue()
    )
    assert restored is not None
    assert int(restored[1]) >= 3


def test_an_edited_module_is_parsed_again_and_its_new_comments_shown(
    make_app, tmp_path: Path, parses: list[str]
) -> None:
    srcdir = _root(tmp_path)
    make_app("html", srcdir=srcdir).build()
    source = srcdir / "kept_pkg" / "shapes.py"
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "The colour of the sea.", "The colour of a clear sky."
        ),
        encoding="utf-8",
    )
    ModuleAnalyzer.cache.clear()
    parses.clear()
    again = make_app("html", srcdir=srcdir, freshenv=True)
    again.build()

    assert [line for line in parses if line.startswith('"""Shapes')] == [
        '"""Shapes: ``#:`` comments, annotations, overloads and a final name."""'
    ]
    page = _api_body(again)
    assert "The colour of a clear sky." in page
    assert "The colour of the sea." not in page


def _fresh(modname: str) -> ModuleAnalyzer:
    analyzer = ModuleAnalyzer.for_string(
        ModuleAnalyzer.for_module(modname).code, modname, "<fresh>"
    )
    analyzer.analyze()
    return analyzer


@pytest.fixture
def shapes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """``kept_pkg.shapes`` imported from a copy of the root."""
    srcdir = _root(tmp_path)
    monkeypatch.syspath_prepend(str(srcdir))
    __import__("kept_pkg.shapes")
    return "kept_pkg.shapes"


def test_a_restored_parse_equals_a_fresh_one(
    tmp_path: Path, shapes: str, parses: list[str]
) -> None:
    modules = [shapes, "enum", "typing", "datetime"]
    with Store.open(tmp_path / "aidoc.db") as store:
        kept = KeptParses(store)
        for modname in modules:
            kept.analyzer(modname).analyze()
        assert kept.keep() == len(modules)
    ModuleAnalyzer.cache.clear()
    parses.clear()

    with Store.open(tmp_path / "aidoc.db") as store:
        kept = KeptParses(store)
        assert kept.restore() == len(modules)
        assert kept.keep() == 0  # nothing parsed in this "build"
    assert parses == []
    for modname in modules:
        restored, fresh = ModuleAnalyzer.for_module(modname), _fresh(modname)
        for field in FIELDS:
            assert getattr(restored, field) == getattr(fresh, field), (modname, field)
    overloads = ModuleAnalyzer.for_module(shapes).overloads["scale"]
    assert [str(sig) for sig in overloads] == [
        "(value: 'int', factor: 'int' = 2) -> 'int'",
        "(value: 'float', factor: 'float' = 2.0, *, exact: 'bool' = False) -> 'float'",
    ]


def _rewrite(path: Path, key: str, change) -> None:
    with Store.open(path) as store:
        payload = store.analysis_get(key)
        assert payload is not None
        store.analysis_put_many([(key, "x#pycode", change(payload))])


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda p: p[: len(p) // 2], id="damaged"),
        pytest.param(
            lambda p: json.dumps({**json.loads(p), "made_by": "pycode 1; sphinx 0.1"}),
            id="another-sphinx",
        ),
        pytest.param(
            lambda p: json.dumps({**json.loads(p), "digest": "0" * 40}), id="other-code"
        ),
        pytest.param(
            lambda p: json.dumps({**json.loads(p), "tags": 3}), id="wrong-shape"
        ),
    ],
)
def test_a_row_that_does_not_fit_is_parsed_again(
    tmp_path: Path, shapes: str, parses: list[str], change
) -> None:
    db = tmp_path / "aidoc.db"
    with Store.open(db) as store:
        kept = KeptParses(store)
        kept.analyzer(shapes).analyze()
        kept.keep()
    _rewrite(db, PREFIX + shapes, change)
    ModuleAnalyzer.cache.clear()
    parses.clear()

    with Store.open(db) as store:
        kept = KeptParses(store)
        assert kept.restore() == 0
        analyzer = kept.analyzer(shapes)
        assert analyzer.find_attr_docs()[("Color", "RED")] == [
            "The colour of a ripe tomato.",
            "",
        ]
        assert len(parses) == 1
        assert kept.keep() == 1  # parsed again: kept again, with this build's parse
    with Store.open(db) as store:
        assert KeptParses(store).restore() == 0  # (still in the cache)
        ModuleAnalyzer.cache.clear()
        assert KeptParses(store).restore() == 1


def test_an_overload_default_this_layout_cannot_hold_is_not_kept(
    tmp_path: Path, shapes: str, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    del parses
    with Store.open(tmp_path / "aidoc.db") as store:
        kept = KeptParses(store)
        analyzer = kept.analyzer(shapes)
        analyzer.analyze()
        sig = analyzer.overloads["scale"][0]
        odd = sig.replace(
            parameters=[p.replace(default=object()) for p in sig.parameters.values()]
        )
        monkeypatch.setitem(analyzer.overloads, "scale", [odd])
        assert kept.keep() == 0
        assert store.analysis_prefixed(pycode_kept.PREFIX) == []


def test_a_module_not_imported_is_neither_restored_nor_imported(
    tmp_path: Path, shapes: str, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(tmp_path / "aidoc.db") as store:
        kept = KeptParses(store)
        kept.analyzer(shapes).analyze()
        kept.keep()
    ModuleAnalyzer.cache.clear()
    monkeypatch.delitem(sys.modules, shapes)
    with Store.open(tmp_path / "aidoc.db") as store:
        assert KeptParses(store).restore() == 0
    assert shapes not in sys.modules
    assert ("module", shapes) not in ModuleAnalyzer.cache


def test_forked_readers_find_the_parses_restored_before_they_fork(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Under -j N, Sphinx reads pages in forked processes: the parses must
    # be in the cache before the fork (the pre-read restores them first).
    srcdir = _root(tmp_path)
    for number in range(6):  # (Sphinx forks readers from 6 pages to read)
        (srcdir / f"note{number}.rst").write_text(
            f":orphan:\n\nNote {number}\n======\n\nText.\n", encoding="utf-8"
        )
    log = tmp_path / "parsed.txt"
    real = Parser.parse

    def parse(self: Parser) -> None:  # (a file: forked readers write to it too)
        with log.open("a", encoding="utf-8") as handle:
            handle.write(self.code.partition("\n")[0] + "\n")
        real(self)

    monkeypatch.setattr(Parser, "parse", parse)
    ModuleAnalyzer.cache.clear()
    make_app("html", srcdir=srcdir).build()
    assert (
        '"""Shapes: ``#:`` comments, annotations, overloads and a final name."""'
        in (log.read_text(encoding="utf-8").splitlines())
    )
    log.unlink()
    ModuleAnalyzer.cache.clear()

    again = make_app("html", srcdir=srcdir, freshenv=True, parallel=2)
    again.build()

    assert again.statuscode == 0
    assert not log.exists()  # no process parsed anything
    assert "The colour of a ripe tomato." in _api_body(again)


def test_a_module_parsed_again_as_it_was_kept_is_not_written_again(
    tmp_path: Path, shapes: str, parses: list[str]
) -> None:
    # (a module a page's own code imports after the restore is parsed again)
    with Store.open(tmp_path / "aidoc.db") as store:
        kept = KeptParses(store)
        kept.analyzer(shapes).analyze()
        assert kept.keep() == 1
    ModuleAnalyzer.cache.clear()
    with Store.open(tmp_path / "aidoc.db") as store:
        kept = KeptParses(store)
        ModuleAnalyzer.for_module(shapes).analyze()  # not through the kept rows
        assert len(parses) == 2
        assert kept.keep() == 0
