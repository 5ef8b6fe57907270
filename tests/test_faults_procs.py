"""Faults that need whole processes: kill -9 mid-build, two builds on one DB.

``sphinx-build`` runs in subprocesses (the real command a user runs) against
the fake Azure server of this process.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from typing import TYPE_CHECKING

from sqlite_utils import Database

from sphinxcontrib_aidoc.store import Store
from tests.conftest import ROOTS

if TYPE_CHECKING:
    from pathlib import Path

    from tests.fake_azure import FakeAzure

pytest_plugins = ("tests.fake_azure",)

OBJECTS = 11


def _project(tmp_path: Path) -> Path:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-missing", srcdir)
    return srcdir


def _start(srcdir: Path, outdir: Path, *extra: str) -> subprocess.Popen[str]:
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-q",
        "-D",
        "aidoc_provider=auto",
        "-D",
        "aidoc_objects_per_request=1",
        *extra,
        str(srcdir),
        str(outdir),
    ]
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _wait_for(predicate: object, seconds: float = 60.0) -> None:
    until = time.monotonic() + seconds
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > until:
            raise AssertionError("timed out")
        time.sleep(0.02)


def test_a_killed_build_is_marked_interrupted_and_keeps_its_calls(
    fake_azure: FakeAzure, tmp_path: Path
) -> None:
    srcdir = _project(tmp_path)
    fake_azure.script("latency", ms=300)
    killed = _start(srcdir, tmp_path / "out1", "-D", "aidoc_concurrency=1")
    _wait_for(lambda: fake_azure.request_count >= 4)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.communicate()
    asked = fake_azure.request_count
    fake_azure.clear_script()

    second = _start(srcdir, tmp_path / "out2")
    _, stderr = second.communicate(timeout=120)

    assert second.returncode == 0, stderr
    db = Database(srcdir / "_aidoc" / "aidoc.db")
    builds = list(db.query("select id, status from builds order by id"))
    assert [b["status"] for b in builds] == ["interrupted", "ok"]
    kept = next(db.query("select count(*) n from calls where build_id = 1"))["n"]
    assert kept >= asked - 1  # every answer that arrived before the kill
    cached = next(db.query("select count(*) n from cache where provider='azure'"))["n"]
    assert cached == OBJECTS
    # The rebuild asked only for what the killed build had not kept.
    assert fake_azure.request_count - asked == OBJECTS - kept
    assert (tmp_path / "out2" / "index.html").is_file()


def test_two_builds_on_one_database_ask_once(
    fake_azure: FakeAzure, tmp_path: Path
) -> None:
    srcdir = _project(tmp_path)
    fake_azure.script("latency", ms=150)
    first = _start(srcdir, tmp_path / "out1", "-D", "aidoc_concurrency=2")
    _wait_for(lambda: fake_azure.request_count >= 1)
    second = _start(srcdir, tmp_path / "out2", "-D", "aidoc_concurrency=2")
    outputs = [p.communicate(timeout=120) for p in (first, second)]

    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    assert fake_azure.request_count == OBJECTS
    assert len({r.qualname for r in fake_azure.log}) == OBJECTS
    for out in ("out1", "out2"):
        html = (tmp_path / out / "index.html").read_text(encoding="utf-8")
        assert html.count("Fake summary for") == OBJECTS, out
    db = Database(srcdir / "_aidoc" / "aidoc.db")
    assert next(db.query("select count(*) n from leases"))["n"] == 0
    statuses = [r["status"] for r in db.query("select status from builds")]
    assert statuses == ["ok", "ok"]


def test_a_dead_holders_leases_are_free_at_once(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    pid = int(dead.stdout)
    host = socket.gethostname()
    with Store.open(tmp_path / "a.db") as store:
        held = store.lease_acquire(["k1", "k2"], holder=f"{host}:{pid}:x", ttl=600)
        assert held == {"k1", "k2"}
        assert store.lease_active(["k1", "k2"]) == set()  # its process is gone
        mine = store.lease_acquire(
            ["k1", "k2"], holder=f"{host}:{os.getpid()}:y", ttl=600
        )
        assert mine == {"k1", "k2"}
        other = store.lease_acquire(
            ["k1", "k3"], holder=f"{host}:{os.getpid()}:z", ttl=600
        )
        assert other == {"k3"}  # a live holder's lease is not taken
        store.lease_release(["k1"], holder=f"{host}:{os.getpid()}:y")
        assert store.lease_active(["k1", "k2", "k3"]) == {"k2", "k3"}


def test_an_expired_lease_of_another_host_is_free(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.db") as store:
        store.lease_acquire(["k1"], holder="elsewhere:123:x", ttl=-1)
        assert store.lease_active(["k1"]) == set()
        store.lease_acquire(["k2"], holder="elsewhere:123:x", ttl=600)
        assert store.lease_active(["k2"]) == {"k2"}  # alive as far as we know
