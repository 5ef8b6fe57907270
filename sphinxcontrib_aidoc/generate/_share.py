"""Builds on one database share their provider work through leases.

Before a network provider is asked, the generator leases the cache keys it
is about to ask for (one transaction, so of two builds starting together
one gets each key), then reads the cache again for the keys it got: the
other build may have stored their answers, and released them, since the
generator last looked. Keys leased by another live build are not asked for:
once its own batch is done, the generator reads their answers from the
cache as the other build stores them, and writes offline what the other
build gave up on (its lease released with no answer: it failed there, and
the next build asks again). A lease lasts :data:`LEASE_TTL_S` seconds and is
renewed while its batch runs; a holder that dies stops renewing, and a dead
holder on the same host is recognised at once by its process id.

The waiting is bounded by the provider's deadline
(``aidoc_provider_deadline``) and shown as a status line.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from sphinxcontrib_aidoc.diagnostics import Diagnostic

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.generate import Generator, Progress
    from sphinxcontrib_aidoc.model import Draft, ObjectInfo

#: Seconds a lease lasts unless renewed (renewed every third of it).
LEASE_TTL_S = 60.0
#: Seconds between two looks at the cache while waiting for another build.
POLL_S = 0.25
#: Seconds between two status lines while waiting for another build.
NOTE_EVERY_S = 10.0

_HOLDER: tuple[int, str] | None = None


def holder_id() -> str:
    """Return this process's lease holder id, ``host:pid:random``."""
    global _HOLDER  # noqa: PLW0603 (per-process id, rebuilt after a fork)
    pid = os.getpid()
    if _HOLDER is None or _HOLDER[0] != pid:
        _HOLDER = (pid, f"{socket.gethostname()}:{pid}:{uuid.uuid4().hex[:8]}")
    return _HOLDER[1]


@runtime_checkable
class LeaseCache(Protocol):
    """What sharing needs from a cache (the Store implements it)."""

    def cache_get_many(self, keys: Sequence[str]) -> dict[str, Draft]:
        """Return the cached drafts among *keys*."""

    def lease_acquire(
        self, keys: Sequence[str], *, holder: str, ttl: float
    ) -> set[str]:
        """Lease the free (or expired) *keys* to *holder*; return those it holds."""

    def lease_renew(self, keys: Sequence[str], *, holder: str, ttl: float) -> None:
        """Extend *holder*'s leases on *keys*."""

    def lease_release(self, keys: Sequence[str], *, holder: str) -> None:
        """End *holder*'s leases on *keys*."""

    def lease_active(self, keys: Sequence[str]) -> set[str]:
        """Return the keys among *keys* leased by a live holder."""


