"""Large first runs through the batch API of the fake Azure server.

Real parts: the ``openai`` client's files and batches APIs over HTTP to the
fake server, real SQLite files, the Generator and the ``aidoc`` CLI.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from sphinxcontrib_aidoc.cli import main
from sphinxcontrib_aidoc.config import AidocConfig
from sphinxcontrib_aidoc.diagnostics import ListReporter
from sphinxcontrib_aidoc.generate import Generator, cache_key
from sphinxcontrib_aidoc.generate.select import select_provider
from sphinxcontrib_aidoc.model import ObjectInfo, Param, Returns
from sphinxcontrib_aidoc.store import Store

if TYPE_CHECKING:
    from tests.fake_azure import FakeAzure

pytest_plugins = ("tests.fake_azure",)


def objects(count: int, module: str = "pkg.big") -> list[ObjectInfo]:
    return [
        ObjectInfo(
            qualname=f"{module}.compute_{i:04d}",
            module=module,
            kind="function",
            file="pkg/big.py",
            lineno=10 + 4 * i,
            signature="(items, factor)",
            params=(Param("items", type="list[int]"), Param("factor", type="float")),
            returns=Returns("float"),
            raises=("ValueError",),
            source_hash=f"hash-{i}",
            source=f"def compute_{i:04d}(items, factor):\n    return sum(items) * factor\n",
        )
        for i in range(count)
    ]


def build(
    db: Path, infos: list[ObjectInfo], **config: Any
) -> tuple[Generator, ListReporter]:
    """One build: a fresh provider, generator and store (as a new process has)."""
    reporter = ListReporter()
    settings = AidocConfig.from_mapping({"provider": "azure", **config})
    provider = select_provider(settings, reporter)
    with Store.open(db) as store:
        generator = Generator(provider=provider, reporter=reporter, cache=store)
        generator.drafts(infos)
        if generator._jobs is not None:
            generator._jobs.close()
    return generator, reporter


def chat_requests(fake: FakeAzure) -> int:
    return sum(1 for r in fake.log if r.path.endswith("/chat/completions"))


def batch_messages(reporter: ListReporter) -> list[str]:
    return [d.message for d in reporter.diagnostics if d.subtype == "batch"]


def test_a_large_first_run_goes_through_a_batch_job_and_survives_a_restart(
    fake_azure: FakeAzure, tmp_path: Path
) -> None:
    db = tmp_path / "aidoc.db"
    infos = objects(1000)
    fake_azure.batch_fate("completed", after=2)

    # Build 1 submits one job and writes everything offline, saying so.
    first, reporter = build(db, infos, batch_threshold=100)
    assert first.stats.fallbacks == 1000
    assert chat_requests(fake_azure) == 0
    assert fake_azure.batches.calls["upload"] == 1
    assert fake_azure.batches.calls["create"] == 1
    (message,) = batch_messages(reporter)
    assert "1000 object(s) submitted to Azure OpenAI batch job batch-fake-" in message
    assert "written offline in this build" in message
    with Store.open(db) as store:
        (job,) = store.batch_jobs(live=True)
        assert job.objects == 1000
        assert len({item.custom_id for item in store.batch_items(job.id)}) == 1000

    # Build 2 (a new process: new provider, generator, store) finds the job
    # running: still offline, nothing submitted again, nothing asked directly.
    second, reporter = build(db, infos, batch_threshold=100)
    assert second.stats.fallbacks == 1000
    assert fake_azure.batches.calls["create"] == 1
    assert chat_requests(fake_azure) == 0
    (message,) = batch_messages(reporter)
    assert "1000 object(s) wait for batch job" in message
    assert "status in_progress" in message

    # Build 3: the job ended; every answer is validated and cached by key.
    third, reporter = build(db, infos, batch_threshold=100)
    assert third.stats.generated == 1000
    assert third.stats.fallbacks == 0
    assert batch_messages(reporter) == []

    # Build 4: all from the cache. Nothing was ever paid twice.
    fourth, _ = build(db, infos, batch_threshold=100)
    assert fourth.stats.cache_hits == 1000
    assert chat_requests(fake_azure) == 0
    assert fake_azure.batches.calls["create"] == 1
    assert len(fake_azure.batches.billed) == 1000
    assert max(fake_azure.batches.billed.values()) == 1
    with Store.open(db) as store:
        assert store.batch_jobs(live=True) == []
        (job,) = store.batch_jobs()
        assert (job.status, job.answered, job.failed) == ("completed", 1000, 0)


def test_a_small_run_is_asked_directly(fake_azure: FakeAzure, tmp_path: Path) -> None:
    generator, reporter = build(tmp_path / "aidoc.db", objects(5), batch_threshold=100)

    assert generator.stats.generated == 5
    assert fake_azure.batches.calls["create"] == 0
    assert batch_messages(reporter) == []


def test_an_expired_job_keeps_its_answers_and_asks_again_for_the_rest(
    fake_azure: FakeAzure, tmp_path: Path
) -> None:
    db = tmp_path / "aidoc.db"
    infos = objects(40)
    fake_azure.batch_fate("expired", after=1)
    build(db, infos, batch_threshold=10)

    fake_azure.batch_fate("completed", after=1)
    collected, reporter = build(db, infos, batch_threshold=10)

    # Half came back before the job expired; the other half (never billed)
    # went into a second job.
    assert collected.stats.generated == 20
    assert fake_azure.batches.calls["create"] == 2
    assert "20 object(s) submitted" in batch_messages(reporter)[0]
    final, _ = build(db, infos, batch_threshold=10)
    assert final.stats.generated == 20
    assert final.stats.cache_hits == 20
    assert max(fake_azure.batches.billed.values()) == 1
    assert len(fake_azure.batches.billed) == 40


def test_a_failed_job_and_a_failed_line_are_asked_again(
    fake_azure: FakeAzure, tmp_path: Path
) -> None:
    db = tmp_path / "aidoc.db"
    infos = objects(12)
    fake_azure.batch_fate("failed", after=1)
    build(db, infos, batch_threshold=10)
    with Store.open(db) as store:
        (job,) = store.batch_jobs()

    fake_azure.batch_fate("completed", after=1)
    fake_azure.batches.fail_qualnames.add("pkg.big.compute_0003")
    retried, _ = build(db, infos, batch_threshold=10)  # collects the failure, resubmits
    assert retried.stats.fallbacks == 12
    assert fake_azure.batches.calls["create"] == 2
    final, _ = build(db, infos, batch_threshold=10)  # collects: 11 answers, 1 error

    assert final.stats.generated == 12  # 11 collected, 1 asked directly
    with Store.open(db) as store:
        jobs = {j.id: j for j in store.batch_jobs()}
    assert (jobs[job.id].status, jobs[job.id].answered) == ("failed", 0)
    # The failed line is asked for directly by the last build (1 object left).
    assert [r.qualnames for r in fake_azure.log if r.path.endswith("completions")] == [
        ("pkg.big.compute_0003",)
    ]


def test_a_budget_keeps_a_build_away_from_batch_jobs(
    fake_azure: FakeAzure, tmp_path: Path
) -> None:
    generator, reporter = build(
        tmp_path / "aidoc.db",
        objects(12),
        batch_threshold=10,
        max_tokens_per_build=10**7,
    )

    assert generator.stats.generated == 12
    assert fake_azure.batches.calls["create"] == 0
    assert "a token or money budget is set" in batch_messages(reporter)[0]


def test_batch_status_and_collect_commands(
    fake_azure: FakeAzure, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "aidoc.db"
    infos = objects(30)
    fake_azure.batch_fate("completed", after=2)
    build(db, infos, batch_threshold=10)
    capsys.readouterr()

    assert main(["batch", "status", "--db", str(db)]) == 0
    (job,) = json.loads(capsys.readouterr().out)["jobs"]
    assert (job["status"], job["objects"], job["collected_at"]) == (
        "in_progress",
        30,
        None,
    )

    assert main(["batch", "collect", "--db", str(db)]) == 0
    captured = capsys.readouterr()
    (done,) = json.loads(captured.out)["jobs"]
    assert (done["status"], done["cached"], done["failed"]) == ("completed", 30, 0)
    assert "30 answer(s) cached from 1 job(s)" in captured.err

    later, _ = build(db, infos, batch_threshold=10)
    assert later.stats.cache_hits == 30
    assert chat_requests(fake_azure) == 0
    assert main(["batch", "collect", "--db", str(db)]) == 0
    assert json.loads(capsys.readouterr().out) == {"jobs": []}


def test_batch_answers_are_logged_and_billed_at_the_batch_price(
    fake_azure: FakeAzure, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "aidoc.db"
    (tmp_path / "conf.py").write_text(
        f"aidoc_db = {str(db)!r}\n"
        "aidoc_price_per_1k_input = 1.0\naidoc_price_per_1k_output = 2.0\n",
        encoding="utf-8",
    )
    fake_azure.usage = (1000, 500)  # every answer: 1,000 tokens in, 500 out
    fake_azure.batch_fate("completed", after=1)
    build(db, objects(12), batch_threshold=10)
    capsys.readouterr()

    assert main(["batch", "collect", "-c", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    # 12 answers at (1,000 x $1 + 500 x $2) / 1,000 = $2 each, half price.
    assert "12,000 tokens in / 6,000 out, est. $12.000 at the batch price" in err
    with Store.open(db, readonly=True) as store:
        rows = list(store.db.query("SELECT via, outcome, cost, build_id FROM calls"))
    assert len(rows) == 12
    assert {(r["via"], r["outcome"], r["cost"], r["build_id"]) for r in rows} == {
        ("batch", "ok", 1.0, None)
    }

    assert main(["stats", "-c", str(tmp_path), "--format", "json"]) == 0
    outside = json.loads(capsys.readouterr().out)["outside_builds"]
    assert (outside["batch_answers"], outside["requests"]) == (12, 0)
    assert (outside["tokens_in"], outside["cost"]) == (12000, 12.0)
    assert main(["stats", "-c", str(tmp_path)]) == 0
    assert "0 requests, 12 answers read from batch jobs" in capsys.readouterr().out


def test_batch_commands_need_a_network_provider(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AZURE_OPENAI_ENDPOINT", raising=False)
    db = tmp_path / "aidoc.db"
    Store.open(db).close()

    assert main(["batch", "status", "--db", str(db)]) == 2
    assert (
        "batch jobs need the Azure OpenAI or OpenAI provider" in capsys.readouterr().err
    )


def test_objects_another_build_is_submitting_are_not_submitted_again(
    fake_azure: FakeAzure, tmp_path: Path
) -> None:
    db = tmp_path / "aidoc.db"
    infos = objects(30)
    keys = [cache_key(i, provider="azure", model=fake_azure.deployment) for i in infos]
    other = f"{socket.gethostname()}:{os.getpid()}:another-build"
    with Store.open(db) as store:
        store.lease_acquire(keys[:20], holder=other, ttl=60)

    generator, reporter = build(db, infos, batch_threshold=5)

    assert generator.stats.fallbacks == 30
    assert chat_requests(fake_azure) == 0
    messages = batch_messages(reporter)
    assert (
        "20 object(s) are being submitted to a batch job by another build"
        in (messages[0])
    )
    assert "10 object(s) submitted to Azure OpenAI batch job" in messages[1]
    with Store.open(db) as store:
        (job,) = store.batch_jobs()
        assert {i.key for i in store.batch_items(job.id)} == set(keys[20:])
