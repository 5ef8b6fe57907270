"""Prompt building, answer parsing, rate pacing and the build budget."""

from __future__ import annotations

import asyncio
import json

import pytest

from sphinxcontrib_aidoc.generate.limits import ARRIVAL_S, BuildBudget, RateLimiter
from sphinxcontrib_aidoc.generate.prompt import (
    FACTS_MARKER,
    InvalidAnswer,
    PromptTooLarge,
    build_messages,
    cut_source,
    parse_answer,
    prompt_tokens,
)
from sphinxcontrib_aidoc.model import ObjectInfo, Param, Returns, Yields

LONG_SOURCE = "\n".join(
    [
        "@cached",
        "def resize(",
        "    image: Image,",
        "    width: int = 100,",
        ") -> Image:",
        *[f"    step_{i} = compute_something_long(image, {i})" for i in range(200)],
        "    if width <= 0:",
        "        raise ValueError('width must be positive')",
        *[f"    more_{i} = other_work(step_{i})" for i in range(200)],
        "    return image.scaled(width)",
    ]
)


def resize(source: str = LONG_SOURCE, **extra: object) -> ObjectInfo:
    fields: dict[str, object] = {
        "qualname": "pkg.img.resize",
        "module": "pkg.img",
        "kind": "function",
        "file": "pkg/img.py",
        "lineno": 1,
        "signature": "(image: Image, width: int = 100) -> Image",
        "params": (
            Param("image", type="Image"),
            Param("width", type="int", default="100"),
        ),
        "returns": Returns("Image"),
        "raises": ("ValueError", "pkg.errors.ImageError"),
        "decorators": ("cached",),
        "calls": ("compute_something_long", "other_work"),
        "source": source,
    }
    fields.update(extra)
    return ObjectInfo(**fields)  # type: ignore[arg-type]


def facts_in(messages: list[dict[str, str]]) -> dict[str, object]:
    user = messages[-1]["content"]
    facts: dict[str, object] = json.loads(
        user.split(FACTS_MARKER, 1)[1].strip().splitlines()[0]
    )
    return facts


# -- build_messages -----------------------------------------------------------
def test_messages_carry_the_analysed_facts() -> None:
    messages = build_messages(resize(), max_prompt_tokens=3000)

    assert [m["role"] for m in messages] == ["system", "user"]
    facts = facts_in(messages)
    assert facts["qualname"] == "pkg.img.resize"
    assert facts["params"] == [
        {
            "name": "image",
            "kind": "positional_or_keyword",
            "type": "Image",
            "default": None,
        },
        {
            "name": "width",
            "kind": "positional_or_keyword",
            "type": "int",
            "default": "100",
        },
    ]
    assert facts["returns"] == "Image"
    assert facts["raises"] == ["ValueError", "pkg.errors.ImageError"]
    assert facts["decorators"] == ["cached"]
    assert facts["calls"] == ["compute_something_long", "other_work"]


@pytest.mark.parametrize("budget", [600, 900, 2000])
def test_long_source_is_cut_to_the_token_budget(budget: int) -> None:
    messages = build_messages(resize(), max_prompt_tokens=budget)
    user = messages[-1]["content"]

    assert prompt_tokens(messages) <= budget
    assert "def resize(\n    image: Image,\n    width: int = 100,\n) -> Image:" in user
    assert "@cached" in user
    if budget >= 900:
        assert "raise ValueError('width must be positive')" in user
        assert "return image.scaled(width)" in user
        assert "if width <= 0:" in user
        assert "    ..." in user


def test_facts_are_sent_before_the_source_when_room_is_short() -> None:
    messages = build_messages(resize(), max_prompt_tokens=390)

    facts = facts_in(messages)
    assert facts["params"]
    assert "Source:" not in messages[-1]["content"]
    assert prompt_tokens(messages) <= 390


def test_no_request_is_built_when_even_the_facts_do_not_fit() -> None:
    with pytest.raises(PromptTooLarge, match="need about"):
        build_messages(resize(), max_prompt_tokens=200)