class Share:
    """The leases of one generator batch; get one from :meth:`start`."""

    def __init__(
        self,
        cache: LeaseCache,
        mine: list[ObjectInfo],
        theirs: list[ObjectInfo],
        held: set[str],
        keys: dict[str, str],
    ) -> None:
        self.cache = cache
        #: Objects this build asks the provider for.
        self.mine = mine
        #: Objects another build is asking for.
        self.theirs = theirs
        self.keys = keys
        self.holder = holder_id()
        #: Answers of the other build read from the cache.
        self.received = 0
        self._held = held
        self._lock = threading.Lock()

    @classmethod
    def start(
        cls, generator: Generator, missing: list[ObjectInfo], keys: dict[str, str]
    ) -> Share | None:
        """Lease the keys of *missing*; None when there is nothing to share.

        Offline drafting is free and instant, so only network providers
        lease. A cache without leases (or whose leases fail) is used as is.
        """
        cache: object = generator.cache
        if generator.provider.name == "offline" or not isinstance(cache, LeaseCache):
            return None
        wanted = sorted({keys[info.qualname] for info in missing})
        try:
            held = cache.lease_acquire(wanted, holder=holder_id(), ttl=LEASE_TTL_S)
            # Another build may have stored an answer and released its lease
            # since the cache was read: that answer is read, not paid again.
            answered = set(cache.cache_get_many(sorted(held))) if held else set()
            if answered:
                cache.lease_release(sorted(answered), holder=holder_id())
                held = held - answered
        except Exception as exc:  # noqa: BLE001 (sharing is an optimisation)
            generator.reporter.report(
                Diagnostic(
                    "cache",
                    f"could not lease drafts in the database ({type(exc).__name__}: "
                    f"{exc}); another build on it may ask for the same objects",
                )
            )
            return None
        mine = [info for info in missing if keys[info.qualname] in held]
        theirs = [info for info in missing if keys[info.qualname] not in held]
        return cls(cache, mine, theirs, set(held), keys)

    # -- our leases ------------------------------------------------------
    def release(self, key: str) -> None:
        """End the lease on *key* (its object is done, answered or not)."""
        with self._lock:
            if key not in self._held:
                return
            self._held.discard(key)
        with contextlib.suppress(Exception):
            self.cache.lease_release([key], holder=self.holder)

    def release_all(self) -> None:
        """End every lease still held."""
        with self._lock:
            keys, self._held = sorted(self._held), set()
        if keys:
            with contextlib.suppress(Exception):
                self.cache.lease_release(keys, holder=self.holder)

    @contextlib.contextmanager
    def renewing(self) -> Iterator[None]:
        """Renew the leases still held, in a thread, while the block runs."""
        stop = threading.Event()

        def renew() -> None:
            while not stop.wait(LEASE_TTL_S / 3):
                with self._lock:
                    keys = sorted(self._held)
                if keys:
                    with contextlib.suppress(Exception):
                        self.cache.lease_renew(
                            keys, holder=self.holder, ttl=LEASE_TTL_S
                        )

        thread = threading.Thread(target=renew, name="aidoc-leases", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()

    # -- their answers ---------------------------------------------------
    def collect(
        self, generator: Generator, progress: Progress | None
    ) -> dict[str, Draft]:
        """Wait for the other build's answers to :attr:`theirs`.

        Returns the drafts found in the cache; objects the other build gave
        up on, or still had when the deadline passed, are left out (the
        generator writes them offline) and reported.
        """
        pending = {self.keys[info.qualname]: info for info in self.theirs}
        if not pending:
            return {}
        note = getattr(progress, "note", None)
        time_left = getattr(generator.provider, "time_left", None)
        left = time_left() if callable(time_left) else None
        until = None if left is None else time.monotonic() + float(left)
        drafts: dict[str, Draft] = {}
        next_note = time.monotonic() + NOTE_EVERY_S
        abandoned = 0
        try:
            while pending:
                self._take(pending, drafts)
                if not pending:
                    break
                active = self.cache.lease_active(sorted(pending))
                gone = [key for key in pending if key not in active]
                if gone:  # released: answered just now, or given up
                    self._take(pending, drafts, gone)
                    for key in gone:
                        if pending.pop(key, None) is not None:
                            abandoned += 1
                now = time.monotonic()
                if not pending or (until is not None and now >= until):
                    break
                if callable(note) and now >= next_note:
                    note(
                        f"aidoc: waiting for another build writing {len(pending)} "
                        f"docstring(s) ({len(drafts)} received)"
                    )
                    next_note = now + NOTE_EVERY_S
                time.sleep(POLL_S)
        except Exception as exc:  # noqa: BLE001 (a failing cache ends the wait)
            generator.reporter.report(
                Diagnostic(
                    "cache",
                    f"stopped waiting for another build's drafts ({type(exc).__name__}"
                    f": {exc})",
                )
            )
        self.received = len(drafts)
        if abandoned or pending:
            generator.reporter.report(
                Diagnostic(
                    "provider",
                    f"{abandoned + len(pending)} object(s) another build on the same "
                    "database was drafting got no answer there"
                    + (" before the provider deadline" if pending else "")
                    + "; written offline (the next build asks again)",
                )
            )
        return drafts

    def _take(
        self,
        pending: dict[str, ObjectInfo],
        drafts: dict[str, Draft],
        keys: Sequence[str] | None = None,
    ) -> None:
        found = self.cache.cache_get_many(sorted(keys if keys is not None else pending))
        for key, draft in found.items():
            info = pending.pop(key, None)
            if info is not None:
                drafts[info.qualname] = draft.with_source("cache")
