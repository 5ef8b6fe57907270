"""Fault scenarios through real ``sphinx-build`` runs against the fake server.

Each scenario builds a fresh project of undocumented functions with
``sphinx-build`` in a subprocess (the real ``openai`` client, HTTP to
``tests/fake_azure.py`` on 127.0.0.1), with one fault scripted on the
server, then rebuilds it with the fault gone. Printed per scenario: the exit
code of the build, the HTML pages written, the requests the server saw,
the requests of the rebuild (what the first build failed to keep), the wall
time, and a note (spend, cache rows, warnings...). A build that does not end
within ``--limit`` seconds is killed and shown as ``killed``.

Run: ``.venv/bin/python benchmarks/bench_faults.py`` (a few minutes);
``--only hang,retry-after-600`` runs some scenarios; ``--json out.json``
also saves the rows.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_azure import FakeAzure

N = 24
LIMIT_S = 90.0
ODD = (
    "not_json",
    "html",
    "empty_body",
    "json_list",
    "no_choices",
    "null_message",
    "content_not_string",
    "huge",
    "truncated",
    "wrong_schema",
)
#: Settings of every scenario (small waits keep the run short).
BASE = {
    "aidoc_provider": "auto",
    "aidoc_concurrency": 4,
    "aidoc_request_timeout": 5,
    "aidoc_max_retries": 2,
}


@dataclass
class Row:
    """One line of the table."""

    scenario: str
    exit: str = ""
    pages: int = 0
    llm: int = 0
    requests: int = 0
    rebuild: int | str = ""
    seconds: float = 0.0
    note: str = ""


@dataclass
class Outcome:
    code: str
    seconds: float
    pages: int
    llm: int
    stderr: str = ""
    extra: dict[str, object] = field(default_factory=dict)


def module_source(count: int, *, huge_default: bool = False) -> str:
    parts = ["from __future__ import annotations\n"]
    parts.extend(
        f"\n\ndef scale_{i:03d}(total: float, factor: float = 2.0) -> float:\n"
        "    if factor < 0:\n"
        "        raise ValueError('negative factor')\n"
        "    return total * factor\n"
        for i in range(count)
    )
    if huge_default:
        parts.append(
            f"\n\ndef render(template: str = {'x' * 400_000!r}) -> str:\n"
            "    return template.upper()\n"
        )
    return "".join(parts)


def make_project(
    where: Path, settings: dict[str, object], *, huge_default: bool = False
) -> Path:
    src = where / "src"
    (src / "fault_pkg").mkdir(parents=True)
    (src / "fault_pkg" / "__init__.py").write_text("")
    (src / "fault_pkg" / "mod.py").write_text(
        module_source(N, huge_default=huge_default)
    )
    lines = [
        "import os, sys",
        "sys.path.insert(0, os.path.abspath('.'))",
        "project = 'faults'",
        "extensions = ['sphinxcontrib_aidoc']",
        *(f"{name} = {value!r}" for name, value in {**BASE, **settings}.items()),
    ]
    (src / "conf.py").write_text("\n".join(lines) + "\n")
    (src / "index.rst").write_text(
        "Faults\n======\n\n.. automodule:: fault_pkg.mod\n   :members:\n"
    )
    return src


def environ(server: FakeAzure, *, key: bool = True) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AZURE_")}
    env.update(
        AZURE_OPENAI_ENDPOINT=server.endpoint,
        AZURE_OPENAI_DEPLOYMENT=server.deployment,
        OPENAI_API_VERSION="2024-10-21",
        PYTHONDONTWRITEBYTECODE="1",
    )
    if key:
        env["AZURE_OPENAI_API_KEY"] = server.api_key
    return env


def command(src: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-E",
        "-q",
        str(src),
        str(out),
    ]


def start(src: Path, out: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command(src, out),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def finish(
    proc: subprocess.Popen[str], out: Path, started: float, limit: float
) -> Outcome:
    try:
        _, stderr = proc.communicate(timeout=limit)
        code = str(proc.returncode)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, stderr = proc.communicate()
        code = "killed"
    seconds = time.perf_counter() - started
    index = out / "index.html"
    html = index.read_text(encoding="utf-8") if index.is_file() else ""
    pages = sum(1 for _ in out.glob("*.html")) if out.is_dir() else 0
    return Outcome(code, seconds, pages, html.count("Fake summary for"), stderr)


def run_build(
    src: Path, out: Path, env: dict[str, str], limit: float = LIMIT_S
) -> Outcome:
    return finish(start(src, out, env), out, time.perf_counter(), limit)


def db_rows(src: Path, sql: str) -> list[tuple[object, ...]]:
    path = src / "_aidoc" / "aidoc.db"
    if not path.is_file():
        return []
    with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as c:
        try:
            return list(c.execute(sql))
        except sqlite3.Error as exc:
            return [("error", str(exc))]


def crash_line(stderr: str) -> str:
    """Return the exception line of a crashed build's output."""
    if "(exception: " in stderr:
        return stderr.split("(exception: ", 1)[1].split("\n", maxsplit=1)[0][:70]
    lines = [
        line.strip()
        for line in stderr.splitlines()
        if re.match(r"^\s*[\w.]+(Error|Exception)\b", line)
    ]
    return lines[-1][:70] if lines else "crashed"


