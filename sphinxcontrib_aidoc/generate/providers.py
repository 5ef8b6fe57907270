"""Network providers: Azure OpenAI and OpenAI-compatible chat completions.

Both write prose for a batch of objects with an asyncio batch of
``concurrency`` workers (run in a fresh event loop per
:meth:`~ChatProvider.draft_many`, so a synchronous caller in any thread can
use them). Every request goes through the same steps:

1. skip it when the circuit is open, the provider deadline has passed, or
   the build budget cannot afford its worst case (see
   :class:`~sphinxcontrib_aidoc.generate.limits.BuildBudget`);
2. wait for the :class:`~sphinxcontrib_aidoc.generate.limits.RateLimiter`;
3. call the API with the library's own retries off;
4. on 408/409/429/5xx, timeouts and connection errors, retry up to
   ``max_retries`` times: after ``Retry-After``/``retry-after-ms`` when the
   server sent one, else after an exponential backoff with full jitter;
   no single wait is longer than ``max_wait``, and a server asking for a
   longer one stops the provider for the build (the rest is offline);
5. validate the answer (:mod:`~sphinxcontrib_aidoc.generate.answer`) and
   sanitize it (:func:`~sphinxcontrib_aidoc.generate.sanitize.sanitize_draft`).

Every request is logged to the recorder as it ends (a build killed half-way
keeps its call log). Objects without an answer are left out of the result,
so the generator writes them offline and caches nothing for them. After
``circuit_breaker`` failed requests in a row (or at once, on 401/403/404)
the provider stops calling for the rest of the build. The whole provider
stage of a build ends at ``provider_deadline``: requests in flight are
abandoned and the rest is written offline. While nothing finishes, a status
line says what the batch waits for. The API key never leaves this module:
it is not in any repr, diagnostic or recorder row, and is scrubbed from the
error texts passed on.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import random
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from sphinxcontrib_aidoc.config import AidocConfig
from sphinxcontrib_aidoc.diagnostics import Diagnostic, Reporter
from sphinxcontrib_aidoc.generate._calls import Attempt, Target, call_once
from sphinxcontrib_aidoc.generate._client import (
    AzureSettings,
    ClientFactory,
    OpenAISettings,
    Secret,
    endpoint_origin,
)
from sphinxcontrib_aidoc.generate.limits import BuildBudget, RateLimiter
from sphinxcontrib_aidoc.generate.prompt import (
    MAX_COMPLETION_TOKENS,
    PromptTooLarge,
    build_messages,
    prompt_tokens,
    worst_case_tokens,
)
from sphinxcontrib_aidoc.generate.usage import (
    CallRecord,
    ProviderUsage,
    Recorder,
    summary_line,
)
from sphinxcontrib_aidoc.model import Draft, ObjectInfo

if TYPE_CHECKING:
    import openai

    from sphinxcontrib_aidoc.generate import GenerationStats, Notify, OnDone

__all__ = ["AzureProvider", "ChatProvider", "OpenAIProvider"]

_T = TypeVar("_T")
#: Seconds without a finished object before a status line is shown.
HEARTBEAT_S = 10.0
#: Outcomes of an attempt that count towards the circuit breaker.
_FAILED = frozenset({"error", "timeout", "invalid", "refused"})


@dataclass(slots=True)
class _Batch:
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


class ChatProvider:
    """The shared engine of the chat-completions providers.

    Args:
        config: Limits, retries, timeouts, waits, deadline and prices.
        model: Model (or Azure deployment) name; part of cache keys.
        client_factory: Builds the async client inside the batch's event loop.
        secret: The API key, used only to scrub error texts.
        recorder: Receives one row per request outcome, as it happens.
        limiter: Request pacing (default: from *config*).
        budget: Build budget (default: from *config*).
        backoff_base: Seconds of the first retry's backoff ceiling.
        backoff_cap: Largest backoff ceiling, in seconds.
        rng: Random source of the jitter.
        heartbeat: Seconds without progress before a status line.
        clock: Monotonic clock (the deadline).
    """

    name = "chat"
    label = "chat completions"

    def __init__(
        self,
        config: AidocConfig,
        *,
        model: str,
        client_factory: ClientFactory,
        secret: Secret | None = None,
        recorder: Recorder | None = None,
        limiter: RateLimiter | None = None,
        budget: BuildBudget | None = None,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        rng: random.Random | None = None,
        heartbeat: float = HEARTBEAT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.model = model
        self.recorder = recorder
        self.limiter = limiter or RateLimiter(
            requests_per_minute=config.requests_per_minute,
            tokens_per_minute=config.tokens_per_minute,
        )
        self.budget = budget or BuildBudget(
            max_tokens=config.max_tokens_per_build,
            max_cost=config.budget,
            price_per_1k_input=config.price_per_1k_input,
            price_per_1k_output=config.price_per_1k_output,
        )
        self.usage = ProviderUsage()
        self._client_factory = client_factory
        self._secret = secret or Secret("")
        self._target = Target(self.name, model, config.request_timeout, self._secret)
        self._backoff_base = backoff_base
        self._backoff_cap = min(backoff_cap, config.max_wait)
        self._rng = rng or random.Random()  # noqa: S311 (jitter, not crypto)
        self._heartbeat = heartbeat
        self._clock = clock
        self._failures_in_a_row = 0
        #: Why the provider stopped calling ("" while it calls).
        self.circuit_open = ""
        self._circuit_subtype = "provider"
        self._circuit_reported = False
        #: When the provider stage of this build started (first batch).
        self._stage_started: float | None = None
        #: Set once the provider deadline has passed.
        self.deadline_passed = ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(model={self.model!r}, {self.describe()!r})"

    def describe(self) -> str:
        """Return the build-start line naming this provider (no secrets)."""
        return f"aidoc: using {self.label} model {self.model!r}"

    def summary_line(self, stats: GenerationStats | None = None) -> str:
        """Return the build's generation summary (see :func:`summary_line`)."""
        return summary_line(self.usage, stats)

    # -- batch ---------------------------------------------------------
    def draft_many(
        self,
        infos: Sequence[ObjectInfo],
        *,
        style: str,
        reporter: Reporter,
        on_done: OnDone | None = None,
        notify: Notify | None = None,
    ) -> dict[str, Draft]:
        """Return drafts by qualname for the objects the provider could write.

        Objects left out (failed, refused, over budget, circuit open, past
        the deadline) fall back offline in the generator. Recorder rows are
        written as requests end; diagnostics are handed over in the calling
        thread once the batch is done. *notify* receives status lines while
        the batch waits.
        """
        if not infos:
            return {}
        batch = _Batch(total=len(infos), notify=notify)
        started = time.perf_counter()
        if self._stage_started is None:
            self._stage_started = self._clock()
        try:
            drafts = _run(lambda: self._run_batch(infos, style, batch, on_done))
        finally:
            self.usage.wall_s += time.perf_counter() - started
            self._hand_over(batch, reporter)
        return drafts

    def time_left(self) -> float | None:
        """Seconds until the provider deadline (None: no deadline)."""
        deadline = self.config.provider_deadline
        if deadline is None:
            return None
        started = self._stage_started
        if started is None:
            return deadline
        return max(0.0, started + deadline - self._clock())

    async def _run_batch(
        self,
        infos: Sequence[ObjectInfo],
        style: str,
        batch: _Batch,
        on_done: OnDone | None,
    ) -> dict[str, Draft]:
        drafts: dict[str, Draft] = {}
        queue = iter(infos)
        client = self._client_factory(self.config.request_timeout)

        async def worker() -> None:
            for info in queue:
                batch.in_flight += 1
                try:
                    draft = await self._draft_one(client, info, style, batch)
                except Exception as exc:  # noqa: BLE001 (one object, not the batch)
                    draft = None
                    self._internal_error(batch, info, exc)
                finally:
                    batch.in_flight -= 1
                batch.done += 1
                batch.finished.add(info.qualname)
                if draft is not None:
                    drafts[info.qualname] = draft
                if on_done is not None:
                    on_done(info, draft)

        workers = min(self.config.concurrency, len(infos))
        tasks = [asyncio.ensure_future(worker()) for _ in range(workers)]
        watch = asyncio.ensure_future(self._watch(batch))
        try:
            _, pending = await asyncio.wait(tasks, timeout=self.time_left())
            if pending:
                self._deadline(batch, infos)
            for task in tasks:
                if task.done() and not task.cancelled():
                    task.result()  # a programming error in a worker surfaces
        finally:
            for task in (*tasks, watch):  # stop the workers before closing
                task.cancel()
            await asyncio.gather(*tasks, watch, return_exceptions=True)
            await _close(client)
        return drafts

    def _deadline(self, batch: _Batch, infos: Sequence[ObjectInfo]) -> None:
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

    async def _watch(self, batch: _Batch) -> None:
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

    def _status(self, batch: _Batch, started: float) -> str:
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

    def _hand_over(self, batch: _Batch, reporter: Reporter) -> None:
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
    def _skip(self, batch: _Batch, info: ObjectInfo) -> bool:
        """Whether *info* is not sent at all (circuit open, deadline passed)."""
        if not self.deadline_passed and self.time_left() == 0.0:
            self.deadline_passed = (
                f"aidoc_provider_deadline={self.config.provider_deadline:g} s passed"
            )
        if self.deadline_passed:
            batch.deadline_skipped += 1
            outcome, error = "deadline", self.deadline_passed
        elif self.circuit_open:
            batch.circuit_skipped += 1
            outcome, error = "circuit_open", self.circuit_open
        else:
            return False
        self.usage.skipped += 1
        self._record(batch, info, Attempt(outcome, error=error))
        return True

    async def _draft_one(
        self, client: openai.AsyncOpenAI, info: ObjectInfo, style: str, batch: _Batch
    ) -> Draft | None:
        if self._skip(batch, info):
            return None
        try:
            messages = build_messages(
                info, style=style, max_prompt_tokens=self.config.max_prompt_tokens
            )
        except PromptTooLarge as exc:
            batch.too_large += 1
            batch.too_large_needed = max(batch.too_large_needed, exc.needed)
            self.usage.skipped += 1
            self._record(batch, info, Attempt("budget", error=str(exc)))
            return None
        estimate = prompt_tokens(messages)
        worst = worst_case_tokens(messages)
        attempt = Attempt("error")
        for number in range(self.config.max_retries + 1):
            reservation = self.budget.reserve(worst, MAX_COMPLETION_TOKENS)
            if reservation is None:
                if number:  # retries cut by the budget: the object failed
                    break
                batch.budget_skipped += 1
                self.usage.skipped += 1
                self._record(
                    batch, info, Attempt("budget", error=self.budget.exhausted)
                )
                return None
            await self.limiter.acquire(estimate + MAX_COMPLETION_TOKENS)
            # Cancelled here (the deadline), the reservation stays booked:
            # a request the server may bill is never counted as free.
            attempt = await self._attempt(client, info, messages, batch)
            self.limiter.settle(
                estimate + MAX_COMPLETION_TOKENS, attempt.tokens_in + attempt.tokens_out
            )
            cost = self.budget.settle(
                reservation, attempt.tokens_in, attempt.tokens_out
            )
            self.usage.cost += cost
            self.usage.tokens_in += attempt.tokens_in
            self.usage.tokens_out += attempt.tokens_out
            self._record(batch, info, attempt, cost)
            self._count_failure(attempt)
            if not attempt.retry or number == self.config.max_retries:
                break
            if self.circuit_open or self.deadline_passed:
                break
            await asyncio.sleep(self._backoff(number, attempt.wait))
        return self._conclude(info, attempt, batch)

    def _internal_error(self, batch: _Batch, info: ObjectInfo, exc: Exception) -> None:
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

    def _count_failure(self, attempt: Attempt) -> None:
        if attempt.outcome == "ok":
            self._failures_in_a_row = 0
            return
        if attempt.outcome not in _FAILED or self.circuit_open:
            return
        self._failures_in_a_row += 1
        if attempt.fatal:
            self.circuit_open = attempt.error
        elif self._failures_in_a_row >= self.config.circuit_breaker:
            self.circuit_open = f"{self._failures_in_a_row} requests in a row failed"

    def _conclude(
        self, info: ObjectInfo, attempt: Attempt, batch: _Batch
    ) -> Draft | None:
        where = f"{info.file}:{info.lineno}" if info.file else ""
        if attempt.draft is not None:
            self.usage.ok += 1
            if attempt.neutralised:
                batch.diagnostics.append(
                    Diagnostic(
                        "sanitize",
                        f"model text for {info.qualname} contained markup that was "
                        f"neutralised: {', '.join(attempt.neutralised)}",
                        where,
                    )
                )
            return attempt.draft
        self.usage.failed += 1
        subtype = "throttle" if attempt.outcome == "throttled" else "provider"
        batch.diagnostics.append(
            Diagnostic(
                subtype,
                f"{self.label}: no prose for {info.qualname} ({attempt.error}); "
                "using the offline fallback",
                where,
            )
        )
        if attempt.outcome == "throttled" and not self.circuit_open:
            self._failures_in_a_row += 1  # retries ran out: the service is short
            if self._failures_in_a_row >= self.config.circuit_breaker:
                self.circuit_open = (
                    f"{self._failures_in_a_row} requests in a row failed"
                )
        return None

    async def _attempt(
        self,
        client: openai.AsyncOpenAI,
        info: ObjectInfo,
        messages: list[dict[str, str]],
        batch: _Batch,
    ) -> Attempt:
        self.usage.requests += 1
        started = time.perf_counter()
        result = await call_once(client, info, messages, self._target)
        result.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        if result.outcome == "throttled":
            self.usage.throttled_429 += 1
        if result.wait is not None:
            self._server_wait(result, batch)
        return result

    def _server_wait(self, result: Attempt, batch: _Batch) -> None:
        """Honour a Retry-After up to ``max_wait``; longer stops the provider."""
        assert result.wait is not None
        cap = self.config.max_wait
        if result.wait > cap:
            result.retry = False
            if not self.circuit_open:
                self.circuit_open = (
                    f"the server asked to wait {result.wait:g} s, more than "
                    f"aidoc_max_wait={cap:g} s"
                )
                self._circuit_subtype = "throttle"
            return
        if result.outcome == "throttled":
            before = self.limiter.paused_for()
            self.limiter.pause(result.wait)
            if batch.notify is not None and result.wait >= 1 and result.wait > before:
                batch.notify(
                    f"aidoc: {self.label} asked to wait {result.wait:g} s "
                    "(HTTP 429); pausing requests"
                )

    # -- helpers -------------------------------------------------------
    def _backoff(self, attempt: int, wait: float | None) -> float:
        if wait is not None:
            return min(
                self.config.max_wait, wait + self._rng.uniform(0, min(1.0, wait * 0.1))
            )
        ceiling = min(self._backoff_cap, self._backoff_base * 2**attempt)
        return self._rng.uniform(0, ceiling)

    def _scrub(self, text: str) -> str:
        return self._secret.scrub(text)

    def _record(
        self, batch: _Batch, info: ObjectInfo, attempt: Attempt, cost: float = 0.0
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


class AzureProvider(ChatProvider):
    """Azure OpenAI chat completions (``AsyncAzureOpenAI``) for one deployment."""

    name = "azure"
    label = "Azure OpenAI"

    def __init__(
        self,
        config: AidocConfig,
        settings: AzureSettings,
        **options: Any,  # noqa: ANN401
    ) -> None:
        super().__init__(
            config,
            model=settings.deployment,
            client_factory=settings.client_factory(),
            secret=settings.api_key,
            **options,
        )
        self.settings = settings

    def __repr__(self) -> str:
        return f"AzureProvider({self.settings!r})"

    def describe(self) -> str:
        """Return ``aidoc: using Azure OpenAI deployment 'x' at https://host/``."""
        return (
            f"aidoc: using Azure OpenAI deployment {self.model!r} at "
            f"{endpoint_origin(self.settings.endpoint)}"
        )


class OpenAIProvider(ChatProvider):
    """OpenAI or an OpenAI-compatible server (``AsyncOpenAI``)."""

    name = "openai"
    label = "OpenAI"

    def __init__(
        self,
        config: AidocConfig,
        settings: OpenAISettings,
        **options: Any,  # noqa: ANN401
    ) -> None:
        super().__init__(
            config,
            model=settings.model,
            client_factory=settings.client_factory(),
            secret=settings.api_key,
            **options,
        )
        self.settings = settings

    def __repr__(self) -> str:
        return f"OpenAIProvider({self.settings!r})"

    def describe(self) -> str:
        """Return ``aidoc: using OpenAI model 'x' at https://host/``."""
        return (
            f"aidoc: using OpenAI-compatible model {self.model!r} at "
            f"{endpoint_origin(self.settings.base_url or 'https://api.openai.com/')}"
        )


async def _close(client: openai.AsyncOpenAI) -> None:
    try:
        await client.close()
    except Exception:  # noqa: BLE001, S110 (closing a broken connection is not news)
        pass


def _run(factory: Callable[[], Coroutine[Any, Any, _T]]) -> _T:
    """Run a coroutine in a fresh event loop, in a helper thread if needed."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, factory()).result()
