"""The request carries what a reader would look at, within the token budget.

Docstrings of the module, the class and the project functions the body
calls, and real call sites from the project and its tests
(``generate/context.py``); checked on what the fake Azure server receives,
and on ``build_messages`` when the budget is short.
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze import analyze_file
from sphinxcontrib_aidoc.generate.context import CONTEXT_MARKER, AskAgain
from sphinxcontrib_aidoc.generate.prompt import (
    PromptTooLarge,
    build_messages,
    prompt_tokens,
)
from tests.conftest import ROOTS

if TYPE_CHECKING:
    from pathlib import Path

    from sphinxcontrib_aidoc.model import ObjectInfo
    from tests.fake_azure import FakeAzure

pytest_plugins = ("tests.fake_azure",)

# One object a request: these tests follow what happens to each request.
AZURE = {
    "aidoc_provider": "auto",
    "aidoc_max_retries": 0,
    "aidoc_objects_per_request": 1,
}


def user_message(fake: FakeAzure, qualname: str) -> str:
    bodies = [
        body
        for body, seen in zip(fake.received, fake.log, strict=True)
        if seen.qualname == qualname
    ]
    assert len(bodies) == 1
    return str(bodies[0]["messages"][1]["content"])


def test_the_request_carries_docstrings_and_call_sites(build, fake_azure: FakeAzure):
    build("context", "text", confoverrides=AZURE)

    method = user_message(fake_azure, "ctx_pkg.geometry.Grid.cell_area")
    context = method.split(CONTEXT_MARKER, 1)[1]
    assert "- Module ctx_pkg.geometry: Plane geometry on square grids." in context
    assert "- Class ctx_pkg.geometry.Grid: A square grid of cells" in context
    assert "- It calls ctx_pkg.geometry.square: Multiply *x* by itself." in context
    assert "return grid.cell_area() * count" in context
    function = user_message(fake_azure, "ctx_pkg.geometry.total_area")
    assert (
        "- Called in tests/test_geometry.py:5: assert total_area(Grid(2), 3) == 12"
        in function
    )
    assert "Class ctx_pkg" not in function  # a function has no class


def _infos(tmp_path: Path) -> dict[str, ObjectInfo]:
    root = tmp_path / "context"
    shutil.copytree(ROOTS / "test-context", root)
    path = root / "ctx_pkg" / "geometry.py"
    return {i.qualname: i for i in analyze_file(path, module="ctx_pkg.geometry")}


def test_context_is_dropped_first_when_the_budget_is_short(tmp_path: Path):
    info = _infos(tmp_path)["ctx_pkg.geometry.Grid.cell_area"]
    seen: set[str] = set()

    for budget in range(300, 1200, 5):
        try:
            messages = build_messages(info, max_prompt_tokens=budget)
        except PromptTooLarge:  # below the instructions and facts alone
            continue
        user = messages[1]["content"]
        assert prompt_tokens(messages) <= budget
        has_source = "return square(self.size)" in user
        lines = [line for line in user.splitlines() if line.startswith("- ")]
        if CONTEXT_MARKER in user:
            assert has_source  # the source is never cut for the context
        seen.add(f"{has_source}/{len(lines)}")

    # Short budgets: facts and source, no context; then items come whole,
    # in order, as the budget grows; with room, all four.
    assert {"True/0", "True/1", "True/2", "True/3", "True/4"} <= seen


def test_a_second_request_says_why_the_first_answer_was_rejected(tmp_path: Path):
    info = _infos(tmp_path)["ctx_pkg.geometry.total_area"]
    again = AskAgain.of(info, "the summary 'Total area.' only restates the name")

    first = build_messages(info, max_prompt_tokens=3000)[1]["content"]
    second = build_messages(again, max_prompt_tokens=420)[1]["content"]

    assert "rejected" not in first
    assert (
        "Your previous answer was rejected: the summary 'Total area.' only "
        "restates the name." in second
    )
    assert CONTEXT_MARKER not in second  # no room for it, but the note is there


def _has_source(info: ObjectInfo, budget: int) -> bool:
    try:
        messages = build_messages(info, max_prompt_tokens=budget)
    except PromptTooLarge:
        return False
    return "return square(self.size)" in messages[1]["content"]


def test_a_build_over_budget_sends_the_source_without_the_context(
    build, fake_azure: FakeAzure, tmp_path: Path
):
    info = _infos(tmp_path)["ctx_pkg.geometry.Grid.cell_area"]
    budget = next(b for b in range(300, 3000, 5) if _has_source(info, b))
    assert (
        CONTEXT_MARKER
        not in build_messages(info, max_prompt_tokens=budget)[1]["content"]
    )

    build("context", "text", confoverrides={**AZURE, "aidoc_max_prompt_tokens": budget})

    method = user_message(fake_azure, "ctx_pkg.geometry.Grid.cell_area")
    assert "return square(self.size)" in method
    assert CONTEXT_MARKER not in method
