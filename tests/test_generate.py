"""Generator: cache first, then the provider, then the offline fallback."""

from __future__ import annotations

import sqlite3

import pytest

from sphinxcontrib_aidoc.analyze import analyze_source
from sphinxcontrib_aidoc.diagnostics import ListReporter
from sphinxcontrib_aidoc.generate import Generator, OfflineProvider
from sphinxcontrib_aidoc.model import Draft
from sphinxcontrib_aidoc.store import Store

SOURCE = """
def get_name(user_id: int) -> str:
    return str(user_id)

def is_ready(flag=False):
    return bool(flag)

def load_rows(path: str) -> list[str]:
    return [path]
"""


class HalfProvider:
    """Writes the first object, fails the second, then crashes."""

    name = "fake"
    model = "m1"

    def __init__(self) -> None:
        self.asked: list[str] = []

    def draft_many(self, infos, *, reporter, on_done=None, notify=None):
        drafts = {}
        for number, info in enumerate(infos):
            self.asked.append(info.qualname)
            if number == 2:
                msg = "connection lost"
                raise RuntimeError(msg)
            draft = (
                Draft(summary=f"Paid text for {info.name}.", source="llm")
                if (number == 0)
                else None
            )
            if draft is not None:
                drafts[info.qualname] = draft
            if on_done is not None:
                on_done(info, draft)
        return drafts


class Recording:
    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    def start(self, total: int) -> None:
        self.events.append(("start", total))

    def advance(self, qualname: str) -> None:
        self.events.append(("advance", qualname))

    def finish(self) -> None:
        self.events.append(("finish", None))


@pytest.fixture
def infos():
    return analyze_source(SOURCE, module="m")


def test_a_crashing_provider_keeps_its_answers_and_the_rest_is_offline(tmp_path, infos):
    provider = HalfProvider()
    reporter = ListReporter()
    with Store.open(tmp_path / "a.db") as store:
        generator = Generator(provider=provider, reporter=reporter, cache=store)
        progress = Recording()
        drafts = generator.drafts(infos, progress=progress)
        assert store.cache_stats()["entries"] == 1
        assert drafts["m.get_name"].source == "llm"
        assert drafts["m.load_rows"].source == "inference"
        [diagnostic] = reporter.diagnostics
        assert diagnostic.subtype == "provider"
        assert "RuntimeError: connection lost" in diagnostic.message
        assert "2 object(s) written offline" in diagnostic.message
        assert progress.events == [
            ("start", 3),
            ("advance", "m.get_name"),
            ("advance", "m.is_ready"),
            ("finish", None),
        ]


def test_failures_fall_back_offline_and_are_asked_again_next_time(tmp_path, infos):
    class FailSecond(HalfProvider):
        def draft_many(self, infos, *, reporter, on_done=None, notify=None):
            return super().draft_many(infos[:2], reporter=reporter, on_done=on_done)

    with Store.open(tmp_path / "b.db") as store:
        first = FailSecond()
        drafts = Generator(provider=first, reporter=ListReporter(), cache=store).drafts(
            infos
        )
        assert drafts["m.get_name"].source == "llm"
        assert drafts["m.is_ready"].source == "inference"  # offline fallback
        assert drafts["m.load_rows"].source == "inference"
        second = FailSecond()
        again = Generator(provider=second, reporter=ListReporter(), cache=store).drafts(
            infos
        )
        assert second.asked == ["m.is_ready", "m.load_rows"]  # only what failed
        assert again["m.get_name"].source == "cache"
        assert again["m.get_name"].summary == "Paid text for get_name."


def test_offline_generation_is_cached_and_counted(tmp_path, infos):
    with Store.open(tmp_path / "c.db") as store:
        generator = Generator(
            provider=OfflineProvider(),
            reporter=ListReporter(),
            cache=store,
        )
        generator.drafts(infos)
        generator.drafts(infos)
        assert (generator.stats.generated, generator.stats.cache_hits) == (3, 3)


class BrokenCache:
    def cache_get_many(self, keys):
        msg = "database disk image is malformed"
        raise sqlite3.DatabaseError(msg)

    def cache_put(self, key, draft, **kwargs):
        raise AssertionError("a failed cache is not used again")


def test_a_failing_cache_is_reported_and_the_drafts_still_come(infos):
    reporter = ListReporter()
    generator = Generator(
        provider=OfflineProvider(),
        reporter=reporter,
        cache=BrokenCache(),
    )
    drafts = generator.drafts(infos)
    assert set(drafts) == {i.qualname for i in infos}
    assert [d.subtype for d in reporter.diagnostics] == ["cache"]
    assert "database disk image is malformed" in reporter.diagnostics[0].message


def test_new_offline_wording_never_invalidates_paid_model_answers(monkeypatch):
    # Model answers cost money: only a change of what a model is asked may
    # make them stale. A new offline wording re-drafts offline text only.
    import sphinxcontrib_aidoc.generate as generate
    from sphinxcontrib_aidoc.model import ObjectInfo

    info = ObjectInfo("m.f", "m", "function", "m.py", 1, source_hash="abc")
    before = {
        p: generate.cache_key(info, provider=p, model="gpt")
        for p in ("azure", "offline")
    }
    monkeypatch.setattr(generate, "OFFLINE_VERSION", "next")
    after = {
        p: generate.cache_key(info, provider=p, model="gpt")
        for p in ("azure", "offline")
    }
    assert after["azure"] == before["azure"]
    assert after["offline"] != before["offline"]


class Answering:
    """Writes every object it is asked for, and remembers what it was asked."""

    name = "fake"
    model = "m1"

    def __init__(self) -> None:
        self.asked: list[str] = []

    def draft_many(self, infos, *, reporter, on_done=None, notify=None):
        drafts = {}
        for info in infos:
            self.asked.append(info.qualname)
            drafts[info.qualname] = Draft(
                summary=f"Paid for {info.name}.", source="llm"
            )
            if on_done is not None:
                on_done(info, drafts[info.qualname])
        return drafts


def test_an_answer_another_build_stored_before_the_lease_is_not_paid_again(
    tmp_path, infos
):
    """Another build finishes between our look at the cache and our lease.

    Its answers are read from the database, not asked for again.
    """
    path = tmp_path / "shared.db"
    other = Answering()

    class Racing(Store):
        raced = False

        def lease_acquire(self, keys, *, holder, ttl):
            if not Racing.raced:
                Racing.raced = True
                with Store.open(path) as theirs:
                    Generator(
                        provider=other, reporter=ListReporter(), cache=theirs
                    ).drafts(infos)
            return super().lease_acquire(keys, holder=holder, ttl=ttl)

    ours = Answering()
    with Racing.open(path) as store:
        drafts = Generator(provider=ours, reporter=ListReporter(), cache=store).drafts(
            infos
        )
    assert len(other.asked) == 3
    assert ours.asked == []
    assert {d.summary for d in drafts.values()} == {
        "Paid for get_name.",
        "Paid for is_ready.",
        "Paid for load_rows.",
    }
