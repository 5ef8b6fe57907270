"""Network providers against the fake Azure OpenAI server (real openai client).

Nothing of the openai library is mocked: requests go over HTTP to
``tests/fake_azure.py`` on 127.0.0.1, which scripts the faults.
"""

from __future__ import annotations

import asyncio
import functools
import io
import json
import pickle
from typing import TYPE_CHECKING, Any

import pytest
from docutils.core import publish_parts
from docutils.writers.html5_polyglot import Writer as HtmlWriter

from sphinxcontrib_aidoc.config import AidocConfig
from sphinxcontrib_aidoc.diagnostics import Diagnostic, ListReporter
from sphinxcontrib_aidoc.generate import Generator, OfflineProvider
from sphinxcontrib_aidoc.generate.prompt import (
    build_messages,
    prompt_tokens,
    worst_case_tokens,
)
from sphinxcontrib_aidoc.generate.providers import AzureProvider, OpenAIProvider
from sphinxcontrib_aidoc.generate.select import describe_provider, select_provider
from sphinxcontrib_aidoc.generate.sizing import completion_tokens
from sphinxcontrib_aidoc.generate.usage import Recorder
from sphinxcontrib_aidoc.model import ObjectInfo, Param, Returns, Yields
from sphinxcontrib_aidoc.store import Store
from sphinxcontrib_aidoc.styles import get_style

if TYPE_CHECKING:
    from tests.fake_azure import FakeAzure

#: The ``fake_azure`` fixture (imported as a plugin so pytest rewrites it).
pytest_plugins = ("tests.fake_azure",)


def info(
    name: str = "get_area",
    *,
    params: tuple[str, ...] = ("width", "height"),
    raises: tuple[str, ...] = ("ValueError",),
    generator: bool = False,
) -> ObjectInfo:
    args = ", ".join(f"{p}: float" for p in params)
    return ObjectInfo(
        qualname=f"pkg.shapes.{name}",
        module="pkg.shapes",
        kind="function",
        file="pkg/shapes.py",
        lineno=10,
        signature=f"({', '.join(params)})",
        params=tuple(Param(p, type="float") for p in params),
        returns=None if generator else Returns("float"),
        yields=Yields("float") if generator else None,
        raises=raises,
        source=(
            f"def {name}({args}) -> float:\n"
            "    if width < 0:\n"
            "        raise ValueError('negative width')\n"
            "    return width * height\n"
        ),
    )


def many(count: int) -> list[ObjectInfo]:
    # Same-length names give same-size prompts (budget arithmetic below).
    return [info(f"area_{i:03d}") for i in range(count)]


class Rows(list[dict[str, Any]]):
    def __call__(self, **row: Any) -> None:
        self.append(row)

    def outcomes(self) -> list[str]:
        return [r["outcome"] for r in self]


def provider(
    recorder: Recorder | None = None,
    reporter: ListReporter | None = None,
    **settings: Any,
) -> AzureProvider:
    # One object a request unless a test packs: these tests follow requests.
    settings.setdefault("objects_per_request", 1)
    config = AidocConfig.from_mapping({"provider": "azure", **settings})
    chosen = select_provider(
        config,
        reporter or ListReporter(),
        recorder,
        backoff_base=0.01,
        backoff_cap=0.05,
    )
    assert isinstance(chosen, AzureProvider), reporter and reporter.diagnostics
    return chosen


def run(
    chosen: AzureProvider | OpenAIProvider, infos: list[ObjectInfo]
) -> tuple[dict[str, Any], list[Diagnostic]]:
    reporter = ListReporter()
    drafts = chosen.draft_many(infos, reporter=reporter)
    return drafts, reporter.diagnostics


def subtypes(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.subtype for d in diagnostics]


# -- success -------------------------------------------------------------
def test_answer_is_parsed_into_a_draft(fake_azure: FakeAzure) -> None:
    rows = Rows()
    drafts, diagnostics = run(provider(rows), [info()])

    draft = drafts["pkg.shapes.get_area"]
    assert draft.summary == "Fake summary for get_area."
    assert draft.params == (
        ("width", "Fake description of width."),
        ("height", "Fake description of height."),
    )
    assert draft.raises == (("ValueError", "Fake condition for ValueError."),)
    assert (draft.source, draft.provider, draft.model) == ("llm", "azure", "fake-gpt")
    assert diagnostics == []
    [seen] = fake_azure.log
    assert seen.path == "/openai/deployments/fake-gpt/chat/completions"
    assert (seen.auth, seen.api_version) == ("api-key", "2024-10-21")
    body = fake_azure.received[0]
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["strict"] is True
    assert rows.outcomes() == ["ok"]
    assert rows[0]["tokens_in"] > 0
    assert rows[0]["cost"] > 0