def warnings_of(stderr: str) -> str:
    kinds = sorted(
        {part.split("]")[0] for part in stderr.split("[aidoc.")[1:] if "]" in part}
    )
    return "/".join(kinds)


# -- scenarios ---------------------------------------------------------------
Scenario = Callable[[FakeAzure, Path], Row]


def fault_then_rebuild(
    name: str,
    fault: str | None,
    settings: dict[str, object] | None = None,
    *,
    huge_default: bool = False,
    **options: object,
) -> Scenario:
    def scenario(server: FakeAzure, where: Path) -> Row:
        src = make_project(where, settings or {}, huge_default=huge_default)
        if fault is not None:
            server.script(fault, **options)  # type: ignore[arg-type]
        before = server.request_count
        first = run_build(src, where / "out", environ(server))
        row = Row(
            name,
            first.code,
            first.pages,
            first.llm,
            server.request_count - before,
            seconds=round(first.seconds, 1),
        )
        sizes = [len(json.dumps(body)) for body in server.received[before:]]
        cached = db_rows(src, "select count(*) from cache where provider = 'azure'")
        server.clear_script()
        middle = server.request_count
        second = run_build(src, where / "out2", environ(server))
        row.rebuild = server.request_count - middle
        notes = [f"cached {cached[0][0] if cached else '-'}"]
        if huge_default:
            notes.append(f"largest request {max(sizes, default=0) // 1024} KB")
        if first.code not in ("0", "killed"):
            notes.append(crash_line(first.stderr))
        elif warnings_of(first.stderr):
            notes.append(warnings_of(first.stderr))
        if second.code != "0":
            notes.append(f"rebuild exit {second.code}")
        row.note = "; ".join(n for n in notes if n)
        return row

    return scenario


def overbill(server: FakeAzure, where: Path) -> Row:
    budget = 0.01
    src = make_project(
        where,
        {
            "aidoc_budget": budget,
            "aidoc_price_per_1k_input": 0.001,
            "aidoc_price_per_1k_output": 0.001,
        },
    )
    server.bill_factor = 50.0
    try:
        first = run_build(src, where / "out", environ(server))
    finally:
        server.bill_factor = 1.0
    spent = db_rows(src, "select coalesce(sum(cost), 0) from calls")
    cost = float(spent[0][0]) if spent and spent[0][0] != "error" else 0.0  # type: ignore[arg-type]
    return Row(
        "overbill x50, budget $0.01",
        first.code,
        first.pages,
        first.llm,
        server.request_count,
        "",
        round(first.seconds, 1),
        f"spent ${cost:.4f} of ${budget}",
    )


def concurrent(server: FakeAzure, where: Path) -> Row:
    src = make_project(where, {})
    server.script("latency", ms=150)
    env = environ(server)
    started = time.perf_counter()
    procs = [start(src, where / f"out{i}", env) for i in range(2)]
    outs = [finish(p, where / f"out{i}", started, LIMIT_S) for i, p in enumerate(procs)]
    server.clear_script()
    middle = server.request_count
    run_build(src, where / "out3", env)
    return Row(
        "two builds, one db",
        "/".join(o.code for o in outs),
        min(o.pages for o in outs),
        min(o.llm for o in outs),
        middle,
        server.request_count - middle,
        round(time.perf_counter() - started, 1),
        f"{N + 0} objects",
    )


