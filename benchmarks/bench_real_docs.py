"""Fill rate of aidoc on real libraries' own docs, their docstrings stripped.

For each library (pinned sdist from PyPI, cached in ``benchmarks/_work/``):

1. ``pip download --no-binary :all: --no-deps`` the sdist and unpack it;
2. copy the whole sdist tree and strip every docstring of the package
   (``benchmarks/strip_docstrings.py``);
3. build the library's own ``docs/`` (own conf.py and pages) from that copy,
   through a wrapper conf.py that runs the original one, puts the stripped
   package first on ``sys.path``, drops intersphinx (no network) and any
   extension that is not installed (printed), and adds the measuring
   extension ``benchmarks/aidoc_measure.py`` when ``AIDOC_MEASURE_OUT``
   names its output (``bench_builds.py`` times builds without it);
4. builds twice, plain and with ``sphinxcontrib_aidoc`` appended to
   ``extensions`` (offline provider: no AZURE_*/OPENAI_* variables), fresh
   output directory and aidoc database each time, serial, ``-b html``.

Per library it prints: objects shown (functions, methods, classes,
exceptions, properties, ...; attributes apart), shown without a docstring in
the plain build, how many of those the library defines (not inherited from
the standard library or third-party code) and how many of those have text
with aidoc (fill rate), aidoc's summary line (generated / from cache), the
drafts made for objects no page showed (from aidoc's build output), the
shown objects missing from the search index (``_static/aidoc/index.json``)
and from the changelog snapshot (the ``objects`` rows of the last build in
the aidoc database; the quality table uses the same set), and the build
times. A detail file ``benchmarks/_work/real/<lib>/not_filled.txt`` lists
the own objects left empty, grouped by probable cause.

The themes and extensions the docs need are installed (once) into the
benchmark venv ``benchmarks/_work/venv`` together with this repository and
the library itself (pallets-sphinx-themes' ``get_version`` wants it
installed; the stripped copy still comes first on ``sys.path``).

Usage::

    python benchmarks/bench_real_docs.py [--lib click --lib tomlkit] [--repeat R] [--json] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "_work"
REAL = WORK / "real"
SDISTS = WORK / "sdists"
VENV = WORK / "venv"
sys.path.insert(0, str(HERE))

from bytecode import compile_aidoc
from strip_docstrings import strip_tree

#: Object types counted as "objects shown"; attributes are counted apart.
COUNTED = {
    "function",
    "method",
    "class",
    "exception",
    "property",
    "classmethod",
    "staticmethod",
    "decorator",
    "decoratormethod",
}
ATTRIBUTES = {"attribute", "data"}
#: Extra packages the libraries' docs need (themes, extensions).
DOC_DEPS = [
    "pallets-sphinx-themes",
    "sphinxcontrib-log-cabinet",
    "sphinx-issues",
    "sphinx-tabs",
    "furo",
    "myst-parser",
    "sphinx-notfound-page",
    "sphinx-rtd-theme",
]


@dataclass(frozen=True)
class Lib:
    """One library: sdist pin, package folders (in the sdist) and docs folder."""

    name: str
    version: str
    packages: tuple[str, ...]
    docs: str = "docs"
    note: str = ""

    @property
    def top_names(self) -> tuple[str, ...]:
        return tuple(Path(p).name for p in self.packages)


LIBS = {
    lib.name: lib
    for lib in (
        Lib("click", "8.1.7", ("src/click",), note="currentmodule + short names"),
        Lib("tomlkit", "0.13.2", ("tomlkit",), note="__init__ re-exports, __all__"),
        Lib("itsdangerous", "2.2.0", ("src/itsdangerous",), note="re-exports"),
        Lib("attrs", "24.2.0", ("src/attr", "src/attrs"), note="myst, napoleon"),
        Lib(
            "more-itertools",
            "10.5.0",
            ("more_itertools",),
            note="automodule without members + autofunction short names",
        ),
    )
}

_DRAFTS_UNSHOWN = re.compile(
    r"aidoc: (\d+) draft\(s\) made for objects no page showed: (.*)"
)
_SUMMARY = re.compile(
    r"aidoc: ([\d,]+) generated, ([\d,]+) from cache, ([\d,]+) failed"
)

WRAPPER = """\
# Written by benchmarks/bench_real_docs.py: runs the library's own conf.py.
import importlib.util as _ilu
import os as _os
import sys as _sys

