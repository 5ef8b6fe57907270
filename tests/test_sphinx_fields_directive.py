"""Generated fields built by ``aidoc-fields`` render as docutils parses them.

aidoc gives Sphinx a generated docstring's info fields as the content of
an ``.. aidoc-fields::`` directive, which builds the field list without a
docutils state machine per field (``sphinxext/fields.py``). Each case here
is written twice in one page, once as plain reST fields and once through
the directive; the two entries must render the same HTML, including the
bodies the directive hands back to docutils (a list, two paragraphs, a
literal-block marker).
"""

from __future__ import annotations

import re

import pytest

CASES = {
    "plain": [":param int x: the first value"],
    "continued": [":param x: the first value,", "   continued here"],
    "roles": [":param y: a :class:`int` or ``None``, *emphasised*"],
    "returns": [":returns: the sum", ":rtype: int | None"],
    "raises": [":raises ValueError: if *x* is negative", ":raises TypeError:"],
    "list-like": [":param z: - looks like a list"],
    "literal-marker": [":param w: Example::"],
    "two-paragraphs": [":param v: first", "", "   second"],
    "blank-between": [":param a: - a list item", "", ":param b: plain", ""],
    "next-line": [":returns:", "   the value on the next line"],
    "yields": [":Yields: *str* -- one line at a time"],
    "enumerated": [":param n: 1. looks enumerated"],
}


def _page(tmp_path) -> None:
    lines = ["Fields", "======", ""]
    for name, fields in CASES.items():
        slug = name.replace("-", "_")
        lines += [f".. py:function:: hand_{slug}(x)", "", "   Summary.", ""]
        lines += [f"   {line}" if line else "" for line in fields]
        lines += ["", f".. py:function:: built_{slug}(x)", "", "   Summary.", ""]
        lines += ["   .. aidoc-fields::", ""]
        lines += [f"      {line}" if line else "" for line in fields]
        lines.append("")
    (tmp_path / "index.rst").write_text("\n".join(lines), encoding="utf-8")


def _entry(html: str, name: str) -> str:
    match = re.search(rf'id="{name}".*?</dt>\s*<dd>(.*?)</dd>\s*</dl>', html, re.DOTALL)
    assert match is not None, name
    return match.group(1)


@pytest.fixture
def page(make_app, tmp_path):
    src = tmp_path / "fields"
    src.mkdir()
    (src / "conf.py").write_text(
        'project = "fields"\nextensions = ["sphinxcontrib_aidoc"]\n', encoding="utf-8"
    )
    _page(src)
    app = make_app("html", srcdir=src)
    app.build()
    assert app.statuscode == 0
    return (app.outdir / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", sorted(CASES))
def test_built_fields_render_as_written_ones(page, case):
    slug = case.replace("-", "_")
    hand = _entry(page, f"hand_{slug}")
    assert "field-list" in hand
    assert _entry(page, f"built_{slug}") == hand


def test_text_after_the_fields_is_parsed_as_docutils_would(make_app, tmp_path):
    src = tmp_path / "after"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinxcontrib_aidoc"]\n')
    fields = [":param x: the value", "", "A paragraph after the fields."]
    lines = ["Title", "=====", "", ".. py:function:: hand(x)", ""]
    lines += [f"   {line}" if line else "" for line in fields]
    lines += ["", ".. py:function:: built(x)", "", "   .. aidoc-fields::", ""]
    lines += [f"      {line}" if line else "" for line in fields]
    (src / "index.rst").write_text("\n".join([*lines, ""]), encoding="utf-8")
    app = make_app("html", srcdir=src)
    app.build()
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    hand = html[html.index('id="hand"') : html.index('id="built"')]
    built = html[html.index('id="built"') :]
    field_lists = [
        re.search(r'<dl class="field-list.*?</dl>', block, re.DOTALL)
        for block in (hand, built)
    ]
    assert field_lists[0] is not None
    assert field_lists[1] is not None
    assert field_lists[1].group() == field_lists[0].group()
    paragraph = "<p>A paragraph after the fields.</p>"
    assert paragraph in built[field_lists[1].end() :]  # after the list, not in it
    assert paragraph in hand[field_lists[0].end() :]
