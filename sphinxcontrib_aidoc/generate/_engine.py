"""The engine of the chat-completions providers (see :mod:`.providers`)."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import AsyncIterator, Callable, Sequence
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.config import AidocConfig
from sphinxcontrib_aidoc.diagnostics import Reporter
from sphinxcontrib_aidoc.generate._batch import (
    Batch,
    close_client,
    run_coroutine,
)
from sphinxcontrib_aidoc.generate._calls import Attempt, Target, call_once
from sphinxcontrib_aidoc.generate._client import (
    BatchClientFactory,
    ClientFactory,
    Secret,
)
from sphinxcontrib_aidoc.generate._outcomes import Outcomes
from sphinxcontrib_aidoc.generate.limits import BuildBudget, RateLimiter
from sphinxcontrib_aidoc.generate.prompt import (
    PromptTooLarge,
    build_messages,
    build_pack,
    prompt_tokens,
    worst_case_tokens,
)
from sphinxcontrib_aidoc.generate.sizing import (
    completion_tokens,
    larger_limit,
    pack_completion_tokens,
    packs,
)
from sphinxcontrib_aidoc.generate.usage import ProviderUsage, Recorder, summary_line
from sphinxcontrib_aidoc.model import Draft, ObjectInfo

if TYPE_CHECKING:
    import openai

    from sphinxcontrib_aidoc.generate import GenerationStats, Notify, OnDone

__all__ = ["ChatProvider"]

#: Seconds without a finished object before a status line is shown.
HEARTBEAT_S = 10.0


class ChatProvider(Outcomes):
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
        heartbeat: Seconds without progress before a status line (default:
            half the request timeout, at most :data:`HEARTBEAT_S`).
        clock: Monotonic clock (the deadline).
    """

    name = "chat"
    label = "chat completions"
    #: Builds the client of the provider's batch API (None: it has none).
    batch_client: BatchClientFactory | None = None
    #: The ``endpoint`` value of a batch job's requests.
    batch_endpoint = "/v1/chat/completions"

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
        heartbeat: float | None = None,
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
        self._heartbeat = (
            heartbeat
            if heartbeat is not None
            else min(HEARTBEAT_S, max(0.5, config.request_timeout / 2))
        )
        self._clock = clock
        self._failures_in_a_row = 0
        #: Whether a request's bill has been seen (see ``_request``).
        self._bill_seen = False
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

    @property
    def request_target(self) -> Target:
        """Who is called and how (names for drafts, the secret to scrub)."""
        return self._target

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
        batch = Batch(total=len(infos), notify=notify)
        started = time.perf_counter()
        if self._stage_started is None:
            self._stage_started = self._clock()
        try:
            drafts = run_coroutine(lambda: self._run_batch(infos, batch, on_done))
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
        batch: Batch,
        on_done: OnDone | None,
    ) -> dict[str, Draft]:
        drafts: dict[str, Draft] = {}
        groups = packs(infos, self.config.objects_per_request, self._prompt_of)
        queue = iter(groups)
        client = self._client_factory(self.config.request_timeout)

        async def worker() -> None:
            for pack in queue:
                batch.in_flight += 1
                try:
                    got = await self._draft_pack(client, pack, batch)
                except Exception as exc:  # noqa: BLE001 (one request, not the batch)
                    got = {}
                    for info in pack:
                        if info.qualname not in batch.finished:
                            self._internal_error(batch, info, exc)
                finally:
                    batch.in_flight -= 1
                for info in pack:
                    if info.qualname in batch.finished:
                        continue
                    draft = got.get(info.qualname)
                    batch.done += 1
                    batch.finished.add(info.qualname)
                    if draft is not None:
                        drafts[info.qualname] = draft
                    if on_done is not None:
                        on_done(info, draft)

        workers = min(self.config.concurrency, len(groups))
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
            await close_client(client)
        return drafts

    def _prompt_of(self, info: ObjectInfo) -> int:
        """Estimated prompt tokens of *info* asked alone (huge: it does not fit)."""
        try:
            messages = build_messages(
                info, max_prompt_tokens=self.config.max_prompt_tokens
            )
        except PromptTooLarge:
            return 1 << 30
        return prompt_tokens(messages)

    def _skip(self, batch: Batch, pack: Sequence[ObjectInfo]) -> bool:
        """Whether *pack* is not sent at all (circuit open, deadline passed)."""
        if not self.deadline_passed and self.time_left() == 0.0:
            self.deadline_passed = (
                f"aidoc_provider_deadline={self.config.provider_deadline:g} s passed"
            )
        if self.deadline_passed:
            batch.deadline_skipped += len(pack)
            outcome, error = "deadline", self.deadline_passed
        elif self.circuit_open:
            batch.circuit_skipped += len(pack)
            outcome, error = "circuit_open", self.circuit_open
        else:
            return False
        for info in pack:
            self.usage.skipped += 1
            self._record(batch, info, Attempt(outcome, error=error))
        return True

    async def _draft_pack(
        self, client: openai.AsyncOpenAI, pack: list[ObjectInfo], batch: Batch
    ) -> dict[str, Draft]:
        """Ask for *pack* in one request; objects it could not answer go alone."""
        if self._skip(batch, pack):
            return {}
        try:
            messages = build_pack(pack, max_prompt_tokens=self.config.max_prompt_tokens)
        except PromptTooLarge as exc:
            batch.too_large += len(pack)
            batch.too_large_needed = max(batch.too_large_needed, exc.needed)
            for info in pack:
                self.usage.skipped += 1
                self._record(batch, info, Attempt("budget", error=str(exc)))
            return {}
        limit = (
            pack_completion_tokens(pack)
            if len(pack) > 1
            else completion_tokens(pack[0])
        )
        attempt = await self._request(client, pack, messages, limit, batch)
        if attempt is None:
            return {}
        alone = list(attempt.bad) if attempt.outcome == "ok" else []
        if len(pack) > 1 and self._unpack(attempt):
            alone = [info.qualname for info in pack]
        drafts: dict[str, Draft] = {}
        for info in pack:
            if info.qualname in alone and len(pack) > 1:
                self.usage.unpacked += 1
                drafts.update(await self._draft_pack(client, [info], batch))
                continue
            draft = self._conclude(info, attempt, batch)
            if draft is not None:
                drafts[info.qualname] = draft
        return drafts

    def _unpack(self, attempt: Attempt) -> bool:
        """Whether a failed shared request is asked again object by object.

        An answer that failed as a whole (cut twice, not JSON, refused, a
        server error after the retries) may be caused by one object: each
        is then asked alone. A throttled service, an open circuit or a
        passed deadline are not helped by more requests.
        """
        if attempt.outcome in {"ok", "throttled"}:
            return False
        return not (self.circuit_open or self.deadline_passed or attempt.fatal)

    async def _request(
        self,
        client: openai.AsyncOpenAI,
        pack: list[ObjectInfo],
        messages: list[dict[str, str]],
        limit: int,
        batch: Batch,
    ) -> Attempt | None:
        """Send one request with its retries; None when the budget refused it."""
        estimate = prompt_tokens(messages)
        worst = worst_case_tokens(messages)
        attempt = Attempt("error")
        number = 0
        lengthened = False
        while True:
            # With a budget, requests go one at a time until one bill was
            # seen: a server that bills more than the worst case is caught
            # by its first answer, with nothing else in flight.
            async with self._first_bill(batch):
                reservation = self.budget.reserve(worst, limit)
                if reservation is None:
                    if number or lengthened:  # retries cut by the budget
                        break
                    batch.budget_skipped += len(pack)
                    for info in pack:
                        self.usage.skipped += 1
                        self._record(
                            batch, info, Attempt("budget", error=self.budget.exhausted)
                        )
                    return None
                # The server counts the prompt and the completion asked for.
                booking = await self.limiter.book(estimate + limit)
                # Cancelled here (the deadline), the reservation stays booked:
                # a request the server may bill is never counted as free.
                try:
                    attempt = await self._attempt(client, pack, messages, limit, batch)
                finally:
                    self.limiter.end(booking)
                if attempt.cut and not lengthened:
                    attempt.error += f" ({limit:,}); asking once more with more room"
                self._settle(batch, pack, attempt, reservation)
            self._count_failure(attempt)
            if attempt.cut and not lengthened:
                lengthened = True
                limit = larger_limit(limit)
                self.usage.length_retries += 1
                continue
            if not attempt.retry or number == self.config.max_retries:
                break
            if self.circuit_open or self.deadline_passed:
                break
            await asyncio.sleep(self._backoff(number, attempt.wait))
            number += 1
        return attempt

    @contextlib.asynccontextmanager
    async def _first_bill(self, batch: Batch) -> AsyncIterator[None]:
        """Hold the batch's gate while a budget has not seen a bill yet."""
        if not self.budget.limited or self._bill_seen:
            yield
            return
        await batch.gate.acquire()
        if self.bill_seen():  # seen while this request waited
            batch.gate.release()
            yield
            return
        try:
            yield
        finally:
            batch.gate.release()

    def bill_seen(self) -> bool:
        """Whether a request's bill has been seen in this build."""
        return self._bill_seen

    async def _attempt(
        self,
        client: openai.AsyncOpenAI,
        pack: list[ObjectInfo],
        messages: list[dict[str, str]],
        limit: int,
        batch: Batch,
    ) -> Attempt:
        self.usage.requests += 1
        self.usage.tokens_admitted += prompt_tokens(messages) + limit
        started = time.perf_counter()
        result = await call_once(client, pack, messages, self._target, limit)
        result.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        if result.outcome == "throttled":
            self.usage.throttled_429 += 1
        if result.wait is not None:
            self._server_wait(result, batch)
        return result