_ROOTS = {roots!r}
for _r in reversed(_ROOTS):
    _sys.path.insert(0, _r)
_sys.path.insert(0, {measure!r})
__file__ = {orig!r}
exec(compile(open(__file__, encoding="utf-8").read(), __file__, "exec"))
__file__ = {this!r}
for _r in reversed(_ROOTS):
    while _r in _sys.path:
        _sys.path.remove(_r)
    _sys.path.insert(0, _r)


def _bench_importable(name):
    try:
        return _ilu.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


_bench_kept = []
for _e in extensions:
    if _e == "sphinx.ext.intersphinx":
        print("bench conf: dropped sphinx.ext.intersphinx (no network)", file=_sys.stderr)
    elif not _bench_importable(_e):
        print(f"bench conf: dropped {{_e}} (not installed)", file=_sys.stderr)
    else:
        _bench_kept.append(_e)
# the measuring extension only where a script reads what it measured:
# timed builds (bench_builds.py) leave it out of both modes
extensions = _bench_kept + (
    ["aidoc_measure"] if _os.environ.get("AIDOC_MEASURE_OUT") else []
)
intersphinx_mapping = {{}}
if _os.environ.get("AIDOC_BENCH_EXT"):
    extensions.append("sphinxcontrib_aidoc")
    aidoc_db = _os.environ["AIDOC_BENCH_DB"]
