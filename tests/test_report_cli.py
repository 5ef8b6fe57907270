"""``aidoc report``: table, JSON records, thresholds, select/ignore."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sphinxcontrib_aidoc.cli import main

PKG = Path(__file__).parent / "roots" / "test-quality" / "quality_pkg"
RECORD_KEYS = {
    "qualname",
    "file",
    "lineno",
    "kind",
    "complexity",
    "generated",
    "scores",
    "findings",
}
SCORE_KEYS = {"completeness", "accuracy", "style", "clarity", "overall"}
FINDING_KEYS = {"code", "message", "suggestion", "line"}


@pytest.fixture
def pkg(tmp_path) -> Path:
    target = tmp_path / "quality_pkg"
    shutil.copytree(PKG, target)
    return target


def _records(capsys, *args) -> tuple[int, list[dict]]:
    code = main(["report", *map(str, args), "--json"])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines()]


def test_json_records_follow_the_documented_schema(capsys, pkg):
    code, records = _records(capsys, pkg)
    assert code == 0
    assert len(records) == 35
    for record in records:
        assert set(record) == RECORD_KEYS
        assert set(record["scores"]) == SCORE_KEYS
        assert all(0 <= v <= 100 for v in record["scores"].values())
        assert record["generated"] is False
        assert Path(record["file"]).is_file()
        assert isinstance(record["lineno"], int)
        for finding in record["findings"]:
            assert set(finding) == FINDING_KEYS
            assert finding["line"] >= record["lineno"]
    by_name = {r["qualname"]: r for r in records}
    wrong = by_name["quality_pkg.flaws.wrong_type"]
    assert wrong["kind"] == "function"
    assert [f["code"] for f in wrong["findings"]] == ["AID202"]
    assert wrong["scores"]["accuracy"] == 75
    assert by_name["quality_pkg.flaws.no_docstring"]["scores"]["overall"] == 0
    assert by_name["quality_pkg.clean.Item.available"]["kind"] == "property"


def test_json_prints_nothing_else_on_stdout(capsys, pkg):
    (pkg / "broken.py").write_text("def (:\n")
    main(["report", str(pkg), "--json", "--fail-under", "99"])
    captured = capsys.readouterr()
    assert all(line.startswith("{") for line in captured.out.splitlines())
    assert "[aidoc.parse]" in captured.err
    assert "below --fail-under 99" in captured.err


def test_readable_report(capsys, pkg):
    assert main(["report", str(pkg / "flaws.py"), "-v"]) == 0
    out = capsys.readouterr().out
    assert "  92  function     cc 1   quality_pkg.flaws.wrong_type" in out
    assert "  91  function     cc 2   quality_pkg.flaws.circular_condition" in out
    assert "AID202 documents 'value' as 'str' but the code says 'int'" in out
    assert "quality_pkg.flaws       23     95.7%   82.5" in out
    assert "project                 23     95.7%   82.5       3       0       6" in out
    assert "coverage: 95.7%  mean: 82.5  objects: 23" in out
    assert "findings: AID100 1, AID101 1," in out


@pytest.mark.parametrize(
    ("args", "status"),
    [
        ([], 0),
        (["--fail-under", "88"], 0),  # mean 88.5
        (["--fail-under", "89"], 1),
        (["--coverage-fail-under", "97.1"], 0),  # 34 of 35
        (["--coverage-fail-under", "97.2"], 1),
        (["--coverage", "interrogate", "--coverage-fail-under", "92"], 0),
        (["--coverage", "interrogate", "--coverage-fail-under", "93"], 1),
    ],
)
def test_exit_status_follows_the_thresholds(capsys, pkg, args, status):
    assert main(["report", str(pkg), *args]) == status
    err = capsys.readouterr().err
    assert ("below" in err) is bool(status)


def test_interrogate_coverage_mode(capsys, pkg):
    main(["report", str(pkg), "--coverage", "interrogate"])
    out = capsys.readouterr().out
    # 3 modules, 35 objects, 2 __init__ (37 of 40, as interrogate 1.7 counts)
    assert "coverage (interrogate): 92.5%" in out


@pytest.mark.parametrize(
    "args",
    [
        ["--fail-under", "abc"],
        ["--fail-under", "101"],
        ["--select", "AID9"],
        ["--ignore", "E501"],
        ["--style", "markdown"],
    ],
)
def test_usage_errors_exit_2(capsys, pkg, args):
    with pytest.raises(SystemExit) as exc:
        main(["report", str(pkg), *args])
    assert exc.value.code == 2
    capsys.readouterr()


def test_missing_path_is_a_usage_error(capsys, tmp_path):
    assert main(["report", str(tmp_path / "nope")]) == 2
    assert "no such file or directory" in capsys.readouterr().err


def test_select_and_ignore(capsys, pkg):
    _, records = _records(capsys, pkg, "--select", "AID4,aid304")
    codes = {f["code"] for r in records for f in r["findings"]}
    assert codes == {
        "AID304",
        "AID401",
        "AID402",
        "AID403",
        "AID404",
        "AID405",
        "AID406",
    }
    _, records = _records(capsys, pkg, "--ignore", "AID1,AID2,AID3")
    codes = {f["code"] for r in records for f in r["findings"]}
    assert codes == {"AID401", "AID402", "AID403", "AID404", "AID405", "AID406"}
    by_name = {r["qualname"]: r for r in records}
    # ignored checks no longer lower the scores
    assert by_name["quality_pkg.flaws.wrong_type"]["scores"]["overall"] == 100


def test_private_objects_on_request(capsys, tmp_path):
    (tmp_path / "mod.py").write_text(
        "def _helper(x):\n    return x\n\n"
        "class Public:\n    def __init__(self):\n        pass\n"
    )
    _, records = _records(capsys, tmp_path / "mod.py")
    assert [r["qualname"] for r in records] == ["mod.Public"]
    _, records = _records(capsys, tmp_path / "mod.py", "--private")
    assert [r["qualname"] for r in records] == ["mod._helper", "mod.Public"]


def test_style_option(capsys, pkg):
    _, records = _records(capsys, pkg / "flaws.py", "--style", "numpy")
    by_name = {r["qualname"]: r for r in records}
    assert [
        f["code"] for f in by_name["quality_pkg.flaws.numpy_style"]["findings"]
    ] == []
    wrong = by_name["quality_pkg.flaws.wrong_type"]["findings"]
    assert "AID301" in [f["code"] for f in wrong]


def test_installed_script_exit_status(tmp_path, pkg):
    script = Path(sys.executable).parent / "aidoc"
    result = subprocess.run(
        [str(script), "report", str(pkg), "--json", "--fail-under", "95"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "AZURE_OPENAI_ENDPOINT": "", "AZURE_OPENAI_API_KEY": ""},
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    assert len(result.stdout.splitlines()) == 35
    assert "mean docstring score 88.5 is below --fail-under 95" in result.stderr


def test_infer_timeout_zero_skips_inference_quietly(capsys, pkg):
    _, full = _records(capsys, pkg, "--engine", "astroid")
    code = main(["report", str(pkg), "--json", "--infer-timeout", "0"])
    captured = capsys.readouterr()
    fast = [json.loads(line) for line in captured.out.splitlines()]
    assert code == 0
    assert "[aidoc.infer]" not in captured.err
    assert [(r["qualname"], r["findings"]) for r in fast] == [
        (r["qualname"], r["findings"]) for r in full
    ]
    with pytest.raises(SystemExit):
        main(["report", str(pkg), "--infer-timeout", "-1"])
    capsys.readouterr()


def test_both_engines_give_the_same_report(capsys, pkg):
    _, fast = _records(capsys, pkg)
    _, slow = _records(capsys, pkg, "--engine", "astroid")
    assert fast == slow


_HEAVY = ("openai", "sqlite_utils", "astroid")


@pytest.mark.parametrize(
    ("args", "loaded"),
    [
        ([], []),
        (["--engine", "astroid"], ["astroid"]),
        (["--infer-timeout", "0"], ["astroid"]),
    ],
)
def test_report_imports_only_the_engine_it_runs(pkg, args, loaded):
    # A fresh interpreter: what `aidoc report` imports, not what tests did.
    code = (
        "import sys\n"
        "from sphinxcontrib_aidoc.cli import main\n"
        f"main(['report', '--json', {str(pkg)!r}, *{args!r}])\n"
        f"print(sorted({{m.partition('.')[0] for m in sys.modules}} & {set(_HEAVY)!r}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.splitlines()[-1] == repr(loaded)


def test_infer_timeout_needs_the_astroid_engine(capsys, pkg):
    assert main(["report", str(pkg), "--engine", "ast", "--infer-timeout", "1"]) == 2
    assert "--infer-timeout needs --engine astroid" in capsys.readouterr().err
