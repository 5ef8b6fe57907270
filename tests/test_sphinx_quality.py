"""Real Sphinx builds of tests/roots/test-quality: the directive and the gate."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOTS


def _copy(tmp_path: Path, name: str = "quality", extra: dict[str, str] | None = None):
    srcdir = tmp_path / name
    shutil.copytree(ROOTS / "test-quality", srcdir)
    for filename, text in (extra or {}).items():
        (srcdir / filename).write_text(textwrap.dedent(text), encoding="utf-8")
    return srcdir


def _rows(text: str) -> dict[str, str]:
    """``{qualname: row text}`` of a text-builder table (wrapped cells joined)."""
    rows: dict[str, str] = {}
    block: list[list[str]] = []
    for line in [*text.splitlines(), "+"]:
        if line.startswith("|") and not line.startswith("|="):
            block.append(line.split("|")[1:-1])
            continue
        if block:
            columns = [
                " ".join(c[i].strip() for c in block if c[i].strip())
                for i in range(len(block[0]))
            ]
            name = "".join(c[0].strip() for c in block).strip('"')
            if name.startswith("quality_pkg."):
                rows[name] = " | ".join(columns[1:])
        block = []
    return rows


def test_directive_html_links_each_object_to_its_entry(build):
    app = build("quality")
    html = (app.outdir / "report.html").read_text(encoding="utf-8")
    api = (app.outdir / "api.html").read_text(encoding="utf-8")
    assert '<div class="aidoc-quality docutils container">' in html
    assert '<table class="aidoc-quality-table' in html
    for name in ("quality_pkg.flaws.get_name", "quality_pkg.clean.Item.restock"):
        assert f'href="api.html#{name}"' in html
        assert f'id="{name}"' in api
    assert "Coverage: 97.1% (34 of 35 objects have a docstring written by a" in html
    assert '<th class="head"><p>Complexity</p></th>' in html
    assert '<code class="docutils literal notranslate"><span class="pre">AID401' in html


def test_directive_text_output(build):
    app = build("quality", "text")
    text = (app.outdir / "report.txt").read_text(encoding="utf-8")
    assert (
        "* Coverage: 97.1% (34 of 35 objects have a docstring written by a\n  person; 1 generated)"
        in text
    )
    assert "* Mean score: 90.5 (3 below 70)" in text
    assert "* Distribution: 0-49: 2, 50-69: 1, 70-89: 6, 90-100: 26" in text
    assert "* Findings: AID101 1, AID102 1, AID103 1, AID104 1, AID105 2," in text
    rows = _rows(text)
    assert len(rows) == 35
    # kind | cyclomatic complexity | score | generated | findings
    assert rows["quality_pkg.clean.Item"] == "class | 1 | 100 | no | none"
    assert rows["quality_pkg.clean.iter_low_stock"] == "function | 3 | 100 | no | none"
    assert rows["quality_pkg.flaws.wrong_type"] == (
        "function | 1 | 92 | no | \"AID202\" documents 'value' as 'str' but the code says"
        " 'int'"
    )
    # the generated docstring is scored as shown, and marked generated: its
    # Args and Returns entries (offline, from the code alone) repeat names
    generated = rows["quality_pkg.flaws.no_docstring"]
    assert generated.startswith('function | 1 | 68 | yes | "AID405"')
    assert "AID100" not in text


def test_directive_options(build, tmp_path):
    srcdir = _copy(
        tmp_path,
        extra={
            "report.rst": """\
            Docstring quality
            =================

            .. aidoc-quality::
               :module: quality_pkg.flaws
               :threshold: 90
               :show: failing
               :sort: score
            """
        },
    )
    app = build("quality", "text", srcname=srcdir.name)
    text = (app.outdir / "report.txt").read_text(encoding="utf-8")
    assert "(22 of 23 objects" in text
    assert "(9 below 90)" in text
    rows = _rows(text)
    assert list(rows) == [
        "quality_pkg.flaws.get_name",  # 29, lowest first
        "quality_pkg.flaws.missing_summary",  # 30
        "quality_pkg.flaws.no_docstring",  # 68
        "quality_pkg.flaws.returns_not_yields",  # 76
        "quality_pkg.flaws.bare_entry",  # 82, then by name
        "quality_pkg.flaws.missing_yields",
        "quality_pkg.flaws.MissingAttributes",  # 85
        "quality_pkg.flaws.missing_returns",
        "quality_pkg.flaws.missing_raises",  # 88
    ]
    assert rows["quality_pkg.flaws.returns_not_yields"].startswith(
        "function | 2 | 76 |"
    )


def test_bad_options_warn_at_the_directive(build, tmp_path):
    srcdir = _copy(
        tmp_path,
        extra={
            "report.rst": """\
            Docstring quality
            =================

            .. aidoc-quality::
               :module: not a module
               :threshold: 120
               :show: some
               :sort: size
            """
        },
    )
    app = build("quality", "text", srcname=srcdir.name)
    out = app.warning.getvalue()
    for option in ("module", "threshold", "show", "sort"):
        assert re.search(
            rf"report\.rst:4: WARNING: aidoc-quality: :{option}: .* using the "
            r"default \[aidoc\.directive\]",
            out,
        ), out
    text = (app.outdir / "report.txt").read_text(encoding="utf-8")
    assert len(_rows(text)) == 35  # the defaults: every object


def test_bad_options_can_be_suppressed(build, tmp_path):
    srcdir = _copy(
        tmp_path,
        extra={
            "report.rst": "Quality\n=======\n\n.. aidoc-quality::\n   :show: some\n"
        },
    )
    app = build(
        "quality",
        "text",
        srcname=srcdir.name,
        confoverrides={"suppress_warnings": ["aidoc.directive"]},
    )
    assert "aidoc.directive" not in app.warning.getvalue()


def test_page_is_not_stale_after_a_source_change(build, tmp_path):
    srcdir = _copy(tmp_path, "stale")
    first = build("quality", "text", srcname="stale")
    before = _rows((first.outdir / "report.txt").read_text(encoding="utf-8"))
    assert "AID401" in before["quality_pkg.flaws.get_name"]

    flaws = srcdir / "quality_pkg" / "flaws.py"
    source = flaws.read_text(encoding="utf-8")
    flaws.write_text(
        source.replace('"""Get the name.', '"""Read the display name of a record.'),
        encoding="utf-8",
    )
    stat = flaws.stat()
    os.utime(flaws, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    for name in [m for m in sys.modules if m.startswith("quality_pkg")]:
        del sys.modules[name]

    second = build("quality", "text", srcname="stale")
    after = _rows((second.outdir / "report.txt").read_text(encoding="utf-8"))
    assert after["quality_pkg.flaws.get_name"] == "function | 1 | 100 | no | none"
    assert (
        after["quality_pkg.flaws.wrong_type"] == before["quality_pkg.flaws.wrong_type"]
    )


@pytest.mark.parametrize(
    ("overrides", "status", "message"),
    [
        ({}, 0, None),
        ({"aidoc_fail_under": 90, "aidoc_coverage_fail_under": 97}, 0, None),
        (
            {"aidoc_fail_under": 91},
            1,
            (
                r"ERROR: mean docstring score 90\.5 is below aidoc_fail_under = 91 "
                r"\[aidoc\.quality\]"
            ),
        ),
        (
            {"aidoc_coverage_fail_under": 98.5},
            1,
            (
                r"ERROR: docstring coverage 97\.1% is below aidoc_coverage_fail_under = "
                r"98\.5 \[aidoc\.quality\]"
            ),
        ),
    ],
)
def test_gate_sets_the_exit_status(build, overrides, status, message):
    app = build("quality", "text", confoverrides=overrides)
    assert app.statuscode == status
    warnings = app.warning.getvalue()
    if message:
        assert re.search(message, warnings), warnings
    else:
        assert "[aidoc.quality]" not in warnings


def test_gate_fails_a_real_sphinx_build(tmp_path):
    srcdir = _copy(tmp_path)
    env = {**os.environ, "AZURE_OPENAI_ENDPOINT": "", "AZURE_OPENAI_API_KEY": ""}

    def sphinx_build(outdir: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sphinx", "-q", "-b", "text", ".", outdir],
            capture_output=True,
            text=True,
            check=False,
            cwd=srcdir,
            env=env,
        )

    passing = sphinx_build("_build/ok")
    assert passing.returncode == 0, passing.stderr
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("aidoc_coverage_fail_under = 99\n")
    failing = sphinx_build("_build/gate")
    assert failing.returncode == 1, failing.stderr
    assert "docstring coverage 97.1% is below aidoc_coverage_fail_under = 99" in (
        failing.stderr
    )
    assert "[aidoc.quality]" in failing.stderr
    assert (srcdir / "_build" / "gate" / "report.txt").is_file()