"""


#: Runs sphinx-build and prints its peak memory and CPU time (with children).
RUNNER = (
    "import resource, sys\n"
    "from sphinx.cmd.build import main\n"
    "rc = main(sys.argv[1:])\n"
    "me = resource.getrusage(resource.RUSAGE_SELF)\n"
    "kids = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print('AIDOC_MAXRSS', me.ru_maxrss, file=sys.stderr)\n"
    "print('AIDOC_CPU', me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,"
    " file=sys.stderr)\n"
    "sys.exit(rc)\n"
)


def _run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=True, text=True, capture_output=True)


def ensure_venv(libs: list[Lib]) -> Path:
    """Create the benchmark venv once: this repository, doc deps, the libraries.

    Made again when the libraries, the doc dependencies or this
    repository's own dependencies (``pyproject.toml``) change.
    """
    python = VENV / "bin" / "python"
    marker = VENV / ".bench-real-docs"
    project = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    wanted = "\n".join(
        [*DOC_DEPS, *(f"{lib.name}=={lib.version}" for lib in libs), project]
    )
    if marker.is_file() and marker.read_text() == wanted:
        return python
    if not python.exists():
        _run([sys.executable, "-m", "venv", str(VENV)])
    pip = [str(python), "-m", "pip", "install", "-q"]
    _run([*pip, "-e", str(REPO)])
    sphinx = _run([str(python), "-c", "import sphinx; print(sphinx.__version__)"])
    constraints = WORK / "constraints.txt"
    constraints.write_text(f"sphinx=={sphinx.stdout.strip()}\n")
    _run([*pip, "-c", str(constraints), *DOC_DEPS])
    pins = [f"{lib.name}=={lib.version}" for lib in libs]
    _run([*pip, "--no-deps", *pins])
    marker.write_text(wanted)
    return python


def sdist_tree(lib: Lib) -> Path:
    """Download (once) and unpack (once) the sdist; return its root folder."""
    SDISTS.mkdir(parents=True, exist_ok=True)
    archives = list(SDISTS.glob(f"{lib.name}-{lib.version}.tar.gz"))
    if not archives:
        _run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                "--no-binary",
                ":all:",
                "--no-deps",
                f"{lib.name}=={lib.version}",
                "-d",
                str(SDISTS),
            ]
        )
        archives = list(SDISTS.glob(f"{lib.name}-{lib.version}.tar.gz"))
    root = REAL / lib.name / "orig"
    tree = root / f"{lib.name}-{lib.version}"
    if not tree.is_dir():
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archives[0]) as archive:
            archive.extractall(root, filter="data")
    return tree


def prepared_tree(lib: Lib, orig: Path, *, strip: bool) -> tuple[Path, int]:
    """A fresh copy of the sdist tree, docstrings stripped or not, conf wrapped."""
    tree = REAL / lib.name / ("stripped" if strip else "unstripped")
    if tree.exists():
        shutil.rmtree(tree)
    shutil.copytree(orig, tree)
    removed = 0
    for package in lib.packages if strip else ():
        removed += strip_tree(tree / package)[1]
    docs = tree / lib.docs
    conf = docs / "conf.py"
    orig_conf = docs / "_bench_orig_conf.py"
    conf.rename(orig_conf)
    roots = sorted({str((tree / p).parent) for p in lib.packages})
    conf.write_text(
        WRAPPER.format(
            roots=roots, measure=str(HERE), orig=str(orig_conf), this=str(conf)
        ),
        encoding="utf-8",
    )
    return tree, removed


def build(python: Path, lib: Lib, tree: Path, aidoc: bool, mode: str) -> dict[str, Any]:
    """One fresh serial HTML build; return its measures."""
    base = REAL / lib.name / mode
    if base.exists():
        shutil.rmtree(base)
    base.mkdir(parents=True)
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "OPENAI_"))
    }
    env.pop("AIDOC_BENCH_EXT", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode cached, as installed
    env["AIDOC_MEASURE_OUT"] = str(base / "shown.json")
    env["AIDOC_MEASURE_PACKAGES"] = ",".join(lib.top_names)
    if aidoc:
        env["AIDOC_BENCH_EXT"] = "1"
        env["AIDOC_BENCH_DB"] = str(base / "aidoc.db")
    out = base / "html"
    cmd = [str(python), "-c", RUNNER, "-b", "html", str(tree / lib.docs), str(out)]
    start = time.perf_counter()
    proc = subprocess.run(
        cmd, env=env, text=True, capture_output=True, cwd=tree, check=False
    )
    wall = time.perf_counter() - start
    (base / "build.log").write_text(proc.stdout + "\n--- stderr ---\n" + proc.stderr)
    if proc.returncode != 0 or not (base / "shown.json").is_file():
        msg = f"{lib.name} {mode} build failed ({proc.returncode}); see {base / 'build.log'}"
        raise RuntimeError(msg + "\n" + proc.stderr[-3000:])
    shown = json.loads((base / "shown.json").read_text())
    notes = sorted(
        {line for line in proc.stderr.splitlines() if line.startswith("bench conf:")}
    )
    warnings = [line for line in proc.stderr.splitlines() if "WARNING" in line]
    (base / "warnings.txt").write_text("\n".join(warnings) + "\n", encoding="utf-8")
    rss = re.search(r"AIDOC_MAXRSS (\d+)", proc.stderr)
    cpu = re.search(r"AIDOC_CPU ([\d.]+)", proc.stderr)
    return {
        "wall": wall,
        "cpu": float(cpu[1]) if cpu else float("nan"),
        "rss_mb": int(rss[1]) // 1024 if rss else 0,
        "shown": shown,
        "stdout": proc.stdout,
        "notes": notes,
        "warnings": len(warnings),
        "out": out,
        "db": base / "aidoc.db",
    }


def _index_names(out: Path) -> set[str] | None:
    path = out / "_static" / "aidoc" / "index.json"
    if not path.is_file():
        return None
    index = json.loads(path.read_text())
    column = index.get("fields", ["qualname"]).index("qualname")
    return {row[column] for row in index["records"]}


def _snapshot_names(db: Path) -> set[str] | None:
    if not db.is_file():
        return None
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT max(id) FROM builds").fetchone()
        names = conn.execute(
            "SELECT qualname FROM objects WHERE build_id = ?", (row[0],)
        ).fetchall()
    return {name for (name,) in names}


def _is_own(record: dict[str, Any], lib: Lib) -> bool:
    defined = record["defined_in"] or record["name"]
    return defined.split(".")[0] in lib.top_names


def directive_targets(docs: Path) -> dict[str, str]:
    """Map the full names the pages' ``auto*`` directives name to the directive."""
    pattern = re.compile(
        r"^\s*(?:\.\. |```\{)(auto\w+|currentmodule|module)(?::: ?|\}\s*)(\S+)"
    )
    targets: dict[str, str] = {}
    for page in sorted([*docs.rglob("*.rst"), *docs.rglob("*.md")]):
        current = ""
        for line in page.read_text(encoding="utf-8", errors="replace").splitlines():
            match = pattern.match(line)
            if not match:
                continue
            kind, name = match.groups()
            if kind in ("currentmodule", "module"):
                current = name
            elif kind == "automodule":
                targets[name] = kind
            else:
                full = (
                    name
                    if not current or name.startswith(current + ".")
                    else f"{current}.{name}"
                )
                targets.setdefault(full, kind)
    return targets


