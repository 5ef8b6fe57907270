"""Build times and peak memory of plain autodoc against autodoc + aidoc.

For synthetic packages of N objects (``benchmarks/synth.py``: one page per
module of 50 objects, ``:undoc-members:`` so plain autodoc shows every object
too; 20,000 is added when the 5,000 first build took under three minutes),
with ``--demo`` the demo project and with ``--real LIB`` a real library's
own docs (the pinned sdists and the venv of ``bench_real_docs.py``; its
measuring extension is left out of the timed builds, and one untimed plain
build counts the objects shown), it runs in the same session, plain and
aidoc interleaved, each in a fresh subprocess:

* first build (no environment, no aidoc database);
* no-change rebuild (``sphinx-build`` again, nothing edited);
* edit one module (append a function to one file, rebuild);
* ``-E`` rebuild (fresh environment; aidoc keeps its database);

and prints seconds, the ratio aidoc/plain, the time per object (ms), the
peak resident memory of each build and its ratio, the CPU seconds of the
build and its child processes (user + system: on a shared, loaded machine
the steadier measure of work) and its ratio, and aidoc's own CPU time
(``own_time.py``: its code in the build plus its analysis worker), then
the per-object time of every step across the sizes, the whole build's and
aidoc's own (with and without the collector's pauses inside its code).
The offline provider is used (no AZURE_* variables reach the builds). The
measured aidoc is compiled before the first build (``bytecode.py``) and
Python writes bytecode caches in these builds (as it does for an
installed package), whatever ``PYTHONDONTWRITEBYTECODE`` says, so the
extension's import is not compiled again in every build.

``--jobs N`` adds a first build with ``-j N`` (aidoc analyses independent
modules in N processes). ``--repeat R`` runs the whole sequence R times and
prints the medians; with R > 1 it also prints, per step, the median and the
range of the R wall ratios each of a plain build and the aidoc build run
right after it (``paired``, ``low``-``high``): on a machine whose speed
drifts, a pair shares its minute, and the range shows how far one run's
ratio can be trusted.

Usage::

    python benchmarks/bench_builds.py --sizes 2000 5000 --demo \
        --real click --real tomlkit [--jobs 2] [--repeat 3] [--no-big] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work" / "builds"
sys.path.insert(0, str(HERE))

from bytecode import compile_aidoc
from synth import PER_MODULE, make_project

_RUNNER = (
    "import os, resource, sys\n"
    f"sys.path.append({str(HERE)!r})\n"
    "import own_time\n"
    "timed = bool(os.environ.get('AIDOC_BENCH_EXT'))\n"
    "if timed:\n"
    "    own_time.install()\n"
    "from sphinx.cmd.build import main\n"
    "rc = main(sys.argv[1:])\n"
    "me = resource.getrusage(resource.RUSAGE_SELF)\n"
    "kids = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print('AIDOC_MAXRSS', me.ru_maxrss, file=sys.stderr)\n"
    "print('AIDOC_CPU', me.ru_utime + me.ru_stime,"
    " kids.ru_utime + kids.ru_stime, file=sys.stderr)\n"
    "if timed:\n"
    "    own_time.report()\n"
    "sys.exit(rc)\n"
)
STEPS = ("first", "no-change", "edit one module", "-E rebuild")
#: A first build under three minutes at 5,000 objects runs 20,000 too.
BIG_RUN_LIMIT = 180.0
Results = dict[str, dict[str, list[float]]]


def build_env(aidoc: bool, extra: dict[str, str] | None = None) -> dict[str, str]:
    """A build's environment: no provider secrets, bytecode written, aidoc on or off."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "OPENAI_"))
    }
    env.pop("AIDOC_BENCH_EXT", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode cached, as installed
    if aidoc:
        env["AIDOC_BENCH_EXT"] = "1"
        env.update(extra or {})
    return env


def _build(
    docs: Path,
    out: Path,
    *,
    aidoc: bool,
    fresh_env: bool = False,
    python: str = sys.executable,
    extra_env: dict[str, str] | None = None,
    jobs: int = 1,
) -> tuple[float, int, float, float, float]:
    args = [python, "-c", _RUNNER, "-q", "-b", "html", str(docs), str(out)]
    if fresh_env:
        args.insert(3, "-E")
    if jobs > 1:
        args[3:3] = ["-j", str(jobs)]
    started = time.perf_counter()
    done = subprocess.run(
        args,
        env=build_env(aidoc, extra_env),
        capture_output=True,
        text=True,
        check=False,
        cwd=docs.parent,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(
            f"build failed ({docs}, aidoc={aidoc}):\n{done.stderr[-3000:]}"
        )
    match = re.search(r"AIDOC_MAXRSS (\d+)", done.stderr)
    cpu = re.search(r"AIDOC_CPU ([\d.]+) ([\d.]+)", done.stderr)
    own = re.search(r"AIDOC_OWN ([\d.]+)", done.stderr)
    collected = re.search(r"AIDOC_OWN_GC ([\d.]+)", done.stderr)
    return (
        elapsed,
        int(match[1]) // 1024 if match else 0,
        float(cpu[1]) + float(cpu[2]) if cpu else float("nan"),
        # aidoc's own code (own_time.py) plus its analysis worker's CPU
        float(own[1]) + float(cpu[2]) if own and cpu else 0.0,
        # of which the collector's pauses inside aidoc's code
        float(collected[1]) if collected else 0.0,
    )


def _sequence(
    docs: Path,
    outs: dict[str, Path],
    edit: Callable[[int], None],
    *,
    reset: Callable[[], None],
    python: str = sys.executable,
    extra_env: dict[str, str] | None = None,
    jobs: int = 1,
    only: Sequence[str] = STEPS,
) -> Results:
    """Every step, plain and aidoc interleaved; ``first -jN`` with *jobs*.

    *only* restricts the steps to run after the first build (which every
    other step needs, so it always runs).
    """
    results: Results = {m: {} for m in outs}
    steps = [s for s in STEPS if s == "first" or s in only]
    if jobs > 1:
        steps.append(f"first -j{jobs}")
    for number, step in enumerate(steps):
        if step == "edit one module":
            edit(number)
        if step.startswith("first"):
            reset()
        for mode, out in outs.items():
            results[mode][step] = list(
                _build(
                    docs,
                    out,
                    aidoc=mode == "aidoc",
                    fresh_env=step == "-E rebuild",
                    python=python,
                    extra_env=extra_env,
                    jobs=jobs if step.startswith("first -j") else 1,
                )
            )
    return results


def _project(size: int) -> Path:
    root = WORK / f"synth{size}"
    if root.exists():
        shutil.rmtree(root)
    return make_project(root, size)


def _edit(docs: Path, count: int, size: int) -> None:
    # The middle module: one to three modules import it (synth.make_module).
    middle = max(1, size // PER_MODULE) // 2
    target = docs.parent / "synthpkg" / f"mod_{middle:03d}.py"
    with target.open("a", encoding="utf-8") as handle:
        handle.write(
            f"\n\ndef appended_{count}(value: int) -> int:\n    return value\n"
        )


def run_size(size: int, jobs: int = 1, only: Sequence[str] = STEPS) -> Results:
    """Time every step for one synthetic size, plain and aidoc interleaved."""
    docs = _project(size)
    outs = {mode: docs.parent / f"_build_{mode}" for mode in ("plain", "aidoc")}

    def reset() -> None:
        for directory in outs.values():
            shutil.rmtree(directory, ignore_errors=True)
        shutil.rmtree(docs / "_aidoc", ignore_errors=True)

    return _sequence(
        docs, outs, lambda n: _edit(docs, n, size), reset=reset, jobs=jobs, only=only
    )


def demo_copy(root: Path) -> Path:
    """A fresh copy of the demo at *root*, aidoc loaded only with AIDOC_BENCH_EXT.

    Returns its docs folder.
    """
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
    return docs


def _demo(jobs: int = 1, only: Sequence[str] = STEPS) -> Results:
    root = WORK / "demo"
    docs = demo_copy(root)
    outs = {mode: root / f"_build_{mode}" for mode in ("plain", "aidoc")}

    def reset() -> None:
        for directory in outs.values():
            shutil.rmtree(directory, ignore_errors=True)
        shutil.rmtree(docs / "_aidoc", ignore_errors=True)

    def edit(number: int) -> None:
        module = max((root / "inventory").glob("*.py"))
        with module.open("a", encoding="utf-8") as handle:
            handle.write(
                f"\n\ndef appended_{number}(value: int) -> int:\n    return value\n"
            )

    return _sequence(docs, outs, edit, reset=reset, jobs=jobs, only=only)


def _real(name: str, jobs: int = 1, only: Sequence[str] = STEPS) -> tuple[Results, int]:
    """A real library's own docs (unstripped), through bench_real_docs' venv."""
    import bench_real_docs as real  # noqa: PLC0415 (only with --real)

    lib = real.LIBS[name]
    python = real.ensure_venv(list(real.LIBS.values()))  # one venv for both scripts
    compile_aidoc(python)
    tree, _ = real.prepared_tree(lib, real.sdist_tree(lib), strip=False)
    docs = tree / lib.docs
    base = WORK / "real" / name
    outs = {mode: base / f"_build_{mode}" for mode in ("plain", "aidoc")}
    db = base / "aidoc.db"
    measure = base / "shown.json"
    extra = {"AIDOC_BENCH_DB": str(db)}

    def reset() -> None:
        for directory in outs.values():
            shutil.rmtree(directory, ignore_errors=True)
        base.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(base / "_count", ignore_errors=True)
        measure.unlink(missing_ok=True)
        for path in base.glob("aidoc.db*"):
            path.unlink()

    package = tree / lib.packages[0]
    edited = min(p for p in package.glob("*.py") if p.name != "__init__.py")
    original = edited.read_bytes()

    def edit(number: int) -> None:
        with edited.open("a", encoding="utf-8") as handle:
            handle.write(
                f"\n\ndef _appended_{number}(value: int) -> int:\n    return value\n"
            )

    # The timed builds run without bench_real_docs' measuring extension (its
    # conf.py loads it only with AIDOC_MEASURE_OUT set): it deep-copies every
    # object's content and imports it, more work where aidoc filled more, so
    # it would weigh on the aidoc builds only. One untimed plain build after
    # the sequence counts the objects shown.
    os.environ.pop("AIDOC_MEASURE_OUT", None)
    try:
        results = _sequence(
            docs,
            outs,
            edit,
            reset=reset,
            python=str(python),
            extra_env=extra,
            jobs=jobs,
            only=only,
        )
    finally:
        # The prepared tree is shared (bench_real_docs, timelines, profiles
        # read it): left as it was prepared, not with the steps' edits.
        edited.write_bytes(original)
    counting = {
        **build_env(aidoc=False),
        "AIDOC_MEASURE_OUT": str(measure),
        "AIDOC_MEASURE_PACKAGES": ",".join(lib.top_names),
    }
    subprocess.run(
        [
            str(python),
            "-m",
            "sphinx",
            "-q",
            "-b",
            "html",
            str(docs),
            str(base / "_count"),
        ],
        env=counting,
        capture_output=True,
        check=False,
        cwd=docs.parent,
    )
    shown = json.loads(measure.read_text()) if measure.is_file() else {}
    counted = [o for o in shown.get("objects", []) if o.get("type") in real.COUNTED]
    return results, len(counted)


def _median(runs: list[Results]) -> Results:
    """The median of each measure over repeated runs."""
    first = runs[0]
    return {
        mode: {
            step: [
                statistics.median(run[mode][step][i] for run in runs)
                for i in range(len(values))
            ]
            for step, values in steps.items()
        }
        for mode, steps in first.items()
    }


def _paired(runs: list[Results]) -> dict[str, list[float]]:
    """Per step, the wall ratio aidoc/plain of each run (its two builds adjacent)."""
    return {
        step: [_ratio(run["aidoc"][step][0], run["plain"][step][0]) for run in runs]
        for step in runs[0]["aidoc"]
    }


def _print(
    name: str,
    objects: int,
    results: Results,
    paired: dict[str, list[float]] | None = None,
) -> None:
    print(f"\n{name}" + (f" ({objects} objects shown)" if objects else ""))
    spread = paired is not None and len(next(iter(paired.values()), [])) > 1
    print(
        f"{'step':<17}{'plain s':>9}{'aidoc s':>9}{'ratio':>7}"
        + (f"{'paired':>8}{'range':>12}" if spread else "")
        + (f"{'plain ms/obj':>14}{'aidoc ms/obj':>14}" if objects else "")
        + f"{'plain MB':>10}{'aidoc MB':>10}{'ratio':>7}"
        + f"{'plain cpu':>11}{'aidoc cpu':>11}{'ratio':>7}"
        + (f"{'own ms/obj':>12}" if objects else f"{'own s':>8}")
    )
    for step in results["aidoc"]:
        plain, aidoc = results["plain"][step], results["aidoc"][step]
        per_object = (
            f"{1000 * plain[0] / objects:>14.2f}{1000 * aidoc[0] / objects:>14.2f}"
            if objects
            else ""
        )
        ratios = paired.get(step, []) if paired and spread else []
        pairs = (
            f"{statistics.median(ratios):>8.2f}"
            f"{f'{min(ratios):.2f}-{max(ratios):.2f}':>12}"
            if ratios
            else ""
        )
        print(
            f"{step:<17}{plain[0]:>9.2f}{aidoc[0]:>9.2f}"
            f"{_ratio(aidoc[0], plain[0]):>7.2f}{pairs}"
            f"{per_object}{plain[1]:>10.0f}{aidoc[1]:>10.0f}"
            f"{_ratio(aidoc[1], plain[1]):>7.2f}"
            f"{plain[2]:>11.2f}{aidoc[2]:>11.2f}{_ratio(aidoc[2], plain[2]):>7.2f}"
            + (
                f"{1000 * aidoc[3] / objects:>12.2f}"
                if objects
                else f"{aidoc[3]:>8.2f}"
            )
        )


def _ratio(value: float, base: float) -> float:
    return value / base if base else float("nan")


def _print_scaling(report: dict[str, Results]) -> None:
    """Per-object milliseconds of each step, aidoc builds, across sizes."""
    sizes = [
        (int(name.split()[1]), r)
        for name, r in report.items()
        if name.startswith("synthetic ")
    ]
    if len(sizes) < 2:
        return
    _scaling_table(
        "per-object time across sizes (aidoc, ms/object; plain in brackets)",
        sizes,
        lambda r, step: (r["aidoc"][step][0], r["plain"][step][0]),
    )
    _scaling_table(
        "aidoc's own CPU per object across sizes (its code in the build, "
        "own_time.py, plus the analysis worker; ms/object; in brackets, "
        "without the collector's pauses inside its code)",
        sizes,
        lambda r, step: (
            r["aidoc"][step][3],
            r["aidoc"][step][3] - r["aidoc"][step][4],
        ),
    )


def _scaling_table(
    title: str,
    sizes: list[tuple[int, Results]],
    pair: Callable[[Results, str], tuple[float, float]],
) -> None:
    """One row per step: ``first (second)`` per object at each size."""
    print(f"\n{title}")
    print(f"{'step':<17}" + "".join(f"{size:>18}" for size, _ in sizes))
    for step in sizes[0][1]["aidoc"]:
        cells = ""
        for size, r in sizes:
            first, second = pair(r, step)
            cells += f"{1000 * first / size:>9.2f} ({1000 * second / size:.2f})".rjust(
                18
            )
        print(f"{step:<17}{cells}")


def _repeated(
    run: Callable[[], Results], repeat: int
) -> tuple[Results, dict[str, list[float]]]:
    """The medians of *repeat* runs, and each step's paired wall ratios."""
    runs = [run() for _ in range(repeat)]
    return _median(runs), _paired(runs)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[2000, 5000])
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--real", action="append", default=[], metavar="LIB")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--no-big", action="store_true", help="never add the 20,000-object run"
    )
    parser.add_argument(
        "--steps",
        nargs="+",
        choices=STEPS[1:],
        default=list(STEPS[1:]),
        help="the steps to time after the first build (which always runs)",
    )
    args = parser.parse_args(argv)
    compile_aidoc()
    report: dict[str, Results] = {}
    ratios: dict[str, dict[str, list[float]]] = {}
    sizes = list(args.sizes)
    for size in sizes:
        results, ratios[f"synthetic {size}"] = _repeated(
            lambda s=size: run_size(s, args.jobs, args.steps), args.repeat
        )
        report[f"synthetic {size}"] = results
        if not args.json:
            _print(
                f"synthetic package, {size} objects",
                size,
                results,
                ratios[f"synthetic {size}"],
            )
        if (
            size == 5000
            and not args.no_big
            and 20000 not in sizes
            and results["aidoc"]["first"][0] < BIG_RUN_LIMIT
        ):
            sizes.append(20000)
    if args.demo:
        results, ratios["demo"] = _repeated(
            lambda: _demo(args.jobs, args.steps), args.repeat
        )
        report["demo"] = results
        if not args.json:
            _print("demo_project", 0, results, ratios["demo"])
    for name in args.real:
        counts: list[int] = []

        def one(lib: str = name, seen: list[int] = counts) -> Results:
            results, shown = _real(lib, args.jobs, args.steps)
            seen.append(shown)
            return results

        results, ratios[f"real {name}"] = _repeated(one, args.repeat)
        report[f"real {name}"] = results
        if not args.json:
            _print(
                f"{name} own docs",
                max(counts, default=0),
                results,
                ratios[f"real {name}"],
            )
    if args.json:
        print(json.dumps({"medians": report, "paired_wall_ratios": ratios}, indent=2))
    else:
        _print_scaling(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
