"""``aidoc stats`` and build progress: what a maintainer reads about builds.

Real Sphinx builds write the ``builds`` rows (with the fake Azure server
for requests, tokens and failures); the command reads them back.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest

from sphinxcontrib_aidoc.cli import main
from sphinxcontrib_aidoc.sphinxext import progress
from sphinxcontrib_aidoc.sphinxext.progress import Stopwatch
from sphinxcontrib_aidoc.store import STAGES

if TYPE_CHECKING:
    from tests.fake_azure import FakeAzure

pytest_plugins = ("tests.fake_azure",)

# One object a request: these tests follow what happens to each request.
AZURE = {
    "aidoc_provider": "auto",
    "aidoc_max_retries": 0,
    "aidoc_objects_per_request": 1,
}
GENERATED = 11  # undocumented public objects of tests/roots/test-missing


def _stats(capsys, app, *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["stats", "-c", str(app.srcdir), *extra])
    return code, capsys.readouterr().out


def test_stats_per_build_and_month_from_real_builds(
    build, capsys, fake_azure: FakeAzure
):
    fake_azure.script("500", qualname="missing_pkg.shapes.label", times=1)
    first = build("missing", "text", srcname="s", confoverrides=AZURE)
    build("missing", "text", srcname="s", confoverrides=AZURE, freshenv=True)
    code, out = _stats(capsys, first, "--format", "json")
    assert code == 0
    data = json.loads(out)
    one, two = data["builds"]
    # First build: every empty object drafted, one request failed (HTTP 500).
    assert one["status"] == "ok"
    assert one["requests"] == GENERATED
    assert one["failures"] == {"error": 1}
    assert one["generated"] == GENERATED
    assert one["cache_hits"] == 0
    assert one["cache_hit_rate"] == 0
    assert one["tokens_in"] > 0
    assert one["tokens_out"] > 0
    assert one["analysed"] > 0
    assert one["analysis_kept"] == 0
    assert set(one["stages"]) == set(STAGES)
    assert one["seconds"] >= sum(one["stages"].values()) > 0
    # Second build from a fresh environment: the ten good drafts come from
    # the cache, the analysis from the database; only the failed one is
    # asked for again.
    assert two["requests"] == 1
    assert two["cache_hits"] == GENERATED - 1
    assert two["cache_hit_rate"] == pytest.approx((GENERATED - 1) / GENERATED)
    assert two["analysed"] == 0
    assert two["analysis_kept"] == one["analysed"]
    assert two["failures"] == {}
    [month] = data["months"]
    assert month["builds"] == 2
    assert month["requests"] == GENERATED + 1
    assert month["tokens_in"] == one["tokens_in"] + two["tokens_in"]
    assert month["failures"] == {"error": 1}
    assert month["label"] == one["label"].split()[1][:7]


def test_stats_text_lists_builds_then_months(build, capsys):
    app = build("missing", "text", srcname="t")
    build("missing", "text", srcname="t", freshenv=True)
    code, out = _stats(capsys, app, "--last", "1")
    assert code == 0
    builds, months = out.split("\n\n")
    head, *rows = builds.splitlines()
    assert head.split()[:3] == ["build", "status", "time"]
    for column in (*STAGES, "hit rate", "requests", "tokens in", "cost"):
        assert column in head
    [row] = rows  # --last 1: only the newest build
    assert row.startswith("#2 ")
    assert "100%" in row  # every draft from the cache
    head, row = months.splitlines()
    assert head.split()[:2] == ["month", "builds"]
    assert row.split()[1] == "2"  # months count every build


def test_stats_without_a_database_is_a_usage_error(tmp_path, capsys):
    code = main(["stats", "--db", str(tmp_path / "none.db")])
    assert code == 2
    assert "no database at" in capsys.readouterr().err


def test_ci_log_shows_a_few_summary_lines_per_stage(build):
    # Under pytest standard output is not a terminal: a CI log.
    app = build("missing", "text", confoverrides=AZURE | {"aidoc_provider": "offline"})
    lines = [
        line for line in app.status.getvalue().splitlines() if line.startswith("aidoc:")
    ]
    assert "aidoc: analysing 1 module(s)" in lines
    assert any(line.startswith("aidoc: analysed 1 module(s) in ") for line in lines)
    assert f"aidoc: generating docstrings for {GENERATED} object(s)" in lines
    assert any(
        line.startswith(f"aidoc: {GENERATED} of {GENERATED} done in ") for line in lines
    )
    assert not any("%]" in line for line in lines)  # no per-step bar lines


def test_terminal_shows_analysis_module_by_module(build, monkeypatch):
    monkeypatch.setattr(progress, "on_terminal", lambda: True)
    app = build("missing", "text")
    status = re.sub(r"\x1b\[[0-9;]*m", "", app.status.getvalue())  # colours
    assert "aidoc: analysing... " in status
    assert "[100%] missing_pkg.shapes" in status


def test_stopwatch_stages_add_up_without_counting_twice():
    now = [0.0]
    watch = Stopwatch(clock=lambda: now[0])
    watch.start("read")
    now[0] = 2.0
    with watch.timed("analyse"):  # pauses "read"
        now[0] = 5.0
        with watch.timed("analyse"):  # nested same stage: counted once
            now[0] = 6.0
    now[0] = 7.0
    watch.stop("read")
    assert watch.totals == {"read": 3.0, "analyse": 4.0}
    assert watch.elapsed() == 7.0