def _directive_of(name: str, targets: dict[str, str]) -> str:
    if name in targets:
        return targets[name]
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in targets:
            return f"member of {targets[prefix]}"
    return "unknown"


def causes(record: dict[str, Any], targets: dict[str, str]) -> list[str]:
    """Probable causes of an own shown object left empty."""
    name, defined = record["name"], record["defined_in"]
    short = name.rsplit(".", 1)[-1]
    found = [
        f"objtype {record['objtype']}",
        f"directive {_directive_of(name, targets)}",
    ]
    if not defined:
        found.append("not importable by the measuring extension")
    elif defined != name:
        found.append(
            "shown under another name than its definition (re-export/alias/inherited)"
        )
    module_parts = (defined or name).split(".")[:-1]
    if any(p.startswith("_") and not p.startswith("__") for p in module_parts):
        found.append("defined in a private module or class")
    if short.startswith("__") and short.endswith("__"):
        found.append("dunder name")
    elif short.startswith("_"):
        found.append("private name")
    if record["fields"]:
        found.append("has a type-hint field list")
    return found


def analyse(
    lib: Lib, tree: Path, plain: dict[str, Any], aidoc: dict[str, Any]
) -> dict[str, Any]:
    """Compare the two builds of *lib*; write the detail file."""
    before = {r["name"]: r for r in plain["shown"]["objects"]}
    after = {r["name"]: r for r in aidoc["shown"]["objects"]}
    counted = [r for r in before.values() if r["objtype"] in COUNTED and r["autodoc"]]
    handwritten = [
        r for r in before.values() if r["objtype"] in COUNTED and not r["autodoc"]
    ]
    attributes = [r for r in before.values() if r["objtype"] in ATTRIBUTES]
    empty = [r for r in counted if not r["text"]]
    empty_own = [r for r in empty if _is_own(r, lib)]
    empty_ext = [r for r in empty if not _is_own(r, lib)]
    ext_filled = [r for r in empty_ext if after.get(r["name"], {}).get("text")]
    counted_after = [
        r for r in after.values() if r["objtype"] in COUNTED and r["autodoc"]
    ]
    # Every own object the aidoc build shows without text, including the
    # members aidoc brings back that plain autodoc hides for lack of a docstring.
    not_filled = [r for r in counted_after if _is_own(r, lib) and not r["text"]]
    not_filled_plain = [
        r for r in empty_own if not after.get(r["name"], {}).get("text")
    ]
    # Issue 11: when nothing beyond the name and the signature is known, the
    # offline wording writes no sentence; such an entry may still gain typed
    # fields (parameters, return, raises) from the analysis.
    fields_only = [
        r for r in not_filled_plain if after.get(r["name"], {}).get("fields")
    ]
    own_after = [r for r in counted_after if _is_own(r, lib)]
    ext_after_empty = [
        r for r in counted_after if not _is_own(r, lib) and not r["text"]
    ]
    notes = sum(r["generated_note"] for r in after.values())
    only_after = [r for r in counted_after if r["name"] not in before]
    only_before = [r for r in counted if r["name"] not in after]
    shown_own = [r["name"] for r in counted_after if _is_own(r, lib)]
    defined = {r["name"]: r["defined_in"] for r in after.values()}
    log = aidoc["stdout"]
    unshown = _DRAFTS_UNSHOWN.search(log)
    summary = _SUMMARY.search(log)

    def missing(names: set[str] | None) -> dict[str, Any]:
        if names is None:
            return {"count": None, "by_defining_name_too": None, "sample": []}
        gone = sorted(n for n in shown_own if n not in names)
        worse = [n for n in gone if defined.get(n) not in names]
        return {
            "count": len(gone),
            "by_defining_name_too": len(worse),
            "sample": gone[:8],
        }

    targets = directive_targets(tree / lib.docs)
    groups: dict[str, list[str]] = {}
    for record in not_filled:
        for cause in causes(record, targets):
            groups.setdefault(cause, []).append(record["name"])
    detail = REAL / lib.name / "not_filled.txt"
    lines = [
        f"{lib.name} {lib.version}: {len(not_filled)} own shown-empty objects not filled",
        "",
    ]
    lines.extend(
        f"{record['name']}  [{record['objtype']}] defined in {record['defined_in'] or '?'}"
        f" on {','.join(sorted(set(record['docnames'])))}: {'; '.join(causes(record, targets))}"
        for record in not_filled
    )
    lines += ["", "By cause:"]
    for cause, names in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"  {len(names):4d}  {cause}: {', '.join(names[:6])}")
    lines += ["", "Empty shown objects defined outside the library (never drafted):"]
    lines += [f"  {r['name']} <- {r['defined_in']}" for r in ext_after_empty]
    detail.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {
        "library": f"{lib.name} {lib.version}",
        "layout": lib.note,
        "package_file_plain": plain["shown"]["package_files"],
        "shown": len(counted),
        "shown_attributes": len(attributes),
        "shown_handwritten": len(handwritten),
        "shown_empty": len(empty),
        "shown_empty_external": len(empty_ext),
        "shown_empty_external_filled": len(ext_filled),
        "shown_empty_own": len(empty_own),
        "filled_own": len(empty_own) - len(not_filled_plain),
        "fields_only_own": len(fields_only),
        "fill_rate_own": (1 - len(not_filled_plain) / len(empty_own))
        if empty_own
        else 1.0,
        "shown_aidoc": len(counted_after),
        "shown_aidoc_only": len(only_after),
        "shown_plain_only": [r["name"] for r in only_before],
        "shown_aidoc_own": len(own_after),
        "shown_aidoc_own_empty": len(not_filled),
        "fill_rate_aidoc_own": (1 - len(not_filled) / len(own_after))
        if own_after
        else 1.0,
        "shown_aidoc_external_empty": len(ext_after_empty),
        "generated_notes_on_pages": notes,
        "attributes_empty": sum(not r["text"] for r in attributes),
        "attributes_filled": sum(
            not r["text"] and bool(after.get(r["name"], {}).get("text"))
            for r in attributes
        ),
        "generated": int(summary.group(1).replace(",", "")) if summary else None,
        "from_cache": int(summary.group(2).replace(",", "")) if summary else None,
        "drafted_not_shown": int(unshown.group(1)) if unshown else 0,
        "drafted_not_shown_sample": unshown.group(2) if unshown else "",
        "missing_search": missing(_index_names(aidoc["out"])),
        "missing_snapshot": missing(_snapshot_names(aidoc["db"])),
        "time_plain_s": round(plain["wall"], 2),
        "time_aidoc_s": round(aidoc["wall"], 2),
        "ratio": round(aidoc["wall"] / plain["wall"], 2),
        "cpu_plain_s": round(plain["cpu"], 2),
        "cpu_aidoc_s": round(aidoc["cpu"], 2),
        "cpu_ratio": round(aidoc["cpu"] / plain["cpu"], 2),
        "rss_plain_mb": plain["rss_mb"],
        "rss_aidoc_mb": aidoc["rss_mb"],
        "rss_ratio": round(aidoc["rss_mb"] / max(plain["rss_mb"], 1), 2),
        "repeats": plain.get("repeats", 1),
        "warnings_plain": plain["warnings"],
        "warnings_aidoc": aidoc["warnings"],
        "conf_notes": aidoc["notes"],
        "causes": {cause: len(names) for cause, names in groups.items()},
        "detail_file": str(detail.relative_to(REPO)),
    }


