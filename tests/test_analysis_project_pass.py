"""The project pass kept between builds (issue 16 with issue 15's keying).

A parameter typed by its call sites depends on the modules that call it:
the pass over a package is kept under a key of every module of the
package and of the tests beside it, while each module's own analysis keeps
its key (an edit to a caller re-analyses the caller, not the callee).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sphinxcontrib_aidoc.analyze import DEFAULT_STEPS, clear_cache
from sphinxcontrib_aidoc.analyze._pass_files import find_tests_dir
from sphinxcontrib_aidoc.analyze.persist import analyze_file_kept, import_graph
from sphinxcontrib_aidoc.store import Store
from tests.conftest import shapes_payloads, write_shapes_package, write_source


def _project(tmp_path: Path) -> Path:
    pkg = write_shapes_package(tmp_path, "kpkg")
    # tests inside the package: read for their calls, never analysed
    write_source(
        pkg / "tests" / "test_inner.py",
        "from kpkg.shapes import scale\n\n\ndef test_inner():\n    scale(2.5)\n",
    )
    return pkg


def _size(pkg: Path, store: Store) -> str | None:
    path = pkg / "shapes.py"
    graph = import_graph(pkg, "kpkg.shapes")
    infos = analyze_file_kept(
        path,
        module="kpkg.shapes",
        cache=store,
        package=graph.fingerprint("kpkg.shapes"),
        project=True,
    )
    scale = next(i for i in infos if i.name == "scale")
    assert scale.params[0].name == "size"
    return scale.params[0].type


def _keys(store: Store) -> dict[str, str]:
    return dict(store.db.execute("SELECT file, key FROM analysis").fetchall())


def test_an_edit_to_a_caller_reruns_the_pass_not_the_callee(tmp_path: Path) -> None:
    pkg = _project(tmp_path)
    assert find_tests_dir(pkg) == tmp_path / "tests"  # src layout
    with Store.open(tmp_path / "a.db") as store:
        clear_cache()
        assert _size(pkg, store) == "float | int"
        before = _keys(store)
        # every module of the package is analysed (not its tests), and the
        # pass has its row, and the walks of its modules theirs
        assert {Path(f).name for f in before} == {
            "__init__.py",
            "shapes.py",
            "drawing.py",
            "kpkg#project-pass",
            "kpkg#module-walks",
        }
        write_source(
            pkg / "drawing.py",
            "from kpkg.shapes import scale\n\n\ndef draw():\n    scale('3')\n",
        )
        clear_cache()
        assert _size(pkg, store) == "float | int | str"
        after = _keys(store)
        changed = {Path(f).name for f in after if after[f] != before.get(f)}
        # the caller is analysed again, and the pass; shapes.py is kept
        assert changed == {"drawing.py", "kpkg#project-pass"}


def test_an_edit_to_the_find_tests_dir_the_package_reruns_the_pass(
    tmp_path: Path,
) -> None:
    pkg = _project(tmp_path)
    with Store.open(tmp_path / "a.db") as store:
        clear_cache()
        assert _size(pkg, store) == "float | int"
        before = _keys(store)
        write_source(
            tmp_path / "tests" / "test_shapes.py",
            "from kpkg.shapes import scale\n\n\ndef test_scale():\n    scale(b'4')\n",
        )
        clear_cache()
        assert _size(pkg, store) == "bytes | float | int"
        after = _keys(store)
        assert {Path(f).name for f in after if after[f] != before.get(f)} == {
            "kpkg#project-pass"
        }


def test_a_testing_directory_is_read_like_tests(tmp_path: Path) -> None:
    """The layout of pytest and pluggy: their tests live in ``testing/``."""
    pkg = tmp_path / "src" / "kpkg"
    write_source(pkg / "__init__.py", "")
    write_source(pkg / "shapes.py", "def scale(size):\n    print(size)\n")
    write_source(
        tmp_path / "testing" / "test_shapes.py",
        "from kpkg.shapes import scale\n\n\ndef test_scale():\n    scale(4)\n",
    )
    assert find_tests_dir(pkg) == tmp_path / "testing"
    with Store.open(tmp_path / "a.db") as store:
        clear_cache()
        assert _size(pkg, store) == "int"


def test_the_pass_takes_the_records_its_worker_made_as_made(tmp_path: Path) -> None:
    # In a build, the pass runs in the worker that analysed the modules: it
    # takes their records as made (no JSON parsed back), and states the
    # same types as a pass that parses every payload.
    from sphinxcontrib_aidoc.analyze import _package_pass, persist

    pkg = _project(tmp_path)
    clear_cache()
    persist.drop_parsed()
    payloads = shapes_payloads(pkg)
    sites = {"test_shapes": str(tmp_path / "tests" / "test_shapes.py")}
    shapes = payloads["kpkg.shapes"][1]
    made_here = persist._PARSED[persist.payload_digest(shapes)][0]
    assert _package_pass._loaded(shapes) is made_here
    made = _package_pass._typed_payloads(payloads, sites, None)
    assert not persist._PARSED  # the pass took the other two as made
    persist.drop_parsed()
    parsed = _package_pass._typed_payloads(payloads, sites, None)
    assert made == parsed
    assert '"type":"int"' in made[0]  # scale(size): 3 and 4 passed


def test_the_pass_runs_in_the_worker_right_behind_the_modules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A build's analyses queue each package's pass behind its modules in
    # the one worker: it starts as soon as the worker is done with them
    # (not once the build has stored every result and asked for it), and
    # states what a pass asked for afterwards states.
    from sphinxcontrib_aidoc.analyze import persist
    from sphinxcontrib_aidoc.analyze._package_pass import missing_jobs

    pkg = _project(tmp_path)
    asked: list[str] = []
    call = persist.BackgroundAnalyses.call

    def counted(self: persist.BackgroundAnalyses, function: Any, *args: object) -> Any:
        asked.append(function.__name__)
        return call(self, function, *args)

    monkeypatch.setattr(persist.BackgroundAnalyses, "call", counted)
    with Store.open(tmp_path / "a.db") as store:
        clear_cache()
        analyses = persist.BackgroundAnalyses(cache=store, workers=1, project=True)
        analyses.submit(missing_jobs(pkg, "kpkg", store, DEFAULT_STEPS))
        assert analyses.wait() == 3
        assert asked == []  # never asked for: taken from the queue
        assert _size(pkg, store) == "float | int"
        assert "kpkg#project-pass" in {Path(f).name for f in _keys(store)}
    # asked for, as before, with more than one worker
    pkg = _project(tmp_path / "again")  # (this process keeps the pass it ran)
    with Store.open(tmp_path / "b.db") as store:
        clear_cache()
        analyses = persist.BackgroundAnalyses(cache=store, workers=2, project=True)
        analyses.submit(missing_jobs(pkg, "kpkg", store, DEFAULT_STEPS))
        assert analyses.wait() == 3
        assert asked == ["_pass_in_worker"]
        assert _size(pkg, store) == "float | int"


def _echo(value: str) -> tuple[dict[str, bool], str]:
    """A queued "pass" that made nothing itself."""
    return {"made": value == "used"}, value


def test_a_pass_queued_with_other_payloads_is_not_taken(tmp_path: Path) -> None:
    # What the queued pass read must be what the build would hand it now:
    # a module's payload that differs (a job that failed, a file changed
    # in between) drops it, and the build asks for the pass again.
    from sphinxcontrib_aidoc.analyze import persist

    with Store.open(tmp_path / "a.db") as store:
        analyses = persist.BackgroundAnalyses(cache=store, workers=1)
        try:
            analyses.queue("k", {"m": "stored"}, _echo, "x")
            assert analyses.queued_pass("k", {"m": "stored"}) == "x"
            assert analyses.queued_pass("k", {"m": "stored"}) is None  # taken once
            analyses.queue("k", {"m": "stored"}, _echo, "x")
            assert analyses.queued_pass("k", {"m": "changed"}) is None
            analyses.queue("k", {"m": "stored"}, _echo, "x")
            assert analyses.queued_pass("k", {"m": "stored", "new": None}) is None
            # a module the worker had no payload for reads as none
            analyses.queue("k", {"made": None}, _echo, "x")
            assert analyses.queued_pass("k", {"made": None}) == "x"
            analyses.queue("k", {"made": None}, _echo, "x")
            assert analyses.queued_pass("k", {"made": "a payload"}) is None
            # one it made must be the payload its job gave the build
            analyses._made["made"] = "a payload"
            analyses.queue("k", {"made": None}, _echo, "used")
            assert analyses.queued_pass("k", {"made": "a payload"}) == "used"
            analyses.queue("k", {"made": None}, _echo, "used")
            assert analyses.queued_pass("k", {"made": "another"}) is None
        finally:
            analyses.close()
