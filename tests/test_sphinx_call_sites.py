"""Parameter types from the project's call sites, in a Sphinx build (issue 16).

The project pass runs over the documented module's whole package: a
parameter without a default gets the type every call in the package passes
(``drawing.draw`` calls ``shapes.scale``). An edit to the caller, on
another page, changes the callee's page on rebuild.
"""

from __future__ import annotations

import shutil
import sys

from tests.conftest import entry


def _forget_package() -> None:
    for name in [m for m in sys.modules if m.partition(".")[0] == "cs_pkg"]:
        del sys.modules[name]


def _scale(app) -> str:
    text = (app.outdir / "shapes.txt").read_text(encoding="utf-8")
    return entry(text, "scale")


def test_a_parameter_is_typed_by_the_calls_of_another_module(build):
    _forget_package()
    first = build("callsites", builder="text", srcname="site")
    scale = _scale(first)
    assert "**size** (*int*)" in scale
    assert "**factor** (*float*)" in scale
    caller = first.srcdir / "cs_pkg" / "drawing.py"
    caller.write_text(
        caller.read_text(encoding="utf-8").replace("scale(3, 1.5)", 'scale("3", 2)'),
        encoding="utf-8",
    )
    _forget_package()
    second = build("callsites", builder="text", srcname="site")
    scale = _scale(second)
    assert "**size** (*str*)" in scale
    assert "**factor** (*int*)" in scale


def _written(app) -> dict[str, int]:
    return {
        docname: (app.outdir / f"{docname}.html").stat().st_mtime_ns
        for docname in app.env.found_docs
    }


def _edit_caller(app, old: str, new: str) -> None:
    caller = app.srcdir / "cs_pkg" / "drawing.py"
    text = caller.read_text(encoding="utf-8")
    assert old in text
    caller.write_text(text.replace(old, new), encoding="utf-8")
    _forget_package()


def test_a_call_site_edit_rewrites_the_callee_page_only_when_its_types_change(
    build,
):
    _forget_package()
    first = build("callsites", srcname="site")
    before = _written(first)
    # Same argument types: the callee's page says the same, it is not written.
    _edit_caller(first, "scale(3, 1.5)", "scale(4, 2.5)")
    second = build("callsites", srcname="site")
    after = _written(second)
    assert {d for d in after if after[d] != before[d]} == {"drawing", "index"}
    shapes = (second.outdir / "shapes.html").read_text(encoding="utf-8")
    assert "<em>int</em>" in shapes
    # New argument types: the callee's page states them and is written again.
    _edit_caller(second, "scale(4, 2.5)", 'scale("4", 2)')
    third = build("callsites", srcname="site")
    latest = _written(third)
    assert {d for d in latest if latest[d] != after[d]} == {
        "drawing",
        "shapes",
        "index",
    }
    shapes = (third.outdir / "shapes.html").read_text(encoding="utf-8")
    assert "<em>str</em>" in shapes
    assert "<em>int</em>" in shapes  # factor
    assert "<em>float</em>" not in shapes


def test_an_edit_that_passes_the_callee_on_untypes_it_as_a_fresh_build_does(
    build,
):
    # The pass keeps what it read of each module's nodes (issue 15): after
    # an edit that uses ``scale`` as a value (a way to call it unseen), the
    # rebuild must drop the types, exactly as a build from nothing does.
    _forget_package()
    first = build("callsites", builder="text", srcname="site")
    assert "**size** (*int*)" in _scale(first)
    _edit_caller(first, "def draw():", "HANDLERS = [scale]\n\n\ndef draw():")
    second = build("callsites", builder="text", srcname="site")
    incremental = (second.outdir / "shapes.txt").read_text(encoding="utf-8")
    assert "(*int*)" not in incremental
    assert "(*float*)" not in incremental
    shutil.rmtree(second.srcdir / "_aidoc")
    shutil.rmtree(second.outdir)
    _forget_package()
    fresh = build("callsites", builder="text", srcname="site", freshenv=True)
    assert (fresh.outdir / "shapes.txt").read_text(encoding="utf-8") == incremental