def compare_published(
    lib: Lib, published: dict[str, Any], aidoc: dict[str, Any]
) -> dict[str, Any]:
    """What the original docs (docstrings kept) show, against the aidoc build.

    The original build shows what the library publishes; stripped, plain
    autodoc hides the members that lost their docstring, and aidoc should
    bring them back and fill them.
    """
    after = {r["name"]: r for r in aidoc["shown"]["objects"]}
    own = [
        r
        for r in published["shown"]["objects"]
        if r["objtype"] in COUNTED and r["autodoc"] and _is_own(r, lib)
    ]
    hidden = [r["name"] for r in own if r["name"] not in after]
    empty = [
        r["name"] for r in own if r["name"] in after and not after[r["name"]]["text"]
    ]
    detail = REAL / lib.name / "published_not_filled.txt"
    detail.write_text(
        f"{lib.name}: own objects the original docs show, absent from the aidoc build"
        f" of the stripped source ({len(hidden)}):\n"
        + "".join(f"  {n}\n" for n in hidden)
        + f"\nshown but empty ({len(empty)}):\n"
        + "".join(f"  {n}\n" for n in empty),
        encoding="utf-8",
    )
    return {
        "published_own": len(own),
        "published_hidden_with_aidoc": len(hidden),
        "published_hidden_sample": hidden[:8],
        "published_empty_with_aidoc": len(empty),
        "published_fill_rate": (1 - (len(hidden) + len(empty)) / len(own))
        if own
        else 1.0,
        "time_original_s": round(published["wall"], 2),
    }


