"""The ``aidoc`` command line, called as users call it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sphinxcontrib_aidoc.cli import build_parser, main
from tests.conftest import ROOTS

SHAPES = ROOTS / "test-missing" / "missing_pkg"
RECORD_KEYS = {
    "qualname",
    "file",
    "lineno",
    "kind",
    "params",
    "returns",
    "yields",
    "raises",
    "summary",
    "docstring",
    "source",
}


def _records(capsys) -> dict[str, dict]:
    out = capsys.readouterr().out
    return {r["qualname"]: r for r in map(json.loads, out.splitlines())}


def test_generate_json_prints_one_record_per_object(capsys):
    assert main(["generate", str(SHAPES), "--json", "--provider", "none"]) == 0
    records = _records(capsys)
    assert all(set(r) == RECORD_KEYS for r in records.values())
    area = records["missing_pkg.shapes.get_area"]
    assert area["kind"] == "function"
    assert area["file"].endswith("shapes.py")
    # Each stated type says what proves it.
    assert area["params"] == [
        {
            "name": "width",
            "type": None,
            "default": None,
            "inferred": False,
            "evidence": "",
        },
        {
            "name": "height",
            "type": "float",
            "default": "1.0",
            "inferred": True,
            "evidence": "default",
        },
    ]
    assert area["source"] == "inference"
    assert area["summary"] == "Return the area, ``float(width) * height``."
    assert area["docstring"].startswith(
        "Return the area, ``float(width) * height``.\n\nArgs:\n"
    )
    scale = records["missing_pkg.shapes.Shape.scale"]
    assert scale["raises"] == ["ValueError"]
    assert scale["returns"] == {
        "type": "Shape",
        "inferred": False,
        "evidence": "annotation",
    }
    names = records["missing_pkg.shapes.iter_names"]
    assert names["yields"] == {"type": "str", "evidence": "annotation"}
    assert names["returns"] is None
    # Documented objects and private ones are not listed by default.
    assert "missing_pkg.shapes.documented" not in records
    assert not any("_private" in q for q in records)


def test_generate_all_lists_human_docstrings_too(capsys):
    main(["generate", str(SHAPES), "--json", "--all", "--provider", "none"])
    records = _records(capsys)
    assert records["missing_pkg.shapes.documented"]["source"] == "human"


@pytest.mark.parametrize(
    ("style", "marker"),
    [("numpy", "Parameters\n----------"), ("rest", ":param width:")],
)
def test_generate_styles(capsys, style, marker):
    main(["generate", str(SHAPES / "shapes.py"), "--json", "--style", style])
    records = _records(capsys)
    assert marker in records["missing_pkg.shapes.get_area"]["docstring"]


def test_generate_uses_and_fills_a_cache(capsys, tmp_path):
    db = tmp_path / "cache.db"
    main(["generate", str(SHAPES), "--json", "--db", str(db)])
    first = _records(capsys)
    main(["generate", str(SHAPES), "--json", "--db", str(db)])
    second = _records(capsys)
    assert {r["source"] for r in first.values()} == {"inference"}
    assert {r["source"] for r in second.values()} == {"cache"}
    assert [r["docstring"] for r in first.values()] == [
        r["docstring"] for r in second.values()
    ]


def test_generate_readable_listing(capsys):
    main(["generate", str(SHAPES / "shapes.py")])
    out = capsys.readouterr().out
    assert "function missing_pkg.shapes.get_area  [inference]" in out
    assert "    Return the area, " in out


def test_generate_reports_unparsable_files_and_goes_on(capsys, tmp_path):
    shutil.copytree(
        ROOTS / "test-broken-source" / "broken_pkg", tmp_path / "broken_pkg"
    )
    assert main(["generate", str(tmp_path / "broken_pkg"), "--json"]) == 0
    captured = capsys.readouterr()
    assert "syntax.py:8: WARNING: cannot parse" in captured.err
    assert "[aidoc.parse]" in captured.err
    assert "broken_pkg.good.get_name" in captured.out


def test_missing_path_is_a_usage_error(capsys, tmp_path):
    assert main(["generate", str(tmp_path / "nope")]) == 2
    assert "no such file or directory" in capsys.readouterr().err


def test_every_subcommand_is_documented():
    cli_doc = (Path(__file__).parent.parent / "docs" / "cli.rst").read_text()
    parser = build_parser()
    subparsers = next(
        a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"
    )
    for name in subparsers.choices:
        assert f"aidoc {name}" in cli_doc, name


def test_installed_script_runs(tmp_path):
    script = Path(sys.executable).parent / "aidoc"
    result = subprocess.run(
        [str(script), "generate", str(SHAPES / "shapes.py"), "--json"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "AZURE_OPENAI_ENDPOINT": "", "AZURE_OPENAI_API_KEY": ""},
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "missing_pkg.shapes.get_area" in result.stdout


def test_offline_generate_imports_neither_openai_nor_sqlite_utils():
    # The network providers and the store load only when they are used.
    code = (
        "import sys\n"
        "from sphinxcontrib_aidoc.cli import main\n"
        f"main(['generate', {str(SHAPES / 'shapes.py')!r}, '--provider', 'none'])\n"
        "print(sorted({m.partition('.')[0] for m in sys.modules}"
        " & {'openai', 'sqlite_utils'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.splitlines()[-1] == "[]"


def test_cache_stats_export_import_and_clear(capsys, tmp_path):
    db = tmp_path / "team.db"
    main(["generate", str(SHAPES), "--json", "--db", str(db)])
    capsys.readouterr()

    assert main(["cache", "stats", "--db", str(db), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["entries"] == 11
    assert stats["by_provider"][0]["provider"] == "offline"

    exported = tmp_path / "cache.jsonl"
    assert main(["cache", "export", "--db", str(db), "-o", str(exported)]) == 0
    assert "exported 11" in capsys.readouterr().err
    assert len(exported.read_text().splitlines()) == 11

    fresh = tmp_path / "ci.db"
    assert main(["cache", "import", str(exported), "--db", str(fresh)]) == 0
    assert "imported 11" in capsys.readouterr().err
    main(["generate", str(SHAPES), "--json", "--db", str(fresh)])
    records = _records(capsys)
    assert {r["source"] for r in records.values()} == {"cache"}

    assert main(["cache", "clear", "--db", str(fresh)]) == 0
    assert "deleted 11" in capsys.readouterr().err


def test_cache_on_a_missing_database_is_a_usage_error(capsys, tmp_path):
    assert main(["cache", "stats", "--db", str(tmp_path / "none.db")]) == 2
    assert "no database" in capsys.readouterr().err
