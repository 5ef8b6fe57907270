"""Each docstring style renders through Sphinx (napoleon or plain fields)."""

from __future__ import annotations

import pytest

from tests.conftest import entry


@pytest.mark.parametrize("style", ["google", "numpy", "rest"])
def test_generated_docstring_renders_in_each_style(build, style):
    app = build("styles", "text", confoverrides={"aidoc_style": style})
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    header = entry(text, "parse_header")
    # No summary that only restates the name ("Parse the header from *text*.").
    assert "Parse the header" not in header
    assert "If *strict* is true" in header  # the guard of the raise
    assert "**text** (*str*)" in header
    assert "**strict** (*bool*)" in header
    assert "Return type:\n      dict[str, str]" in header
    assert "**ValueError**" in header
    lines = entry(text, "iter_lines")
    assert "Yields:" in lines or "Yields" in lines
    assert "str" in lines
    assert "generated" in header
    # No raw section syntax leaks into the page.
    for leak in ("Args:", "----------", ":param", ":raises"):
        assert leak not in header


def test_napoleon_is_not_loaded_by_aidoc(build):
    # napoleon would change how the project's own docstrings are read.
    app = build("styles", "text")
    assert "sphinx.ext.napoleon" not in app.extensions