def report(row: dict[str, Any]) -> str:
    """Human-readable block for one library."""
    search, snap = row["missing_search"], row["missing_snapshot"]
    lines = [
        f"== {row['library']} ({row['layout']})",
        *(f"   {note}" for note in row["conf_notes"]),
        (
            f"   objects shown (autodoc) {row['shown']:5d}  (+ {row['shown_attributes']} attributes/data,"
            f" {row['shown_handwritten']} hand-written py directives not counted)"
        ),
        (
            f"   shown w/o docstring    {row['shown_empty']:5d}  = {row['shown_empty_own']} own"
            f" + {row['shown_empty_external']} defined outside the library"
            f" ({row['shown_empty_external_filled']} of those filled)"
        ),
        (
            f"   filled (own)           {row['filled_own']:5d}  fill rate"
            f" {100 * row['fill_rate_own']:.1f}% with prose; typed fields only"
            f" {row.get('fields_only_own', 0)} (nothing known beyond name and"
            " signature: no sentence), nothing"
            f" {row['shown_empty_own'] - row['filled_own'] - row.get('fields_only_own', 0)}"
        ),
        (
            f"   aidoc build shows      {row['shown_aidoc']:5d}  ({row['shown_aidoc_only']} more than"
            f" plain: undocumented members brought back; plain-only: {row['shown_plain_only'][:3]})"
        ),
        (
            f"   of those own           {row['shown_aidoc_own']:5d}, still empty"
            f" {row['shown_aidoc_own_empty']} (own fill rate {100 * row['fill_rate_aidoc_own']:.1f}%);"
            f" external shown empty {row['shown_aidoc_external_empty']}"
        ),
        f"   attributes empty/filled {row['attributes_empty']:4d} / {row['attributes_filled']}",
        (
            f"   aidoc summary          {row['generated']} generated, {row['from_cache']} from cache;"
            f" generated notes on pages {row['generated_notes_on_pages']}"
        ),
        f"   drafted, not shown     {row['drafted_not_shown']:5d}  {row['drafted_not_shown_sample']}",
        (
            f"   own shown missing from search index {search['count']}"
            f" (by defining name too: {search['by_defining_name_too']}) {search['sample'][:4]}"
        ),
        (
            f"   own shown missing from changelog snapshot/quality {snap['count']}"
            f" (by defining name too: {snap['by_defining_name_too']}) {snap['sample'][:4]}"
        ),
        (
            f"   build time plain {row['time_plain_s']:.1f} s, aidoc {row['time_aidoc_s']:.1f} s,"
            f" ratio {row['ratio']:.2f}  (warnings {row['warnings_plain']} / {row['warnings_aidoc']})"
        ),
        (
            f"   CPU plain {row['cpu_plain_s']:.1f} s, aidoc {row['cpu_aidoc_s']:.1f} s,"
            f" ratio {row['cpu_ratio']:.2f}; peak memory plain {row['rss_plain_mb']} MB,"
            f" aidoc {row['rss_aidoc_mb']} MB, ratio {row['rss_ratio']:.2f}"
            f"  (median of {row['repeats']} interleaved pair(s))"
        ),
    ]
    lines.append(
        f"   published (original docs, docstrings kept): {row['published_own']} own objects;"
        f" with aidoc on the stripped source: {row['published_hidden_with_aidoc']} not shown,"
        f" {row['published_empty_with_aidoc']} empty -> filled"
        f" {100 * row['published_fill_rate']:.1f}%  {row['published_hidden_sample'][:4]}"
    )
    if row["causes"]:
        lines.append("   not filled, by probable cause:")
        for cause, count in sorted(row["causes"].items(), key=lambda kv: -kv[1]):
            lines.append(f"     {count:4d}  {cause}")
        lines.append(f"   detail: {row['detail_file']}")
    return "\n".join(lines)