@pytest.mark.parametrize("budget", [600, 3000])
def test_a_huge_default_value_never_makes_a_huge_prompt(budget: int) -> None:
    huge = resize(
        signature=f"(image: Image, width: str = {'x' * 400_000!r}) -> Image",
        params=(Param("image", type="Image"), Param("width", default="'x'" * 130_000)),
        source="def resize(image, width='" + "x" * 400_000 + "'):\n    return image\n",
        decorators=("cached(" + "y" * 50_000 + ")",),
    )
    messages = build_messages(huge, max_prompt_tokens=budget)

    assert prompt_tokens(messages) <= budget
    facts = facts_in(messages)
    assert facts["qualname"] == "pkg.img.resize"
    assert len(str(facts["params"])) < 1_000


def test_short_source_is_sent_whole() -> None:
    source = "def f(x):\n    return x\n"

    assert cut_source(source, 1000) == source


# -- parse_answer -------------------------------------------------------------
def answer(**changes: object) -> str:
    data: dict[str, object] = {
        "summary": "Resize an image.",
        "description": "Keeps the aspect ratio.",
        "params": [
            {"name": "width", "description": "New width."},
            {"name": "image", "description": "The image."},
        ],
        "returns": "The resized image.",
        "yields": "",
        "raises": [
            {"name": "ValueError", "condition": "If width is not positive."},
            {"name": "ImageError", "condition": "If decoding fails."},
            {"name": "KeyError", "condition": "Invented by the model."},
        ],
    }
    data.update(changes)
    return json.dumps(data)


def test_a_valid_answer_becomes_a_draft() -> None:
    draft = parse_answer(answer(), resize(), provider="azure", model="gpt")

    assert draft.summary == "Resize an image."
    assert draft.params == (("image", "The image."), ("width", "New width."))
    # Exceptions analysis did not find are dropped; short names are matched.
    assert draft.raises == (
        ("ValueError", "If width is not positive."),
        ("pkg.errors.ImageError", "If decoding fails."),
    )
    assert (draft.source, draft.provider, draft.model) == ("llm", "azure", "gpt")


def test_yields_are_kept_for_generators_only() -> None:
    assert parse_answer(answer(yields="Rows."), resize()).yields == ""
    generator = resize(returns=None, yields=Yields("Row"))
    assert parse_answer(answer(yields="Rows."), generator).yields == "Rows."


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty answer"),
        ("Sure! Here is the docstring.", "not JSON"),
        ("[1, 2]", "expected an object"),
        (json.dumps({"summary": "x"}), "description: Field required"),
        (answer(extra="field"), "extra: Extra inputs are not permitted"),
        (answer(summary=3), "summary: Input should be a valid string"),
        (answer(summary=["a"]), "summary: Input should be a valid string"),
        (answer(params=[{"name": "image"}]), r"params\.0\.description: Field req"),
        (answer(raises="ValueError"), "raises: Input should be a valid list"),
        (answer(returns=None), "returns: Input should be a valid string"),
        (answer(summary="   "), "empty summary"),
        (
            answer(params=[{"name": "height", "description": "Invented."}]),
            "parameters not in the signature: height",
        ),
        (answer(description="x" * 30_000), "too long"),
    ],
)
def test_unusable_answers_are_rejected(text: str, reason: str) -> None:
    with pytest.raises(InvalidAnswer, match=reason):
        parse_answer(text, resize())


# -- RateLimiter --------------------------------------------------------------
class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_requests_are_spaced_evenly() -> None:
    clock = Clock()
    limiter = RateLimiter(requests_per_minute=60, clock=clock, sleep=clock.sleep)

    assert limiter.try_acquire() == 0
    assert limiter.try_acquire() == pytest.approx(1.02)
    clock.now += 1.5  # a late wake-up: the next slot counts from now
    assert limiter.try_acquire() == 0
    assert limiter.try_acquire() == pytest.approx(1.02)


def test_acquire_waits_for_the_slot() -> None:
    clock = Clock()
    limiter = RateLimiter(requests_per_minute=120, clock=clock, sleep=clock.sleep)

    async def three() -> list[float]:
        return [await limiter.acquire() for _ in range(3)]

    assert asyncio.run(three()) == pytest.approx([0.0, 0.51, 0.51])
    assert limiter.waited == pytest.approx(1.02)


def test_tokens_booked_stay_booked_for_the_window() -> None:
    # 6,000 tokens a minute: 1,000 per 10 s window, less the 2 % margin.
    clock = Clock()
    limiter = RateLimiter(tokens_per_minute=6000, clock=clock, sleep=clock.sleep)

    assert asyncio.run(limiter.acquire(500)) == 0
    assert asyncio.run(limiter.acquire(480)) == 0
    assert limiter.try_acquire(100) == pytest.approx(10.0)  # the window is full
    clock.now += 4.0
    assert limiter.try_acquire(100) == pytest.approx(6.0)  # nothing given back


