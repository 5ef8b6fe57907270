"""Every warning subtype: a build that triggers it, and one that silences it.

Users silence aidoc's warnings per subtype with
``suppress_warnings = ["aidoc.<subtype>"]``; each case below builds a real
project twice, once to see the warning and once with it suppressed, and
checks the build still produced the page.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest

from sphinxcontrib_aidoc.diagnostics import SUBTYPES

if TYPE_CHECKING:
    from tests.fake_azure import FakeAzure

pytest_plugins = ("tests.fake_azure",)

AZURE = {"aidoc_provider": "auto", "aidoc_max_retries": 0}


def _invisible(facts: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    return {**answer, "summary": "Fake \u202esummary with a bidi override."}


def _restating(facts: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    return {**answer, "summary": "Get the area."}


#: Options of the server faults the cases use.
FAULT_OPTIONS: dict[str, dict[str, Any]] = {
    "429": {"retry_after": 0},
    "invisible": {"edit": _invisible},
    "restating": {"edit": _restating, "qualname": "missing_pkg.shapes.get_area"},
}

#: subtype -> (test root, config overrides, server fault or None)
CASES: dict[str, tuple[str, dict[str, object], str | None]] = {
    "config": ("missing", {"aidoc_style": "markdown"}, None),
    "parse": ("broken-source", {}, None),
    "infer": ("warnings", {"aidoc_infer_timeout": 0.01}, None),
    "provider": ("missing", AZURE, "500"),
    "throttle": ("missing", {**AZURE, "aidoc_circuit_breaker": 50}, "429"),
    "budget": ("missing", {**AZURE, "aidoc_max_tokens_per_build": 1}, None),
    "batch": ("missing", {**AZURE, "aidoc_batch_threshold": 1}, None),
    "sanitize": ("missing", AZURE, "invisible"),
    "rejected": ("missing", AZURE, "restating"),
    "directive": ("warnings", {}, None),
    "quality": ("missing", {"aidoc_fail_under": 100}, None),
}
#: Subtypes triggered in other test modules (a broken database file).
ELSEWHERE = {"cache": "test_sphinx_robust", "db": "test_sphinx_robust"}


def test_every_subtype_has_a_case():
    assert set(CASES) | set(ELSEWHERE) == set(SUBTYPES)


@pytest.mark.parametrize("subtype", sorted(CASES))
def test_subtype_is_reported_and_can_be_suppressed(
    build, subtype, fake_azure: FakeAzure
):
    root, overrides, fault = CASES[subtype]
    if fault is not None:
        options = FAULT_OPTIONS.get(fault, {})
        fake_azure.script("answer" if "edit" in options else fault, **options)
    loud = build(root, "text", srcname="loud", confoverrides=overrides)
    assert re.search(rf"\[aidoc\.{subtype}\]", loud.warning.getvalue()), (
        loud.warning.getvalue()
    )
    quiet = build(
        root,
        "text",
        srcname="quiet",
        freshenv=True,
        confoverrides={**overrides, "suppress_warnings": [f"aidoc.{subtype}"]},
    )
    assert f"[aidoc.{subtype}]" not in quiet.warning.getvalue()
    assert (quiet.outdir / "index.txt").is_file()
