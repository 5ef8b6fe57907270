"""Model text is cleaned (characters, whitespace, length), then shown as text.

``sanitize`` only cleans; the styles escape every model text for reST when
they render it (``styles/escape.py``). These tests render the hostile corpus
in every field of every style and parse the result with docutils (and
napoleon): the only nodes are paragraphs of plain text and the fields the
style wrote itself, and every word is still there.
"""

from __future__ import annotations

import io

import pytest
from docutils import nodes
from docutils.core import publish_doctree

from sphinxcontrib_aidoc.generate.sanitize import (
    FIELD_MAX,
    SUMMARY_MAX,
    sanitize_draft,
    sanitize_inline,
    sanitize_text,
)
from sphinxcontrib_aidoc.model import Draft, ObjectInfo, Param, Returns
from sphinxcontrib_aidoc.styles import augment, get_style
from sphinxcontrib_aidoc.styles.escape import escape_rst, rst_draft
from tests.hostile_corpus import CORPUS

INFO = ObjectInfo(
    qualname="pkg.shapes.area",
    module="pkg.shapes",
    kind="function",
    file="pkg/shapes.py",
    lineno=1,
    params=(Param("width", type="float"), Param("height", type="float")),
    returns=Returns("float"),
    raises=("ValueError",),
)
#: Nodes a rendered docstring may have: text in paragraphs, and the fields.
ALLOWED = (
    nodes.document,
    nodes.paragraph,
    nodes.Text,
    nodes.field_list,
    nodes.field,
    nodes.field_name,
    nodes.field_body,
)
#: The fields the styles write for INFO, and no other.
FIELDS = [
    "param width",
    "type width",
    "param height",
    "type height",
    "returns",
    "rtype",
    "raises ValueError",
]


def model_draft(text: str) -> Draft:
    """A model's draft with *text* (cleaned as providers clean it) everywhere."""
    draft, _ = sanitize_draft(
        Draft(
            summary=text,
            description=f"{text}\n\n{text}",
            params=(("width", text), ("height", "Height " + text)),
            returns=text,
            raises=(("ValueError", text),),
            source="llm",
            provider="azure",
            model="gpt",
        )
    )
    return draft


def doctree(rst: str) -> tuple[nodes.document, str]:
    stream = io.StringIO()
    tree = publish_doctree(
        rst, settings_overrides={"report_level": 1, "warning_stream": stream}
    )
    return tree, stream.getvalue()


def words(text: str) -> str:
    return " ".join(text.split())


def assert_plain(tree: nodes.document, messages: str, text: str) -> None:
    assert messages == ""
    for node in tree.findall():
        assert isinstance(node, ALLOWED), (type(node).__name__, node.astext()[:80])
    clean, _ = sanitize_inline(text, max_len=SUMMARY_MAX)
    shown = words(tree.astext())
    assert words(clean) in shown


@pytest.mark.parametrize("text", CORPUS)
def test_hostile_text_renders_as_plain_text_in_every_field(text: str) -> None:
    draft = model_draft(text)

    tree, messages = doctree("\n".join(get_style("rest").render(INFO, draft)))

    assert_plain(tree, messages, text)
    assert [f[0].astext() for f in tree.findall(nodes.field)] == FIELDS


@pytest.mark.parametrize("style", ["google", "numpy"])
@pytest.mark.parametrize("text", CORPUS)
def test_hostile_text_gives_napoleon_no_sections(style: str, text: str) -> None:
    napoleon = pytest.importorskip("sphinx.ext.napoleon")
    reader = {
        "google": napoleon.docstring.GoogleDocstring,
        "numpy": napoleon.docstring.NumpyDocstring,
    }[style]
    lines = get_style(style).render(INFO, model_draft(text))

    converted = str(reader("\n".join(lines), napoleon.Config()))

    tree, messages = doctree(converted)
    assert_plain(tree, messages, text)
    assert [f[0].astext() for f in tree.findall(nodes.field)] == FIELDS


@pytest.mark.parametrize("text", CORPUS)
def test_hostile_text_added_to_a_human_docstring_stays_text(text: str) -> None:
    human = ["Compute the area.", "", ":param width: The width."]

    lines, added = augment(human, INFO, model_draft(text), "rest")

    assert lines[:3] == human
    assert "param height" in added
    tree, messages = doctree("\n".join(lines))
    assert_plain(tree, messages, "Height " + text)


def test_offline_wording_keeps_its_markup() -> None:
    draft = Draft(summary="Return whether *value* is ``valid``.")

    assert rst_draft(draft) is draft


@pytest.mark.parametrize(
    ("text", "rst"),
    [
        ("Accepts *args and **kwargs.", "Accepts \\*args and \\*\\*kwargs."),
        ("see `x`_ and |s|", "see \\`x\\`\\_ and \\|s\\|"),
        (".. raw:: html", "\\.. raw\\:\\: html"),
        ("- item", "\\- item"),
        ("1. one", "1\\. one"),
        ("iv) four", "iv\\) four"),
        ("word ===== word", "word \\===== word"),
        ("list[int] or None", "list[int] or None"),
        ("It's <b>fine</b>.", "It's <b>fine</b>."),
        ("one\n\n\n  two", "one\n\ntwo"),
        ("a\x00b\u202ec\u2028d\x0be", "abc d e"),
    ],
)
def test_escape_rst(text: str, rst: str) -> None:
    assert escape_rst(text) == rst


def test_invisible_and_control_characters_are_removed_and_reported() -> None:
    clean, found = sanitize_text(
        "RTL \u202eevil\u202c zero\u200bwidth\ufeff x\x00y\x1b[31m\ttab",
        max_len=300,
    )

    assert clean == "RTL evil zerowidth xy[31m tab"
    assert found == ["control or invisible characters"]


def test_line_breaks_become_spaces_and_paragraphs_stay() -> None:
    clean, found = sanitize_text(
        "First line\n    indented\u2028more\n\n\n   second\r\nparagraph\u2029third",
        max_len=2000,
    )

    assert clean == "First line indented more\n\nsecond paragraph\n\nthird"
    assert found == []
    assert sanitize_inline("a\n\nb", max_len=10) == ("a b", [])


def test_long_text_is_cut_on_a_word_and_reported() -> None:
    clean, found = sanitize_inline("word " * 400, max_len=FIELD_MAX)

    assert len(clean) <= FIELD_MAX
    assert clean.endswith("word\u2026")
    assert found == [f"text cut to {FIELD_MAX} characters"]


def test_sanitize_draft_cleans_every_field_and_keeps_the_words() -> None:
    draft = Draft(
        summary="Fine.\n.. raw:: html",
        description=".. include:: /etc/passwd\u202e",
        params=(("x", ":raw-html:`<b>`"),),
        returns="Returns:",
        raises=(("ValueError", "====="),),
        provider="azure",
    )

    clean, found = sanitize_draft(draft)

    assert clean.summary == "Fine. .. raw:: html"
    assert clean.description == ".. include:: /etc/passwd"
    assert clean.params == (("x", ":raw-html:`<b>`"),)
    assert (clean.returns, clean.raises) == ("Returns:", (("ValueError", "====="),))
    assert found == ["control or invisible characters"]
