"""A function called in a forked copy of the process (``sphinxcontrib_aidoc.apart``)."""

from __future__ import annotations

import os
import threading
import time

from sphinxcontrib_aidoc.apart import Apart


def _started(function) -> Apart:
    apart = Apart.start(function)
    assert apart is not None
    return apart


def test_the_copy_reads_what_the_caller_holds_and_sends_back_its_result():
    held = {"numbers": list(range(1000))}
    apart = _started(lambda: (sum(held["numbers"]), os.getpid()))
    total, pid = apart.result()
    assert total == 499500
    assert pid != os.getpid()
    assert apart.result() == (499500, pid)  # read once, kept


def _raises() -> int:
    raise ValueError("no")


def test_a_copy_that_raises_dies_or_sends_what_does_not_pickle_gives_none():
    assert _started(_raises).result() is None
    assert _started(lambda: os._exit(3)).result() is None
    assert _started(threading.Lock).result() is None


def test_closing_stops_a_copy_still_running():
    apart = _started(lambda: time.sleep(600))
    apart.close()  # (returns: the copy is stopped, not waited for)
    assert apart.result() is None


def test_no_copy_while_another_thread_runs():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert Apart.start(lambda: 1) is None
    finally:
        stop.set()
        thread.join()
    assert _started(lambda: 1).result() == 1


def test_only_the_process_that_started_the_copy_reads_it():
    apart = _started(lambda: 7)
    seen = _started(apart.result)  # a process forked meanwhile: none for it
    assert seen.result() is None
    assert apart.result() == 7
