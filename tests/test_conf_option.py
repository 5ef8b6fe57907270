"""``-c DIR``: every command reads the aidoc_* settings of a conf.py."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sphinxcontrib_aidoc.cli import build_parser, main
from sphinxcontrib_aidoc.store import Store

SHAPES = Path(__file__).parent / "roots" / "test-missing" / "missing_pkg"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SHAPES, tmp_path / "missing_pkg")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "conf.py").write_text(
        "import os\n"
        "project = 'shapes'\n"
        "aidoc_style = 'numpy'\n"
        "aidoc_db = '_state/history.db'\n"
        "aidoc_fail_under = 99.5\n"
        # conf.py runs in its own directory, as under sphinx-build
        "assert os.path.isfile('conf.py')\n"
    )
    with Store.open(docs / "_state" / "history.db") as store:
        build = store.begin_build(project="shapes", release="1.0")
        store.end_build(build)
    return tmp_path


def test_every_subcommand_accepts_c():
    parser = build_parser()
    subparsers = next(
        a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"
    )
    for name, sub in subparsers.choices.items():
        nested = [
            a for a in sub._actions if a.__class__.__name__ == "_SubParsersAction"
        ]
        parsers = list(nested[0].choices.values()) if nested else [sub]
        for each in parsers:
            flags = {f for a in each._actions for f in a.option_strings}
            assert "-c" in flags, (name, each.prog)


def test_generate_takes_style_and_database_from_conf(project, capsys):
    assert main(["generate", "missing_pkg", "-c", "docs", "--provider", "none"]) == 0
    out = capsys.readouterr().out
    assert "Parameters\n    ----------" in out
    with Store.open(project / "docs" / "_state" / "history.db") as store:
        assert store.cache_stats()["entries"] > 0  # the build's cache was filled
    # An option on the command line wins.
    assert (
        main(
            [
                "generate",
                "missing_pkg",
                "-c",
                "docs",
                "--style",
                "rest",
                "--provider",
                "none",
            ]
        )
        == 0
    )
    assert ":param" in capsys.readouterr().out


def test_report_gate_comes_from_conf(project, capsys):
    assert main(["report", "missing_pkg"]) == 0  # no -c: conf.py is not read
    capsys.readouterr()
    assert main(["report", "missing_pkg", "-c", "docs"]) == 1
    assert "below --fail-under 99.5" in capsys.readouterr().err
    assert main(["report", "missing_pkg", "-c", "docs", "--fail-under", "0"]) == 0


def test_database_commands_find_conf_py_without_db(project, capsys):
    assert main(["changelog", "--format", "json"]) == 0  # ./docs/conf.py found
    assert json.loads(capsys.readouterr().out)["project"] == "shapes"
    assert main(["cache", "stats", "--json", "-c", "docs"]) == 0
    assert json.loads(capsys.readouterr().out)["entries"] == 0


def test_without_db_or_conf_py_the_message_says_what_to_give(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    assert main(["changelog"]) == 2
    assert "give --db FILE, or -c DIR" in capsys.readouterr().err
    assert main(["cache", "stats"]) == 2
    assert "give --db FILE, or -c DIR" in capsys.readouterr().err


def test_generate_and_apply_leave_what_the_build_leaves(project, capsys):
    # The command line decides as the build does: aidoc_exclude patterns and
    # "# aidoc: skip" markers opt objects out of aidoc generate and aidoc apply.
    with (project / "docs" / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("aidoc_exclude = ['missing_pkg.shapes.get_*']\n")
    shapes = project / "missing_pkg" / "shapes.py"
    source = shapes.read_text(encoding="utf-8")
    shapes.write_text(
        source.replace("def label(shape,", "def label(shape,  # aidoc: skip\n   "),
        encoding="utf-8",
    )
    argv = ["missing_pkg", "-c", "docs", "--provider", "offline"]
    assert main(["generate", *argv, "--json"]) == 0
    written = {
        json.loads(line)["qualname"] for line in capsys.readouterr().out.splitlines()
    }
    assert "missing_pkg.shapes.is_square" in written
    assert "missing_pkg.shapes.get_area" not in written
    assert "missing_pkg.shapes.label" not in written

    assert main(["apply", *argv]) == 0
    capsys.readouterr()
    applied = shapes.read_text(encoding="utf-8")
    assert '    """Return whether' in applied.split("def is_square", 1)[1][:200]
    after_area = applied.split("def get_area(width, height=1.0):\n", 1)[1]
    assert after_area.startswith("    return float(width) * height\n")
    after_label = applied.split('prefix="shape"):\n', 1)[1]
    assert after_label.startswith("    if shape is None:\n")
