"""The API search page, its index, and the ``aidoc-search`` box.

* ``builder-inited``: link ``aidoc/aidoc-search.css`` (HTML builders).
* ``html-collect-pages`` (main process, every document resolved): write
  ``_static/aidoc/index.json`` and ``index.js`` from
  :meth:`AidocDomain.all_objects`, and add the page ``aidoc-search`` in the
  theme's ``page.html``.
* ``html-page-context``: on that page only, add ``aidoc-search.js``, whose
  script tag carries the index path (``data-index``) and the path to the
  site root (``data-root``) as ``data-*`` attributes.
* ``.. aidoc-search::`` leaves a placeholder that ``doctree-resolved`` turns
  into a small form submitting ``?q=...`` to the search page (HTML builders
  with a search page), or removes (every other builder).

The page and index exist for the ``html`` and ``dirhtml`` builders (and
themes built on them); ``singlehtml`` and ``epub`` collect no extra pages.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.util import logging
from sphinx.util.display import progress_message
from sphinx.util.docutils import SphinxDirective

from sphinxcontrib_aidoc.search_index import SearchRecord, build_index, write_index
from sphinxcontrib_aidoc.sphinxext import placeholders
from sphinxcontrib_aidoc.sphinxext.calls import relations
from sphinxcontrib_aidoc.sphinxext.domain import aidoc_domain
from sphinxcontrib_aidoc.sphinxext.outputs import output_keys
from sphinxcontrib_aidoc.sphinxext.quality import complexity_of, score_of
from sphinxcontrib_aidoc.sphinxext.runtime import runtime_of
from sphinxcontrib_aidoc.sphinxext.settings import get_config

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.builders import Builder


logger = logging.getLogger(__name__)

#: Page name of the search page (``aidoc-search.html``).
SEARCH_PAGE = "aidoc-search"
SEARCH_TITLE = "API search"
#: Output folder of the index, under the HTML output directory.
INDEX_DIR = ("_static", "aidoc")

_PAGE_BODY = """\
<section class="aidoc-search" id="aidoc-search">
<h1>{title}</h1>
<div class="aidoc-search-controls">
<input type="search" id="aidoc-search-input" class="aidoc-search-input" \
placeholder="Name, part of a name, or a word of the summary" autocomplete="off" \
spellcheck="false" aria-label="Search the API" role="combobox" \
aria-autocomplete="list" aria-controls="aidoc-search-results" aria-expanded="false">
<select id="aidoc-search-kind" aria-label="Kind"><option value="">All kinds</option>\
</select>
<select id="aidoc-search-module" aria-label="Module">\
<option value="">All modules</option></select>
<select id="aidoc-search-origin" aria-label="Docstring">\
<option value="">Any docstring</option><option value="human">Written by hand</option>\
<option value="generated">Generated</option></select>
</div>
<p id="aidoc-search-status" class="aidoc-search-status" role="status" \
aria-live="polite">Loading the API index\u2026</p>
<ul id="aidoc-search-results" class="aidoc-search-results" role="listbox" \
aria-label="Results"></ul>
<noscript><p>The API search needs JavaScript.</p></noscript>
</section>
"""

_BOX = """\
<form class="aidoc-search-box" action="{action}" method="get" role="search">\
<input type="search" name="q" placeholder="Search the API" aria-label="Search the API" \
autocomplete="off" spellcheck="false"> <button type="submit">Search</button></form>
"""


class AidocSearchBoxPlaceholder(nodes.General, nodes.Element):
    """Where ``aidoc-search`` puts its search box."""


placeholders.register(AidocSearchBoxPlaceholder)


class AidocSearchDirective(SphinxDirective):
    """``.. aidoc-search::`` shows a box that opens the API search page."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        """Return a placeholder that ``doctree-resolved`` fills."""
        placeholder = AidocSearchBoxPlaceholder()
        self.set_source_info(placeholder)
        return [placeholder]


def setup_search(app: Sphinx) -> None:
    """Register the search page, the index and the box."""
    app.add_directive("aidoc-search", AidocSearchDirective)
    app.connect("builder-inited", add_search_css)
    app.connect("doctree-resolved", resolve_search_boxes)
    app.connect("html-collect-pages", collect_pages)
    app.connect("html-page-context", on_html_page_context)


def has_search_page(builder: Builder) -> bool:
    """Whether *builder* writes the search page (``html``, ``dirhtml``)."""
    return (
        isinstance(builder, StandaloneHTMLBuilder)
        and not isinstance(builder, SingleFileHTMLBuilder)
        and not builder.name.startswith("epub")
    )


def add_search_css(app: Sphinx) -> None:
    """Link the stylesheet of the search page, box, xrefs and API tree."""
    if app.builder.format == "html":
        app.add_css_file("aidoc/aidoc-search.css")


def resolve_search_boxes(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Turn ``aidoc-search`` placeholders into forms (or drop them)."""
    for placeholder in placeholders.take(doctree, AidocSearchBoxPlaceholder):
        if not has_search_page(app.builder):
            placeholder.parent.remove(placeholder)
            continue
        action = app.builder.get_relative_uri(docname, SEARCH_PAGE)
        box = nodes.raw("", _BOX.format(action=html.escape(action)), format="html")
        placeholder.replace_self(box)


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Write the index and yield the search page, when they changed.

    A build that read no document shows the same objects as the last one:
    the index of the last build still holds, and the page (whose sidebar
    and navigation come from the documents) is yielded again only when the
    theme, the HTML settings or a template changed (:mod:`.outputs`).
    """
    builder = app.builder
    if not isinstance(builder, StandaloneHTMLBuilder) or not has_search_page(builder):
        return
    directory = Path(builder.outdir).joinpath(*INDEX_DIR)
    changed = runtime_of(app).documents_changed
    if changed or not all(
        (directory / name).is_file() for name in ("index.json", "index.js")
    ):
        with progress_message("aidoc: writing the API search index"):
            write_index(directory, search_index(app))
    body = _PAGE_BODY.format(title=html.escape(SEARCH_TITLE))
    keys = output_keys(app)
    page = Path(builder.get_outfilename(SEARCH_PAGE))
    if keys.unchanged(SEARCH_PAGE, keys.key(body), page) and not changed:
        return
    yield SEARCH_PAGE, {"title": SEARCH_TITLE, "body": body}, "page.html"


def on_html_page_context(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Add the search script, with its paths as data attributes, to the page."""
    del templatename, doctree
    if pagename != SEARCH_PAGE:
        return
    index_path = "/".join((*INDEX_DIR, "index.js"))
    app.add_js_file(
        "aidoc/aidoc-search.js",
        **{
            "data-index": context["pathto"](index_path, resource=True),
            "data-root": context.get("content_root") or "./",
        },
    )


def search_index(app: Sphinx) -> dict[str, Any]:
    """Return the index of every documented object of the build."""
    objects = aidoc_domain(app.env).all_objects()
    xrefs = get_config(app).xrefs
    # The call graph of the pages' "Calls" lines, computed once per build.
    graph = relations(app) if xrefs else {}
    scores = score_of(app)
    complexity = complexity_of(app)
    records = [
        SearchRecord(
            qualname=qualname,
            kind=snapshot.kind,
            module=snapshot.module,
            page=app.builder.get_target_uri(snapshot.docname),
            signature=snapshot.signature,
            summary=snapshot.summary,
            generated=snapshot.generated,
            quality=scores.get(qualname),
            calls=graph[qualname].calls if qualname in graph else (),
            complexity=complexity.get(qualname),
        )
        for qualname, snapshot in objects.items()
    ]
    return build_index(records, xrefs=xrefs, graph=graph)
