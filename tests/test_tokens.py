"""Tokens: sized completion limits, Azure-like pacing, several objects a request.

Real parts: the openai client over HTTP to the fake Azure server (which
counts tokens as Azure admits requests), real SQLite caches.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from sphinxcontrib_aidoc.config import AidocConfig
from sphinxcontrib_aidoc.diagnostics import ListReporter
from sphinxcontrib_aidoc.generate import Generator, cache_key
from sphinxcontrib_aidoc.generate.limits import RateLimiter
from sphinxcontrib_aidoc.generate.prompt import MAX_COMPLETION_TOKENS
from sphinxcontrib_aidoc.generate.select import select_provider
from sphinxcontrib_aidoc.generate.sizing import FLOOR, completion_tokens, packs
from sphinxcontrib_aidoc.model import ObjectInfo, Param, Returns, Yields
from sphinxcontrib_aidoc.store import Store

if TYPE_CHECKING:
    from tests.fake_azure import FakeAzure

pytest_plugins = ("tests.fake_azure",)


def obj(
    name: str,
    *,
    params: int = 2,
    raises: int = 1,
    module: str = "pkg.mod",
    generator: bool = False,
) -> ObjectInfo:
    names = [f"arg{i}" for i in range(params)]
    return ObjectInfo(
        qualname=f"{module}.{name}",
        module=module,
        kind="function",
        file="pkg/mod.py",
        lineno=1,
        signature=f"({', '.join(names)})",
        params=tuple(Param(n, type="int") for n in names),
        returns=None if generator else Returns("int"),
        yields=Yields("int") if generator else None,
        raises=tuple(f"Error{i}" for i in range(raises)),
        source_hash=name,
        source=f"def {name}({', '.join(names)}):\n    return 1\n",
    )


def run(fake: FakeAzure, infos: list[ObjectInfo], **settings: Any) -> Any:
    reporter = ListReporter()
    config = AidocConfig.from_mapping({"provider": "azure", **settings})
    env = {
        "AZURE_OPENAI_ENDPOINT": fake.endpoint,
        "AZURE_OPENAI_API_KEY": fake.api_key,
        "AZURE_OPENAI_DEPLOYMENT": fake.deployment,
    }
    limiter = settings.pop("_limiter", None)
    options = {"limiter": limiter} if limiter is not None else {}
    provider = select_provider(config, reporter, environ=env, **options)
    generator = Generator(provider=provider, reporter=reporter)
    return generator.drafts(infos), reporter, provider


# -- sizing -------------------------------------------------------------------
def test_the_completion_limit_grows_with_what_the_answer_must_hold() -> None:
    small = completion_tokens(obj("f", params=0, raises=0))
    two = completion_tokens(obj("f", params=2, raises=1))
    many = completion_tokens(obj("f", params=40, raises=10))

    assert FLOOR <= small < two < many
    assert two < MAX_COMPLETION_TOKENS / 2  # a small function does not ask 800
    assert many == MAX_COMPLETION_TOKENS  # never more than the old fixed limit


def test_requests_ask_for_the_sized_limit(fake_azure: FakeAzure) -> None:
    infos = [obj("tiny", params=0, raises=0), obj("wide", params=12, raises=3)]
    run(fake_azure, infos)

    asked = {
        r.qualname: body["max_completion_tokens"]
        for r, body in zip(fake_azure.log, fake_azure.received, strict=True)
    }
    assert asked == {i.qualname: completion_tokens(i) for i in infos}


def test_an_answer_cut_at_the_limit_is_asked_once_more_with_more_room(
    fake_azure: FakeAzure,
) -> None:
    fake_azure.script("length", times=1)
    info = obj("cut")

    drafts, reporter, provider = run(fake_azure, [info])

    assert drafts[info.qualname].summary == "Fake summary for cut."
    limits = [b["max_completion_tokens"] for b in fake_azure.received]
    assert limits == [completion_tokens(info), 2 * completion_tokens(info)]
    assert provider.usage.length_retries == 1
    assert reporter.diagnostics == []


# -- pacing -------------------------------------------------------------------
def test_pacing_by_azure_arithmetic_causes_no_429(fake_azure: FakeAzure) -> None:
    # 600,000 tokens a minute is 10,000 in a 1 s window (server and pacer);
    # 30 requests of about 650 admitted tokens need two windows.
    fake_azure.token_limit(600_000, window_s=1)
    infos = [obj(f"f{i:02d}") for i in range(30)]
    limiter = RateLimiter(tokens_per_minute=600_000, window_s=1)

    drafts, _, provider = run(fake_azure, infos, concurrency=8, _limiter=limiter)

    assert len(drafts) == 30
    assert fake_azure.counts["429"] == 0
    assert fake_azure.admitted_tokens > 10_000  # the pacer had to hold back
    assert provider.usage.tokens_admitted == pytest.approx(
        fake_azure.admitted_tokens, rel=0.02
    )


def test_without_token_pacing_the_same_run_is_throttled(fake_azure: FakeAzure) -> None:
    # 10,000 tokens per 10 s window, and about 19,500 sent at once.
    fake_azure.token_limit(60_000, window_s=10)
    infos = [obj(f"f{i:02d}") for i in range(30)]

    run(fake_azure, infos, concurrency=8, max_retries=0, circuit_breaker=100)

    assert fake_azure.counts["429"] > 0


# -- several objects a request --------------------------------------------------
def test_small_objects_of_a_module_share_a_request_and_one_bad_answer_falls_alone(
    fake_azure: FakeAzure, tmp_path: Path
) -> None:
    infos = [obj(f"f{i}") for i in range(4)]
    fake_azure.script("unknown_param", qualname="pkg.mod.f2", times=1)
    reporter = ListReporter()
    config = AidocConfig.from_mapping({"provider": "azure", "objects_per_request": 4})
    env = {
        "AZURE_OPENAI_ENDPOINT": fake_azure.endpoint,
        "AZURE_OPENAI_API_KEY": fake_azure.api_key,
        "AZURE_OPENAI_DEPLOYMENT": fake_azure.deployment,
    }
    provider = select_provider(config, reporter, environ=env)
    with Store.open(tmp_path / "aidoc.db") as store:
        drafts = Generator(provider=provider, reporter=reporter, cache=store).drafts(
            infos
        )
        keys = [cache_key(i, provider="azure", model="fake-gpt") for i in infos]
        cached = store.cache_get_many(keys)

    assert [r.qualnames for r in fake_azure.log] == [
        ("pkg.mod.f0", "pkg.mod.f1", "pkg.mod.f2", "pkg.mod.f3"),
        ("pkg.mod.f2",),  # its entry invented a parameter: asked alone
    ]
    assert {q: d.summary for q, d in drafts.items()} == {
        f"pkg.mod.f{i}": f"Fake summary for f{i}." for i in range(4)
    }
    assert len(cached) == 4  # one cache entry per object
    assert provider.usage.unpacked == 1
    assert reporter.diagnostics == []


def test_a_pack_that_fails_as_a_whole_is_asked_object_by_object(
    fake_azure: FakeAzure,
) -> None:
    infos = [obj(f"f{i}") for i in range(3)]
    fake_azure.script("prompt_filter", qualname="pkg.mod.f1")

    drafts, reporter, _ = run(fake_azure, infos, objects_per_request=4)

    assert {q: d.source for q, d in drafts.items()} == {
        "pkg.mod.f0": "llm",
        "pkg.mod.f1": "inference",  # the offline fallback
        "pkg.mod.f2": "llm",
    }
    assert [r.qualnames for r in fake_azure.log] == [
        ("pkg.mod.f0", "pkg.mod.f1", "pkg.mod.f2"),
        ("pkg.mod.f0",),
        ("pkg.mod.f1",),
        ("pkg.mod.f2",),
    ]
    assert [d.subtype for d in reporter.diagnostics] == ["provider"]
    assert "pkg.mod.f1" in reporter.diagnostics[0].message


def test_the_shared_prefix_is_the_same_in_every_request(fake_azure: FakeAzure) -> None:
    infos = [obj("a"), obj("b", module="pkg.other"), obj("c", params=9)]
    run(fake_azure, infos, objects_per_request=2)

    systems = {body["messages"][0]["content"] for body in fake_azure.received}
    formats = {str(body["response_format"]) for body in fake_azure.received}
    assert len(fake_azure.received) == 2  # a pack per module
    assert len(systems) == 1
    assert len(formats) == 1
    assert all(body["messages"][0]["role"] == "system" for body in fake_azure.received)


def test_packs_keep_modules_apart_and_large_objects_alone() -> None:
    small = [obj(f"s{i}") for i in range(5)]
    other = obj("o", module="pkg.other")
    big = obj("big")

    groups = packs(
        [*small, other, big], 4, lambda i: 10_000 if i.name == "big" else 100
    )

    assert [[i.name for i in g] for g in groups] == [
        ["s0", "s1", "s2", "s3"],
        ["s4"],
        ["o"],
        ["big"],
    ]
