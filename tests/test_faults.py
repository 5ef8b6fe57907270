"""Fault injection through real Sphinx builds against the fake Azure server.

Each test scripts a misbehaviour on ``tests/fake_azure.py`` (odd bodies, a
600 s Retry-After, a hung server, over-billing, a missing key), builds
``tests/roots/test-missing`` (11 undocumented objects) with the real
``openai`` client, and checks what a user sees: the exit status, the pages
written, the cache rows, the requests the server got and the warnings.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from typing import TYPE_CHECKING, Any

import pytest
from sqlite_utils import Database

from tests.conftest import ROOTS, entry

if TYPE_CHECKING:
    from pathlib import Path

    from tests.fake_azure import FakeAzure

pytest_plugins = ("tests.fake_azure",)

OBJECTS = 11  # undocumented public objects of tests/roots/test-missing
AREA = "missing_pkg.shapes.get_area"
#: The fake server's ODD_BODIES (imported there by pytest as a plugin).
ODD_BODIES = (
    "not_json",
    "html",
    "empty_body",
    "json_list",
    "no_choices",
    "null_message",
    "content_not_string",
    "truncated",
    "wrong_schema",
    "huge",
)
# One object a request: these tests follow what happens to each request.
AZURE = {
    "aidoc_provider": "auto",
    "aidoc_max_retries": 1,
    "aidoc_concurrency": 2,
    "aidoc_objects_per_request": 1,
}


def _db(app: Any) -> Database:
    return Database(app.srcdir / "_aidoc" / "aidoc.db")


def _html(app: Any) -> str:
    return (app.outdir / "index.html").read_text(encoding="utf-8")


def _text(app: Any) -> str:
    return (app.outdir / "index.txt").read_text(encoding="utf-8")


def _azure_rows(app: Any) -> int:
    return next(_db(app).query("select count(*) n from cache where provider='azure'"))[
        "n"
    ]


def _outcomes(app: Any, qualname: str | None = None) -> list[str]:
    sql = "select outcome from calls" + (" where qualname = ?" if qualname else "")
    return [r["outcome"] for r in _db(app).query(sql, [qualname] if qualname else [])]


# -- every answer becomes a draft or a recorded failure ----------------------
@pytest.mark.parametrize("fault", ODD_BODIES)
def test_an_odd_body_fails_one_object_and_the_build_goes_on(
    build: Any, fake_azure: FakeAzure, fault: str
) -> None:
    fake_azure.script(fault, qualname=AREA)
    app = build("missing", "text", srcname="odd", confoverrides=AZURE)

    assert app.statuscode == 0
    warnings = app.warning.getvalue()
    assert re.search(
        rf"no prose for {re.escape(AREA)} \(invalid answer: .*\).*\[aidoc\.provider\]",
        warnings,
    ), warnings
    text = _text(app)
    assert "Return the area, " in entry(text, "get_area")  # offline, for this one
    assert text.count("Fake summary for") == OBJECTS - 1
    assert fake_azure.request_count == OBJECTS  # an odd answer is not retried
    assert _azure_rows(app) == OBJECTS - 1  # every validated answer is kept
    assert _outcomes(app, AREA) == ["invalid"]

    fake_azure.clear_script()
    build("missing", "text", srcname="odd", confoverrides=AZURE, freshenv=True)
    assert [r.qualname for r in fake_azure.log[OBJECTS:]] == [AREA]


def test_each_odd_body_has_its_own_reason(build: Any, fake_azure: FakeAzure) -> None:
    names = [
        "missing_pkg.shapes.get_area",
        "missing_pkg.shapes.is_square",
        "missing_pkg.shapes.label",
        "missing_pkg.shapes.Shape",
    ]
    reasons = {
        "html": "HTML page",
        "json_list": "JSON list, not a completion",
        "no_choices": "choices: List should have at least 1 item",
        "null_message": "choices.0.message: Input should be a valid dictionary",
    }
    for name, fault in zip(names, reasons, strict=True):
        fake_azure.script(fault, qualname=name)
    app = build("missing", confoverrides=AZURE)

    assert app.statuscode == 0
    errors = {
        r["qualname"]: r["error"]
        for r in _db(app).query(
            "select qualname, error from calls where outcome != 'ok'"
        )
    }
    for name, fault in zip(names, reasons, strict=True):
        assert reasons[fault] in errors[name], errors[name]


def test_a_non_string_content_and_usage_of_odd_bodies_are_recorded(
    build: Any, fake_azure: FakeAzure
) -> None:
    fake_azure.script("content_not_string", qualname=AREA)
    app = build("missing", confoverrides=AZURE)

    [row] = _db(app).query(
        "select error, tokens_in, cost from calls where qualname = ?", [AREA]
    )
    assert "content: Input should be a valid string" in row["error"]
    assert row["tokens_in"] > 0  # billed anyway, so counted
    assert row["cost"] > 0


# -- waiting is bounded and visible --------------------------------------------
def test_a_600_s_retry_after_stops_the_provider_instead_of_waiting(
    build: Any, fake_azure: FakeAzure
) -> None:
    fake_azure.script("429", times=1, retry_after=600)
    app = build(
        "missing",
        "text",
        confoverrides={**AZURE, "aidoc_concurrency": 1, "aidoc_max_wait": 2},
    )

    assert app.statuscode == 0
    warnings = app.warning.getvalue()
    assert re.search(
        r"server asked to wait 600 s, more than aidoc_max_wait=2 s; not calling "
        r"it again in this build \(10 object\(s\) of this batch not sent.*"
        r"\[aidoc\.throttle\]",
        warnings,
    ), warnings
    assert fake_azure.request_count == 1
    assert "Return the area, " in entry(_text(app), "get_area")
    assert _outcomes(app).count("circuit_open") == OBJECTS - 1


def test_a_short_retry_after_is_honoured_and_shown(
    build: Any, fake_azure: FakeAzure
) -> None:
    fake_azure.script("429", times=1, retry_after=1)
    app = build("missing", "text", confoverrides={**AZURE, "aidoc_concurrency": 1})

    assert app.statuscode == 0
    assert "asked to wait 1 s (HTTP 429); pausing requests" in app.status.getvalue()
    assert _text(app).count("Fake summary for") == OBJECTS
    assert app.warning.getvalue() == ""


def test_a_hung_server_is_given_up_with_status_lines(
    build: Any, fake_azure: FakeAzure
) -> None:
    fake_azure.script("hang", seconds=30)
    overrides = {
        **AZURE,
        "aidoc_request_timeout": 1,
        "aidoc_circuit_breaker": 2,
        "aidoc_concurrency": 1,
    }
    app = build("missing", "text", confoverrides=overrides)

    assert app.statuscode == 0
    status = app.status.getvalue()
    assert re.search(
        r"aidoc: waiting for Azure OpenAI: 0/11 done, 1 request\(s\) in flight", status
    ), status
    assert "2 requests in a row failed; not calling it again" in app.warning.getvalue()
    assert fake_azure.request_count == 2
    assert _outcomes(app) == ["timeout", "timeout"] + ["circuit_open"] * 10
    assert "Return the area, " in entry(_text(app), "get_area")


def test_the_provider_deadline_writes_the_rest_offline(
    build: Any, fake_azure: FakeAzure
) -> None:
    fake_azure.script("hang", seconds=30)
    overrides = {
        **AZURE,
        "aidoc_request_timeout": 20,
        "aidoc_provider_deadline": 1.5,
    }
    app = build("missing", "text", confoverrides=overrides)

    assert app.statuscode == 0
    assert re.search(
        r"aidoc_provider_deadline=1\.5 s passed; 11 object\(s\) left to the offline "
        r"fallback.*\[aidoc\.provider\]",
        app.warning.getvalue(),
    ), app.warning.getvalue()
    assert fake_azure.request_count == 2  # the two in flight, then nothing
    assert _outcomes(app).count("deadline") == OBJECTS
    assert _text(app).count("offline wording") == OBJECTS


# -- limits are limits ------------------------------------------------------------
def test_a_400_kb_default_value_never_makes_a_big_request(
    build: Any, fake_azure: FakeAzure, tmp_path: Path
) -> None:
    srcdir = tmp_path / "huge"
    shutil.copytree(ROOTS / "test-missing", srcdir)
    shapes = srcdir / "missing_pkg" / "shapes.py"
    huge = "x" * 400_000
    shapes.write_text(
        shapes.read_text(encoding="utf-8")
        + f"\n\ndef render(template: str = {huge!r}) -> str:\n"
        "    return template.upper()\n",
        encoding="utf-8",
    )
    app = build("missing", srcname="huge", confoverrides=AZURE)

    assert app.statuscode == 0
    assert fake_azure.request_count == OBJECTS + 1
    for body in fake_azure.received:
        prompt = sum(len(m["content"]) for m in body["messages"])
        assert prompt <= 3000 * 4, prompt  # aidoc_max_prompt_tokens = 3000
    assert "Fake summary for render." in _html(app)


def test_an_honest_server_never_takes_spend_past_the_budget(
    build: Any, fake_azure: FakeAzure
) -> None:
    overrides = {
        **AZURE,
        "aidoc_concurrency": 4,
        "aidoc_price_per_1k_input": 0.001,
        "aidoc_price_per_1k_output": 0.001,
        "aidoc_budget": 0.008,
    }
    app = build("missing", confoverrides=overrides)

    spent = next(_db(app).query("select sum(cost) s from calls"))["s"]
    assert 0 < spent <= 0.008
    assert 0 < fake_azure.request_count < OBJECTS
    assert "[aidoc.budget]" in app.warning.getvalue()


def test_a_server_billing_more_than_the_worst_case_is_stopped_at_once(
    build: Any, fake_azure: FakeAzure
) -> None:
    fake_azure.bill_factor = 50.0
    overrides = {
        **AZURE,
        "aidoc_concurrency": 4,
        "aidoc_price_per_1k_input": 0.001,
        "aidoc_price_per_1k_output": 0.001,
        "aidoc_budget": 0.01,
    }
    app = build("missing", confoverrides=overrides)

    assert app.statuscode == 0
    # The first request goes alone; its bill stops the rest.
    assert fake_azure.request_count == 1
    assert fake_azure.max_in_flight == 1
    costs = [r["cost"] for r in _db(app).query("select cost from calls")]
    # Over by at most the one request that revealed the over-billing.
    assert sum(costs) <= 0.01 + max(costs)
    assert re.search(
        r"the server billed [\d,]+ tokens for a request whose worst case was "
        r"[\d,]+; no more requests.*\[aidoc\.budget\]",
        app.warning.getvalue(),
    ), app.warning.getvalue()


# -- smaller items ------------------------------------------------------------------
def test_the_circuit_warning_counts_every_object_not_sent(
    build: Any, fake_azure: FakeAzure
) -> None:
    fake_azure.script("500")
    overrides = {
        **AZURE,
        "aidoc_concurrency": 1,
        "aidoc_circuit_breaker": 3,
        "aidoc_max_retries": 0,
    }
    app = build("missing", confoverrides=overrides)

    not_sent = _outcomes(app).count("circuit_open")
    assert not_sent == OBJECTS - 3
    assert f"({not_sent} object(s) of this batch not sent" in app.warning.getvalue()


def test_a_read_only_database_is_a_read_only_cache(
    build: Any, fake_azure: FakeAzure
) -> None:
    first = build("missing", srcname="ro", confoverrides=AZURE)
    db = first.srcdir / "_aidoc" / "aidoc.db"
    before = db.read_bytes()
    with read_only(db):
        second = build(
            "missing", "text", srcname="ro", confoverrides=AZURE, freshenv=True
        )
        assert second.statuscode == 0
        warnings = second.warning.getvalue()
        assert warnings.count("[aidoc.db]") == 1, warnings
        assert "using it as a read-only cache" in warnings
        assert fake_azure.request_count == OBJECTS  # all read from the cache
        assert _text(second).count("Fake summary for") == OBJECTS
    assert db.read_bytes() == before


class read_only:  # noqa: N801 (reads as a context)
    """Make a file unwritable; root writes 0444 files, so it uses chattr."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> None:
        import os

        if os.getuid() != 0:
            self.path.chmod(0o444)
            return
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: cannot make a file read-only")
        done = subprocess.run(
            ["chattr", "+i", str(self.path)], capture_output=True, check=False
        )
        if done.returncode:
            pytest.skip(f"chattr +i failed: {done.stderr.decode().strip()}")

    def __exit__(self, *exc: object) -> None:
        import os

        if os.getuid() == 0:
            subprocess.run(["chattr", "-i", str(self.path)], check=False)
        else:
            self.path.chmod(0o644)


