"""Repeated no-change rebuilds of one synthetic project, interleaved.

``bench_builds.py`` times one no-change rebuild per first build; at 20,000
objects a first build takes minutes and one pair of rebuilds varies by
+-10 % on a shared machine. This script makes the project and each first
build once (kept under ``--work`` for the next run) and then runs the
no-change rebuild *count* times, plain and each code tree in turn, with
``bench_builds``' runner (CPU, peak memory, aidoc's own time), and prints
each round and the medians, with each tree's median difference to plain
within the same round.

Each code tree (``name=path``, a copy of ``sphinxcontrib_aidoc``'s parent
directory) builds its own copy of the docs (its own environment and
database); plain builds with the first tree on the path (unused).

Usage::

    python benchmarks/bench_nochange.py --size 20000 --count 15 \
        base=/tmp/copy_before new=/tmp/copy_after
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_builds
from bytecode import compile_aidoc
from synth import make_project


def _build(root: Path, name: str, code: str, *, aidoc: bool) -> list[float]:
    project = root / name
    if not project.exists():
        shutil.copytree(root / "template", project)
    os.environ["PYTHONPATH"] = code
    return list(bench_builds._build(project / "docs", project / "_build", aidoc=aidoc))


def main(argv: list[str] | None = None) -> int:
    """Run the rounds and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--work", type=Path, default=HERE / "_work" / "nochange")
    parser.add_argument("trees", nargs="+", metavar="NAME=PATH")
    args = parser.parse_args(argv)
    trees = dict(tree.split("=", 1) for tree in args.trees)
    root = args.work / f"synth{args.size}"
    if not (root / "template").exists():
        make_project(root / "template", args.size)
    first = next(iter(trees.values()))
    for code in trees.values():
        os.environ["PYTHONPATH"] = code
        compile_aidoc()  # (the tree the builds import)
    if not (root / "plain" / "_build").exists():
        _build(root, "plain", first, aidoc=False)
    for name, code in trees.items():
        if not (root / name / "_build").exists():
            _build(root, name, code, aidoc=True)
    runs: dict[str, list[list[float]]] = {"plain": []} | {n: [] for n in trees}
    for number in range(args.count):
        runs["plain"].append(_build(root, "plain", first, aidoc=False))
        for name, code in trees.items():
            runs[name].append(_build(root, name, code, aidoc=True))
        cells = "  ".join(
            f"{n} {r[-1][2]:.2f} s (own {r[-1][3]:.3f})" for n, r in runs.items()
        )
        print(f"round {number + 1}: cpu {cells}", flush=True)
    plain_cpu = statistics.median(r[2] for r in runs["plain"])
    for name, rounds in runs.items():
        cpu = statistics.median(r[2] for r in rounds)
        extra = statistics.median(
            r[2] - p[2] for r, p in zip(rounds, runs["plain"], strict=True)
        )
        print(
            f"{name:<8} cpu {cpu:.2f} s (ratio {cpu / plain_cpu:.3f}; median "
            f"difference to plain in the same round {extra:+.3f} s), wall "
            f"{statistics.median(r[0] for r in rounds):.2f} s, peak "
            f"{statistics.median(r[1] for r in rounds):.0f} MB, aidoc's own "
            f"{statistics.median(r[3] for r in rounds):.3f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
