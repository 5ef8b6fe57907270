"""Client-side limits: request and token pacing, and the per-build budget.

:class:`RateLimiter` spaces requests evenly instead of letting them out in
bursts (a burst allowance of one): with ``requests_per_minute`` equal to the
server's limit, two requests never start less than ``60 / rpm`` seconds
apart (plus a 2 % margin), so a server that counts requests over any sliding
window, even one second long, never sees more than its limit.

Tokens are counted the way Azure OpenAI counts them when it admits a
request: the estimate of the prompt plus the ``max_completion_tokens`` the
request asks for, whatever the answer later uses (a server never gives the
unused part back to the minute). Azure evaluates its limits over short
windows (``tokens_per_minute / 6`` per 10 s); the limiter keeps a log of
what it let out and starts a request only when the last
:data:`TOKEN_WINDOW_S` seconds, this request included, stay within that
window's share of the limit (less the 2 % margin). A request reaches the
server some time after it was let out, so its tokens stay booked for a
window after the moment it was surely admitted: its answer, or
:data:`ARRIVAL_S` after it was let out if that is sooner (a request still
on its way after that is assumed lost in the network). Then whenever the
server admits a request, every request in its window was counted by the
pacer when the last of them was let out. Any window the server
may use that is a whole number of these windows (10 s, 60 s, a fixed
minute) then never sees more than its limit from this client.

:class:`BuildBudget` stops a build from spending more than
``max_tokens_per_build`` tokens or ``budget`` money. Before every request it
reserves the request's worst case (every UTF-8 byte of the prompt counted as
a token, which no byte-level tokenizer exceeds, plus the full
``max_completion_tokens``) and refuses the request unless what was billed so
far, the reservations of the requests in flight and this one fit. After the
request, the reservation is replaced by the usage the server billed.

The guarantee: while the server bills no request more than its worst case,
spend never exceeds the budget. A server that bills a request more than its
worst case stops the budget for the rest of the build at the first such
answer (no request starts after it). The providers send the first request
of a build with a budget alone, so a server that over-bills from the start
takes spend past the budget by at most that one request's bill; one that
starts over-billing later, by at most the bills of the requests in flight
at that moment (``concurrency`` of them).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

#: Requests are spaced this much wider than the limit allows (2 %), so the
#: jitter of a local event loop and network never makes two requests closer
#: together than the server's window permits.
PACING_MARGIN = 1.02
#: The window over which token use is kept within its share of the limit
#: (Azure OpenAI's evaluation window for token limits).
TOKEN_WINDOW_S = 10.0
#: Seconds within which a request let out reaches the server (and is
#: admitted or refused there), at the latest.
ARRIVAL_S = 2.0

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


def estimate_tokens(text: str) -> int:
    """Return a rough token count of *text* (4 characters a token)."""
    return max(1, len(text) // 4)


class RateLimiter:
    """Paces request starts for a requests/minute and a tokens/minute limit.

    One instance serves one provider for a whole build: the schedule is
    plain arithmetic on a monotonic clock, so it needs no lock and carries
    over from one batch (event loop) to the next.

    Args:
        requests_per_minute: Request limit, or None for no limit.
        tokens_per_minute: Token limit, or None for no limit.
        clock: Monotonic clock in seconds.
        sleep: Coroutine function that waits a number of seconds.
    """

    def __init__(
        self,
        *,
        requests_per_minute: int | None = None,
        tokens_per_minute: int | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        window_s: float = TOKEN_WINDOW_S,
    ) -> None:
        self.requests_per_minute = requests_per_minute
        self.window_s = window_s
        self.tokens_per_minute = tokens_per_minute
        self._clock = clock
        self._sleep = sleep
        self._request_interval = (
            60.0 * PACING_MARGIN / requests_per_minute if requests_per_minute else 0.0
        )
        #: Tokens the client lets out per :data:`TOKEN_WINDOW_S` window.
        self.window_tokens = (
            tokens_per_minute * window_s / 60.0 / PACING_MARGIN
            if tokens_per_minute
            else 0.0
        )
        #: Earliest start of the next request, and the end of a pause the
        #: server asked for (Retry-After).
        self._next_request = 0.0
        self._paused_until = 0.0
        #: Token bookings of the last window and of the requests in flight.
        self._bookings: list[Booking] = []
        #: Seconds callers spent waiting in :meth:`acquire`.
        self.waited = 0.0
        #: Seconds booked tokens were held before their request was surely
        #: admitted, summed over the :attr:`answered` requests.
        self.held = 0.0
        self.answered = 0

    def __repr__(self) -> str:
        return (
            f"RateLimiter(requests_per_minute={self.requests_per_minute!r}, "
            f"tokens_per_minute={self.tokens_per_minute!r})"
        )

    def try_acquire(self, tokens: int = 0) -> float:
        """Start a request of *tokens* now if allowed, else say how long to wait.

        Returns:
            ``0.0`` when the request may start (its slot is then taken), or
            the seconds until the next slot (nothing is taken).
        """
        now = self._clock()
        start = max(
            self._next_request, self._paused_until, self._token_start(now, tokens)
        )
        if now < start:
            return start - now
        # Spacing counts from the moment a slot is really taken, not from
        # when it was due, so a late wake-up never squeezes two requests.
        if self._request_interval:
            self._next_request = now + self._request_interval
        if self.window_tokens:
            self._bookings.append(Booking(tokens, started=now))
        return 0.0

    def _token_start(self, now: float, tokens: int) -> float:
        """Return when *tokens* more fit in the window (``now`` if they do).

        A request larger than a whole window's share waits for an empty
        window: the server cannot admit it sooner either.
        """
        if not self.window_tokens:
            return now
        self._bookings = live = [
            b for b in self._bookings if b.admitted_by > now - self.window_s
        ]
        used = sum(b.tokens for b in live)
        limit = max(self.window_tokens, tokens)
        if used + tokens <= limit:
            return now
        for end, booked in sorted((b.admitted_by, b.tokens) for b in live):
            used -= booked
            if used + tokens <= limit:
                return end + self.window_s
        return now + self.window_s  # unreachable: the last expiry frees all

    def end(self, booking: Booking | None) -> None:
        """Say that the request of *booking* got its answer (or gave up)."""
        if booking is not None and booking.ended is None:
            booking.ended = self._clock()
            self.held += booking.admitted_by - booking.started
            self.answered += 1

    async def acquire(self, tokens: int = 0) -> float:
        """Wait until a request of *tokens* estimated tokens may start.

        Callers that wake together race for the slot; the others wait for
        the next one. Returns the seconds waited. The tokens count as used
        from now on (see :meth:`book` to count them until an answer).
        """
        booking = await self.book(tokens)
        self.end(booking)
        return booking.waited

    async def book(self, tokens: int) -> Booking:
        """Wait until a request of *tokens* may start; book them until :meth:`end`."""
        waited = 0.0
        while True:
            delay = self.try_acquire(tokens)
            if not delay:
                self.waited += waited
                if self.window_tokens:
                    booking = self._bookings[-1]
                    booking.waited = waited
                    return booking
                now = self._clock()
                return Booking(tokens, started=now, ended=now, waited=waited)
            waited += delay
            await self._sleep(delay)

    def paused_for(self) -> float:
        """Seconds left of a pause the server asked for (0 if none)."""
        return max(0.0, self._paused_until - self._clock())

    def pause(self, seconds: float) -> None:
        """Start no request for *seconds* (the server sent ``Retry-After``)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)


