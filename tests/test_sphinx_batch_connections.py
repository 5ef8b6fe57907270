"""A build that used the provider's batch API closes its connection.

The batch jobs' client (a synchronous ``openai`` client, kept for the
whole build) is closed when the build ends; left to the garbage collector,
its open socket surfaced as a ``ResourceWarning`` in whatever ran next.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.generate.batch_jobs import BatchStep

if TYPE_CHECKING:
    import pytest

    from tests.fake_azure import FakeAzure

pytest_plugins = ("tests.fake_azure",)

BATCH = {"aidoc_provider": "auto", "aidoc_max_retries": 0, "aidoc_batch_threshold": 1}


def test_a_build_with_batch_jobs_closes_their_client(
    build, fake_azure: FakeAzure, monkeypatch: pytest.MonkeyPatch
):
    del fake_azure  # serving the build
    closed: list[bool] = []
    close = BatchStep.close

    def recording_close(step: BatchStep) -> None:
        closed.append(step._client is not None)
        close(step)

    monkeypatch.setattr(BatchStep, "close", recording_close)
    app = build("missing", "text", confoverrides=BATCH)
    assert "[aidoc.batch]" in app.warning.getvalue()  # a job was submitted
    assert closed == [True]  # its client built, and closed with the build