def test_an_edit_of_a_module_a_page_only_imports_from_leaves_that_page_alone(
    build,
):
    # drawing.py imports the undocumented ``scale`` from shapes.py; autodoc
    # drops it from the drawing page as an imported member. Kept by aidoc
    # (it has no docstring), autodoc would load it before dropping it, and
    # the drawing page would depend on shapes.py: read and written again
    # after any edit of shapes.py, though it shows nothing of it (issue 15).
    _forget_package()
    first = build("callsites", srcname="site")
    before = _written(first)
    shapes = first.srcdir / "cs_pkg" / "shapes.py"
    shapes.write_text(
        shapes.read_text(encoding="utf-8")
        + "\n\ndef unused(value):\n    return value\n",
        encoding="utf-8",
    )
    _forget_package()
    second = build("callsites", srcname="site")
    after = _written(second)
    assert {d for d in after if after[d] != before[d]} == {"shapes", "index"}
    assert "cs_pkg.shapes.unused" in (second.outdir / "shapes.html").read_text(
        encoding="utf-8"
    )
    drawing = (second.outdir / "drawing.html").read_text(encoding="utf-8")
    assert "cs_pkg.drawing.draw" in drawing
    assert "cs_pkg.drawing.scale" not in drawing


#: Edits in a row, each ``(file, old, new)``: a body change of the caller,
#: a new caller, that caller removed, a signature change of the callee, a
#: class with a caller of its method, an attribute of it written elsewhere.
_EDITS = [
    ("drawing.py", "scale(3, 1.5)", "scale(3, 2.5)"),
    (
        "drawing.py",
        "def draw():",
        'def redraw():\n    scale("big", 1.0)\n\n\ndef draw():',
    ),
    (
        "drawing.py",
        'def redraw():\n    scale("big", 1.0)\n\n\ndef draw():',
        "def draw():",
    ),
    ("shapes.py", "def scale(size, factor):", "def scale(size, factor, extra=None):"),
    (
        "shapes.py",
        "def scale(",
        (
            "class Box:\n    def __init__(self, size):\n        self.size = size\n\n"
            "    def area(self):\n        return self.size * 2\n\n\ndef grow(box):\n"
            "    return box.area()\n\n\ndef paint():\n    return grow(Box(3))\n\n\n"
            "def scale("
        ),
    ),
    (
        "drawing.py",
        "def draw():",
        "def widen(box):\n    box.size = 'wide'\n\n\ndef draw():",
    ),
]


def test_each_kind_of_edit_gives_what_a_fresh_build_gives(build, tmp_path):
    # Issue 15: an edit re-analyses what it touches and re-runs the project
    # pass with the walks of the other modules kept; after each edit the
    # pages must say what a build from nothing of the same sources says.
    _forget_package()
    site = build("callsites", builder="text", srcname="site")
    seen: list[dict[str, str]] = []
    for number, (name, old, new) in enumerate(_EDITS):
        path = site.srcdir / "cs_pkg" / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        _forget_package()
        incremental = _texts(build("callsites", builder="text", srcname="site"))
        fresh_dir = tmp_path / f"fresh{number}"
        shutil.copytree(
            site.srcdir, fresh_dir, ignore=shutil.ignore_patterns("_build", "_aidoc")
        )
        _forget_package()
        fresh = _texts(build("callsites", builder="text", srcname=fresh_dir.name))
        assert incremental == fresh, _EDITS[number]
        seen.append(incremental)
    # The edits changed what the pages say: the comparison is not of two
    # copies of one unchanged page.
    assert len({page["shapes.txt"] for page in seen}) >= 3
    assert "**factor** (*float*)" in seen[0]["shapes.txt"]
    assert "**size** (*int** | **str*)" in seen[1]["shapes.txt"]  # "big" joins 3
    assert "**size** (*int*)" in seen[2]["shapes.txt"]  # the caller of "big" gone
    assert "**extra**" in seen[3]["shapes.txt"]  # the new signature
    # Box(3) types size, hence area's, grow's and paint's returns; a write of
    # ``size`` in another module (any value) leaves them unproven.
    assert "**box** (*Box*)" in seen[4]["shapes.txt"]
    assert seen[4]["shapes.txt"].count("Return type:") == 3
    assert "Return type:" not in seen[5]["shapes.txt"]


def _texts(app) -> dict[str, str]:
    return {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted(app.outdir.glob("*.txt"))
    }
