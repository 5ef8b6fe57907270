"""Leases: which build is asking the provider for which cache key.

A lease row names its holder (``host:pid:random``), the holder's host and
process id, and when it expires (Unix time). It is free to take when it has
expired or when its holder is a process of this host that no longer runs
(a build killed with ``kill -9`` leaves its leases behind).
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Sequence

from sphinxcontrib_aidoc.store._base import StoreBase, chunks, where_in

_SELECT = "SELECT key, host, pid, expires_at FROM leases WHERE key IN ({marks})"
_DELETE = "DELETE FROM leases WHERE key IN ({marks})"
_MINE = "SELECT key FROM leases WHERE holder = ? AND key IN ({marks})"
_RENEW = "UPDATE leases SET expires_at = ? WHERE holder = ? AND key IN ({marks})"
_RELEASE = "DELETE FROM leases WHERE holder = ? AND key IN ({marks})"


def process_alive(host: str, pid: int) -> bool:
    """Whether process *pid* of *host* may still run (other hosts: assume so)."""
    if host != socket.gethostname() or pid <= 0:
        return bool(host) or pid > 0
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _holder_parts(holder: str) -> tuple[str, int]:
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    return host, int(pid) if pid.isdigit() else 0


class LeasesMixin(StoreBase):
    """The ``lease_*`` methods of :class:`~sphinxcontrib_aidoc.store.Store`."""

    def _live(self, keys: Sequence[str], now: float) -> tuple[set[str], list[str]]:
        """Return the keys leased by live holders, and the stale ones."""
        live: set[str] = set()
        stale: list[str] = []
        for chunk in chunks(list(dict.fromkeys(keys))):
            rows = self.db.execute(where_in(_SELECT, len(chunk)), chunk).fetchall()
            for key, host, pid, expires_at in rows:
                if expires_at > now and process_alive(host, int(pid)):
                    live.add(key)
                else:
                    stale.append(key)
        return live, stale

    def lease_acquire(
        self, keys: Sequence[str], *, holder: str, ttl: float
    ) -> set[str]:
        """Lease the free or stale *keys* to *holder*, in one transaction.

        Returns:
            The keys *holder* now holds (taken now or held before).
        """
        host, pid = _holder_parts(holder)
        now = time.time()
        held: set[str] = set()
        with self._write() as db:
            _, stale = self._live(keys, now)
            for chunk in chunks(stale):
                db.execute(where_in(_DELETE, len(chunk)), chunk)
            db.conn.executemany(
                "INSERT OR IGNORE INTO leases (key, holder, host, pid, expires_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [(key, holder, host, pid, now + ttl) for key in dict.fromkeys(keys)],
            )
            for chunk in chunks(list(dict.fromkeys(keys))):
                rows = db.execute(where_in(_MINE, len(chunk)), [holder, *chunk])
                held.update(row[0] for row in rows.fetchall())
        return held

    def lease_renew(self, keys: Sequence[str], *, holder: str, ttl: float) -> None:
        """Extend *holder*'s leases on *keys* to *ttl* seconds from now."""
        until = time.time() + ttl
        with self._write() as db:
            for chunk in chunks(list(keys)):
                db.execute(where_in(_RENEW, len(chunk)), [until, holder, *chunk])

    def lease_release(self, keys: Sequence[str], *, holder: str) -> None:
        """End *holder*'s leases on *keys*."""
        with self._write() as db:
            for chunk in chunks(list(keys)):
                db.execute(where_in(_RELEASE, len(chunk)), [holder, *chunk])

    def lease_active(self, keys: Sequence[str]) -> set[str]:
        """Return the keys among *keys* that a live holder leases."""
        with self._lock:
            live, _ = self._live(keys, time.time())
        return live
