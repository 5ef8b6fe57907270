"""The project pass with each module's walk kept (issue 15): an edit walks one module.

What the pass reads of every node of a module (attribute names written,
names used other than by a call) is kept per module while the module's
text and frames are unchanged. After an edit, the pass that takes the
unchanged modules' walks from the last pass must state exactly what a
pass from scratch states, and walk the edited module only.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from sphinxcontrib_aidoc.analyze import analyze_file, clear_cache
from sphinxcontrib_aidoc.analyze._module_walks import ModuleWalks, load_walks
from sphinxcontrib_aidoc.analyze._project import project_types
from sphinxcontrib_aidoc.model import ObjectInfo

_SHAPES = """
    class Box:
        def __init__(self, size):
            self.size = size

        def measure(self):
            return self.size


    def scale(factor):
        print(factor)
"""
_DRAWING = """
    from pkg.shapes import Box, scale


    def draw():
        scale(3)
        return Box(2)
"""
_TEST = """
    from pkg.shapes import scale


    def test_scale():
        scale(4)
"""


def _write(root: Path, files: dict[str, str]) -> None:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")


def _records(root: Path) -> tuple[list[ObjectInfo], dict[str, str]]:
    """The per-module records of ``pkg`` (no pass yet), and its tests as sites."""
    clear_cache()
    records: list[ObjectInfo] = []
    for name in ("__init__", "shapes", "drawing", "util"):
        records.extend(analyze_file(root / "pkg" / f"{name}.py", module=f"pkg.{name}"))
    records.sort(key=lambda i: (i.file, i.lineno, i.qualname))
    return records, {"test_shapes": str(root / "tests" / "test_shapes.py")}


def _types(infos: list[ObjectInfo]) -> dict[str, tuple[str | None, ...]]:
    return {
        i.qualname: (
            i.returns.type if i.returns else None,
            *(p.type for p in i.params),
        )
        for i in infos
    }


def _pass(
    root: Path, kept: str | None
) -> tuple[dict[str, tuple[str | None, ...]], ModuleWalks]:
    records, sites = _records(root)
    walks = ModuleWalks(load_walks(kept))
    return _types(project_types(records, sites, walks)), walks


def test_an_edit_walks_the_edited_module_and_states_what_a_full_pass_does(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/shapes.py": _SHAPES,
            "pkg/drawing.py": _DRAWING,
            "pkg/util.py": "def helper():\n    return 'x'\n",
            "tests/test_shapes.py": _TEST,
        },
    )
    first, walks = _pass(tmp_path, None)
    assert walks.walked == {"pkg.shapes", "pkg.drawing", "pkg.util", "test_shapes"}
    assert first["pkg.shapes.scale"] == ("None", "int")
    assert first["pkg.shapes.Box.measure"][0] == "int"
    kept = walks.dump()

    # Nothing changed: nothing is walked, the same types are stated.
    again, walks = _pass(tmp_path, kept)
    assert walks.walked == set()
    assert again == first

    # The edit writes the attribute from outside a method and passes the
    # function on as a value: both are seen in the edited module's nodes.
    _write(
        tmp_path,
        {
            "pkg/util.py": """
                from pkg.shapes import Box, scale

                HANDLERS = [scale]


                def helper():
                    box = Box(1)
                    box.size = "big"
                    return box
            """
        },
    )
    edited, walks = _pass(tmp_path, kept)
    assert walks.walked == {"pkg.util"}
    scratch, _ = _pass(tmp_path, None)
    assert edited == scratch
    assert edited["pkg.shapes.scale"] == ("None", None)  # reachable unseen now
    assert edited["pkg.shapes.Box.measure"][0] is None  # size may be a str


def test_a_walk_kept_under_another_text_is_not_used(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/shapes.py": _SHAPES,
            "pkg/drawing.py": _DRAWING,
            "pkg/util.py": "def helper():\n    return 1\n",
            "tests/test_shapes.py": _TEST,
        },
    )
    _, walks = _pass(tmp_path, None)
    kept = walks.dump()
    # The same module name, other text: the kept walk does not apply.
    _write(
        tmp_path,
        {
            "pkg/util.py": "from pkg.shapes import scale\n\n\ndef helper():\n    return scale\n"
        },
    )
    edited, walks = _pass(tmp_path, kept)
    assert walks.walked == {"pkg.util"}
    assert edited["pkg.shapes.scale"] == ("None", None)
    # Unreadable or foreign rows are no walks at all.
    assert load_walks("not json") == {}
    assert load_walks('{"format": -1, "modules": {}}') == {}


def test_walks_made_by_another_analyser_are_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A changed reader of the pass (a new analyser) walks every module again.
    from sphinxcontrib_aidoc.analyze import _package_pass, persist
    from sphinxcontrib_aidoc.store import Store

    _write(
        tmp_path,
        {"pkg/__init__.py": "", "pkg/shapes.py": _SHAPES, "pkg/drawing.py": _DRAWING},
    )
    walked: list[set[str]] = []
    original = ModuleWalks.dump

    def dump(self: ModuleWalks) -> str:
        walked.append(set(self.walked))
        return original(self)

    monkeypatch.setattr(ModuleWalks, "dump", dump)
    # The pass runs here, as when no worker process can start, so that the
    # walks it dumps are seen.
    monkeypatch.setattr(persist.BackgroundAnalyses, "call", lambda *a: None)

    def run() -> str:
        _package_pass._MEMO.clear()
        _package_pass._PACKAGES.clear()
        clear_cache()
        _package_pass.package_types(
            tmp_path / "pkg", "pkg", cache=store, infer_timeout=30.0, infer_steps=100
        )
        rows = store.db.execute(
            "SELECT key FROM analysis WHERE file LIKE '%#module-walks'"
        ).fetchall()
        assert len(rows) == 1  # one row per package
        return str(rows[0][0])

    with Store.open(tmp_path / "a.db") as store:
        first = run()
        assert walked == [{"pkg", "pkg.shapes", "pkg.drawing"}]
        fingerprint = persist.analyzer_fingerprint() + "-changed"
        # The pass keys its walks on the fingerprint it imported.
        monkeypatch.setattr(_package_pass, "analyzer_fingerprint", lambda: fingerprint)
        assert run() != first
        assert walked[-1] == {"pkg", "pkg.shapes", "pkg.drawing"}


def test_a_kept_walk_remembers_the_attributes_that_get_items(tmp_path: Path) -> None:
    """``bag.items.append(...)`` in another module is kept with its module's walk."""
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/shapes.py": """
                class Bag:
                    def __init__(self):
                        self.items = {}

                    def fill(self, key):
                        self.items[key] = 1

                    def contents(self):
                        return self.items
            """,
            "pkg/drawing.py": """
                from pkg.shapes import Bag


                def draw():
                    bag = Bag()
                    bag.items.update(other=2)
                    return bag
            """,
            "pkg/util.py": "def helper():\n    return 'x'\n",
            "tests/test_shapes.py": "",
        },
    )
    first, walks = _pass(tmp_path, None)
    kept = walks.dump()
    assert "items" in walks.walks["pkg.drawing"][1].mutated
    again, walks = _pass(tmp_path, kept)
    assert walks.walked == set()
    assert again == first


def _project(root: Path) -> None:
    _write(
        root,
        {
            "pkg/__init__.py": "",
            "pkg/shapes.py": _SHAPES,
            "pkg/drawing.py": _DRAWING,
            "pkg/util.py": "def helper():\n    box = Box(1)\n    return box.size\n",
            "tests/test_shapes.py": _TEST,
        },
    )


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """The walks go to a forked child (whatever their size); its pids."""
    from sphinxcontrib_aidoc.analyze import _walks_apart

    monkeypatch.setattr(_walks_apart, "MIN_NODES", 0)
    # pytest-xdist's worker runs a thread of its own; the child only walks
    # trees and writes to its pipe, which no other thread's lock guards.
    monkeypatch.setattr(_walks_apart.threading, "active_count", lambda: 1)
    pids: list[int] = []
    fork = _walks_apart.os.fork

    def counted() -> int:
        pid = fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(_walks_apart.os, "fork", counted)
    return pids


def test_walks_made_in_a_forked_child_are_those_made_here(
    tmp_path: Path, forks: list[int]
) -> None:
    _project(tmp_path)
    apart, walks = _pass(tmp_path, None)
    assert len(forks) == 1
    assert walks.walked == {"pkg.shapes", "pkg.drawing", "pkg.util", "test_shapes"}
    kept_apart = walks.dump()
    forks.clear()
    from sphinxcontrib_aidoc.analyze import _walks_apart

    _walks_apart.MIN_NODES = 10**9  # (restored by the fixture's monkeypatch)
    here, walks = _pass(tmp_path, None)
    assert not forks
    assert here == apart
    assert walks.dump() == kept_apart
    assert here["pkg.shapes.scale"] == ("None", "int")


def test_a_child_that_fails_leaves_the_walks_to_the_pass(
    tmp_path: Path, forks: list[int], monkeypatch
) -> None:
    from sphinxcontrib_aidoc.analyze import _walks_apart

    _project(tmp_path)
    expected, _ = _pass(tmp_path, None)
    parent = os.getpid()
    real = _walks_apart.used_names

    def broken(*args, **kwargs):
        if os.getpid() != parent:
            raise RuntimeError("the child broke")
        return real(*args, **kwargs)

    monkeypatch.setattr(_walks_apart, "used_names", broken)
    forks.clear()
    found, walks = _pass(tmp_path, None)
    assert len(forks) == 1
    assert found == expected
    assert "pkg.util" in walks.walked  # walked here instead
