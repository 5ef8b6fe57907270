"""Generated text renders with or without napoleon; hand-written text is untouched.

The ``handwritten`` root is a project without napoleon whose own docstrings
contain text napoleon would rewrite (``Args:``, ``Returns:`` paragraphs, a
property docstring ``The delimiter: ...``). aidoc must not change a byte of
their HTML, and what it generates must render as Sphinx field lists whatever
``aidoc_style`` is and whether or not the project loads napoleon.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import described_params

PKG = "handwritten_pkg.text"
#: Entries whose docstrings a person wrote (and whose members all have one).
HANDWRITTEN = (
    "split_fields",
    "join_fields",
    "quote",
    "Reader",
    "Reader.delimiter",
    "Reader.read",
)
#: Smart quotes turn the " -- " of a field into an en dash.
DASH = "\N{EN DASH}"
AUTODOC_ONLY = ["sphinx.ext.autodoc"]
WITH_NAPOLEON = ["sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinxcontrib_aidoc"]


def entry_html(html: str, name: str) -> str:
    """Return the ``<dl class="py ...">`` element of the entry *name*."""
    at = html.index(f'id="{PKG}.{name}"')
    start = html.rindex('<dl class="py', 0, at)
    depth = 0
    for match in re.finditer(r"<dl\b|</dl>", html[start:]):
        depth += 1 if match.group() == "<dl" else -1
        if depth == 0:
            return html[start : start + match.end()]
    raise AssertionError(f"unbalanced entry {name}")


def _html(app) -> str:
    return (app.outdir / "index.html").read_text(encoding="utf-8")


def _fields(entry: str) -> dict[str, str]:
    """``{field title: body html}`` of the entry's own field list."""
    body = entry.split("<dd>", 1)[1].split('<dl class="py', 1)[0]
    found = re.findall(
        r'<dt class="field-\w+">([^<]+)<span class="colon">:</span></dt>\s*'
        r'<dd class="field-\w+">(.*?)</dd>\n(?=<dt|</dl>)',
        body,
        re.DOTALL,
    )
    return dict(found)


def test_handwritten_docstrings_are_byte_identical_without_napoleon(build):
    plain = _html(build("handwritten", srcname="plain", confoverrides={
        "extensions": AUTODOC_ONLY}))  # fmt: skip
    aidoc = build("handwritten", srcname="aidoc")
    assert "sphinx.ext.napoleon" not in aidoc.extensions
    html = _html(aidoc)
    for name in HANDWRITTEN:
        assert entry_html(html, name) == entry_html(plain, name), name
    # What napoleon would have done to a project that does not use it.
    delimiter = entry_html(html, "Reader.delimiter")
    assert "<p>The delimiter: the character between two fields.</p>" in delimiter
    assert "Args:" in entry_html(html, "split_fields")


@pytest.mark.parametrize("napoleon", [False, True], ids=["plain", "napoleon"])
@pytest.mark.parametrize("style", ["google", "numpy", "rest"])
def test_generated_docstrings_are_field_lists(build, style, napoleon):
    overrides: dict[str, object] = {"aidoc_style": style}
    if napoleon:
        overrides["extensions"] = WITH_NAPOLEON
    html = _html(build("handwritten", confoverrides=overrides))

    count = entry_html(html, "count_fields")
    assert '<dl class="field-list simple">' in count
    fields = _fields(count)
    # No "Returns" text: the code says nothing about the value beyond its type.
    assert list(fields) == ["Parameters", "Return type", "Raises"]
    for name, type_ in (("line", "str"), ("sep", "str"), ("strict", "bool")):
        assert f"<strong>{name}</strong> (<em>{type_}</em>)" in fields["Parameters"]
    assert "int" in fields["Return type"]
    assert "<strong>ValueError</strong>" in fields["Raises"]

    yields = _fields(entry_html(html, "iter_fields"))
    assert list(yields) == ["Parameters", "Yields"]
    assert yields["Yields"].startswith("<p><em>str</em>")

    writer = _fields(entry_html(html, "Writer"))
    assert "<strong>sep</strong> (<em>str</em>)" in writer["Parameters"]
    write = _fields(entry_html(html, "Writer.write"))
    assert (
        "<strong>fields</strong> (<em>list</em><em>[</em><em>str</em><em>]</em>)"
        in (write["Parameters"])
    )
    for name in ("count_fields", "iter_fields", "Writer", "Writer.write"):
        text = entry_html(html, name)
        assert "aidoc-generated" in text
        for raw in ("Args:", "Parameters\n", ":param", ":rtype:", ":Yields:", "---"):
            assert raw not in text, (name, raw)