def kill9(server: FakeAzure, where: Path) -> Row:
    src = make_project(where, {"aidoc_concurrency": 2})
    server.script("latency", ms=400)
    env = environ(server)
    started = time.perf_counter()
    proc = start(src, where / "out", env)
    while server.request_count < 6 and time.perf_counter() - started < LIMIT_S:
        time.sleep(0.05)
    time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()
    asked = server.request_count
    server.clear_script()
    second = run_build(src, where / "out2", env)
    statuses = db_rows(src, "select status from builds order by id")
    calls = db_rows(src, "select count(*) from calls where build_id = 1")
    return Row(
        "kill -9 mid-stage",
        "-9",
        0,
        0,
        asked,
        server.request_count - asked,
        round(time.perf_counter() - started, 1),
        f"builds {','.join(str(s[0]) for s in statuses)}; calls of killed build "
        f"{calls[0][0] if calls else '-'}; rebuild exit {second.code}",
    )


def readonly(server: FakeAzure, where: Path) -> Row:
    src = make_project(where, {})
    env = environ(server)
    run_build(src, where / "out", env)
    asked = server.request_count
    db = src / "_aidoc" / "aidoc.db"
    with read_only(db):
        second = run_build(src, where / "out2", env)
    return Row(
        "read-only db (warm)",
        second.code,
        second.pages,
        second.llm,
        server.request_count - asked,
        "",
        round(second.seconds, 1),
        warnings_of(second.stderr) or "-",
    )


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make *path* unwritable (``chattr +i`` for root, who writes 0444 files)."""
    if os.getuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o644)


def outage(server: FakeAzure, where: Path) -> Row:
    src = make_project(where, {})
    started = time.perf_counter()
    codes = [
        run_build(src, where / "out", environ(server, key=key)).code
        for key in (True, False, True)
    ]
    noise = db_rows(
        src, "select count(*) from changes where kind in ('generated', 'regenerated')"
    )
    return Row(
        "key missing for one build",
        "/".join(codes),
        0,
        0,
        server.request_count,
        "",
        round(time.perf_counter() - started, 1),
        f"(re)generated change rows after 3 builds: {noise[0][0] if noise else '-'}",
    )


def scenarios() -> dict[str, Scenario]:
    table: dict[str, Scenario] = {"ok": fault_then_rebuild("ok", None)}
    for fault in ODD:
        table[f"body:{fault}"] = fault_then_rebuild(
            f"body:{fault}", fault, times=1, requests=3
        )
    table["retry-after-600"] = fault_then_rebuild(
        "429 Retry-After: 600", "429", times=1, retry_after=600
    )
    table["hang"] = fault_then_rebuild(
        "hung server", "hang", {"aidoc_max_retries": 4}, seconds=60
    )
    table["huge-prompt"] = fault_then_rebuild(
        "400 KB default string", None, huge_default=True
    )
    table["overbill"] = overbill
    table["concurrent"] = concurrent
    table["kill-9"] = kill9
    table["readonly"] = readonly
    table["outage"] = outage
    return table


@contextlib.contextmanager
def workdir() -> Iterator[Path]:
    base = ROOT / "benchmarks" / "_work"
    base.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=base) as tmp:
        yield Path(tmp)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated scenario keys")
    parser.add_argument("--json", default="", help="also write the rows here")
    args = parser.parse_args(argv)
    table = scenarios()
    keys = [k for k in args.only.split(",") if k] or list(table)
    rows: list[Row] = []
    header = f"{'scenario':28} {'exit':>7} {'pages':>5} {'llm':>4} {'reqs':>5} {'rebuild':>7} {'time s':>7}  note"
    print(header)
    for key in keys:
        with workdir() as where, FakeAzure() as server:
            row = table[key](server, where)
        rows.append(row)
        print(
            f"{row.scenario:28} {row.exit:>7} {row.pages:>5} {row.llm:>4} "
            f"{row.requests:>5} {row.rebuild!s:>7} {row.seconds:>7.1f}  {row.note}",
            flush=True,
        )
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(r) for r in rows], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
