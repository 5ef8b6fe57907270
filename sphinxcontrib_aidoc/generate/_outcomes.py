"""What the chat provider makes of a request's outcome.

Settling its bill (budget, usage, one call-log row per object), counting
failures towards the circuit breaker, concluding each object (a draft, or a
diagnostic and the offline fallback), honouring a server's ``Retry-After``
and the backoff between retries. Mixed into
:class:`~sphinxcontrib_aidoc.generate._engine.ChatProvider`.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.diagnostics import Diagnostic
from sphinxcontrib_aidoc.generate._batch import Batch, BatchReporting
from sphinxcontrib_aidoc.generate._calls import Attempt

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.generate.limits import Reservation
    from sphinxcontrib_aidoc.model import Draft, ObjectInfo

#: Outcomes of an attempt that count towards the circuit breaker.
_FAILED = frozenset({"error", "timeout", "invalid", "refused"})


class Outcomes(BatchReporting):
    """Bills, failures, conclusions and waits of a chat provider's requests."""

    _bill_seen: bool
    _failures_in_a_row: int
    _rng: random.Random
    _backoff_base: float
    _backoff_cap: float

    def _settle(
        self,
        batch: Batch,
        pack: list[ObjectInfo],
        attempt: Attempt,
        reservation: Reservation,
    ) -> None:
        """Replace the attempt's reservation by its bill, and log it per object."""
        billed = attempt.tokens_in + attempt.tokens_out
        cost = self.budget.settle(reservation, attempt.tokens_in, attempt.tokens_out)
        self._bill_seen = self._bill_seen or billed > 0
        self.usage.cost += cost
        self.usage.tokens_in += attempt.tokens_in
        self.usage.tokens_out += attempt.tokens_out
        count = len(pack)
        for index, info in enumerate(pack):
            first = index == 0
            share = Attempt(
                attempt.outcome,
                error=attempt.error,
                tokens_in=attempt.tokens_in // count
                + (attempt.tokens_in % count if first else 0),
                tokens_out=attempt.tokens_out // count
                + (attempt.tokens_out % count if first else 0),
                latency_ms=attempt.latency_ms,
            )
            if info.qualname in attempt.bad and attempt.outcome == "ok":
                share.outcome, share.error = "invalid", attempt.bad[info.qualname]
            self._record(batch, info, share, cost / count)

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
        self, info: ObjectInfo, attempt: Attempt, batch: Batch
    ) -> Draft | None:
        where = f"{info.file}:{info.lineno}" if info.file else ""
        draft = attempt.drafts.get(info.qualname)
        if draft is not None:
            self.usage.ok += 1
            neutralised = attempt.neutralised.get(info.qualname)
            if neutralised:
                batch.diagnostics.append(
                    Diagnostic(
                        "sanitize",
                        f"model text for {info.qualname} was cleaned before use: "
                        f"{', '.join(neutralised)}",
                        where,
                    )
                )
            return draft
        error = attempt.bad.get(info.qualname, attempt.error)
        self.usage.failed += 1
        subtype = "throttle" if attempt.outcome == "throttled" else "provider"
        batch.diagnostics.append(
            Diagnostic(
                subtype,
                f"{self.label}: no prose for {info.qualname} ({error}); "
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

    def _server_wait(self, result: Attempt, batch: Batch) -> None:
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
