"""sphinx-autoapi: the objects autoapi renders get aidoc's docstrings.

The root's package is not on ``sys.path``: autoapi reads source files, and
so does aidoc. It publishes its API through ``__init__`` and ``__all__``
(re-exports of a private module), has a class with methods and a property,
a hand-written docstring, private objects and one object hidden by the
user's own ``autoapi-skip-member`` handler.
"""

from __future__ import annotations

import json
import re
import sys
from typing import TYPE_CHECKING

import pytest

from sphinxcontrib_aidoc.sphinxext.quality import project_scores
from sphinxcontrib_aidoc.store import Store

if TYPE_CHECKING:
    from tests.fake_azure import FakeAzure

pytest_plugins = ("tests.fake_azure",)

#: What autoapi shows without a docstring, where it is defined.
DRAFTED = {
    "aapi_pkg._impl.dumps",
    "aapi_pkg._impl.loads",
    "aapi_pkg.shapes.Shape",
    "aapi_pkg.shapes.Shape.area",
    "aapi_pkg.shapes.Shape.label",
    "aapi_pkg.shapes.Square.area",
    # autoapi shows Exception's docstring for it: not this class's own text.
    "aapi_pkg.shapes.ShapeError",
}
#: Every object the pages show, under the name they show it.
SHOWN = {
    "aapi_pkg.Shape",
    "aapi_pkg.Shape.area",
    "aapi_pkg.Shape.label",
    "aapi_pkg.documented",
    "aapi_pkg.dumps",
    "aapi_pkg.loads",
    "aapi_pkg.shapes.Shape",
    "aapi_pkg.shapes.Shape.area",
    "aapi_pkg.shapes.Shape.label",
    "aapi_pkg.shapes.Square",
    "aapi_pkg.shapes.Square.area",
    "aapi_pkg.shapes.ShapeError",
}
PACKAGE_PAGE = "autoapi/aapi_pkg/index.html"


def _entry(html: str, anchor: str) -> str:
    """The HTML of the (innermost) description whose signature has id *anchor*."""
    match = re.search(
        rf'<dt class="sig sig-object py" id="{re.escape(anchor)}">.*?</dd></dl>',
        html,
        re.DOTALL,
    )
    assert match is not None, anchor
    return match.group(0)


@pytest.mark.parametrize("parallel", [1, 2])
def test_shown_empty_objects_are_drafted_in_one_batch_and_nothing_else(
    build, fake_azure: FakeAzure, parallel: int
):
    app = build("autoapi", confoverrides={"aidoc_provider": "azure"}, parallel=parallel)
    assert sorted(fake_azure.asked) == sorted(DRAFTED)
    assert "aapi_pkg" not in sys.modules  # read from source, never imported
    html = (app.outdir / PACKAGE_PAGE).read_text(encoding="utf-8")
    dumps = _entry(html, "aapi_pkg.dumps")
    assert "aidoc-generated" in dumps
    assert "ValueError" in dumps  # from the analysis of _impl.dumps
    assert "indent" in dumps and "Parameters" in dumps  # info fields rendered
    label = _entry(html, "aapi_pkg.Shape.label")
    assert "aidoc-generated" in label
    assert "aidoc-generated" not in _entry(html, "aapi_pkg.documented")
    warnings = app.warning.getvalue()
    assert "WARNING" not in warnings, warnings


def test_private_and_user_skipped_objects_are_left_alone(build):
    app = build("autoapi")
    shapes = (app.outdir / "autoapi/aapi_pkg/shapes/index.html").read_text(
        encoding="utf-8"
    )
    for hidden in ("skipped_by_user", "_private_function", "_secret"):
        assert hidden not in shapes
    objects = app.env.domains["aidoc"].all_objects()
    assert set(objects) == SHOWN
    assert objects["aapi_pkg.dumps"].defined_as == "aapi_pkg._impl.dumps"
    assert objects["aapi_pkg.Shape.area"].defined_as == "aapi_pkg.shapes.Shape.area"
    assert objects["aapi_pkg.dumps"].generated
    assert not objects["aapi_pkg.documented"].generated
    assert not objects["aapi_pkg.shapes.Square"].generated


def test_hand_written_docstrings_are_byte_identical(build):
    plain = build(
        "autoapi", srcname="plain", confoverrides={"extensions": ["autoapi.extension"]}
    )
    aidoc = build("autoapi", srcname="aidoc")
    before = (plain.outdir / PACKAGE_PAGE).read_text(encoding="utf-8")
    after = (aidoc.outdir / PACKAGE_PAGE).read_text(encoding="utf-8")
    assert "aidoc-generated" not in before
    assert _entry(after, "aapi_pkg.documented") == _entry(before, "aapi_pkg.documented")
    assert "The delimiter: nothing" in _entry(after, "aapi_pkg.documented")


