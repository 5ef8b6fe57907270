"""Sphinx's walk over a module's definitions, run only when something reads it.

autodoc reads what ``ModuleAnalyzer`` parses from a module's comments;
the line range of each definition (``ModuleAnalyzer.tags``: a slower walk
over the source's tokens) is read only by viewcode and literalinclude's
``:pyobject:``. With aidoc, a build walks a module's definitions when one
of them reads them, and shows what Sphinx shows.
"""

from __future__ import annotations

import json
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sphinx.errors import PycodeError
from sphinx.pycode import ModuleAnalyzer
from sphinx.pycode.parser import DefinitionFinder

from sphinxcontrib_aidoc import sphinxext
from sphinxcontrib_aidoc.sphinxext.pycode_kept import PREFIX
from sphinxcontrib_aidoc.sphinxext.pycode_tags import defer_definitions
from sphinxcontrib_aidoc.store import Store
from tests.conftest import ROOTS

if TYPE_CHECKING:
    from collections.abc import Iterator

VIEWCODE = ["sphinx.ext.autodoc", "sphinx.ext.viewcode", "sphinxcontrib_aidoc"]
#: A page showing one function's source (literalinclude's ``:pyobject:``).
INCLUDE = """\
Included
========

.. literalinclude:: kept_pkg/shapes.py
   :pyobject: Box.area
"""


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Count Sphinx's definition walks (the lines of each source walked)."""
    found: list[int] = []
    walk = DefinitionFinder.parse

    def parse(self: DefinitionFinder) -> None:
        found.append(len(self.buffers))
        walk(self)

    monkeypatch.setattr(DefinitionFinder, "parse", parse)
    ModuleAnalyzer.cache.clear()
    yield found
    ModuleAnalyzer.cache.clear()


@contextmanager
def _sphinx_alone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Sphinx as it is without aidoc: every parse walks the definitions."""
    defer_definitions()
    with monkeypatch.context() as patched:
        analyze = ModuleAnalyzer.analyze
        patched.setattr(ModuleAnalyzer, "analyze", analyze.__wrapped__)  # type: ignore[attr-defined]
        patched.delattr(ModuleAnalyzer, "tags")
        patched.setattr(sphinxext, "defer_definitions", lambda: None)
        yield


def _root(tmp_path: Path, name: str) -> Path:
    srcdir = tmp_path / name
    shutil.copytree(ROOTS / "test-pycode-kept", srcdir)
    (srcdir / "included.rst").write_text(INCLUDE, encoding="utf-8")
    index = srcdir / "index.rst"
    index.write_text(
        index.read_text(encoding="utf-8") + "   included\n", encoding="utf-8"
    )
    return srcdir


def _shown(app) -> dict[str, str]:
    """The highlighted module source and the included function, as built."""
    out = Path(app.outdir)
    page = (out / "included.html").read_text(encoding="utf-8")
    code = (out / "_modules" / "kept_pkg" / "shapes.html").read_text(encoding="utf-8")
    api = (out / "api.html").read_text(encoding="utf-8")
    return {
        "included": page[page.index('<div class="highlight') :].split("</pre>")[0],
        "module": code[code.index('<div class="highlight') :].split("</pre>")[0],
        "links": str(
            sorted({h.split('"')[0] for h in api.split('href="_modules/')[1:]})
        ),
    }


def test_a_build_no_extension_asks_walks_no_definitions(
    make_app, tmp_path: Path, walks: list[int]
) -> None:
    srcdir = _root(tmp_path, "plain")
    app = make_app("html", srcdir=srcdir)
    app.build()
    # one walk: the file literalinclude's :pyobject: reads, as it reads it
    # (not the modules autodoc parses: kept_pkg.shapes, enum, typing)
    shapes = srcdir / "kept_pkg" / "shapes.py"
    assert walks == [len(shapes.read_text(encoding="utf-8").splitlines())]
    page = (Path(app.outdir) / "api.html").read_text(encoding="utf-8")
    assert "The colour of a ripe tomato." in page  # the comments' parse: read
    included = (Path(app.outdir) / "included.html").read_text(encoding="utf-8")
    assert "area" in included


def test_viewcode_and_literalinclude_show_what_sphinx_shows(
    make_app, tmp_path: Path, walks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    with _sphinx_alone(monkeypatch):
        sphinx = make_app(
            "html",
            srcdir=_root(tmp_path, "sphinx"),
            confoverrides={"extensions": VIEWCODE},
        )
        sphinx.build()
    expected = _shown(sphinx)
    assert '<span class="nf">area</span>' in expected["included"]
    assert "kept_pkg/shapes.html#scale" in expected["links"]
    walked_by_sphinx = len(walks)
    ModuleAnalyzer.cache.clear()
    walks.clear()
    aidoc = make_app(
        "html", srcdir=_root(tmp_path, "aidoc"), confoverrides={"extensions": VIEWCODE}
    )
    aidoc.build()
    assert _shown(aidoc) == expected
    # viewcode reads the definitions of the documented module, not of its
    # bases' modules (enum, typing) that autodoc parses
    assert 0 < len(walks) < walked_by_sphinx


def test_a_kept_parse_walks_its_definitions_when_read(
    make_app, tmp_path: Path, walks: list[int]
) -> None:
    srcdir = _root(tmp_path, "kept")
    make_app("html", srcdir=srcdir).build()
    with Store.open(srcdir / "_aidoc" / "aidoc.db") as store:
        row = store.analysis_get(PREFIX + "kept_pkg.shapes")
    assert row is not None
    assert json.loads(row)["tags"] is None  # nothing read them: not kept
    ModuleAnalyzer.cache.clear()
    walks.clear()
    again = make_app(
        "html", srcdir=srcdir, freshenv=True, confoverrides={"extensions": VIEWCODE}
    )
    again.build()
    assert walks  # restored without them, walked when viewcode read them
    assert "kept_pkg/shapes.html#scale" in _shown(again)["links"]


def test_a_walk_that_fails_fails_where_the_definitions_are_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    defer_definitions()

    def fails(self: DefinitionFinder) -> None:
        raise ValueError("no")

    monkeypatch.setattr(DefinitionFinder, "parse", fails)
    analyzer = ModuleAnalyzer.for_string("#: The answer.\nX = 42\n", "answer", "<a>")
    assert analyzer.find_attr_docs() == {("", "X"): ["The answer.", ""]}
    with pytest.raises(PycodeError, match="parsing '<a>' failed: ValueError"):
        analyzer.find_tags()