@dataclass(slots=True)
class Booking:
    """Tokens a request holds in the limiter's window."""

    tokens: int
    #: When the request was let out.
    started: float = 0.0
    #: When the request got its answer (None: in flight).
    ended: float | None = None
    #: Seconds the request waited for its slot.
    waited: float = 0.0

    @property
    def admitted_by(self) -> float:
        """The latest time the server can have admitted the request."""
        cap = self.started + ARRIVAL_S
        return cap if self.ended is None else min(self.ended, cap)


@dataclass(frozen=True, slots=True)
class Reservation:
    """Tokens and cost booked for one call before it is made."""

    tokens: int
    cost: float


class BuildBudget:
    """Tokens and money one build may spend on provider calls.

    Args:
        max_tokens: Most tokens (prompt plus completion) the build may use,
            or None for no limit.
        max_cost: Most money the build may spend, or None for no limit.
        price_per_1k_input: Price of 1,000 prompt tokens.
        price_per_1k_output: Price of 1,000 completion tokens.
    """

    def __init__(
        self,
        *,
        max_tokens: int | None = None,
        max_cost: float | None = None,
        price_per_1k_input: float = 0.0,
        price_per_1k_output: float = 0.0,
    ) -> None:
        self.max_tokens = max_tokens
        self.max_cost = max_cost
        self.price_per_1k_input = price_per_1k_input
        self.price_per_1k_output = price_per_1k_output
        self.tokens_used = 0
        self.cost_used = 0.0
        self._tokens_pending = 0
        self._cost_pending = 0.0
        #: Why the budget refused its first call ("" while it never did).
        self.exhausted = ""

    def __repr__(self) -> str:
        return (
            f"BuildBudget(max_tokens={self.max_tokens!r}, max_cost={self.max_cost!r},"
            f" tokens_used={self.tokens_used}, cost_used={self.cost_used:.6f})"
        )

    def cost(self, tokens_in: int, tokens_out: int) -> float:
        """Return the price of a call with these token counts."""
        return (
            tokens_in * self.price_per_1k_input + tokens_out * self.price_per_1k_output
        ) / 1000

    @property
    def limited(self) -> bool:
        """Whether there is a token or money limit at all."""
        return self.max_tokens is not None or self.max_cost is not None

    def reserve(self, tokens_in: int, tokens_out: int) -> Reservation | None:
        """Book a call's worst case; return None (and stop for good) if it won't fit.

        Once a call did not fit, every later one is refused too, so a build
        stops at the budget instead of squeezing in smaller calls.
        """
        if self.exhausted:
            return None
        tokens = tokens_in + tokens_out
        cost = self.cost(tokens_in, tokens_out)
        if (
            self.max_tokens is not None
            and self.tokens_used + self._tokens_pending + tokens > self.max_tokens
        ):
            self.exhausted = (
                f"max_tokens_per_build={self.max_tokens:,} reached "
                f"({self.tokens_used:,} tokens used)"
            )
            return None
        if (
            self.max_cost is not None
            and self.cost_used + self._cost_pending + cost > self.max_cost
        ):
            self.exhausted = (
                f"budget={self.max_cost:g} reached (est. {self.cost_used:.4f} spent)"
            )
            return None
        self._tokens_pending += tokens
        self._cost_pending += cost
        return Reservation(tokens, cost)

    def settle(
        self, reservation: Reservation, tokens_in: int, tokens_out: int
    ) -> float:
        """Replace a reservation with the billed usage; return the billed cost.

        A bill above the reservation (a server billing more than the request
        could use) stops the budget: no later :meth:`reserve` succeeds.
        """
        self._tokens_pending -= reservation.tokens
        self._cost_pending -= reservation.cost
        cost = self.cost(tokens_in, tokens_out)
        tokens = tokens_in + tokens_out
        self.tokens_used += tokens
        self.cost_used += cost
        over = tokens > reservation.tokens or cost > reservation.cost + 1e-12
        if over and self.limited and not self.exhausted:
            self.exhausted = (
                f"the server billed {tokens:,} tokens for a request whose worst "
                f"case was {reservation.tokens:,}; no more requests in this build "
                f"({self.cost_used:.4f} spent)"
            )
        return cost
