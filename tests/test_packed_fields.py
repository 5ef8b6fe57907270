"""Generated field lists are kept packed between reading and writing.

The ``packed`` root has undocumented functions whose generated docstrings
have typed parameters (linked to the project's own class), a return type,
a raised exception and "Called by"/"Calls" lines. The doctree Sphinx keeps
between reading and writing holds each generated field list as one packed
node; the page a reader gets is the same as without packing.
"""

from __future__ import annotations

import pickle
import re
import shutil
from types import SimpleNamespace

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.gettext import MessageCatalogBuilder
from sphinx.builders.html import StandaloneHTMLBuilder

from sphinxcontrib_aidoc.sphinxext.marker import AidocGeneratedNote
from sphinxcontrib_aidoc.sphinxext.packed import (
    AidocPackedFields,
    PackFields,
    PackInert,
    _builder_class,
)
from tests.conftest import ROOTS

PKG = "packed_pkg.ledger"
LEDGER_LINK = (
    f'<a class="reference internal" href="#{PKG}.Ledger" title="{PKG}.Ledger">'
)


def _entry(html: str, name: str) -> str:
    """The HTML of an object's entry up to the next object's signature."""
    start = html.index(f'id="{PKG}.{name}"')
    end = html.find('<dt class="sig sig-object', start + 1)
    return html[start : end if end > 0 else len(html)]


def _build(make_app, tmp_path, name: str):
    srcdir = tmp_path / name
    shutil.copytree(ROOTS / "test-packed", srcdir)
    app = make_app("html", srcdir=srcdir)
    app.build()
    return app


def test_kept_doctree_holds_generated_fields_packed(make_app, tmp_path):
    app = _build(make_app, tmp_path, "packed")
    with (app.doctreedir / "index.doctree").open("rb") as handle:
        doctree = pickle.load(handle)
    generated = [
        note.parent
        for note in doctree.findall(AidocGeneratedNote)
        if isinstance(note.parent, addnodes.desc_content)
    ]
    assert len(generated) >= 2
    for content in generated:
        assert not any(isinstance(c, nodes.field_list) for c in content.children)
        assert any(isinstance(c, AidocPackedFields) for c in content.children)
    packed = list(doctree.findall(AidocPackedFields))
    fields = pickle.loads(packed[0]["fields"])
    assert isinstance(fields, nodes.field_list)
    assert "Parameters" in fields.astext()


def test_pages_read_the_same_with_packed_fields(make_app, tmp_path, monkeypatch):
    app = _build(make_app, tmp_path, "packed")
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    merge = _entry(html, "merge")
    # Typed parameters and the return type link to the project's class.
    assert re.search(
        rf"<strong>first</strong> \({LEDGER_LINK}<em>Ledger</em></a>\)", merge
    )
    assert re.search(
        rf"Return type<span class=\"colon\">:</span></dt>\s*"
        rf"<dd class=\"field-even\"><p>{LEDGER_LINK}Ledger</a></p>",
        merge,
    )
    assert (
        '<strong>Called by:</strong> <a class="reference internal" '
        f'href="#{PKG}.total"' in merge
    )
    assert (
        f'<strong>Calls:</strong> <a class="reference internal" href="#{PKG}.open_ledger"'
        in merge
    )
    opened = _entry(html, "open_ledger")
    assert "<strong>ValueError</strong>" in opened
    assert "<strong>floor</strong> (<em>int</em>)" in opened
    # Text smart quotes educate, in a field list aidoc augmented, is educated.
    assert "the ledger\u2019s amounts \u2013 all of them." in _entry(html, "scale")
    # The same project built without packing gives the same page, byte for byte.
    monkeypatch.setattr(PackFields, "apply", lambda self, **kwargs: None)
    monkeypatch.setattr(PackInert, "apply", lambda self, **kwargs: None)
    unpacked = _build(make_app, tmp_path, "unpacked")
    with (unpacked.doctreedir / "index.doctree").open("rb") as handle:
        assert not list(pickle.load(handle).findall(AidocPackedFields))
    assert (unpacked.outdir / "index.html").read_text(encoding="utf-8") == html


def test_inert_field_lists_are_packed_before_reading_transforms(
    make_app, tmp_path, monkeypatch
):
    """Field lists the reading transforms leave alone are packed once parsed.

    Smart quotes are applied to them there (a generated raise reason in
    quotes, the author's own augmented text); a list with a hyperlink,
    which docutils' reference transforms resolve, is packed after them.
    """
    monkeypatch.setattr(PackFields, "apply", lambda self, **kwargs: None)
    app = _build(make_app, tmp_path, "early")
    with (app.doctreedir / "index.doctree").open("rb") as handle:
        doctree = pickle.load(handle)
    packed_in = {
        packed.parent.parent[0]["ids"][0].rpartition(".")[2]
        for packed in doctree.findall(AidocPackedFields)
    }
    assert {"merge", "each", "open_ledger", "scale"} <= packed_in
    assert "shift" not in packed_in
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "(\u201cnegative floor\u201d)" in _entry(html, "open_ledger")
    assert "the ledger\u2019s amounts \u2013 all of them." in _entry(html, "scale")
    assert '<a class="reference external" href="https://example.org/guide">' in _entry(
        html, "shift"
    )


def test_a_translated_document_packs_its_field_lists_after_translation(
    make_app, tmp_path, monkeypatch
):
    """A translated document packs nothing before the reading transforms.

    Translation may replace a field's text, so every list waits for it.
    """
    monkeypatch.setattr(PackFields, "apply", lambda self, **kwargs: None)
    srcdir = tmp_path / "translated"
    shutil.copytree(ROOTS / "test-packed", srcdir)
    app = make_app("html", srcdir=srcdir, confoverrides={"language": "de"})
    app.build()
    with (app.doctreedir / "index.doctree").open("rb") as handle:
        assert not list(pickle.load(handle).findall(AidocPackedFields))


def test_the_builder_is_known_where_the_environment_does_not_name_it():
    # Sphinx 8 keeps no builder class on the environment (9's
    # ``env._builder_cls``): the packing asks the builder itself. Without
    # that, every build under Sphinx 8.1.3 failed with an AttributeError
    # (tomlkit's own docs); with it, the page is the one Sphinx 9 writes.
    builder = MessageCatalogBuilder.__new__(MessageCatalogBuilder)
    sphinx8 = SimpleNamespace(
        env=SimpleNamespace(), app=SimpleNamespace(builder=builder)
    )
    assert _builder_class(sphinx8) is MessageCatalogBuilder
    sphinx9 = SimpleNamespace(env=SimpleNamespace(_builder_cls=StandaloneHTMLBuilder))
    assert _builder_class(sphinx9) is StandaloneHTMLBuilder
