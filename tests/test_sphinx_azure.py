"""Sphinx builds that write prose with Azure OpenAI (the fake server).

The real ``openai`` client talks HTTP to ``tests/fake_azure.py`` on
127.0.0.1; faults are scripted on the server, never mocked in the client.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlite_utils import Database

from tests.conftest import entry

if TYPE_CHECKING:
    from tests.fake_azure import FakeAzure

pytest_plugins = ("tests.fake_azure",)

GENERATED = 11  # undocumented public objects of tests/roots/test-missing
# One object a request: these tests follow what happens to each request.
AZURE = {
    "aidoc_provider": "auto",
    "aidoc_max_retries": 1,
    "aidoc_objects_per_request": 1,
}


def _text(app) -> str:
    return (app.outdir / "index.txt").read_text(encoding="utf-8")


def _db(app) -> Database:
    return Database(app.srcdir / "_aidoc" / "aidoc.db")


def test_azure_writes_the_prose_and_types_come_from_analysis(
    build, fake_azure: FakeAzure
):
    app = build("missing", "text", confoverrides=AZURE)
    status = app.status.getvalue()
    assert "aidoc: using Azure OpenAI deployment 'fake-gpt'" in status
    assert re.search(r"aidoc: 11 generated, 0 from cache, 0 failed", status)
    area = entry(_text(app), "get_area")
    assert "Fake summary for get_area." in area
    assert "**height** (*float*) -- Fake description of height." in area
    assert "with azure (fake-gpt)" in area
    assert fake_azure.request_count == GENERATED
    db = _db(app)
    build_row = next(db.query("select llm_calls, tokens_in, generated from builds"))
    assert build_row["llm_calls"] == GENERATED
    assert build_row["tokens_in"] > 0
    assert build_row["generated"] == GENERATED
    outcomes = [r["outcome"] for r in db.query("select outcome from calls")]
    assert outcomes == ["ok"] * GENERATED


def test_the_api_key_never_reaches_the_database_logs_or_site(
    build, fake_azure: FakeAzure
):
    fake_azure.script("500", qualname="missing_pkg.shapes.label")
    app = build("missing", confoverrides=AZURE)
    key = fake_azure.api_key.encode()
    assert key not in (app.srcdir / "_aidoc" / "aidoc.db").read_bytes()
    for path in app.outdir.rglob("*"):
        if path.is_file():
            assert key not in path.read_bytes(), path
    assert fake_azure.api_key not in app.status.getvalue()
    assert fake_azure.api_key not in app.warning.getvalue()


def test_a_failing_object_falls_back_offline_and_only_it_is_retried(
    build, fake_azure: FakeAzure
):
    fake_azure.script("500", qualname="missing_pkg.shapes.get_area")
    first = build("missing", "text", srcname="retry", confoverrides=AZURE)
    warnings = first.warning.getvalue()
    assert re.search(
        r"no prose for missing_pkg\.shapes\.get_area.*\[aidoc\.provider\]", warnings
    ), warnings
    area = entry(_text(first), "get_area")
    assert "Return the area, " in area  # the offline fallback
    assert "offline wording" in area
    assert "Fake summary for is_square." in _text(first)

    fake_azure.clear_script()
    before = fake_azure.request_count
    second = build(
        "missing", "text", srcname="retry", confoverrides=AZURE, freshenv=True
    )
    asked = {r.qualname for r in fake_azure.log[before:]}
    assert asked == {"missing_pkg.shapes.get_area"}
    assert "Fake summary for get_area." in entry(_text(second), "get_area")

    third_before = fake_azure.request_count
    build("missing", "text", srcname="retry", confoverrides=AZURE, freshenv=True)
    assert fake_azure.request_count == third_before  # nothing left to ask


def test_hostile_answers_never_become_live_markup(build, fake_azure: FakeAzure):
    fake_azure.script("hostile")
    app = build("missing", confoverrides=AZURE)
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "onerror=alert" not in html or "&lt;img" in html
    assert "Injected Section</h" not in html
    assert "<strong>evil</strong>" not in html  # no injected parameter field
    assert "root:x:0:0" not in html  # nothing was included from the disk
    assert "<b>bold</b>" not in html
    assert 'href="javascript:' not in html
    # The page is still well-formed: every entry is there.
    assert html.count('class="aidoc-generated docutils container"') == GENERATED


def test_a_budget_stops_calls_and_the_rest_is_written_offline(
    build, fake_azure: FakeAzure
):
    overrides = {
        **AZURE,
        "aidoc_concurrency": 1,
        "aidoc_price_per_1k_input": 1.0,
        "aidoc_price_per_1k_output": 1.0,
        "aidoc_budget": 5.0,
    }
    app = build("missing", "text", confoverrides=overrides)
    warnings = app.warning.getvalue()
    assert re.search(
        r"budget.*object\(s\) left to the offline fallback.*"
        r"\[aidoc\.budget\]",
        warnings,
    ), warnings
    assert 0 < fake_azure.request_count < GENERATED
    text = _text(app)
    assert text.count("Fake summary for") == fake_azure.request_count
    cost = next(_db(app).query("select cost from builds"))["cost"]
    assert 0 < cost <= 5.0


def test_a_circuit_breaker_stops_a_dead_service(build, fake_azure: FakeAzure):
    fake_azure.script("500")
    overrides = {
        **AZURE,
        "aidoc_concurrency": 1,
        "aidoc_circuit_breaker": 3,
        "aidoc_max_retries": 0,
    }
    app = build("missing", "text", confoverrides=overrides)
    assert fake_azure.request_count == 3
    assert "not calling it again in this build" in app.warning.getvalue()
    assert "Return the area, " in _text(app)


def test_cli_generate_with_azure_records_calls(fake_azure: FakeAzure, tmp_path, capsys):
    import json

    from sphinxcontrib_aidoc.cli import main
    from tests.conftest import ROOTS

    db = tmp_path / "cli.db"
    shapes = ROOTS / "test-missing" / "missing_pkg" / "shapes.py"
    assert main(["generate", str(shapes), "--json", "--db", str(db)]) == 0
    captured = capsys.readouterr()
    records = [json.loads(line) for line in captured.out.splitlines()]
    assert {r["source"] for r in records} == {"llm"}
    assert "aidoc: using Azure OpenAI deployment 'fake-gpt'" in captured.err
    assert "11 generated, 0 from cache" in captured.err
    calls = list(Database(db).query("select outcome from calls"))
    assert len(calls) == GENERATED  # one row per object
    # By default small objects of one module share a request; each is asked once.
    requests = fake_azure.request_count
    assert requests < GENERATED
    assert sorted(fake_azure.asked) == sorted(r["qualname"] for r in records)
    main(["generate", str(shapes), "--json", "--db", str(db)])
    assert fake_azure.request_count == requests  # the rerun is all cache


def test_another_style_asks_nothing_again_and_changed_code_asks_once(
    build, fake_azure: FakeAzure
):
    # The answer is prose only (the style is applied when it is rendered),
    # so the style is no part of the cache key; the code is.
    build("missing", "text", srcname="styles", confoverrides=AZURE)
    assert fake_azure.request_count == GENERATED

    numpy = {**AZURE, "aidoc_style": "numpy"}
    app = build("missing", "text", srcname="styles", confoverrides=numpy)
    assert fake_azure.request_count == GENERATED
    assert "aidoc: 0 generated, 11 from cache, 0 failed" in app.status.getvalue()
    area = entry(_text(app), "get_area")
    assert "Fake summary for get_area." in area
    assert "**height** (*float*) -- Fake description of height." in area

    shapes = app.srcdir / "missing_pkg" / "shapes.py"
    source = shapes.read_text(encoding="utf-8")
    assert "    return float(width) * height\n" in source
    shapes.write_text(
        source.replace("return float(width) * height", "return height * float(width)"),
        encoding="utf-8",
    )
    rest = {**AZURE, "aidoc_style": "rest"}
    app = build("missing", "text", srcname="styles", confoverrides=rest)
    assert fake_azure.request_count == GENERATED + 1
    assert "aidoc: 1 generated, 10 from cache, 0 failed" in app.status.getvalue()