def _medians(builds: list[dict[str, Any]]) -> dict[str, Any]:
    """The last build, with the median wall time, CPU time and peak memory."""
    last = dict(builds[-1])
    for measure in ("wall", "cpu", "rss_mb"):
        last[measure] = statistics.median(b[measure] for b in builds)
    last["repeats"] = len(builds)
    return last


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--lib", action="append", choices=sorted(LIBS), help="repeatable"
    )
    parser.add_argument("--json", action="store_true", help="print JSON rows")
    parser.add_argument("--keep", action="store_true", help="keep build outputs")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="plain and aidoc builds, interleaved, R times (times: medians)",
    )
    args = parser.parse_args()
    libs = [LIBS[name] for name in (args.lib or LIBS)]
    python = ensure_venv(list(LIBS.values()))
    compile_aidoc(python)
    rows = []
    for lib in libs:
        source = sdist_tree(lib)
        original, _ = prepared_tree(lib, source, strip=False)
        tree, removed = prepared_tree(lib, source, strip=True)
        print(
            f"{lib.name}: {removed} docstrings stripped; building original, plain, aidoc",
            file=sys.stderr,
            flush=True,
        )
        published = build(python, lib, original, aidoc=False, mode="original")
        pairs = [
            (
                build(python, lib, tree, aidoc=False, mode="plain"),
                build(python, lib, tree, aidoc=True, mode="aidoc"),
            )
            for _ in range(max(args.repeat, 1))
        ]
        plain, aidoc = _medians([p for p, _ in pairs]), _medians([a for _, a in pairs])
        row = analyse(lib, tree, plain, aidoc)
        row.update(compare_published(lib, published, aidoc))
        rows.append(row)
        if not args.json:
            print(report(row), flush=True)
        if not args.keep:
            for mode in ("original", "plain", "aidoc"):
                shutil.rmtree(REAL / lib.name / mode / "html", ignore_errors=True)
    if args.json:
        print(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