def test_openai_compatible_provider(fake_azure: FakeAzure) -> None:
    config = AidocConfig.from_mapping({"provider": "openai", "model": "fake-model"})
    chosen = select_provider(config, ListReporter(), backoff_base=0.01)
    assert isinstance(chosen, OpenAIProvider)

    drafts, _ = run(chosen, [info()])

    assert drafts["pkg.shapes.get_area"].provider == "openai"
    assert fake_azure.api_key not in repr(chosen)
    assert describe_provider(chosen).startswith("aidoc: using OpenAI-compatible")
    assert fake_azure.log[0].path == "/v1/chat/completions"
    assert fake_azure.log[0].auth == "bearer"
    assert fake_azure.received[0]["model"] == "fake-model"


def test_draft_many_works_inside_a_running_event_loop(fake_azure: FakeAzure) -> None:
    chosen = provider()

    async def inside() -> dict[str, Any]:
        return chosen.draft_many([info()], reporter=ListReporter())

    assert "pkg.shapes.get_area" in asyncio.run(inside())


def test_hostile_answer_keeps_its_words_and_loses_invisible_characters(
    fake_azure: FakeAzure,
) -> None:
    hostile = "Area\u202e of\u200b .. raw:: html\n\n   <script>alert(1)</script>"
    fake_azure.script(
        "answer", edit=lambda facts, answer: {**answer, "summary": hostile}
    )

    drafts, diagnostics = run(provider(), [info()])

    draft = drafts["pkg.shapes.get_area"]
    # Plain words, whatever they say: the styles escape them when rendering.
    assert draft.summary == "Area of .. raw:: html <script>alert(1)</script>"
    assert subtypes(diagnostics) == ["sanitize"]
    assert "control or invisible characters" in diagnostics[0].message
    assert diagnostics[0].location == "pkg/shapes.py:10"
    html, warnings = render("\n".join(get_style("rest").render(info(), draft)))
    assert warnings == ""
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def render(text: str) -> tuple[str, str]:
    stream = io.StringIO()
    parts = publish_parts(
        text,
        writer=HtmlWriter(),  # an instance: docutils 0.21 takes no name here
        settings_overrides={"report_level": 1, "warning_stream": stream},
    )
    return parts["body"], stream.getvalue()


# -- faults --------------------------------------------------------------
@pytest.mark.parametrize(
    ("fault", "outcome", "words"),
    [
        ("500", "error", "HTTP 500"),
        ("malformed", "invalid", "not JSON"),
        ("content_filter", "refused", "content filter"),
        ("prompt_filter", "refused", "content filter"),
        ("refusal", "refused", "refused"),
        ("length", "invalid", "token limit"),
        ("huge", "invalid", "too long"),
        ("unknown_param", "invalid", "not_a_param"),
    ],
)
def test_fault_leaves_the_object_to_the_fallback(
    fake_azure: FakeAzure, fault: str, outcome: str, words: str
) -> None:
    fake_azure.script(fault, qualname="pkg.shapes.bad")
    rows = Rows()

    drafts, diagnostics = run(provider(rows, max_retries=1), [info("bad"), info()])

    assert set(drafts) == {"pkg.shapes.get_area"}
    assert subtypes(diagnostics) == ["provider"]
    assert words in diagnostics[0].message
    assert "pkg.shapes.bad" in diagnostics[0].message
    bad_rows = [r["outcome"] for r in rows if r["qualname"] == "pkg.shapes.bad"]
    retried = 2 if fault in ("500", "length") else 1  # a cut answer: once more
    assert bad_rows == [outcome] * retried


def test_timeout_is_retried_then_falls_back(fake_azure: FakeAzure) -> None:
    fake_azure.script("hang", seconds=3)
    rows = Rows()

    drafts, diagnostics = run(
        provider(rows, request_timeout=0.5, max_retries=1), [info()]
    )

    assert drafts == {}
    assert subtypes(diagnostics) == ["provider"]
    assert "timed out" in diagnostics[0].message
    assert rows.outcomes() == ["timeout", "timeout"]
    assert fake_azure.request_count == 2


def test_429s_that_outlast_the_retries_report_throttle(fake_azure: FakeAzure) -> None:
    fake_azure.script("429", retry_after_ms=20)
    rows = Rows()
    chosen = provider(rows, max_retries=2)

    drafts, diagnostics = run(chosen, [info()])

    assert drafts == {}
    assert subtypes(diagnostics) == ["throttle"]
    assert fake_azure.request_count == 3
    assert rows.outcomes() == ["throttled"] * 3
    assert chosen.usage.throttled_429 == 3


