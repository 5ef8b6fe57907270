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
