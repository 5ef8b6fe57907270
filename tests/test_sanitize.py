"""sanitize_text: hostile model text becomes inert prose (checked with docutils)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docutils.core import publish_parts

from sphinxcontrib_aidoc.generate.sanitize import (
    SUMMARY_MAX,
    sanitize_draft,
    sanitize_inline,
    sanitize_text,
)
from sphinxcontrib_aidoc.model import Draft


def render(text: str) -> tuple[str, str]:
    """HTML body of *text* and every docutils message (info and up)."""
    stream = io.StringIO()
    parts = publish_parts(
        text,
        writer="html",
        settings_overrides={"report_level": 1, "warning_stream": stream},
    )
    return parts["body"], stream.getvalue()


HOSTILE = [
    (".. raw:: html\n\n   <script>alert(1)</script>", "directive 'raw'"),
    (".. include:: /etc/passwd", "directive 'include'"),
    (".. literalinclude:: /etc/passwd", "directive 'literalinclude'"),
    (".. csv-table:: T\n   :file: /etc/passwd", "directive 'csv-table'"),
    (".. csv-table:: T\n   :url: http://evil.example/x.csv", "directive 'csv-table'"),
    (".. only:: html\n\n   hidden", "directive 'only'"),
    (".. image:: http://evil.example/x.png", "directive 'image'"),
    (".. figure:: x.png", "directive 'figure'"),
    (".. note:: any directive at all", "directive 'note'"),
    (".. |x| replace:: evil\n\nUse |x| here", "substitution definition"),
    (".. _target: http://evil.example/", "hyperlink target"),
    (".. a comment hiding text", "explicit markup"),
    ("Call :raw-html:`<b>x</b>` now", "role ':raw-html:'"),
    ("Call `<b>x</b>`:raw-html: now", ""),
    ("Call :math:`x` and :download:`f`", "role ':math:'"),
    ("Title\n=====\n\nbody", "section adornment line"),
    ("Title\n-----", "section adornment line"),
    ("~~~~\nTitle\n~~~~", "section adornment line"),
    (":param x: injected\n:returns: bad", "field list line ':param x:'"),
    ("Returns:\n    int: injected", "section header 'Returns'"),
    ("Args:\n    evil: injected", "section header 'Args'"),
    ("click javascript:alert(1)", "URI scheme 'javascript:'"),
    ("see data:text/html,<script>alert(1)</script>", "URI scheme 'data:'"),
    ("`text <javascript:alert(1)>`_", "URI scheme 'javascript:'"),
    ("x\x00y\x1b[31m\u202eevil", "control characters"),
]


@pytest.mark.parametrize(("text", "label"), HOSTILE)
def test_hostile_markup_is_shown_not_executed(text: str, label: str) -> None:
    clean, found = sanitize_text(text, max_len=2000)

    html, messages = render(clean)
    assert messages == ""
    for live in ("<script", "<img", "<h1", "<dl", "<table", "blockquote", "<pre"):
        assert live not in html
    assert 'href="javascript' not in html.lower()
    assert 'href="data' not in html.lower()
    if label:
        assert label in found


def test_html_in_prose_is_escaped_by_docutils() -> None:
    clean, found = sanitize_text("Nice <img src=x onerror=alert(1)> done", max_len=300)

    assert found == []
    assert "&lt;img src=x onerror=alert(1)&gt;" in render(clean)[0]


@pytest.mark.parametrize(
    "text",
    [
        "Accepts *args and **kwargs.",
        "Calls __init__ with max_ and [1]_ refs.",
        "a | b || c",
        "Example::",
        "C:\\path\\to\\file",
        "trailing backslash \\",
        "``unbalanced literal",
        "`unbalanced",
        "... and so on",
        "ratio: 3:4 at 12:30",
    ],
)
def test_ordinary_characters_are_quoted_silently(text: str) -> None:
    clean, found = sanitize_text(text, max_len=300)

    html, messages = render(clean)
    assert messages == ""
    assert found == []
    shown = html.removeprefix("<p>").rstrip().removesuffix("</p>")
    assert shown == text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_cross_references_and_literals_stay_markup() -> None:
    clean, found = sanitize_text(
        "Use :class:`pkg.Shape`, :py:func:`~pkg.area` and `width` or ``height``.",
        max_len=300,
    )

    assert clean == (
        "Use :class:`pkg.Shape`, :py:func:`~pkg.area` and ``width`` or ``height``."
    )
    assert found == []


def test_allowed_role_with_an_odd_target_becomes_a_literal() -> None:
    clean, _ = sanitize_text(":class:`has space` and :meth:`a<b>`", max_len=300)

    assert clean == "``has space`` and ``a<b>``"


def test_indentation_and_line_breaks_are_flattened() -> None:
    clean, found = sanitize_text(
        "First line\n    indented continuation\n\n\n   second paragraph\n"
        "- item one\n  continued\n- item two",
        max_len=2000,
    )

    assert clean == (
        "First line indented continuation\n\nsecond paragraph\n\n"
        "- item one continued\n- item two"
    )
    assert found == []
    assert "blockquote" not in render(clean)[0]


@pytest.mark.parametrize("text", ["- first\n- second", "1. one", "(2) two", "#. auto"])
def test_one_line_texts_never_start_a_list(text: str) -> None:
    clean, found = sanitize_inline(text, max_len=300)

    html, messages = render(clean)
    assert html.startswith("<p>")
    assert (found, messages) == ([], "")


def test_long_text_is_cut_and_reported() -> None:
    clean, found = sanitize_inline("word " * 200, max_len=SUMMARY_MAX)

    assert len(clean) <= SUMMARY_MAX
    assert clean.endswith("\u2026")
    assert found == [f"text cut to {SUMMARY_MAX} characters"]


def test_sanitize_draft_cleans_every_field() -> None:
    draft = Draft(
        summary="Fine.\n.. raw:: html",
        description=".. include:: /etc/passwd",
        params=(("x", ":raw-html:`<b>`"),),
        returns="Returns:",
        raises=(("ValueError", "====="),),
    )

    clean, found = sanitize_draft(draft)

    assert clean.summary == "Fine. \\.. raw\\:\\: html"
    assert clean.description.startswith("\\..")
    assert found == [
        "directive 'raw'",
        "directive 'include'",
        "role ':raw-html:'",
        "section header 'Returns'",
        "section adornment line",
    ]


def test_injected_sections_do_not_reach_napoleon() -> None:
    napoleon = pytest.importorskip("sphinx.ext.napoleon.docstring")
    description, _ = sanitize_text(
        "Does things.\n\nArgs:\n    evil (int): injected.\n\nReturns:\n    int: x",
        max_len=2000,
    )
    docstring = "Summary.\n\n" + description + "\n"

    lines = str(napoleon.GoogleDocstring(docstring)).splitlines()

    assert not any(line.startswith((":param", ":returns", ":rtype")) for line in lines)


def test_hostile_answer_renders_inert_with_the_sphinx_html_builder(
    make_app: Any, tmp_path: Path
) -> None:
    hostile = "\n\n".join(text for text, _ in HOSTILE)
    draft, _ = sanitize_draft(
        Draft(
            summary="Area of :class:`Shape` <img src=x onerror=alert(1)> |sub|",
            description=hostile,
            params=(("width", ".. raw:: html\n\n   <script>alert(2)</script>"),),
        )
    )
    body = "\n".join(
        "   " + line if line else ""
        for line in [
            draft.summary,
            "",
            *draft.description.splitlines(),
            "",
            f":param width: {draft.param_doc('width')}",
        ]
    )
    (tmp_path / "conf.py").write_text("", encoding="utf-8")
    (tmp_path / "index.rst").write_text(
        f"Shapes\n======\n\n.. py:class:: Shape\n\n.. py:function:: area(width)\n\n"
        f"{body}\n",
        encoding="utf-8",
    )

    app = make_app("html", srcdir=tmp_path)
    app.build()

    page = (app.outdir / "index.html").read_text(encoding="utf-8")
    html = page.split('role="main">', 1)[1].split('class="sphinxsidebar"', 1)[0]
    assert app.warning.getvalue() == ""
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="#Shape"' in html  # the allowed cross-reference still links