def test_retry_after_is_honoured(fake_azure: FakeAzure) -> None:
    fake_azure.script("429", times=1, retry_after_ms=300)

    drafts, diagnostics = run(provider(max_retries=2), [info()])

    assert "pkg.shapes.get_area" in drafts
    assert diagnostics == []
    first, second = fake_azure.log
    assert (first.outcome, second.outcome) == ("429", "ok")
    assert second.at - first.at >= 0.3


def test_circuit_breaker_stops_calling(fake_azure: FakeAzure) -> None:
    fake_azure.script("500")
    rows = Rows()
    chosen = provider(rows, max_retries=0, circuit_breaker=3, concurrency=1)

    drafts, diagnostics = run(chosen, many(10))
    again, later = run(chosen, many(4))

    assert drafts == again == {}
    assert fake_azure.request_count == 3
    circuit = [d for d in diagnostics if "not calling it again" in d.message]
    assert len(circuit) == 1
    assert circuit[0].subtype == "provider"
    assert "7 object(s)" in circuit[0].message
    # Later batches say how many of theirs were not sent either.
    [again_circuit] = later
    assert "4 object(s) of this batch not sent" in again_circuit.message
    assert rows.outcomes().count("circuit_open") == 7 + 4


def test_wrong_key_opens_the_circuit_at_once(
    fake_azure: FakeAzure, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "wrong-key-123456")

    drafts, diagnostics = run(provider(concurrency=1), many(5))

    assert drafts == {}
    assert fake_azure.request_count == 1
    assert any("HTTP 401" in d.message for d in diagnostics)
    assert all("wrong-key-123456" not in d.message for d in diagnostics)


# -- budget and pacing ------------------------------------------------------
def _estimate(config: AidocConfig) -> int:
    return prompt_tokens(_messages(config))


def _worst(config: AidocConfig) -> int:
    return worst_case_tokens(_messages(config))


def _messages(config: AidocConfig) -> list[dict[str, str]]:
    return build_messages(many(1)[0], max_prompt_tokens=config.max_prompt_tokens)


#: The completion tokens each request of :func:`many` asks for.
MAX_COMPLETION_TOKENS = completion_tokens(many(1)[0])


def test_token_budget_stops_calls(fake_azure: FakeAzure) -> None:
    estimate = _estimate(AidocConfig())
    fake_azure.usage = (estimate, MAX_COMPLETION_TOKENS)
    # The budget reserves each request's worst case before sending it.
    per_call = _worst(AidocConfig()) + MAX_COMPLETION_TOKENS
    rows = Rows()
    chosen = provider(rows, max_tokens_per_build=3 * per_call + 10, concurrency=4)

    drafts, diagnostics = run(chosen, many(10))

    assert len(drafts) == 3
    assert fake_azure.request_count == 3
    assert subtypes(diagnostics) == ["budget"]
    assert "7 object(s)" in diagnostics[0].message
    assert "max_tokens_per_build" in diagnostics[0].message
    assert rows.outcomes().count("budget") == 7


def test_cost_budget_stops_calls(fake_azure: FakeAzure) -> None:
    estimate = _estimate(AidocConfig())
    fake_azure.usage = (estimate, MAX_COMPLETION_TOKENS)
    price_in, price_out = 0.001, 0.002
    per_call = (estimate * price_in + MAX_COMPLETION_TOKENS * price_out) / 1000
    worst = (
        _worst(AidocConfig()) * price_in + MAX_COMPLETION_TOKENS * price_out
    ) / 1000
    chosen = provider(
        # One at a time: the third request's worst case no longer fits.
        budget=worst + 1.5 * per_call,
        concurrency=1,
        price_per_1k_input=price_in,
        price_per_1k_output=price_out,
    )

    drafts, diagnostics = run(chosen, many(6))

    assert len(drafts) == fake_azure.request_count == 2
    assert subtypes(diagnostics) == ["budget"]
    assert "4 object(s)" in diagnostics[0].message
    assert chosen.usage.cost == pytest.approx(2 * per_call)


def test_the_fake_server_enforces_its_rate_limit(fake_azure: FakeAzure) -> None:
    fake_azure.rate_limit(120, window_s=2)

    drafts, _ = run(provider(max_retries=0, concurrency=4), many(8))

    assert fake_azure.counts["rate_limited"] > 0
    assert len(drafts) < 8


def test_rpm_pacing_causes_no_429s(fake_azure: FakeAzure) -> None:
    # The server counts arrivals over 2 s windows; a loaded test machine
    # delays single requests by tens of ms, so the client paces 5% under the
    # limit here (the benchmark shows zero 429s at exactly the limit over
    # 10 s windows). Unpaced, 4 workers would get most of these 429s.
    fake_azure.rate_limit(120, window_s=2)

    drafts, diagnostics = run(
        provider(requests_per_minute=114, concurrency=4, max_retries=0), many(10)
    )

    assert fake_azure.counts["429"] == 0
    assert len(drafts) == 10
    assert diagnostics == []


