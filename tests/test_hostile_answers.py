"""A hostile model, through the real client and a real Sphinx build.

The fake Azure server answers every object of ``tests/roots/test-hostile-answers``
with the hostile corpus (``tests/hostile_corpus.py``) in every field: each
corpus entry starts the summary of one object and a parameter, return or
exception text of others, and the descriptions hold all of them. The built
HTML must show the words, and none of them as markup.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from tests.hostile_corpus import CANARY, CORPUS

if TYPE_CHECKING:
    from tests.fake_azure import FakeAzure

pytest_plugins = ("tests.fake_azure",)

# One object a request: these tests follow what happens to each request.
AZURE = {
    "aidoc_provider": "auto",
    "aidoc_max_retries": 0,
    "aidoc_objects_per_request": 1,
}
OBJECTS = 8


def hostile(facts: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """Put corpus entries at the start of every field of *answer*."""
    k = int(str(facts["qualname"])[-1])

    def entry(offset: int) -> str:
        return CORPUS[(k + OBJECTS * offset) % len(CORPUS)]

    return {
        **answer,
        "summary": entry(0),
        "description": "\n\n".join(CORPUS[k::OBJECTS]),
        "params": [
            {"name": p["name"], "description": entry(i + 1)}
            for i, p in enumerate(facts["params"])
        ],
        "returns": entry(3),
        "raises": [{"name": "ValueError", "condition": entry(4)}],
    }


def main_part(page: str) -> str:
    return page.split('role="main">', 1)[1].split('class="sphinxsidebar"', 1)[0]


def test_hostile_answers_show_as_text_in_the_built_html(build, fake_azure: FakeAzure):
    fake_azure.script("answer", edit=hostile)

    app = build("hostile-answers", confoverrides=AZURE)

    assert fake_azure.request_count == OBJECTS
    page = (app.outdir / "index.html").read_text(encoding="utf-8")
    html = main_part(page)
    assert html.count('class="aidoc-generated docutils container"') == OBJECTS
    # No live markup from the answers.
    for live in (
        "<script",
        "<img",
        "<iframe",
        "<b>bold</b>",
        "<table",
        "<blockquote",
        "<pre",
        "<ol",
        "<li><p>- bullet",
        "<h2",
        'class="admonition',
        'class="target"',
        'id="evil"',
        "footnote-reference",
        "problematic",
        "<strong>evil</strong>",
        "<strong>strong</strong>",
        "<em>emphasis</em>",
        '<span class="pre">literal</span>',
        "Use injected-substitution here",
        "\u202e",
        "\u200b",
        "\ufeff",
        "\u2066",
    ):
        assert live not in html, live
    assert not re.search(r"href=\"\s*(javascript|data|mailto):", page, re.IGNORECASE)
    # No file content reached any output file.
    for path in app.outdir.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path
    # The words are all there, as text.
    for shown in (
        ".. raw:: html",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        ".. include:: canary.txt",
        ".. include:: /etc/passwd",
        ".. note:: injected admonition",
        ".. only:: html",
        "Use |sub| here.",
        ":param evil: injected field",
        "Injected Section ================",
        "plain javascript:alert(1)",
        ":raw-html:`&lt;b&gt;bold&lt;/b&gt;`",
        "&lt;img src=x onerror=alert(1)&gt;",
        "**strong** *emphasis* ``literal``",
        "homoglyph\ua789colon",
        "fullwidth\uff1aparam\uff1a",
        "RTL evil, zerowidth, isolate text",
    ):
        assert shown in html, shown
    # Docutils and Sphinx had nothing to say about the generated text.
    others = [
        line
        for line in app.warning.getvalue().splitlines()
        if line.strip() and "[aidoc.sanitize]" not in line
    ]
    assert others == []