def test_a_missing_key_for_one_build_is_no_changelog_noise(
    build: Any, fake_azure: FakeAzure, monkeypatch: pytest.MonkeyPatch
) -> None:
    build("missing", srcname="outage", confoverrides=AZURE)
    monkeypatch.delenv("AZURE_OPENAI_API_KEY")
    offline = build("missing", srcname="outage", confoverrides=AZURE, freshenv=True)
    assert "[aidoc.provider]" in offline.warning.getvalue()
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", fake_azure.api_key)
    again = build("missing", srcname="outage", confoverrides=AZURE, freshenv=True)

    kinds = [r["kind"] for r in _db(again).query("select kind from changes")]
    assert kinds == []
    writers = {
        r["writer"]
        for r in _db(again).query(
            "select distinct writer from objects where generated = 1"
        )
    }
    assert writers == {"azure/fake-gpt", "offline"}


def test_the_changelog_still_sees_a_regenerated_docstring_of_one_writer(
    build: Any, fake_azure: FakeAzure
) -> None:
    first = build("missing", srcname="regen", confoverrides=AZURE)
    _db(first).execute("delete from cache")  # as ``aidoc cache clear`` does
    fake_azure.script("hostile", qualname=AREA)  # other text, same writer
    app = build("missing", srcname="regen", confoverrides=AZURE, freshenv=True)

    kinds = {r["kind"] for r in _db(app).query("select kind from changes")}
    assert kinds == {"regenerated"}


def test_fault_rows_are_json_safe(build: Any, fake_azure: FakeAzure) -> None:
    fake_azure.script("html", qualname=AREA)
    app = build("missing", confoverrides=AZURE)
    rows = list(_db(app).query("select * from calls"))
    assert json.loads(json.dumps(rows))
    assert all(fake_azure.api_key not in json.dumps(r) for r in rows)
