"""Two aidoc trees against each other on real libraries' docs, on a shared machine.

For each library of ``bench_real_docs.py`` (its pinned sdists, stripped
copies and venv, prepared by that script), rounds of three fresh serial
HTML builds: plain Sphinx, aidoc from ``--base`` and aidoc from ``--new``
(each a source tree put first on ``PYTHONPATH``), the two aidoc builds in
alternating order. Each build records its wall time, its CPU time (with
its child processes), its stages (``builds.usage_json``) and the CPU time
the rest of the machine used meanwhile (``/proc/stat`` less the build's):
a helper's overlap of work with the analysis child only shows when a core
is free, so rounds during which other processes kept more than
``--max-foreign`` cores busy are left out of the medians (and counted).

Usage::

    python benchmarks/bench_ab_real_docs.py --base /tmp/base --new . \
        --lib click --lib attrs --rounds 8 [--max-foreign 0.25] [--json]

Run ``bench_real_docs.py`` once first (it makes the venv and the trees).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_real_docs import LIBS, REAL, RUNNER, VENV, Lib

_TICK = os.sysconf("SC_CLK_TCK")
STAGES = ("scan", "analyse", "draft", "read", "write")


def _busy() -> float:
    """CPU seconds the whole machine has been busy (all cores)."""
    with Path("/proc/stat").open(encoding="ascii") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    user, nice, system, _idle, _wait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / _TICK


def build(lib: Lib, tree: str | None, out: Path) -> dict[str, Any]:
    """One fresh serial build: plain (*tree* None) or with aidoc from *tree*."""
    root = REAL / lib.name / "stripped"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "OPENAI_"))
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("AIDOC_BENCH_EXT", None)
    env["AIDOC_MEASURE_OUT"] = str(out / "shown.json")
    env["AIDOC_MEASURE_PACKAGES"] = ",".join(lib.top_names)
    if tree is not None:
        env["PYTHONPATH"] = tree
        env["AIDOC_BENCH_EXT"] = "1"
        env["AIDOC_BENCH_DB"] = str(out / "aidoc.db")
    cmd = [str(VENV / "bin" / "python"), "-c", RUNNER, "-q", "-b", "html"]
    cmd += [str(root / lib.docs), str(out / "html")]
    busy, start = _busy(), time.perf_counter()
    proc = subprocess.run(
        cmd, env=env, cwd=root, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    machine = _busy() - busy
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    cpu = float(proc.stderr.rsplit("AIDOC_CPU", 1)[1].split()[0])
    stages: dict[str, float] = {}
    if tree is not None:
        with sqlite3.connect(out / "aidoc.db") as db:
            row = db.execute(
                "select usage_json from builds order by id desc limit 1"
            ).fetchone()
        stages = json.loads(row[0])["stages"]
    return {
        "wall": wall,
        "cpu": cpu,
        "foreign": max(0.0, machine - cpu),
        "stages": stages,
    }


def summary(lib: str, rounds: list[dict[str, dict[str, Any]]], limit: float) -> str:
    """Medians of the rounds with at most *limit* foreign cores busy."""
    kept = [
        r for r in rounds if max(b["foreign"] / b["wall"] for b in r.values()) <= limit
    ]
    if not kept:
        return f"{lib}: no round of {len(rounds)} with <= {limit} foreign cores"

    def med(variant: str, key: str) -> float:
        return statistics.median(r[variant][key] for r in kept)

    plain, plain_cpu = med("plain", "wall"), med("plain", "cpu")
    head = f"{lib}: {len(kept)} of {len(rounds)} rounds; plain {plain:.2f} s"
    lines = [f"{head} ({plain_cpu:.2f} s CPU)"]
    for variant in ("base", "new"):
        wall, cpu = med(variant, "wall"), med(variant, "cpu")
        stages = " ".join(
            f"{s} {statistics.median(r[variant]['stages'].get(s, 0) for r in kept):.2f}"
            for s in STAGES
        )
        lines.append(
            f"  {variant}: {wall:.2f} s ({wall / plain:.2f}x), CPU {cpu:.2f} s "
            f"({cpu / plain_cpu:.2f}x); stages {stages}"
        )
    diffs = [r["new"]["wall"] - r["base"]["wall"] for r in kept]
    lines.append(
        f"  new - base, wall per round: median {statistics.median(diffs):+.2f} s "
        f"({' '.join(f'{d:+.2f}' for d in diffs)})"
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True, help="aidoc source tree A")
    parser.add_argument("--new", required=True, help="aidoc source tree B")
    parser.add_argument("--lib", action="append", choices=sorted(LIBS))
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--max-foreign", type=float, default=0.25)
    parser.add_argument("--json", action="store_true", help="print every build")
    args = parser.parse_args()
    trees = {"plain": None, "base": args.base, "new": args.new}
    results: dict[str, list[dict[str, dict[str, Any]]]] = {}
    with tempfile.TemporaryDirectory(prefix="aidoc-ab-") as scratch:
        for number in range(args.rounds):
            order = (
                ["plain", "base", "new"]
                if number % 2 == 0
                else ["plain", "new", "base"]
            )
            for name in args.lib or sorted(LIBS):
                lib = LIBS[name]
                done = {v: build(lib, trees[v], Path(scratch) / v) for v in order}
                results.setdefault(name, []).append(done)
                if args.json:
                    print(
                        json.dumps({"lib": name, "round": number, **done}), flush=True
                    )
    for name, rounds in results.items():
        print(summary(name, rounds, args.max_foreign), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
