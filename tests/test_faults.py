"""Faults of the provider never stop, stall or overspend a build.

Real Sphinx builds of ``tests/roots/test-missing`` with the real ``openai``
client talking HTTP to the fake Azure server, which misbehaves on demand.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlite_utils import Database

from tests.conftest import entry

if TYPE_CHECKING:
    from tests.fake_azure import FakeAzure

pytest_plugins = ("tests.fake_azure",)

AZURE = {"aidoc_provider": "auto", "aidoc_max_retries": 1}
VICTIM = "missing_pkg.shapes.get_area"
GENERATED = 11
#: The fake server's odd 200 bodies (``tests.fake_azure.ODD_BODIES``).
ODD_BODIES = (
    "body_not_json",
    "body_html",
    "body_empty",
    "body_list",
    "body_no_choices",
    "body_null_message",
    "body_content_not_string",
)


def _text(app) -> str:
    return (app.outdir / "index.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("body", ODD_BODIES)
def test_an_odd_body_costs_one_object_and_nothing_else(
    build, fake_azure: FakeAzure, body: str
):
    fake_azure.script(body, qualname=VICTIM)
    app = build("missing", "text", confoverrides=AZURE)
    assert app.statuscode == 0
    warnings = app.warning.getvalue()
    assert re.search(
        rf"no prose for {re.escape(VICTIM)} .*using the offline fallback "
        r"\[aidoc\.provider\]",
        warnings,
    ), warnings
    text = _text(app)
    assert "Return the area." in entry(text, "get_area")  # offline
    assert "Fake summary for is_square." in text  # the others: the model's
    db = Database(app.srcdir / "_aidoc" / "aidoc.db")
    assert db["cache"].count == GENERATED - 1  # every good answer kept
    outcomes = {r["qualname"]: r["outcome"] for r in db.query("select * from calls")}
    assert outcomes[VICTIM] != "ok"


def test_a_long_retry_after_is_not_waited_for(build, fake_azure: FakeAzure):
    fake_azure.script("429", qualname=VICTIM, retry_after=600)
    started = time.monotonic()
    app = build("missing", "text", confoverrides={**AZURE, "aidoc_max_wait": 1.0})
    elapsed = time.monotonic() - started
    assert app.statuscode == 0
    assert elapsed < 60  # not 600 s
    assert re.search(
        r"no prose for missing_pkg\.shapes\.get_area \(rate limited: HTTP 429, "
        r"retry after 600 s.*aidoc_max_wait.*\[aidoc\.throttle\]",
        app.warning.getvalue(),
    ), app.warning.getvalue()
    assert "Fake summary for is_square." in _text(app)


def test_a_hung_server_meets_the_provider_deadline(build, fake_azure: FakeAzure):
    fake_azure.script("hang", seconds=30)
    started = time.monotonic()
    app = build(
        "missing",
        "text",
        confoverrides={
            **AZURE,
            "aidoc_request_timeout": 20.0,
            "aidoc_provider_deadline": 2.0,
        },
    )
    elapsed = time.monotonic() - started
    assert app.statuscode == 0
    assert elapsed < 20
    warnings = app.warning.getvalue()
    assert re.search(
        r"provider stage deadline of 2 s reached; 11 object\(s\) written offline "
        r"\(aidoc_provider_deadline\) \[aidoc\.provider\]",
        warnings,
    ), warnings
    assert "Return the area." in entry(_text(app), "get_area")


def test_a_killed_build_is_marked_interrupted_and_keeps_its_calls(
    build, fake_azure: FakeAzure, tmp_path
):
    srcdir = tmp_path / "killed"
    shutil.copytree(Path(__file__).parent / "roots" / "test-missing", srcdir)
    fake_azure.script("latency", ms=700)
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-q",
        "-b",
        "text",
        "-D",
        "aidoc_provider=auto",
        "-D",
        "aidoc_concurrency=1",
        str(srcdir),
        str(tmp_path / "out"),
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while fake_azure.request_count < 4 and time.monotonic() < deadline:
            assert process.poll() is None, (
                process.stderr.read() if process.stderr else ""
            )
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(10)
        if process.stderr is not None:
            process.stderr.close()
    db = Database(srcdir / "_aidoc" / "aidoc.db")
    killed = next(db.query("select * from builds order by id"))
    assert killed["status"] == "running"
    logged = db.execute(
        "select count(*) from calls where build_id = ?", [killed["id"]]
    ).fetchone()[0]
    assert logged >= 2  # each request is logged as it ends, not at the batch's end
    fake_azure.clear_script()
    build("missing", "text", srcname="killed", confoverrides=AZURE)
    row = next(db.query("select * from builds where id = ?", [killed["id"]]))
    assert (row["status"], row["interrupted"]) == ("failed", 1)
    assert row["ended_at"]
    kept = db.execute(
        "select count(*) from calls where build_id = ?", [killed["id"]]
    ).fetchone()[0]
    assert kept == logged