def test_tokens_of_a_request_stay_booked_a_window_after_it_was_surely_admitted() -> (
    None
):
    # The server admits a request when it arrives, which may be later than
    # it was let out: by its answer, or ARRIVAL_S after it was let out.
    clock = Clock()
    limiter = RateLimiter(tokens_per_minute=6000, clock=clock, sleep=clock.sleep)

    quick = asyncio.run(limiter.book(500))
    clock.now += 0.5
    limiter.end(quick)  # answered after 0.5 s: admitted by then
    assert limiter.try_acquire(500) == pytest.approx(10.0)
    clock.now += 10.0
    asyncio.run(limiter.book(900))  # never answered
    assert limiter.try_acquire(100) == pytest.approx(ARRIVAL_S + 10.0)
    clock.now += ARRIVAL_S + 10.0
    clock.now += ARRIVAL_S
    assert limiter.try_acquire(100) == 0


def test_a_pause_holds_back_every_caller() -> None:
    clock = Clock()
    limiter = RateLimiter(requests_per_minute=600, clock=clock, sleep=clock.sleep)
    limiter.pause(2.0)

    assert limiter.try_acquire() == pytest.approx(2.0)


# -- BuildBudget --------------------------------------------------------------
def test_budget_counts_calls_in_flight_and_stops_for_good() -> None:
    budget = BuildBudget(max_tokens=1000)

    first = budget.reserve(300, 100)
    second = budget.reserve(300, 100)
    assert first is not None
    assert second is not None
    assert budget.reserve(300, 100) is None  # 1,200 > 1,000 with both in flight
    assert "max_tokens_per_build=1,000" in budget.exhausted
    budget.settle(first, 100, 10)
    assert budget.reserve(10, 10) is None  # stays stopped
    assert budget.tokens_used == 110


def test_cost_budget_uses_the_prices() -> None:
    budget = BuildBudget(max_cost=0.01, price_per_1k_input=1.0, price_per_1k_output=2.0)

    assert budget.cost(1000, 500) == pytest.approx(2.0)
    reservation = budget.reserve(4, 2)
    assert reservation is not None
    assert budget.settle(reservation, 4, 2) == pytest.approx(0.008)
    assert budget.reserve(4, 2) is None
    assert "budget=0.01" in budget.exhausted


# -- the answer schema and the budget guarantee -------------------------------
def test_the_requested_schema_is_strict_everywhere() -> None:
    from sphinxcontrib_aidoc.generate.answer import response_format

    schema = response_format()["json_schema"]
    assert schema["strict"] is True

    def objects(node: object) -> list[dict[str, object]]:
        found = []
        if isinstance(node, dict):
            if node.get("type") == "object":
                found.append(node)
            for value in node.values():
                found.extend(objects(value))
        elif isinstance(node, list):
            for value in node:
                found.extend(objects(value))
        return found

    shapes = objects(schema["schema"])
    assert len(shapes) == 4  # the answers, one answer, a parameter, an exception
    for shape in shapes:
        assert shape["additionalProperties"] is False
        assert sorted(shape["required"]) == sorted(shape["properties"])


def test_a_bill_above_the_worst_case_stops_the_budget() -> None:
    budget = BuildBudget(max_cost=1.0, price_per_1k_input=1.0, price_per_1k_output=1.0)
    first = budget.reserve(100, 100)
    second = budget.reserve(100, 100)
    assert first is not None and second is not None
    budget.settle(first, 150, 100)  # billed more than the worst case
    assert "worst case was 200" in budget.exhausted
    assert budget.reserve(1, 1) is None
    budget.settle(second, 100, 100)
    assert budget.cost_used == pytest.approx(0.45)


def test_an_honest_bill_keeps_the_budget_going() -> None:
    budget = BuildBudget(max_cost=1.0, price_per_1k_input=1.0, price_per_1k_output=1.0)
    reservation = budget.reserve(100, 100)
    assert reservation is not None
    budget.settle(reservation, 80, 20)
    assert budget.exhausted == ""
    assert budget.reserve(400, 400) is not None
