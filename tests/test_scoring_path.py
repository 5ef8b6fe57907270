"""One scoring path: the demo's quality table, search index and gate agree.

The demo documentation (``demo_project/docs``, copied, with
``demo_project/inventory`` importable) is built with a real Sphinx
application; every object's score is read back from what users see: the
``aidoc-quality`` table of ``quality.html`` and ``_static/aidoc/index.json``.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from sphinxcontrib_aidoc.cli import main

DEMO = Path(__file__).parent.parent / "demo_project"


class _TableCells(HTMLParser):
    """The text of each cell of ``table.aidoc-quality-table``, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._depth = 0  # inside the table (nested tables do not occur)
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table" and "aidoc-quality-table" in classes:
            self._depth = 1
        elif self._depth and tag == "tr":
            self.rows.append([])
        elif self._depth and tag == "td":
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._depth = 0
        elif tag == "td" and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture
def demo(make_app, tmp_path, monkeypatch) -> Iterator[Any]:
    """The demo documentation, built once into a temporary directory."""
    srcdir = tmp_path / "docs"
    shutil.copytree(
        DEMO / "docs", srcdir, ignore=shutil.ignore_patterns("_build", "_aidoc")
    )
    monkeypatch.setenv("INVENTORY_SRC", str(DEMO))
    monkeypatch.setattr(sys, "path", list(sys.path))  # conf.py inserts into it
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    for name in ("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    app = make_app("html", srcdir=srcdir, confoverrides={"aidoc_fail_under": 100})
    app.build()
    yield app
    for name in [m for m in sys.modules if m.partition(".")[0] == "inventory"]:
        del sys.modules[name]


def _table_scores(app: Any) -> dict[str, int]:
    return _page_scores(app, "quality.html")


def _index_scores(app: Any) -> dict[str, object]:
    index = json.loads(
        (app.outdir / "_static" / "aidoc" / "index.json").read_text(encoding="utf-8")
    )
    name, quality = index["fields"].index("qualname"), index["fields"].index("quality")
    return {record[name]: record[quality] for record in index["records"]}


def test_search_index_scores_equal_the_quality_table_for_every_object(demo):
    table = _table_scores(demo)
    index = _index_scores(demo)

    assert set(index) == set(demo.env.domains["aidoc"].all_objects())
    assert len(table) == len(index) > 50
    assert index == table


def test_quality_gate_judges_the_mean_the_table_shows(demo):
    page = (demo.outdir / "quality.html").read_text(encoding="utf-8")
    shown = re.search(r"Mean score: (\d+\.\d) ", page)
    gate = re.search(
        r"mean docstring score (\d+\.\d) is below aidoc_fail_under = 100",
        demo.warning.getvalue(),
    )
    assert shown is not None and gate is not None
    assert gate.group(1) == shown.group(1)
    assert demo.statuscode == 1


def test_aidoc_report_scores_hand_written_docstrings_as_the_build(demo, capsys):
    """``aidoc report`` judges the source's docstrings, the build what it shows.

    Where both are the same text (written by hand, nothing generated), the
    scores agree.
    """
    table = _table_scores(demo)
    objects = demo.env.domains["aidoc"].all_objects()
    main(["report", str(DEMO / "inventory"), "--json", "--style", "google"])
    reported = {
        record["qualname"]: record["scores"]["overall"]
        for record in map(json.loads, capsys.readouterr().out.splitlines())
    }
    compared = 0
    for shown, snapshot in objects.items():
        if snapshot.generated or snapshot.defined_as not in reported:
            continue
        assert reported[snapshot.defined_as] == table[shown], shown
        compared += 1
    assert compared > 20


INIT_PKG = '''\
class Shelf:
    def __init__(self, label: str, slots: int = 4) -> None:
        """A shelf of the store room.

        Args:
            label: Name painted on the shelf.
            slots: How many boxes fit on it.
        """
        self.label = label
        self.slots = slots
'''


def _init_project(tmp_path: Path) -> Path:
    srcdir = tmp_path / "src"
    (srcdir / "init_pkg").mkdir(parents=True)
    (srcdir / "init_pkg" / "__init__.py").write_text(INIT_PKG, encoding="utf-8")
    (srcdir / "conf.py").write_text(
        "import os, sys\nsys.path.insert(0, os.path.abspath('.'))\n"
        "extensions = ['sphinx.ext.napoleon', 'sphinxcontrib_aidoc']\n"
        "autoclass_content = 'both'\naidoc_provider = 'offline'\n",
        encoding="utf-8",
    )
    (srcdir / "index.rst").write_text(
        "API\n===\n\n.. automodule:: init_pkg\n   :members:\n\n.. aidoc-quality::\n",
        encoding="utf-8",
    )
    return srcdir


def _page_scores(app: Any, page: str) -> dict[str, int]:
    parser = _TableCells()
    parser.feed((app.outdir / page).read_text(encoding="utf-8"))
    # Columns: object, kind, complexity, score, generated, findings.
    return {row[0]: int(row[3]) for row in parser.rows if row}


def test_class_documented_in_init_scores_the_same_in_table_and_index(
    make_app, tmp_path
):
    app = make_app("html", srcdir=_init_project(tmp_path))
    app.build()
    table = _page_scores(app, "index.html")

    assert table["init_pkg.Shelf"] == 100
    assert _index_scores(app)["init_pkg.Shelf"] == table["init_pkg.Shelf"]


def test_aidoc_report_scores_a_class_documented_in_init_as_the_build(
    make_app, tmp_path, capsys
):
    srcdir = _init_project(tmp_path)
    app = make_app("html", srcdir=srcdir)
    app.build()
    table = _page_scores(app, "index.html")

    # -c reads autoclass_content = 'both' from conf.py, as the build does;
    # without it, the class's own docstring (none) is what autodoc shows.
    main(["report", str(srcdir / "init_pkg"), "--json"])
    alone = {
        record["qualname"]: record["scores"]["overall"]
        for record in map(json.loads, capsys.readouterr().out.splitlines())
    }
    assert alone["init_pkg.Shelf"] == 0
    main(["report", str(srcdir / "init_pkg"), "--json", "-c", str(srcdir)])
    reported = {
        record["qualname"]: record["scores"]["overall"]
        for record in map(json.loads, capsys.readouterr().out.splitlines())
    }

    assert reported["init_pkg.Shelf"] == table["init_pkg.Shelf"]
