"""What provider calls cost: per-call records and per-build counters.

Providers hand every request outcome to an optional *recorder*, a callable
taking keyword arguments (see :class:`Recorder`). The store's
``record_call(build_id, *, qualname, ...)`` fits once its build id is bound::

    recorder = functools.partial(store.record_call, build_id)

The generate package never imports the store itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.generate import GenerationStats

#: Outcomes of one request attempt (or of an object that was never sent).
OUTCOMES = (
    "ok",
    "invalid",
    "refused",
    "error",
    "timeout",
    "throttled",
    "budget",
    "circuit_open",
    "deadline",
)


class Recorder(Protocol):
    """Receives one row per request attempt; called with keyword arguments."""

    def __call__(
        self,
        *,
        qualname: str,
        provider: str,
        model: str,
        outcome: str,
        tokens_in: int,
        tokens_out: int,
        latency_ms: float,
        cost: float,
        error: str,
        via: str = "request",
    ) -> None:
        """Record one outcome (*via* ``batch``: an answer of a batch job)."""


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One row for the recorder (``error`` is already free of secrets)."""

    qualname: str
    provider: str
    model: str
    outcome: str
    tokens_in: int = 0
    tokens_out: int = 0
    latency_ms: float = 0.0
    cost: float = 0.0
    error: str = ""
    via: str = "request"

    def send(self, recorder: Recorder) -> None:
        """Pass this record to *recorder*."""
        recorder(
            qualname=self.qualname,
            provider=self.provider,
            model=self.model,
            outcome=self.outcome,
            tokens_in=self.tokens_in,
            tokens_out=self.tokens_out,
            latency_ms=self.latency_ms,
            cost=self.cost,
            error=self.error,
            via=self.via,
        )


@dataclass(slots=True)
class ProviderUsage:
    """Counters of one provider over a build (all batches).

    ``requests`` counts HTTP attempts, ``ok``/``failed`` count objects that
    got (or did not get) prose after their retries, ``skipped`` counts
    objects never sent (budget spent, circuit open, deadline passed).
    ``tokens_admitted`` counts what a rate limiter like Azure's books for
    the requests (prompt estimate plus the completion asked for),
    ``length_retries`` the answers cut at the token limit and asked again,
    ``unpacked`` the objects of a shared request asked again alone.
    """

    requests: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost: float = 0.0
    throttled_429: int = 0
    wall_s: float = 0.0
    tokens_admitted: int = 0
    length_retries: int = 0
    unpacked: int = 0


def summary_line(
    usage: ProviderUsage | None = None, stats: GenerationStats | None = None
) -> str:
    """Return the one-line build summary of generation.

    Example: ``aidoc: 120 generated, 30 from cache, 2 failed (offline),
    53,210 tokens in / 8,100 out, est. $0.012, 14.2 s``. With *stats* (the
    generator's counters) the first three figures are per object as the
    generator saw them; without, they come from *usage*.
    """
    usage = usage or ProviderUsage()
    if stats is not None:
        generated, cached, failed = stats.generated, stats.cache_hits, stats.fallbacks
    else:
        generated, cached, failed = usage.ok, 0, usage.failed + usage.skipped
    return (
        f"aidoc: {generated:,} generated, {cached:,} from cache, "
        f"{failed:,} failed (offline), {usage.tokens_in:,} tokens in / "
        f"{usage.tokens_out:,} out, est. ${usage.cost:.3f}, {usage.wall_s:.1f} s"
    )
