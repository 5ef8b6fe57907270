"""``aidoc report`` against pydoclint and interrogate on a real library.

Downloads a library's sdist from PyPI (default ``opentelemetry-api==1.27.0``,
whose docstrings are Google style), installs pydoclint and interrogate into
a separate venv under ``benchmarks/_work/`` (gitignored), runs the three
tools on the same files and prints:

* **recall** of pydoclint's argument findings: the objects pydoclint flags
  with DOC101-DOC105 that ``aidoc report`` flags with AID102, AID201 or
  AID202 (matched on file and object; ``Class.__init__`` is the class), with
  pydoclint set to aidoc's semantics (types in docstrings optional,
  constructor arguments documented on the class or ``__init__``) and, for
  comparison, with pydoclint's own defaults (target >= 95 % on the first);
* **coverage**: interrogate's percentage next to ``aidoc report --coverage
  interrogate`` (target within 1 point) and aidoc's own coverage;
* **wall time** of each tool, best of ``--repeat`` runs, and the ratio
  aidoc/pydoclint (target <= 2x), with aidoc's start-up, analysis and
  evaluation times.

Recall, coverage and time are given for both analysis engines of ``aidoc
report``: ``ast`` (the default, no inference) and ``astroid`` (inference,
what the Sphinx build uses), and the argument findings of the two are
compared object by object.

Run: ``.venv/bin/python benchmarks/bench_quality.py`` (a few seconds after
the first run; ``--package google-auth==2.35.0 --subdir google/auth`` for
another library).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tarfile
import time
import venv
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sphinxcontrib_aidoc.analyze import analyze_paths
from sphinxcontrib_aidoc.model import ObjectInfo
from sphinxcontrib_aidoc.quality._types import contradicts
from sphinxcontrib_aidoc.styles import parse_docstring

WORK = ROOT / "benchmarks" / "_work"
TOOLS = WORK / "quality-tools"  # not bench_real_docs.py's venv
TOOL_VERSIONS = ("pydoclint==0.12.0", "interrogate==1.7.0")
AIDOC = Path(sys.executable).parent / "aidoc"
PYDOCLINT_ALIGNED = (
    "--style=google",
    "--skip-checking-short-docstrings=False",
    "--arg-type-hints-in-docstring=False",
    "--allow-init-docstring=True",
)
PYDOCLINT_DEFAULTS = ("--style=google", "--skip-checking-short-docstrings=False")
ARG_CODES = ("DOC101", "DOC102", "DOC103", "DOC104", "DOC105")
OURS = frozenset({"AID102", "AID201", "AID202"})
_VIOLATION = re.compile(r"^\s+(\d+): (DOC\d+): \w+ `([^`]+)`: (.*)$")


def ensure_tools() -> None:
    """Create the tools venv with pydoclint and interrogate (once)."""
    if (TOOLS / "bin" / "pydoclint").exists() and (
        TOOLS / "bin" / "interrogate"
    ).exists():
        return
    venv.create(TOOLS, with_pip=True)
    subprocess.run(
        [str(TOOLS / "bin" / "pip"), "install", "-q", *TOOL_VERSIONS], check=True
    )


def fetch(package: str) -> Path:
    """Download and unpack the sdist of *package* (``name==version``)."""
    downloads = WORK / "src"
    downloads.mkdir(parents=True, exist_ok=True)
    name, _, version = package.partition("==")
    stem = f"{name.replace('-', '_')}-{version}"
    target = downloads / stem
    if target.is_dir():
        return target
    subprocess.run(
        [
            str(TOOLS / "bin" / "pip"),
            "download",
            "-q",
            "--no-deps",
            "--no-binary",
            ":all:",
            package,
            "-d",
            str(downloads),
        ],
        check=True,
    )
    archive = next(downloads.glob(f"{stem}.tar.gz"))
    with tarfile.open(archive) as tar:
        tar.extractall(downloads, filter="data")
    return target


def timed(cmd: list[str], repeat: int, *, stderr: bool = False) -> tuple[float, str]:
    """Best wall time of *repeat* runs of *cmd*, and its stdout (and stderr)."""
    best = float("inf")
    out = ""
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
        best = min(best, time.perf_counter() - start)
        out = result.stdout + (result.stderr if stderr else "")
    return best, out


def pydoclint_objects(output: str) -> dict[tuple[str, str], dict[str, str]]:
    """``{(file, object): {code: message}}`` of the DOC101-DOC105 violations."""
    found: dict[tuple[str, str], dict[str, str]] = {}
    current = ""
    for line in output.splitlines():
        if line.endswith(".py") and not line.startswith(" "):
            current = str(Path(line).resolve())
            continue
        match = _VIOLATION.match(line)
        if match and current and match[2] in ARG_CODES:
            name = match[3].removesuffix(".__init__")
            found.setdefault((current, name), {})[match[2]] = match[4]
    return found


def recall(
    flagged: dict[tuple[str, str], dict[str, str]],
    ours: dict[tuple[str, str], set[str]],
) -> tuple[int, list[tuple[str, str]]]:
    """Objects of *flagged* that aidoc flags too, and the missed ones."""
    hits = 0
    missed: list[tuple[str, str]] = []
    for file, name in sorted(flagged):
        codes = {
            c
            for (f, qualname), found in ours.items()
            if f == file and (qualname == name or qualname.endswith("." + name))
            for c in found
        }
        if codes & OURS:
            hits += 1
        else:
            missed.append((file, name))
    return hits, missed


def explain(
    missed: list[tuple[str, str]],
    flagged: dict[tuple[str, str], dict[str, str]],
    infos: dict[tuple[str, str], ObjectInfo],
) -> dict[tuple[str, str], str]:
    """Why aidoc does not flag each missed object, as far as it can tell."""
    reasons: dict[tuple[str, str], str] = {}
    for file, name in missed:
        codes = flagged[(file, name)]
        info = next(
            (i for (f, q), i in infos.items() if f == file and q.endswith("." + name)),
            None,
        )
        init = infos.get((file, f"{info.qualname}.__init__")) if info else None
        key = (file, name)
        if info is None:
            reasons[key] = "a function nested in a function (not analysed)"
        elif "DOC104" in codes:
            reasons[key] = (
                "same arguments in another order (aidoc does not check order)"
            )
        elif info is not None and info.kind == "property":
            reasons[key] = "a property setter's argument (properties have no Args)"
        elif init is not None and init.docstring and "DOC105" not in codes:
            reasons[key] = "constructor arguments in __init__'s docstring (allowed)"
        elif set(codes) == {"DOC105"} and info is not None:
            reasons[key] = _doc105_reason(codes["DOC105"], info)
        else:
            reasons[key] = "other"
    return reasons


def _doc105_reason(message: str, info: ObjectInfo) -> str:
    names = message.rpartition(":")[2].replace(" ", "").split(",")
    documented = {
        n.lstrip("*"): t for n, t, _ in parse_docstring(info.docstring or "").params
    }
    annotated = {p.name: p.type for p in info.params if not p.inferred}
    pairs = [
        (documented.get(n.lstrip("*")), annotated.get(n.lstrip("*"))) for n in names
    ]
    if all(not doc or not code for doc, code in pairs):
        return "DOC105 where docstring or signature gives no type (not compared)"
    if not any(doc and code and contradicts(doc, code) for doc, code in pairs):
        return "DOC105 on types aidoc reads as compatible (Optional[X] = X | None...)"
    return "DOC105 other"


def _records(output: str) -> dict[tuple[str, str], set[str]]:
    """``{(file, qualname): finding codes}`` of ``aidoc report --json`` output."""
    found: dict[tuple[str, str], set[str]] = {}
    for line in output.splitlines():
        record = json.loads(line)
        found[(record["file"], record["qualname"])] = {
            f["code"] for f in record["findings"]
        }
    return found


ENGINES = ("ast", "astroid")


def main() -> None:
    """Run the comparison and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--package", default="opentelemetry-api==1.27.0")
    parser.add_argument("--subdir", default="src/opentelemetry")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    ensure_tools()
    target = fetch(args.package) / args.subdir
    files = sorted(target.rglob("*.py"))
    lines = sum(len(f.read_text(encoding="utf-8").splitlines()) for f in files)
    print(f"library: {args.package} ({args.subdir}: {len(files)} files, {lines} lines)")

    pyd = str(TOOLS / "bin" / "pydoclint")
    t_pyd, out_aligned = timed(
        [pyd, *PYDOCLINT_ALIGNED, str(target)], args.repeat, stderr=True
    )
    _, out_defaults = timed([pyd, *PYDOCLINT_DEFAULTS, str(target)], 1, stderr=True)
    interrogate = str(TOOLS / "bin" / "interrogate")
    t_int, out_int = timed([interrogate, "-v", str(target)], args.repeat)
    _, out_ours_int = timed(
        [str(AIDOC), "report", "--coverage", "interrogate", str(target)], 1
    )
    t_help, _ = timed([str(AIDOC), "--help"], args.repeat)

    times: dict[str, float] = {}
    ours: dict[str, dict[tuple[str, str], set[str]]] = {}
    coverage: dict[str, float] = {}
    for engine in ENGINES:
        cmd = [str(AIDOC), "report", "--engine", engine, str(target)]
        times[engine], out = timed([*cmd, "--json", "--private"], args.repeat)
        ours[engine] = _records(out)
        _, table = timed(cmd, 1)
        coverage[engine] = float(
            re.findall(r"^coverage: ([\d.]+)%", table, re.MULTILINE)[0]
        )

    print("\nrecall of pydoclint's argument findings (DOC101-DOC105 vs AID102/201/202)")
    for flags, output in (
        (PYDOCLINT_ALIGNED, out_aligned),
        (PYDOCLINT_DEFAULTS, out_defaults),
    ):
        flagged = pydoclint_objects(output)
        print(f"  pydoclint {' '.join(flags)}: {len(flagged)} objects flagged")
        for engine in ENGINES:
            hits, missed = recall(flagged, ours[engine])
            rate = 100.0 * hits / len(flagged) if flagged else 100.0
            print(f"    aidoc --engine {engine:<8} flags {hits}: recall {rate:.1f}%")
            if flags is not PYDOCLINT_ALIGNED:
                continue
            infos = analyze_paths([target], calls=False, engine=engine)
            by_key = {(i.file, i.qualname): i for i in infos}
            reasons = explain(missed, flagged, by_key)
            for reason, count in Counter(reasons.values()).most_common():
                print(f"      {count:>4} missed: {reason}")
            for (file, name), reason in reasons.items():
                if reason.endswith("other"):
                    codes = ",".join(sorted(flagged[(file, name)]))
                    where = Path(file).relative_to(target)
                    print(f"           unexplained: {where} {name} ({codes})")

    print("\nengines compared (finding codes per object)")
    fast, slow = ours["ast"], ours["astroid"]
    differ = sorted(k for k in fast.keys() & slow.keys() if fast[k] != slow[k])
    print(
        f"  objects scored: ast {len(fast)}, astroid {len(slow)}; "
        f"same codes on {len(fast.keys() & slow.keys()) - len(differ)}, "
        f"different on {len(differ)}"
    )
    for key in differ[:10]:
        print(
            f"    {key[1]}: only ast {sorted(fast[key] - slow[key])}, "
            f"only astroid {sorted(slow[key] - fast[key])}"
        )

    interrogate_pct = float(re.findall(r"actual: ([\d.]+)%", out_int)[-1])
    ours_int = float(
        re.findall(r"coverage \(interrogate\): ([\d.]+)%", out_ours_int)[0]
    )
    print("\ncoverage")
    print(f"  interrogate -v:                      {interrogate_pct:.1f}%")
    print(
        f"  aidoc report --coverage interrogate: {ours_int:.1f}% "
        f"(difference {abs(ours_int - interrogate_pct):.1f} points)"
    )
    for engine in ENGINES:
        print(
            f"  aidoc report --engine {engine:<8} (public scored objects): "
            f"{coverage[engine]:.1f}%"
        )

    print(f"\nwall time, best of {args.repeat}")
    print(f"  pydoclint:                          {t_pyd:.2f} s")
    print(f"  interrogate:                        {t_int:.2f} s")
    for engine in ENGINES:
        print(
            f"  aidoc report --engine {engine:<8} --json --private: "
            f"{times[engine]:.2f} s  (ratio aidoc/pydoclint "
            f"{times[engine] / t_pyd:.1f}x)"
        )
    print(f"    start-up (aidoc --help):          {t_help:.2f} s")
    for engine in ENGINES:
        t_analyse, t_eval = breakdown(target, engine, args.repeat)
        print(f"    analysis, --engine {engine:<8}      {t_analyse:.2f} s (in process)")
        print(f"    evaluation of its records:        {t_eval:.2f} s")


_BREAKDOWN = """
import gc, sys, time
gc.set_threshold(50_000, 20, 100)  # as aidoc report does
t0 = time.perf_counter()
from sphinxcontrib_aidoc.analyze import analyze_paths
from sphinxcontrib_aidoc.quality import DocstringEvaluator, evaluate_infos
t1 = time.perf_counter()
infos = analyze_paths([sys.argv[1]], calls=False, engine=sys.argv[2])
t2 = time.perf_counter()
evaluate_infos(DocstringEvaluator(), infos, private=True)
t3 = time.perf_counter()
print(t2 - t1, t3 - t2)
"""


def breakdown(target: Path, engine: str, repeat: int) -> tuple[float, float]:
    """Best analysis and evaluation times of *engine* on *target*, in a fresh process."""
    runs = [
        timed([sys.executable, "-c", _BREAKDOWN, str(target), engine], 1)[1].split()
        for _ in range(repeat)
    ]
    return min(float(r[0]) for r in runs), min(float(r[1]) for r in runs)


if __name__ == "__main__":
    main()
