"""The call-site reader's module walks, made in a forked process meanwhile.

What :func:`~._module_walks.used_names` finds in a module depends on the
module's nodes, the calls the frames read (their ids), the module's
top-level names and the ``self.name`` reads of its methods: all known
before the call sites are read, which is the longer part of collecting
them. So on a system that forks, with no other thread running, a child
process walks the modules no kept walk covers while this one reads the
calls: it shares every tree (copy on write) and sends back only what it
found, as JSON through a pipe (:meth:`~._module_walks.ModuleWalk.to_json`,
the form kept walks take). The parent records it before it asks for a
walk (:meth:`~._module_walks.ModuleWalks.record_used`), so the walks are
the ones it would have made itself (a test compares the pass's results).

A child that cannot start, fails or answers what cannot be read costs
nothing but the fork: the modules it did not answer for are walked here,
as without it. Forking costs a few milliseconds for a heap of hundreds of
megabytes, so a pass with few nodes to walk walks them here.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._module_walks import ModuleWalk, used_names

if TYPE_CHECKING:
    from collections.abc import Callable, Container, Mapping

    from sphinxcontrib_aidoc.analyze._module_walks import ModuleWalks

#: Fewest nodes to walk for a child to be worth its fork.
MIN_NODES = 20_000


class WalksApart:
    """A forked child walking modules; :meth:`finish` records what it found."""

    def __init__(self, pid: int, pipe: int, walks: ModuleWalks) -> None:
        self._pid = pid
        self._pipe = pipe
        self._walks = walks

    @classmethod
    def start(
        cls,
        walks: ModuleWalks,
        modules: list[str],
        covered: set[int],
        names: Callable[[str], Container[str]],
        self_reads: Callable[[str], Mapping[int, str]],
    ) -> WalksApart | None:
        """Fork a child walking *modules*, or None (walked here, later)."""
        if (
            not hasattr(os, "fork")
            or sys.platform != "linux"
            or threading.active_count() != 1
            or sum(len(walks.nodes(m)) for m in modules) < MIN_NODES
        ):
            return None
        try:
            read, write = os.pipe()
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return None
        if pid == 0:  # the child: walk, answer, and end here, whatever happens
            status = 1
            try:
                os.close(read)
                found = {
                    module: _used_walk(
                        used_names(
                            walks.nodes(module),
                            covered,
                            names(module),
                            self_reads(module),
                        )
                    ).to_json()
                    for module in modules
                }
                data = json.dumps(found).encode("utf-8")
                while data:
                    data = data[os.write(write, data) :]
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        return cls(pid, read, walks)

    def finish(self) -> None:
        """Record the child's walks (none if it failed); reap it."""
        chunks: list[bytes] = []
        try:
            while chunk := os.read(self._pipe, 1 << 16):
                chunks.append(chunk)
        except OSError:
            chunks = []
        finally:
            os.close(self._pipe)
        try:
            _, status = os.waitpid(self._pid, 0)
        except ChildProcessError:
            status = 1
        if status != 0 or not chunks:
            return
        try:
            found = json.loads(b"".join(chunks))
            walked = {str(m): ModuleWalk.from_json(w) for m, w in found.items()}
        except (ValueError, TypeError, KeyError, AttributeError):
            return
        for module, walk in walked.items():
            self._walks.record_used(module, walk.opened, walk.used, walk.self_read)


def _used_walk(
    found: tuple[
        frozenset[str], frozenset[tuple[str, ...]], frozenset[tuple[str, str]]
    ],
) -> ModuleWalk:
    """What :func:`used_names` found, in the form walks are kept in."""
    opened, used, self_read = found
    return ModuleWalk(opened=opened, used=used, self_read=self_read)
