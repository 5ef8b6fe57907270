"""An answer that restates the name or contradicts the facts is asked again once.

Through the real client and the fake Azure server: a restating first answer
is followed by one more request (saying why), and the good second answer is
shown and cached; two restating answers leave the offline text, an
``aidoc.rejected`` warning, and nothing in the cache.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from sqlite_utils import Database

from sphinxcontrib_aidoc.generate.review_answers import answer_problem
from sphinxcontrib_aidoc.model import Draft, ObjectInfo, Param, Returns, Yields
from tests.conftest import entry

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
AREA = "missing_pkg.shapes.get_area"
NOTE = "Your previous answer was rejected: the summary 'Get the area.'"


def restating(facts: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    return {**answer, "summary": "Get the area."}


def cached_summaries(app: Any) -> list[str]:
    db = Database(app.srcdir / "_aidoc" / "aidoc.db")
    return [r["draft_json"] for r in db.query("select draft_json from cache")]


def test_a_restating_answer_is_asked_again_once(build, fake_azure: FakeAzure):
    fake_azure.script("answer", qualname=AREA, times=1, edit=restating)

    app = build("missing", "text", confoverrides=AZURE)

    asked = fake_azure.requests_for(AREA)
    assert len(asked) == 2
    assert fake_azure.request_count == GENERATED + 1
    bodies = [
        b
        for b, r in zip(fake_azure.received, fake_azure.log, strict=True)
        if r.qualname == AREA
    ]
    assert NOTE not in bodies[0]["messages"][1]["content"]
    assert NOTE in bodies[1]["messages"][1]["content"]
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    area = entry(text, "get_area")
    assert "Fake summary for get_area." in area
    assert "Get the area." not in area
    assert "[aidoc.rejected]" not in app.warning.getvalue()
    cached = cached_summaries(app)
    assert len(cached) == GENERATED
    assert not any("Get the area." in row for row in cached)


def test_two_restating_answers_leave_the_offline_text(build, fake_azure: FakeAzure):
    fake_azure.script("answer", qualname=AREA, times=2, edit=restating)

    app = build("missing", "text", srcname="twice", confoverrides=AZURE)

    assert len(fake_azure.requests_for(AREA)) == 2
    area = entry((app.outdir / "index.txt").read_text(encoding="utf-8"), "get_area")
    assert "Return the area, " in area  # the offline fallback
    assert "Get the area." not in area
    warnings = app.warning.getvalue()
    assert re.search(
        r"shapes\.py:\d+: WARNING: the answers for missing_pkg\.shapes\.get_area "
        r"were rejected twice \(first: the summary 'Get the area\.' only restates "
        r"the name 'get_area'; then: .*\); using the offline text \[aidoc\.rejected\]",
        warnings,
    ), warnings
    cached = cached_summaries(app)
    assert len(cached) == GENERATED - 1
    assert not any("Get the area." in row for row in cached)

    # Nothing was cached for it: the next build asks again, for it alone.
    fake_azure.clear_script()
    before = fake_azure.request_count
    again = build(
        "missing", "text", srcname="twice", confoverrides=AZURE, freshenv=True
    )
    assert {r.qualname for r in fake_azure.log[before:]} == {AREA}
    area = entry((again.outdir / "index.txt").read_text(encoding="utf-8"), "get_area")
    assert "Fake summary for get_area." in area


FUNCTION = ObjectInfo(
    qualname="pkg.io.save_report",
    module="pkg.io",
    kind="function",
    file="pkg/io.py",
    lineno=3,
    params=(Param("report"), Param("path")),
    returns=Returns("None"),
)


@pytest.mark.parametrize(
    ("draft", "problem"),
    [
        (Draft("Save the report."), "only restates the name 'save_report'"),
        (Draft("Save reports."), "only restates the name"),
        (
            Draft("Write the report to disk. Returns the number of bytes."),
            "returns a value, but it returns nothing",
        ),
        (Draft("Yield each line of the report."), "yields, but it is not a generator"),
        (
            Draft("Write the report to disk.", "Honours the `mode` parameter."),
            "names a parameter 'mode'",
        ),
        (
            Draft(
                "Write the report to disk.",
                params=(("path", "Where to write; see the 'encoding' param."),),
            ),
            "names a parameter 'encoding'",
        ),
        (Draft("Write the report as JSON to the file at *path*."), ""),
        (Draft("Write the report to disk.", "Returns None when done."), ""),
        (
            Draft("Write the report to disk.", "The `path` parameter may be relative."),
            "",
        ),
        (Draft("Write the report to disk, passing the timeout argument on."), ""),
    ],
)
def test_answer_problem(draft: Draft, problem: str) -> None:
    found = answer_problem(FUNCTION, draft)

    assert (problem in found) if problem else found == ""
    assert bool(found) == bool(problem)


def test_generators_may_yield_and_values_may_be_returned() -> None:
    generator = ObjectInfo(
        qualname="pkg.io.iter_lines",
        module="pkg.io",
        kind="function",
        file="pkg/io.py",
        lineno=9,
        yields=Yields("str"),
    )
    getter = ObjectInfo(
        qualname="pkg.io.line_count",
        module="pkg.io",
        kind="function",
        file="pkg/io.py",
        lineno=12,
        returns=Returns("int"),
    )

    assert answer_problem(generator, Draft("Yield the lines of the file.")) == ""
    assert answer_problem(getter, Draft("Return how many lines were read.")) == ""
