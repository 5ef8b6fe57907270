"""The bookkeeping of one provider batch: counters, status lines, reports.

:class:`Batch` counts what happens to the objects of one ``draft_many``
call; :class:`BatchReporting` (mixed into the chat provider) turns it into
status lines while the batch waits, recorder rows as requests end, and the
diagnostics handed over when the batch is done.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from sphinxcontrib_aidoc.diagnostics import Diagnostic, Reporter
from sphinxcontrib_aidoc.generate._calls import Attempt
from sphinxcontrib_aidoc.generate.usage import CallRecord

if TYPE_CHECKING:
    import openai

    from sphinxcontrib_aidoc.config import AidocConfig
    from sphinxcontrib_aidoc.generate import Notify
    from sphinxcontrib_aidoc.generate._client import Secret
    from sphinxcontrib_aidoc.generate.limits import BuildBudget, RateLimiter
    from sphinxcontrib_aidoc.generate.usage import ProviderUsage, Recorder
    from sphinxcontrib_aidoc.model import ObjectInfo

_T = TypeVar("_T")


@dataclass(slots=True)
class Batch:
    """What one ``draft_many`` call collects before handing it over."""

    total: int = 0
    done: int = 0
    in_flight: int = 0
    finished: set[str] = field(default_factory=set)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    budget_skipped: int = 0
    circuit_skipped: int = 0
    deadline_skipped: int = 0
    too_large: int = 0
    too_large_needed: int = 0
    unrecorded: int = 0
    record_error: str = ""
    notify: Notify | None = None
    #: Held by each request while a budget waits for its first bill.
    gate: asyncio.Lock = field(default_factory=asyncio.Lock)


class BatchReporting:
    """Status lines, recorder rows and diagnostics of a chat provider's batches."""

    name: str
    label: str
    model: str
    config: AidocConfig
    recorder: Recorder | None
    limiter: RateLimiter
    budget: BuildBudget
    usage: ProviderUsage
    circuit_open: str
    deadline_passed: str
    _circuit_subtype: str
    _circuit_reported: bool
    _secret: Secret
    _clock: Callable[[], float]
    _heartbeat: float

    def time_left(self) -> float | None:
        """Seconds until the provider deadline (None: no deadline)."""
        raise NotImplementedError

    def _deadline(self, batch: Batch, infos: Sequence[ObjectInfo]) -> None:
        """The deadline passed with requests in flight: give up on the rest."""
        self.deadline_passed = (
            f"aidoc_provider_deadline={self.config.provider_deadline:g} s passed"
        )
        for info in infos:
            if info.qualname not in batch.finished:
                batch.deadline_skipped += 1
                self.usage.skipped += 1
                self._record(
                    batch, info, Attempt("deadline", error=self.deadline_passed)
                )

    async def _watch(self, batch: Batch) -> None:
        """Show a status line whenever a heartbeat passes with nothing done."""
        if batch.notify is None:
            return
        started = self._clock()
        last = -1
        while True:
            await asyncio.sleep(self._heartbeat)
            if batch.done == last:
                batch.notify(self._status(batch, started))
            last = batch.done

    def _status(self, batch: Batch, started: float) -> str:
        parts = [
            f"aidoc: waiting for {self.label}: {batch.done}/{batch.total} done",
            f"{batch.in_flight} request(s) in flight",
            f"{self._clock() - started:.0f} s",
        ]
        paused = self.limiter.paused_for()
        if paused >= 1:
            parts.append(f"paused {paused:.0f} s more at the server's request")
        left = self.time_left()
        if left is not None:
            parts.append(f"deadline in {left:.0f} s")
        return ", ".join(parts)

    def _hand_over(self, batch: Batch, reporter: Reporter) -> None:
        diagnostics = list(batch.diagnostics)
        if batch.too_large:
            diagnostics.append(
                Diagnostic(
                    "budget",
                    f"{self.label}: aidoc_max_prompt_tokens="
                    f"{self.config.max_prompt_tokens:,} leaves no room for the "
                    f"instructions and facts (about {batch.too_large_needed:,} "
                    f"tokens needed); {batch.too_large} object(s) not sent, "
                    "written offline",
                )
            )
        if batch.budget_skipped:
            diagnostics.append(
                Diagnostic(
                    "budget",
                    f"{self.label}: {self.budget.exhausted}; "
                    f"{batch.budget_skipped} object(s) left to the offline fallback",
                )
            )
        if batch.deadline_skipped:
            diagnostics.append(
                Diagnostic(
                    "provider",
                    f"{self.label}: {self.deadline_passed}; "
                    f"{batch.deadline_skipped} object(s) left to the offline fallback",
                )
            )
        if self.circuit_open and (batch.circuit_skipped or not self._circuit_reported):
            first = not self._circuit_reported
            self._circuit_reported = True
            diagnostics.append(
                Diagnostic(
                    self._circuit_subtype,
                    f"{self.label}: {self.circuit_open}; "
                    + ("not calling it again in this build (" if first else "(")
                    + f"{batch.circuit_skipped} object(s) of this batch not sent, "
                    "left to the offline fallback)",
                )
            )
        if batch.record_error:
            diagnostics.append(
                Diagnostic(
                    "db",
                    f"could not record provider calls ({batch.record_error}); "
                    f"{batch.unrecorded} row(s) not recorded",
                )
            )
        for diagnostic in diagnostics:
            reporter.report(diagnostic)

    # -- one object ----------------------------------------------------
    def _record(
        self, batch: Batch, info: ObjectInfo, attempt: Attempt, cost: float = 0.0
    ) -> None:
        """Log one outcome now, so a killed build keeps its call log."""
        if self.recorder is None:
            return
        if batch.record_error:
            batch.unrecorded += 1
            return
        record = CallRecord(
            qualname=info.qualname,
            provider=self.name,
            model=self.model,
            outcome=attempt.outcome,
            tokens_in=attempt.tokens_in,
            tokens_out=attempt.tokens_out,
            latency_ms=attempt.latency_ms,
            cost=cost,
            error=self._scrub(attempt.error),
        )
        try:
            record.send(self.recorder)
        except Exception as exc:  # noqa: BLE001 (a log must not stop a build)
            batch.record_error = (
                f"{exc.__class__.__name__}: {self._scrub(str(exc))[:200]}"
            )
            batch.unrecorded += 1

    def _internal_error(self, batch: Batch, info: ObjectInfo, exc: Exception) -> None:
        self.usage.failed += 1
        batch.diagnostics.append(
            Diagnostic(
                "provider",
                f"{self.label}: no prose for {info.qualname} (internal error "
                f"{type(exc).__name__}: {self._scrub(str(exc))[:200]}); using the "
                "offline fallback",
                f"{info.file}:{info.lineno}" if info.file else "",
            )
        )

    def _scrub(self, text: str) -> str:
        return self._secret.scrub(text)


async def close_client(client: openai.AsyncOpenAI) -> None:
    with contextlib.suppress(Exception):  # a broken connection is not news
        await client.close()


def run_coroutine(factory: Callable[[], Coroutine[Any, Any, _T]]) -> _T:
    """Run a coroutine in a fresh event loop, in a helper thread if needed."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, factory()).result()
