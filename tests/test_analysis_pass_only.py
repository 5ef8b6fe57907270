"""Modules the project pass alone reads are analysed without their calls.

What an object calls (``ObjectInfo.calls``) is the costliest part of a
module's analysis, and only the "Calls"/"Called by" lines of documented
objects (and the drafts' context) read it. A first build also analyses
the package's modules no page documents, for the project pass only: those
are now analysed without their calls (on tomlkit, 6 of its 13 modules).
Their payload says so; a build that documents such a module later
analyses it again, with its calls, and keeps the types the pass proved.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sphinxcontrib_aidoc.analyze import DEFAULT_STEPS, ObjectInfo, clear_cache, persist
from sphinxcontrib_aidoc.analyze._package_pass import missing_jobs
from sphinxcontrib_aidoc.store import Store
from tests.conftest import ROOTS, slow_child, write_source


def _package(root: Path) -> Path:
    """``ppkg``: ``scale`` (typed by its call sites) calls ``halve``."""
    pkg = root / "src" / "ppkg"
    write_source(pkg / "__init__.py", "")
    write_source(
        pkg / "shapes.py",
        """
        def halve(size):
            return size / 2


        def scale(size):
            return halve(size)
        """,
    )
    write_source(
        pkg / "drawing.py",
        "from ppkg.shapes import scale\n\n\ndef draw():\n    scale(3)\n",
    )
    write_source(
        root / "tests" / "test_shapes.py",
        "from ppkg.shapes import scale\n\n\ndef test_scale():\n    scale(2.5)\n",
    )
    return pkg


def _payloads(store: Store) -> dict[str, str]:
    rows = store.db.execute("SELECT file, payload FROM analysis").fetchall()
    return {Path(file).name: payload for file, payload in rows}


def _record(infos: list[ObjectInfo], name: str) -> ObjectInfo:
    return next(i for i in infos if i.name == name)


def test_the_pass_reads_analyses_without_calls_and_a_page_gets_them(
    tmp_path: Path,
) -> None:
    pkg = _package(tmp_path)
    with Store.open(tmp_path / "a.db") as store:
        clear_cache()
        analyses = persist.BackgroundAnalyses(cache=store, workers=1, project=True)
        analyses.submit(missing_jobs(pkg, "ppkg", store, DEFAULT_STEPS))
        assert analyses.wait() == 3
        shapes = _payloads(store)["shapes.py"]
        assert not persist.calls_analysed(shapes)
        loaded = persist.load(shapes)
        assert loaded is not None
        assert _record(loaded[0], "scale").calls == ()
        # Documented now: analysed again, with its calls, beside the type
        # the pass proved from the analyses without them.
        clear_cache()
        infos = persist.analyze_file_kept(
            pkg / "shapes.py",
            module="ppkg.shapes",
            cache=store,
            package=persist.import_graph(pkg, "ppkg.shapes").fingerprint("ppkg.shapes"),
            project=True,
        )
        scale = _record(infos, "scale")
        assert scale.calls == ("ppkg.shapes.halve",)
        assert scale.params[0].type == "float | int"  # scale(3), scale(2.5)
        assert persist.calls_analysed(_payloads(store)["shapes.py"])


def test_a_page_added_later_shows_the_calls_of_a_fresh_build(
    build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # search_pkg.numbers: ping() and pong() call each other. The first build
    # has no page for it (analysed for the pass only); the next one does.
    site = tmp_path / "site"
    shutil.copytree(ROOTS / "test-search", site)
    page = site / "numbers.rst"
    text = page.read_text(encoding="utf-8")
    page.unlink()
    index = site / "index.rst"
    toctree = index.read_text(encoding="utf-8")
    index.write_text(toctree.replace("   numbers\n", ""), encoding="utf-8")
    # (the child is busy with the pages' first module until the build has
    # told it which modules the pass alone reads)
    slow_child(monkeypatch, "search_pkg.hostile")
    first = build("search", srcname="site")
    with Store.open(first.srcdir / "_aidoc" / "aidoc.db") as store:
        payloads = _payloads(store)
    assert not persist.calls_analysed(payloads["numbers.py"])
    assert persist.calls_analysed(payloads["storage.py"])
    page.write_text(text, encoding="utf-8")
    index.write_text(toctree, encoding="utf-8")
    later = build("search", srcname="site")
    shown = (later.outdir / "numbers.html").read_text(encoding="utf-8")
    assert "Calls" in shown
    monkeypatch.undo()
    fresh = build("search", srcname="fresh")
    assert (fresh.outdir / "numbers.html").read_text(encoding="utf-8") == shown
