"""Parameter types from the project's call sites, in a Sphinx build (issue 16).

The project pass runs over the documented module's whole package: a
parameter without a default gets the type every call in the package passes
(``drawing.draw`` calls ``shapes.scale``). An edit to the caller, on
another page, changes the callee's page on rebuild.
"""

from __future__ import annotations

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