def test_augment_without_napoleon_adds_fields_after_the_authors_text(build):
    html = _html(build("handwritten", confoverrides={"aidoc_mode": "augment"}))
    google = entry_html(html, "partial_google")
    # The author's Google text stays what plain reST makes of it ...
    assert "<dt>Args:</dt><dd><p>text: The text.</p>" in google
    # ... and what aidoc adds is a real field list after it.
    fields = _fields(google)
    assert list(fields) == ["Parameters", "Return type", "Raises"]
    assert "<strong>width</strong> (<em>int</em>)" in fields["Parameters"]
    assert "<strong>text</strong>" not in fields["Parameters"]  # documented
    assert "<strong>ValueError</strong>" in fields["Raises"]
    assert "Sections added by aidoc" in google

    rest = _fields(entry_html(html, "partial_rest"))
    # One field list: the author's :param text: and the added fields.
    assert list(rest) == ["Parameters", "Return type", "Raises"]
    assert f"<strong>text</strong> {DASH} The text." in rest["Parameters"]
    assert "<strong>width</strong> (<em>int</em>)" in rest["Parameters"]


def test_augment_with_napoleon_completes_the_google_section(build):
    html = _html(
        build(
            "handwritten",
            confoverrides={"aidoc_mode": "augment", "extensions": WITH_NAPOLEON},
        )
    )
    google = entry_html(html, "partial_google")
    assert "Args:" not in google  # napoleon read the author's section
    fields = _fields(google)
    assert list(fields) == ["Parameters", "Return type", "Raises"]
    # The added parameter joined the author's section: one list, both names.
    assert (
        f"<li><p><strong>text</strong> {DASH} The text.</p></li>"
        in fields["Parameters"]
    )
    assert "<strong>width</strong> (<em>int</em>)" in fields["Parameters"]
    assert "<strong>ValueError</strong>" in fields["Raises"]


def test_typed_params_go_to_sphinx_as_one_field_and_render_the_same(make_app, tmp_path):
    from sphinxcontrib_aidoc.sphinxext.rendering import sphinx_lines

    fields = [
        ":param values: What to add,",
        "    all of them.",
        ":type values: list[int]",
        ":param floor:",
        ":type floor: dict[str, int] | None",
        r":param \*\*options:",
        r":type \*\*options: Callable[..., Any]",
        ":param odd:",
        ":type odd: Node_",
        ":param text:",
        ":type text: Literal['a:b']",
        ":rtype: int",
    ]
    given = sphinx_lines(fields)
    # One field per plain type; a type that could read differently (a
    # trailing underscore is a link, a colon ends a field name) keeps two.
    assert given == [
        ":param list[int] values: What to add,",
        "    all of them.",
        ":param dict[str, int] | None floor:",
        r":param Callable[..., Any] \*\*options:",
        ":param odd:",
        ":type odd: Node_",
        ":param text:",
        ":type text: Literal['a:b']",
        ":rtype: int",
    ]
    # Sphinx renders both spellings alike.
    srcdir = tmp_path / "fields"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text("extensions = []\n")
    plain = "\n".join(f"   {line}" for line in fields if "odd" not in line)
    merged = "\n".join(f"   {line}" for line in given if "odd" not in line)
    (srcdir / "index.rst").write_text(
        "Fields\n======\n\n.. py:function:: one()\n\n   Sum.\n\n"
        f"{plain}\n\n.. py:function:: two()\n\n   Sum.\n\n{merged}\n"
    )
    app = make_app("html", srcdir=srcdir)
    app.build()
    html = (app.outdir / "index.html").read_text("utf-8")
    bodies = re.findall(r"</dt>\s*<dd>(.*?)</dd></dl>", html, flags=re.DOTALL)
    assert len(bodies) == 2
    assert "<strong>values</strong>" in bodies[0]
    assert bodies[0] == bodies[1]


@pytest.mark.sphinx("html", testroot="typehints-description")
def test_typehints_in_descriptions_list_each_parameter_once(app):
    # click's own conf.py sets ``autodoc_typehints = "description"``: autodoc
    # then reads ``:param int | None x:`` as naming ``| None x`` and adds
    # ``x`` again. Types with a space go to Sphinx as two fields there.
    app.build()
    html = (app.outdir / "index.html").read_text("utf-8")
    assert "Docstring generated by aidoc" in html
    names = described_params(html, "hinted.pick")
    assert names == ["limit", "key", "flag"]
