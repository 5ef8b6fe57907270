"""A function called in a forked copy of the process while the caller goes on.

:meth:`Apart.start` forks the process (where ``fork`` exists, and only
when no other thread runs: a fork copies the locks other threads hold),
calls the function in the copy, and sends its result back through a pipe.
The copy inherits everything the caller holds, so nothing is pickled on
the way in; only the result is, on the way back. The caller reads it when
it needs it (:meth:`Apart.result`).

For work the caller would otherwise do on its own critical path while a
processor is idle: a build scores its docstrings while it writes its pages
(``sphinxext.quality``). A copy that cannot start gives no :class:`Apart`;
one that raises, dies or sends what does not unpickle gives None, and the
caller does the work itself, where any error is raised and reported as
before. The copy collects no garbage of the caller's (``gc.freeze``), so
its pages stay shared; it never writes to what it inherited (the build's
database connection, its output streams, flushed before the fork).

:mod:`multiprocessing` (the ``fork`` context, a one-way ``Pipe``) does the
forking, the flushing and the exit of the copy.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import threading
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

_T = TypeVar("_T")


class Apart(Generic[_T]):
    """One call running in a forked copy (see the module docstring)."""

    def __init__(self, process: BaseProcess, reader: Connection) -> None:
        self._process = process
        self._reader: Connection | None = reader
        self._value: _T | None = None
        #: The process that started the copy: the only one that reads it
        #: (a process forked from it meanwhile, a ``-j N`` writer, gets None).
        self._owner = os.getpid()

    @classmethod
    def start(cls, function: Callable[[], _T]) -> Apart[_T] | None:
        """Call *function* in a forked copy; None where none can start."""
        if (
            "fork" not in multiprocessing.get_all_start_methods()
            or threading.active_count() > 1
        ):
            return None
        context = multiprocessing.get_context("fork")
        reader, writer = context.Pipe(duplex=False)
        process = context.Process(
            target=_call, args=(function, writer), name="aidoc-apart", daemon=True
        )
        try:
            process.start()
        except OSError:
            reader.close()
            return None
        finally:
            writer.close()  # (the copy holds its own end)
        return cls(process, reader)

    def result(self) -> _T | None:
        """The function's result, waited for; None if the copy failed."""
        if os.getpid() != self._owner:
            return None
        reader, self._reader = self._reader, None
        if reader is None:
            return self._value
        try:
            sent = reader.recv()
        except (EOFError, OSError, pickle.UnpicklingError, AttributeError):
            sent = None  # died, or sent what this process cannot read
        finally:
            reader.close()
            self._process.join()
        if isinstance(sent, tuple) and len(sent) == 2 and sent[0] == "ok":
            self._value = sent[1]
        return self._value

    def close(self) -> None:
        """Stop waiting: the copy is stopped if it still runs."""
        if os.getpid() != self._owner:
            return
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.close()
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()


def _call(function: Callable[[], object], writer: Connection) -> None:
    """In the copy: call *function*, send ``("ok", result)`` (or a failure)."""
    gc.freeze()  # the caller's objects: never collected here, so never copied
    try:
        sent: tuple[str, object] = ("ok", function())
    except Exception:  # noqa: BLE001 (the caller does the work, and reports)
        sent = ("failed", None)
    try:
        writer.send(sent)
    except (pickle.PicklingError, TypeError, AttributeError):
        with contextlib.suppress(OSError):  # (nothing written: it did not pickle)
            writer.send(("failed", None))
    except OSError:
        pass  # the caller stopped waiting
    finally:
        writer.close()
