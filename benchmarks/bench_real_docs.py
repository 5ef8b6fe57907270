"""Fill rate on real libraries' own Sphinx docs, with their docstrings stripped.

For each library: download its sdist (cached under ``benchmarks/_work/``),
copy it with every docstring removed from its package, and build its own
``docs/`` (its own conf.py and pages) twice, plain and with
``sphinxcontrib_aidoc`` appended to ``extensions``: offline provider,
intersphinx off (no network), a theme or extension that is not installed
replaced by alabaster or dropped (printed). A probe extension records every
Python object the pages show (``desc`` nodes) and whether it has text.

Printed per library: objects shown (the library's own, and inherited ones
defined elsewhere, which aidoc never drafts), shown without a docstring in
the plain build, how many of those aidoc filled (target >= 99%), what aidoc
drafted and whether any draft was for an object no page showed (target 0),
shown objects missing from the search index, the changelog snapshot and the
quality table (target 0 each), and both build times. Details (the objects
left empty, with their kind and page) go to ``benchmarks/_work/real/*.json``.

Usage::

    python benchmarks/bench_real_docs.py [--install] [--lib click] [--json]

``--install`` pip-installs the themes and extensions those docs use
(:data:`DOCS_REQUIREMENTS`) into the running environment first.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work" / "real"
SDISTS = HERE / "_work" / "sdists"

#: What the libraries' own docs need, installed by ``--install``.
DOCS_REQUIREMENTS = (
    "pallets-sphinx-themes",
    "sphinx-issues",
    "sphinx-tabs",
    "sphinxcontrib-log-cabinet",
    "furo",
)
#: name -> (version, package directory inside the sdist, top-level package)
LIBRARIES: dict[str, tuple[str, str, str]] = {
    "click": ("8.1.7", "src/click", "click"),
    "tomlkit": ("0.13.2", "tomlkit", "tomlkit"),
    "itsdangerous": ("2.2.0", "src/itsdangerous", "itsdangerous"),
    "markupsafe": ("2.1.5", "src/markupsafe", "markupsafe"),
}

PROBE = '''
"""Benchmark probe: record every Python object the pages show."""
import json, os
from docutils import nodes
from sphinx import addnodes

_SHOWN = {}
_KINDS = {"function", "method", "class", "exception", "property",
          "classmethod", "staticmethod", "decorator"}

def _text(content):
    copy = content.deepcopy()
    for node in list(copy.findall(nodes.Element)):
        classes = node.get("classes", [])
        if "aidoc-generated" in classes or "aidoc-xrefs" in classes:
            if node.parent is not None:
                node.parent.remove(node)
    for desc in list(copy.findall(addnodes.desc)):
        if desc.parent is not None:
            desc.parent.remove(desc)
    for fields in list(copy.findall(nodes.field_list)):
        # autodoc_typehints = "description" adds typed fields to any entry,
        # with or without a docstring: the prose is what counts.
        if fields.parent is not None:
            fields.parent.remove(fields)
    for para in list(copy.findall(nodes.paragraph)):
        # ":show-inheritance:" adds "Bases: ..." to every class: not a docstring.
        if para.astext().startswith("Bases: ") and para.parent is not None:
            para.parent.remove(para)
    return copy.astext().strip()

def resolved(app, doctree, docname):
    for desc in doctree.findall(addnodes.desc):
        if desc.get("domain") != "py" or desc.get("objtype") not in _KINDS:
            continue
        sig = next(iter(desc.findall(addnodes.desc_signature)), None)
        content = next(iter(desc.findall(addnodes.desc_content)), None)
        if sig is None or content is None or not sig.get("fullname"):
            continue
        module = sig.get("module") or ""
        name = f"{module}.{sig['fullname']}" if module else sig["fullname"]
        _SHOWN.setdefault(name, {"kind": desc["objtype"], "doc": docname,
                                 "text": bool(_text(content)),
                                 "defined_in": _defined_in(name)})

def _defined_in(name):
    """The module that defines the object (Python's own answer), or ""."""
    try:
        from sphinxcontrib_aidoc.sphinxext.members import definition
        from sphinxcontrib_aidoc.sphinxext.scan import import_object
        found = import_object(name)
        where = definition(found[0]) if found else None
        return where.module if where else ""
    except Exception:
        return ""

def finished(app, exc):
    path = os.environ.get("AIDOC_BENCH_PROBE")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(_SHOWN, f, sort_keys=True)

def setup(app):
    app.connect("doctree-resolved", resolved)
    app.connect("build-finished", finished)
    return {"parallel_read_safe": True}
'''

OVERRIDES = """
# --- aidoc benchmark overrides (appended) ---
import importlib.util as _aidoc_u, os as _aidoc_os, sys as _aidoc_sys
_aidoc_sys.path.insert(0, {src!r})
_aidoc_sys.path.insert(0, {probe_dir!r})
for _aidoc_name in [m for m in _aidoc_sys.modules if m == {top!r} or m.startswith({top!r} + ".")]:
    del _aidoc_sys.modules[_aidoc_name]
def _aidoc_ok(name):
    try:
        return _aidoc_u.find_spec(name) is not None
    except Exception:
        return False
_aidoc_dropped = [e for e in extensions if e == "sphinx.ext.intersphinx" or not _aidoc_ok(e)]
extensions = [e for e in extensions if e not in _aidoc_dropped] + ["aidoc_bench_probe"]
intersphinx_mapping = {{}}
if globals().get("html_theme") and not _aidoc_ok(str(html_theme).replace("-", "_")) \\
        and html_theme not in ("alabaster", "classic", "default", "nature", "sphinxdoc"):
    _aidoc_dropped.append("theme " + str(html_theme))
    html_theme = "alabaster"
    html_theme_options = {{}}
    html_sidebars = {{}}
if _aidoc_os.environ.get("AIDOC_BENCH_EXT"):
    extensions.append("sphinxcontrib_aidoc")
print("bench: dropped", _aidoc_dropped, file=_aidoc_sys.stderr)
"""


def fetch(name: str, version: str) -> Path:
    """The unpacked sdist of *name*, downloaded once."""
    SDISTS.mkdir(parents=True, exist_ok=True)

    def archives() -> list[Path]:
        wanted = f"{name}-{version}.tar.gz".lower()
        return [p for p in SDISTS.glob("*.tar.gz") if p.name.lower() == wanted]

    if not archives():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                "--no-binary",
                ":all:",
                "--no-deps",
                f"{name}=={version}",
                "-d",
                str(SDISTS),
            ],
            check=True,
        )
    archive_path = archives()[0]
    unpacked = SDISTS / archive_path.name.removesuffix(".tar.gz")
    if not unpacked.exists():
        with tarfile.open(archive_path) as archive:
            archive.extractall(SDISTS, filter="data")
    return unpacked


def strip_docstrings(source: str) -> str:
    """*source* with every module, class and function docstring removed."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    cuts: list[tuple[int, int, bool]] = []
    for node in ast.walk(tree):
        if not isinstance(
            node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
        ):
            continue
        body = node.body
        if (
            body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            first = body[0]
            cuts.append(
                (first.lineno, first.end_lineno or first.lineno, len(body) == 1)
            )
    for start, end, alone in sorted(cuts, reverse=True):
        indent = re.match(r"\s*", lines[start - 1]).group(0)  # type: ignore[union-attr]
        lines[start - 1 : end] = [f"{indent}...\n" if alone else "\n"] * (
            end - start + 1
        )
        if alone:
            lines[start:end] = ["\n"] * (end - start)
    return "".join(lines)


def prepare(name: str) -> tuple[Path, Path, str]:
    """Copy the sdist with its package stripped; return (docs, src, top)."""
    version, package_dir, top = LIBRARIES[name]
    sdist = fetch(name, version)
    root = WORK / name
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(sdist, root)
    for path in (root / package_dir).rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        path.write_text(strip_docstrings(text), encoding="utf-8")
    src = (root / package_dir).parent
    probe_dir = WORK / "_probe"
    probe_dir.mkdir(parents=True, exist_ok=True)
    (probe_dir / "aidoc_bench_probe.py").write_text(PROBE, encoding="utf-8")
    conf = root / "docs" / "conf.py"
    # Pallets' get_version() reads the installed distribution's metadata.
    text = re.sub(
        r"get_version\([^)]*\)", f"({version!r}, {version!r})", conf.read_text("utf-8")
    )
    conf.write_text(
        text + OVERRIDES.format(src=str(src), probe_dir=str(probe_dir), top=top),
        encoding="utf-8",
    )
    return root / "docs", src, top


def build(docs: Path, out: Path, probe: Path, *, aidoc: bool) -> tuple[float, str]:
    """Build *docs* into *out*; return seconds and the build's output."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(docs / "_aidoc", ignore_errors=True)
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "OPENAI_"))
    }
    env["AIDOC_BENCH_PROBE"] = str(probe)
    env.pop("AIDOC_BENCH_EXT", None)
    if aidoc:
        env["AIDOC_BENCH_EXT"] = "1"
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", str(docs), str(out)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=docs,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
    return seconds, done.stdout + done.stderr


def measure(name: str) -> dict[str, object]:
    """Build one library plain and with aidoc; return the figures."""
    docs, _, top = prepare(name)
    out = WORK / f"{name}-out"
    plain_t, _ = build(docs, out / "plain", out / "plain.json", aidoc=False)
    aidoc_t, log = build(docs, out / "aidoc", out / "aidoc.json", aidoc=True)
    plain = json.loads((out / "plain.json").read_text(encoding="utf-8"))
    with_aidoc = json.loads((out / "aidoc.json").read_text(encoding="utf-8"))

    def defined_here(name: str, record: dict[str, object]) -> bool:
        module = str(record.get("defined_in") or name)
        return module == top or module.startswith(top + ".")

    # The library's own objects: shown under its name and defined in it
    # (not a method a class inherits from the standard library).
    own = {
        n
        for n, record in plain.items()
        if (n == top or n.startswith(top + ".")) and defined_here(n, record)
    }
    empty = sorted(n for n in own if not plain[n]["text"])
    filled = [n for n in empty if with_aidoc.get(n, {}).get("text")]
    left = [n for n in empty if n not in filled]
    external_empty = sorted(n for n in plain if n not in own and not plain[n]["text"])
    index_file = out / "aidoc" / "_static" / "aidoc" / "index.json"
    indexed: set[str] = set()
    if index_file.exists():
        indexed = {row[0] for row in json.loads(index_file.read_text())["records"]}
    snapshot: set[str] = set()
    db_file = docs / "_aidoc" / "aidoc.db"
    if db_file.exists():
        conn = sqlite3.connect(db_file)
        last = conn.execute("select max(id) from builds").fetchone()[0]
        snapshot = {
            r[0]
            for r in conn.execute(
                "select qualname from objects where build_id = ?", [last]
            )
        }
        conn.close()
    shown_own = {
        n
        for n, record in with_aidoc.items()
        if (n == top or n.startswith(top + ".")) and defined_here(n, record)
    }
    summary = re.search(r"aidoc: ([\d,]+) generated, ([\d,]+) from cache", log)
    unshown = re.search(r"aidoc: (\d+) draft\(s\) made for objects no page showed", log)
    figures: dict[str, object] = {
        "library": f"{name} {LIBRARIES[name][0]}",
        "shown (own)": len(own),
        "shown (defined elsewhere)": len(plain) - len(own),
        "shown without docstring (own)": len(empty),
        "filled": len(filled),
        "fill rate": round(100 * len(filled) / len(empty), 1) if empty else 100.0,
        "drafted": int(summary[1].replace(",", "")) if summary else 0,
        "drafted, not shown": int(unshown[1]) if unshown else 0,
        "missing from search": len(shown_own - indexed),
        "missing from changelog/quality": len(shown_own - snapshot),
        "plain s": round(plain_t, 2),
        "aidoc s": round(aidoc_t, 2),
        "ratio": round(aidoc_t / plain_t, 2) if plain_t else None,
    }
    detail = {
        "figures": figures,
        "not filled": {n: plain[n] for n in left},
        "empty, defined elsewhere": external_empty,
        "missing from search": sorted(shown_own - indexed),
        "missing from changelog/quality": sorted(shown_own - snapshot),
    }
    (WORK / f"{name}.json").write_text(json.dumps(detail, indent=2), encoding="utf-8")
    return figures


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lib", action="append", choices=sorted(LIBRARIES))
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--install",
        action="store_true",
        help="first pip-install the themes and extensions the docs use",
    )
    args = parser.parse_args(argv)
    if args.install:
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", *DOCS_REQUIREMENTS],
            check=True,
        )
    WORK.mkdir(parents=True, exist_ok=True)
    rows = [measure(name) for name in args.lib or LIBRARIES]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    keys = list(rows[0])
    width = max(len(k) for k in keys)
    for key in keys:
        print(f"{key:<{width}}  " + "  ".join(f"{row[key]!s:>16}" for row in rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
