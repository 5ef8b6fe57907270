"""Database growth benchmark: bytes a build adds to the aidoc database.

A synthetic project of 2,000 documented objects (100 modules of functions,
classes and methods, half with generated docstrings) goes through the same
store calls a Sphinx build makes once the objects are known:
``begin_build``, ``record_objects`` (the build's snapshot), the changelog's
``compare`` against the previous successful build and ``record_changes``,
then ``record_usage`` (for ``aidoc stats``) and ``end_build``. No Sphinx build runs (50 builds of 2,000 objects would
take most of an hour); what is measured is the store, which is where the
bytes go.

1. 50 builds that change nothing: bytes per build (target: under 1 KB);
2. 50 builds that each change one object's signature: bytes per build;
3. the same history exported (``aidoc history export``): bytes per build;
4. ``prune --keep 10``: what it frees.

Sizes are the database file after a WAL checkpoint, so every committed
page is counted. The "full copy" line is what a build cost before snapshot
references: one snapshot's rows (measured as the first build's growth).

Run: ``.venv/bin/python benchmarks/bench_db_growth.py`` (about 20 s).
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from sphinxcontrib_aidoc.changelog import compare
from sphinxcontrib_aidoc.model import ObjectSnapshot
from sphinxcontrib_aidoc.store import Store

WORK = Path(__file__).parent / "_work" / "db_growth"


def synthetic(objects: int, seed: int = 7) -> list[ObjectSnapshot]:
    """Return *objects* snapshots of a plausible project (100 modules)."""
    rng = random.Random(seed)
    verbs = ["get", "load", "save", "parse", "render", "build", "check", "find"]
    nouns = ["user", "order", "item", "price", "config", "token", "page", "row"]
    snapshots = []
    for n in range(objects):
        module = f"project.mod{n % 100:03d}"
        name = f"{rng.choice(verbs)}_{rng.choice(nouns)}_{n}"
        generated = n % 2 == 0
        doc = (
            f"{name.replace('_', ' ').capitalize()}.\n\nArgs:\n    value (int): "
            f"The value.\n    strict (bool): Whether to be strict.\n\nReturns:\n"
            f"    str: The {rng.choice(nouns)}."
        )
        snapshots.append(
            ObjectSnapshot(
                qualname=f"{module}.{name}",
                module=module,
                kind="function",
                signature="(value: int, strict: bool = False) -> str",
                docstring_hash=f"{n:016x}",
                generated=generated,
                source="inference" if generated else "human",
                summary=doc.split("\n", 1)[0],
                docname=f"api/mod{n % 100:03d}",
                file=f"/src/project/mod{n % 100:03d}.py",
                lineno=10 + 7 * (n // 100),
                docstring=doc,
            )
        )
    return snapshots


def size(store: Store) -> int:
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return store.path.stat().st_size


def build(store: Store, snapshots: list[ObjectSnapshot], n: int) -> None:
    build_id = store.begin_build(project="project", release=f"1.{n}")
    store.record_objects(build_id, snapshots)
    previous = store.last_build(status="ok", before=build_id)
    if previous is not None:
        events = compare(store.snapshot(int(previous["id"])), store.snapshot(build_id))
        store.record_changes(build_id, int(previous["id"]), events)
    store.record_usage(
        build_id,
        seconds=12.345,
        stages={"scan": 0.5, "analyse": 3.2, "draft": 0.1, "read": 5.5, "write": 2.9},
        analysed=0,
        analysis_kept=len(snapshots),
    )
    store.end_build(build_id, objects=len(snapshots))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--objects", type=int, default=2000)
    parser.add_argument("--builds", type=int, default=50)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=WORK))
    try:
        run(tmp, args.objects, args.builds)
    finally:
        shutil.rmtree(tmp)


def run(tmp: Path, objects: int, builds: int) -> None:
    snapshots = synthetic(objects)
    with Store.open(tmp / "aidoc.db") as store:
        empty = size(store)
        build(store, snapshots, 0)
        first = size(store)
        for n in range(1, builds + 1):
            build(store, snapshots, n)
        unchanged = size(store)
        for n in range(builds + 1, 2 * builds + 1):
            i = n % len(snapshots)
            snapshots[i] = replace(
                snapshots[i], signature=f"(value: int, strict: bool = False, v{n}=0)"
            )
            build(store, snapshots, n)
        changed = size(store)
        history = io.StringIO()
        store.history_export(history)
        exported = len(history.getvalue().encode())
        report = store.prune(10)
    full_copy = first - empty
    per_unchanged = (unchanged - first) / builds
    per_changed = (changed - unchanged) / builds
    print(f"objects per build:             {objects:,}")
    print(f"first build (a full snapshot): {full_copy:,} bytes")
    print(
        f"{builds} no-change builds:         {unchanged - first:,} bytes, "
        f"{per_unchanged:,.0f} bytes/build (target < 1,024) "
        f"[{'ok' if per_unchanged < 1024 else 'MISSED'}]"
    )
    print(
        f"{builds} one-change builds:        {changed - unchanged:,} bytes, "
        f"{per_changed:,.0f} bytes/build"
    )
    print(
        f"full copy per build (before):  {full_copy:,} bytes; no-change build now "
        f"{full_copy / max(per_unchanged, 1):,.0f}x smaller"
    )
    print(
        f"history export:                {exported:,} bytes for {2 * builds + 1} "
        f"builds ({(exported - full_copy) / (2 * builds):,.0f} bytes/build after "
        "the first)"
    )
    print(
        f"prune --keep 10:               removed {report.builds} builds, "
        f"{report.objects:,} object rows; {report.bytes_before:,} -> "
        f"{report.bytes_after:,} bytes"
    )


if __name__ == "__main__":
    main()