# -- secrets -----------------------------------------------------------------
def test_the_key_never_leaves_the_provider(fake_azure: FakeAzure) -> None:
    key = fake_azure.api_key
    fake_azure.script("500", qualname="pkg.shapes.bad", message=f"bad key {key}")
    fake_azure.script("unknown_param", qualname="pkg.shapes.odd")
    rows = Rows()
    reporter = ListReporter()
    chosen = provider(rows, reporter, max_retries=0)

    _, diagnostics = run(chosen, [info("bad"), info("odd"), info()])

    texts = [
        repr(chosen),
        str(chosen.settings),
        describe_provider(chosen),
        chosen.summary_line(),
        json.dumps(rows),
        *(d.format() for d in diagnostics + reporter.diagnostics),
    ]
    assert len(diagnostics) == 2
    assert "***" in diagnostics[0].message + diagnostics[1].message
    assert all(key not in text for text in texts)
    with pytest.raises(TypeError):
        pickle.dumps(chosen.settings.api_key)


def test_a_failing_recorder_does_not_stop_the_batch(fake_azure: FakeAzure) -> None:
    def broken(**row: Any) -> None:
        raise OSError(f"disk full while writing {fake_azure.api_key}")

    drafts, diagnostics = run(provider(broken), [info()])

    assert "pkg.shapes.get_area" in drafts
    assert subtypes(diagnostics) == ["db"]
    assert fake_azure.api_key not in diagnostics[0].message


# -- selection ---------------------------------------------------------------
def test_auto_without_azure_settings_is_offline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reporter = ListReporter()

    chosen = select_provider(AidocConfig(), reporter, environ={})

    assert isinstance(chosen, OfflineProvider)
    assert reporter.diagnostics == []
    assert describe_provider(chosen).startswith("aidoc: using the offline provider")


def test_auto_with_azure_settings_is_azure(fake_azure: FakeAzure) -> None:
    chosen = select_provider(AidocConfig(), ListReporter())

    assert isinstance(chosen, AzureProvider)
    assert describe_provider(chosen) == (
        f"aidoc: using Azure OpenAI deployment 'fake-gpt' at {fake_azure.endpoint}"
    )


@pytest.mark.parametrize(
    ("provider_name", "environ", "missing"),
    [
        (
            "azure",
            {"AZURE_OPENAI_ENDPOINT": "https://x.example/"},
            "AZURE_OPENAI_API_KEY",
        ),
        (
            "auto",
            {
                "AZURE_OPENAI_ENDPOINT": "https://x.example/",
                "AZURE_OPENAI_API_KEY": "k-secret",
            },
            "AZURE_OPENAI_DEPLOYMENT",
        ),
        ("openai", {"OPENAI_BASE_URL": "https://y.example/v1"}, "OPENAI_API_KEY"),
    ],
)
def test_missing_settings_are_named_and_fall_back(
    provider_name: str, environ: dict[str, str], missing: str
) -> None:
    reporter = ListReporter()
    config = AidocConfig.from_mapping({"provider": provider_name})

    chosen = select_provider(config, reporter, environ=environ)

    assert isinstance(chosen, OfflineProvider)
    [diagnostic] = reporter.diagnostics
    assert diagnostic.subtype == "provider"
    assert missing in diagnostic.message
    assert "k-secret" not in diagnostic.message


# -- with the generator and the store ----------------------------------------
def test_failures_are_not_cached(fake_azure: FakeAzure, tmp_path: Any) -> None:
    fake_azure.script("500", qualname="pkg.shapes.area_001")
    infos = many(3)
    with Store.open(tmp_path / "aidoc.db") as store:
        build_id = store.begin_build()
        recorder = functools.partial(store.record_call, build_id)
        first = Generator(
            provider=provider(recorder, max_retries=0),
            reporter=ListReporter(),
            cache=store,
        ).drafts(infos)
        assert first["pkg.shapes.area_001"].source == "inference"
        fake_azure.clear_script()
        count = fake_azure.request_count

        second = Generator(
            provider=provider(max_retries=0),
            reporter=ListReporter(),
            cache=store,
        ).drafts(infos)

        assert fake_azure.request_count == count + 1
        assert fake_azure.log[-1].qualname == "pkg.shapes.area_001"
        assert [second[i.qualname].source for i in infos] == ["cache", "llm", "cache"]
        outcomes = store.db.execute("SELECT outcome FROM calls ORDER BY id").fetchall()
        assert sorted(o for (o,) in outcomes) == ["error", "ok", "ok"]
