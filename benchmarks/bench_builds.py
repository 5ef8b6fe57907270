"""Build times and peak memory of plain autodoc against autodoc + aidoc.

For synthetic packages of N objects (``benchmarks/synth.py``: one page per
module of 50 objects, ``:undoc-members:`` so plain autodoc shows every object
too) and, with ``--demo``, the demo project, it runs in the same session,
plain and aidoc interleaved, each in a fresh subprocess:

* first build (no environment, no aidoc database);
* no-change rebuild (``sphinx-build`` again, nothing edited);
* edit one module (append a function to one file, rebuild);
* ``-E`` rebuild (fresh environment; aidoc keeps its database);

and prints seconds, the ratio aidoc/plain, the time per object (ms), the
peak resident memory of each build and its ratio, then the per-object time
of every step across the sizes (constant per-object time means the build
scales linearly). The offline provider is used (no AZURE_* variables reach
the builds). Python writes bytecode caches in these builds (as it does for
an installed package), whatever ``PYTHONDONTWRITEBYTECODE`` says, so the
extension's import is not compiled again in every build.

Usage::

    python benchmarks/bench_builds.py --sizes 1000 5000 [--demo] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work" / "builds"
sys.path.insert(0, str(HERE))

from synth import make_project

_RUNNER = (
    "import resource, sys\n"
    "from sphinx.cmd.build import main\n"
    "rc = main(sys.argv[1:])\n"
    "print('AIDOC_MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
    " file=sys.stderr)\n"
    "sys.exit(rc)\n"
)
STEPS = ("first", "no-change", "edit one module", "-E rebuild")


def _env(aidoc: bool) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "OPENAI_"))
    }
    env.pop("AIDOC_BENCH_EXT", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode cached, as installed
    if aidoc:
        env["AIDOC_BENCH_EXT"] = "1"
    return env


def _build(
    docs: Path, out: Path, *, aidoc: bool, fresh_env: bool = False
) -> tuple[float, int]:
    args = [sys.executable, "-c", _RUNNER, "-q", "-b", "html", str(docs), str(out)]
    if fresh_env:
        args.insert(3, "-E")
    started = time.perf_counter()
    done = subprocess.run(
        args, env=_env(aidoc), capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(
            f"build failed ({docs}, aidoc={aidoc}):\n{done.stderr[-3000:]}"
        )
    match = re.search(r"AIDOC_MAXRSS (\d+)", done.stderr)
    return elapsed, int(match[1]) // 1024 if match else 0


def _project(size: int) -> Path:
    root = WORK / f"synth{size}"
    if root.exists():
        shutil.rmtree(root)
    return make_project(root, size)


def _edit(docs: Path, count: int) -> None:
    target = docs.parent / "synthpkg" / "mod_000.py"
    with target.open("a", encoding="utf-8") as handle:
        handle.write(
            f"\n\ndef appended_{count}(value: int) -> int:\n    return value\n"
        )


def run_size(size: int) -> dict[str, dict[str, list[float]]]:
    """Time every step for one synthetic size, plain and aidoc interleaved."""
    docs = _project(size)
    out = {mode: docs.parent / f"_build_{mode}" for mode in ("plain", "aidoc")}
    results: dict[str, dict[str, list[float]]] = {m: {} for m in out}
    for directory in out.values():
        shutil.rmtree(directory, ignore_errors=True)
    shutil.rmtree(docs / "_aidoc", ignore_errors=True)
    for step_number, step in enumerate(STEPS):
        if step == "edit one module":
            _edit(docs, step_number)
        for mode in ("plain", "aidoc"):
            seconds, peak = _build(
                docs, out[mode], aidoc=mode == "aidoc", fresh_env=step == "-E rebuild"
            )
            results[mode][step] = [seconds, peak]
    return results


def _demo() -> dict[str, dict[str, list[float]]]:
    root = WORK / "demo"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(
        HERE.parent / "demo_project",
        root,
        ignore=shutil.ignore_patterns("_build", "_aidoc", ".venv"),
    )
    docs = root / "docs"
    conf = docs / "conf.py"
    text = conf.read_text(encoding="utf-8")
    conf.write_text(
        text + "\nimport os as _os\nif not _os.environ.get('AIDOC_BENCH_EXT'):\n"
        "    extensions = [e for e in extensions if e != 'sphinxcontrib_aidoc']\n",
        encoding="utf-8",
    )
    out = {mode: root / f"_build_{mode}" for mode in ("plain", "aidoc")}
    results: dict[str, dict[str, list[float]]] = {m: {} for m in out}
    for step in STEPS:
        if step == "edit one module":
            module = next((root / "inventory").glob("*.py"))
            with module.open("a", encoding="utf-8") as handle:
                handle.write("\n\ndef appended(value: int) -> int:\n    return value\n")
        for mode in ("plain", "aidoc"):
            results[mode][step] = list(
                _build(
                    docs,
                    out[mode],
                    aidoc=mode == "aidoc",
                    fresh_env=step == "-E rebuild",
                )
            )
    return results


def _print(name: str, objects: int, results: dict[str, dict[str, list[float]]]) -> None:
    print(f"\n{name}")
    print(
        f"{'step':<17}{'plain s':>9}{'aidoc s':>9}{'ratio':>7}"
        + (f"{'plain ms/obj':>14}{'aidoc ms/obj':>14}" if objects else "")
        + f"{'plain MB':>10}{'aidoc MB':>10}{'ratio':>7}"
    )
    for step in STEPS:
        plain, aidoc = results["plain"][step], results["aidoc"][step]
        per_object = (
            f"{1000 * plain[0] / objects:>14.2f}{1000 * aidoc[0] / objects:>14.2f}"
            if objects
            else ""
        )
        print(
            f"{step:<17}{plain[0]:>9.2f}{aidoc[0]:>9.2f}{_ratio(aidoc[0], plain[0]):>7.2f}"
            f"{per_object}{plain[1]:>10.0f}{aidoc[1]:>10.0f}"
            f"{_ratio(aidoc[1], plain[1]):>7.2f}"
        )


def _ratio(value: float, base: float) -> float:
    return value / base if base else float("nan")


def _print_scaling(report: dict[str, dict[str, dict[str, list[float]]]]) -> None:
    """Per-object milliseconds of each step, aidoc builds, across sizes."""
    sizes = [(int(name.split()[1]), r) for name, r in report.items() if " " in name]
    if len(sizes) < 2:
        return
    print("\nper-object time across sizes (aidoc, ms/object; plain in brackets)")
    print(f"{'step':<17}" + "".join(f"{size:>18}" for size, _ in sizes))
    for step in STEPS:
        cells = "".join(
            f"{1000 * r['aidoc'][step][0] / size:>9.2f} ({1000 * r['plain'][step][0] / size:.2f})".rjust(
                18
            )
            for size, r in sizes
        )
        print(f"{step:<17}{cells}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 5000])
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    report: dict[str, object] = {}
    for size in args.sizes:
        results = run_size(size)
        report[f"synthetic {size}"] = results
        if not args.json:
            _print(f"synthetic package, {size} objects", size, results)
    if args.demo:
        results = _demo()
        report["demo"] = results
        if not args.json:
            _print("demo_project", 0, results)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print_scaling(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