def test_shown_objects_are_in_search_changelog_and_quality(build):
    app = build("autoapi")
    index = json.loads(
        (app.outdir / "_static" / "aidoc" / "index.json").read_text(encoding="utf-8")
    )
    rows = {r[0]: r for r in index["records"]}
    assert set(rows) == SHOWN
    fields = index["fields"]
    dumps = dict(zip(fields, rows["aapi_pkg.dumps"], strict=True))
    assert index["pages"][dumps["page"]] == PACKAGE_PAGE
    assert index["modules"][dumps["module"]] == "aapi_pkg._impl"
    assert dumps["generated"] == 1
    with Store.open(app.srcdir / "_aidoc" / "aidoc.db", readonly=True) as store:
        last = store.last_build()
        assert last is not None
        snapshot = {s.qualname: s for s in store.snapshot(last["id"])}
    assert set(snapshot) == SHOWN
    assert snapshot["aapi_pkg.loads"].docname == "autoapi/aapi_pkg/index"
    assert {s.qualname for _, s in project_scores(app)} == SHOWN


def test_rebuild_serves_drafts_from_the_cache(build, fake_azure: FakeAzure):
    overrides = {"aidoc_provider": "azure"}
    first = build("autoapi", srcname="again", confoverrides=overrides)
    page = (first.outdir / PACKAGE_PAGE).read_text(encoding="utf-8")
    asked = len(fake_azure.log)
    second = build("autoapi", srcname="again", confoverrides=overrides)
    assert len(fake_azure.log) == asked
    assert (second.outdir / PACKAGE_PAGE).read_text(encoding="utf-8") == page


def test_without_undoc_members_nothing_is_drafted(build, fake_azure: FakeAzure):
    options = ["members", "show-inheritance", "imported-members"]
    app = build(
        "autoapi",
        confoverrides={"aidoc_provider": "azure", "autoapi_options": options},
    )
    assert fake_azure.log == []
    html = (app.outdir / PACKAGE_PAGE).read_text(encoding="utf-8")
    assert "aidoc-generated" not in html
    assert set(app.env.domains["aidoc"].all_objects()) == {"aapi_pkg.documented"}


def test_autodoc_and_autoapi_together(build, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sys, "path", list(sys.path))  # conf.py adds the srcdir
    app = build("autoapi", "text", tags=["autodoc"])
    page = (app.outdir / "with_autodoc.txt").read_text(encoding="utf-8")
    assert "internal_helper(value: int) -> int" in page
    assert "Docstring generated by aidoc" in page
    api = (app.outdir / "autoapi/aapi_pkg/index.txt").read_text(encoding="utf-8")
    assert api.count("Docstring generated by aidoc") == 5
    objects = app.env.domains["aidoc"].all_objects()
    assert set(objects) == SHOWN | {"aapi_pkg._impl.internal_helper"}


def test_autoapi_directives_only_get_a_warning(build):
    overrides = {"autoapi_generate_api_docs": False}
    app = build("autoapi", "text", srcname="loud", confoverrides=overrides)
    assert re.search(
        r"WARNING: autoapi_generate_api_docs is off: aidoc fills .*\[aidoc\.config\]",
        app.warning.getvalue(),
    ), app.warning.getvalue()
    quiet = build(
        "autoapi",
        "text",
        srcname="quiet",
        confoverrides={**overrides, "suppress_warnings": ["aidoc.config"]},
    )
    assert "[aidoc.config]" not in quiet.warning.getvalue()


def test_projects_without_autoapi_are_untouched(build):
    app = build("no-objects", "text")
    assert "autoapi.extension" not in app.extensions
    assert not (app.srcdir / "autoapi").exists()
    assert "WARNING" not in app.warning.getvalue()


def test_own_pages_inherited_members_and_augment(build, fake_azure: FakeAzure):
    options = ["members", "undoc-members", "imported-members", "inherited-members"]
    app = build(
        "autoapi",
        "text",
        confoverrides={
            "aidoc_provider": "azure",
            "aidoc_mode": "augment",
            "autoapi_options": options,
            "autoapi_own_page_level": "class",
        },
    )
    # An inherited member is the base class's object: drafted once; the
    # partial docstring of Square is augmented.
    asked = sorted(fake_azure.asked)
    assert asked == sorted(DRAFTED | {"aapi_pkg.shapes.Square"})
    objects = app.env.domains["aidoc"].all_objects()
    label = objects["aapi_pkg.shapes.Square.label"]
    assert label.defined_as == "aapi_pkg.shapes.Shape.label"
    assert label.docname == "autoapi/aapi_pkg/shapes/Square"
    assert objects["aapi_pkg.dumps"].docname == "autoapi/aapi_pkg/index"
    square = (app.outdir / "autoapi/aapi_pkg/shapes/Square.txt").read_text(
        encoding="utf-8"
    )
    # augment: the hand-written line stays, the parameters are added.
    assert "A square, documented by hand." in square
    assert "Sections added by aidoc" in square
    assert "**sides** (*int*)" in square
