"""Network providers: Azure OpenAI and OpenAI-compatible chat completions.

Both write prose for a batch of objects with an asyncio batch of
``concurrency`` workers (run in a fresh event loop per
:meth:`~ChatProvider.draft_many`, so a synchronous caller in any thread can
use them). Every request goes through the same steps:

1. skip it when the circuit is open or the build budget cannot afford its
   estimate (prompt tokens plus the largest answer);
2. wait for the :class:`~sphinxcontrib_aidoc.generate.limits.RateLimiter`;
3. call the API with the library's own retries off;
4. on 408/409/429/5xx, timeouts and connection errors, retry up to
   ``max_retries`` times: after ``Retry-After``/``retry-after-ms`` when the
   server sent one, else after an exponential backoff with full jitter;
5. read the answer (:func:`~sphinxcontrib_aidoc.generate.prompt.parse_answer`)
   and sanitize it (:func:`~sphinxcontrib_aidoc.generate.sanitize.sanitize_draft`).

Objects without an answer are left out of the result, so the generator
writes them offline and caches nothing for them. After ``circuit_breaker``
failed objects in a row (or at once, on 401/403/404) the provider stops
calling for the rest of the build. The API key never leaves this module: it
is not in any repr, diagnostic or recorder row, and is scrubbed from the
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
    build_messages,
    prompt_tokens,
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

    from sphinxcontrib_aidoc.generate import GenerationStats, OnDone

__all__ = ["AzureProvider", "ChatProvider", "OpenAIProvider"]

_T = TypeVar("_T")


@dataclass(slots=True)
class _Batch:
    """What one ``draft_many`` call collects before handing it over."""

    records: list[CallRecord] = field(default_factory=list)
    #: How many of :attr:`records` the recorder already has.
    sent: int = 0
    #: Why recording failed (then nothing more is tried), or "".
    record_error: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    budget_skipped: int = 0
    circuit_skipped: int = 0


class ChatProvider:
    """The shared engine of the chat-completions providers.

    Args:
        config: Limits, retries, timeouts and prices.
        model: Model (or Azure deployment) name; part of cache keys.
        client_factory: Builds the async client inside the batch's event loop.
        secret: The API key, used only to scrub error texts.
        recorder: Receives one row per request outcome.
        limiter: Request pacing (default: from *config*).
        budget: Build budget (default: from *config*).
        backoff_base: Seconds of the first retry's backoff ceiling.
        backoff_cap: Largest backoff ceiling, in seconds.
        rng: Random source of the jitter.
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
        self._backoff_cap = backoff_cap
        self._rng = rng or random.Random()  # noqa: S311 (jitter, not crypto)
        self._failures_in_a_row = 0
        self.circuit_open = ""
        self._circuit_reported = False

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
    ) -> dict[str, Draft]:
        """Return drafts by qualname for the objects the provider could write.

        Objects left out (failed, refused, over budget, circuit open) fall
        back offline in the generator. Diagnostics and recorder rows are
        handed over in the calling thread once the batch is done.
        """
        if not infos:
            return {}
        batch = _Batch()
        started = time.perf_counter()
        try:
            drafts = _run(lambda: self._run_batch(infos, style, batch, on_done))
        finally:
            self.usage.wall_s += time.perf_counter() - started
            self._hand_over(batch, reporter)
        return drafts

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

        finished: set[str] = set()

        async def worker() -> None:
            for info in queue:
                try:
                    draft = await self._draft_one(client, info, style, batch)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # noqa: BLE001 - one object, not the build
                    draft = None
                    self.usage.failed += 1
                    batch.diagnostics.append(
                        Diagnostic(
                            "provider",
                            f"{self.label}: no prose for {info.qualname} "
                            f"({exc.__class__.__name__}: {self._scrub(str(exc))[:200]});"
                            " using the offline fallback",
                        )
                    )
                finished.add(info.qualname)
                self._send_records(batch)
                if draft is not None:
                    drafts[info.qualname] = draft
                if on_done is not None:
                    on_done(info, draft)

        workers = min(self.config.concurrency, len(infos))
        tasks = [asyncio.ensure_future(worker()) for _ in range(workers)]
        deadline = self.config.provider_deadline
        try:
            done, pending = await asyncio.wait(tasks, timeout=deadline)
            for task in done:
                task.result()  # a bug in the loop itself still surfaces
            if pending:
                self._deadline_reached(infos, finished, batch, deadline)
        finally:
            for task in tasks:  # stop the other workers before closing
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await client.close()
        return drafts

    def _deadline_reached(
        self,
        infos: Sequence[ObjectInfo],
        finished: set[str],
        batch: _Batch,
        deadline: float,
    ) -> None:
        """Stop asking: what is not answered yet is written offline."""
        left = [i for i in infos if i.qualname not in finished]
        self.circuit_open = f"the provider stage deadline of {deadline:g} s was reached"
        self._circuit_reported = True  # said below, with the count
        self.usage.skipped += len(left)
        for info in left:
            self._record(batch, info, Attempt("deadline", error=self.circuit_open))
        batch.diagnostics.append(
            Diagnostic(
                "provider",
                f"{self.label}: provider stage deadline of {deadline:g} s reached; "
                f"{len(left)} object(s) written offline (aidoc_provider_deadline)",
            )
        )

    def _hand_over(self, batch: _Batch, reporter: Reporter) -> None:
        if batch.budget_skipped:
            batch.diagnostics.append(
                Diagnostic(
                    "budget",
                    f"{self.label}: {self.budget.exhausted}; "
                    f"{batch.budget_skipped} object(s) left to the offline fallback",
                )
            )
        if self.circuit_open and not self._circuit_reported:
            self._circuit_reported = True
            batch.diagnostics.append(
                Diagnostic(
                    "provider",
                    f"{self.label}: {self.circuit_open}; not calling it again in "
                    f"this build ({batch.circuit_skipped} object(s) of this batch "
                    "left to the offline fallback)",
                )
            )
        for diagnostic in batch.diagnostics:
            reporter.report(diagnostic)
        self._send_records(batch)
        if batch.record_error:
            reporter.report(
                Diagnostic(
                    "db",
                    f"could not record provider calls ({batch.record_error}); "
                    f"{len(batch.records) - batch.sent} row(s) not recorded",
                )
            )

    def _send_records(self, batch: _Batch) -> None:
        """Log the requests made so far (as they happen: a killed build keeps them)."""
        if self.recorder is None or batch.record_error:
            return
        try:
            while batch.sent < len(batch.records):
                batch.records[batch.sent].send(self.recorder)
                batch.sent += 1
        except Exception as exc:  # noqa: BLE001 (a log must not stop a build)
            batch.record_error = (
                f"{exc.__class__.__name__}: {self._scrub(str(exc))[:200]}"
            )

    # -- one object ----------------------------------------------------
    async def _draft_one(
        self, client: openai.AsyncOpenAI, info: ObjectInfo, style: str, batch: _Batch
    ) -> Draft | None:
        if self.circuit_open:
            batch.circuit_skipped += 1
            self.usage.skipped += 1
            self._record(batch, info, Attempt("circuit_open", error=self.circuit_open))
            return None
        messages = build_messages(
            info, style=style, max_prompt_tokens=self.config.max_prompt_tokens
        )
        estimate = prompt_tokens(messages)
        reservation = self.budget.reserve(estimate, MAX_COMPLETION_TOKENS)
        if reservation is None:
            batch.budget_skipped += 1
            self.usage.skipped += 1
            self._record(batch, info, Attempt("budget", error=self.budget.exhausted))
            return None
        tokens_in = tokens_out = 0
        attempt = Attempt("error")
        try:
            for number in range(self.config.max_retries + 1):
                await self.limiter.acquire(estimate + MAX_COMPLETION_TOKENS)
                attempt = await self._attempt(client, info, messages)
                tokens_in += attempt.tokens_in
                tokens_out += attempt.tokens_out
                self.limiter.settle(
                    estimate + MAX_COMPLETION_TOKENS,
                    attempt.tokens_in + attempt.tokens_out,
                )
                attempt_cost = self.budget.cost(attempt.tokens_in, attempt.tokens_out)
                self._record(batch, info, attempt, attempt_cost)
                if not attempt.retry or number == self.config.max_retries:
                    break
                if self._circuit_is_open():  # another worker opened it meanwhile
                    break
                await asyncio.sleep(self._backoff(number, attempt.wait))
        finally:
            self.usage.cost += self.budget.settle(reservation, tokens_in, tokens_out)
            self.usage.tokens_in += tokens_in
            self.usage.tokens_out += tokens_out
        return self._conclude(info, attempt, batch)

    def _conclude(
        self, info: ObjectInfo, attempt: Attempt, batch: _Batch
    ) -> Draft | None:
        where = f"{info.file}:{info.lineno}" if info.file else ""
        if attempt.draft is not None:
            self.usage.ok += 1
            self._failures_in_a_row = 0
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
        self._failures_in_a_row += 1
        subtype = "throttle" if attempt.outcome == "throttled" else "provider"
        batch.diagnostics.append(
            Diagnostic(
                subtype,
                f"{self.label}: no prose for {info.qualname} ({attempt.error}); "
                "using the offline fallback",
                where,
            )
        )
        if not self.circuit_open:
            if attempt.fatal:
                self.circuit_open = f"{attempt.error}"
            elif self._failures_in_a_row >= self.config.circuit_breaker:
                self.circuit_open = f"{self._failures_in_a_row} objects in a row failed"
        return None

    async def _attempt(
        self,
        client: openai.AsyncOpenAI,
        info: ObjectInfo,
        messages: list[dict[str, str]],
    ) -> Attempt:
        self.usage.requests += 1
        started = time.perf_counter()
        result = await call_once(client, info, messages, self._target)
        result.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        if result.outcome == "throttled":
            self.usage.throttled_429 += 1
        if result.wait is not None:
            longest = self.config.max_wait
            if result.wait > longest:
                # Not waited for: this object goes offline, and the others
                # pause no longer than the cap.
                result.retry = False
                result.error += (
                    f"; longer than aidoc_max_wait ({longest:g} s), not waited for"
                )
            if result.outcome == "throttled":
                self.limiter.pause(min(result.wait, longest))
        return result

    # -- helpers -------------------------------------------------------
    def _circuit_is_open(self) -> bool:
        return bool(self.circuit_open)

    def _backoff(self, attempt: int, wait: float | None) -> float:
        if wait is not None:
            pause = wait + self._rng.uniform(0, min(1.0, wait * 0.1))
        else:
            ceiling = min(self._backoff_cap, self._backoff_base * 2**attempt)
            pause = self._rng.uniform(0, ceiling)
        return min(pause, self.config.max_wait)

    def _scrub(self, text: str) -> str:
        return self._secret.scrub(text)

    def _record(
        self, batch: _Batch, info: ObjectInfo, attempt: Attempt, cost: float = 0.0
    ) -> None:
        batch.records.append(
            CallRecord(
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
        )


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


def _run(factory: Callable[[], Coroutine[Any, Any, _T]]) -> _T:
    """Run a coroutine in a fresh event loop, in a helper thread if needed."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, factory()).result()
