"""Changelog outputs of an HTML site: a page, ``changelog.json``, an Atom feed.

At ``html-collect-pages`` (main process, after every document is written),
for the ``html`` and ``dirhtml`` builders, each written only when what it
shows changed (:mod:`.outputs`):

* ``aidoc-changelog.html``: the whole history, themed with ``page.html``,
  titled by ``aidoc_changelog_page`` (``''`` writes no page);
* ``_static/aidoc/changelog.json``: the same changes as data;
* ``aidoc-changelog.atom``: an Atom 1.0 feed, one entry per build with
  changes. Links are absolute when ``html_baseurl`` is set.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.osutil import relative_uri

from sphinxcontrib_aidoc.changelog import Changelog, Query
from sphinxcontrib_aidoc.changelog.render import to_atom, to_json
from sphinxcontrib_aidoc.sphinxext.changelog_nodes import changelog_nodes, selected
from sphinxcontrib_aidoc.sphinxext.domain import aidoc_domain
from sphinxcontrib_aidoc.sphinxext.outputs import output_keys
from sphinxcontrib_aidoc.sphinxext.runtime import runtime_of
from sphinxcontrib_aidoc.sphinxext.settings import get_config

if TYPE_CHECKING:
    from sphinx.application import Sphinx

PAGE = "aidoc-changelog"
FEED = "aidoc-changelog.atom"
JSON_PATH = ("_static", "aidoc", "changelog.json")
_BUILDERS = frozenset({"html", "dirhtml"})


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Write the JSON and the feed; yield the changelog page."""
    if app.builder.name not in _BUILDERS:
        return
    log = selected(app, Query())
    if isinstance(log, str):
        return  # the database is unusable, and that was reported
    objects = aidoc_domain(app.env).all_objects()
    urls = {
        name: f"{app.builder.get_target_uri(s.docname)}#{name}"
        for name, s in ((e.qualname, objects.get(e.qualname)) for e in log.events)
        if s is not None and s.docname
    }
    outdir = Path(app.outdir)
    data = to_json(log, urls)
    keys = output_keys(app)
    json_file = outdir.joinpath(*JSON_PATH)
    if not keys.unchanged("changelog.json", keys.key(data, themed=False), json_file):
        json_file.parent.mkdir(parents=True, exist_ok=True)
        json_file.write_text(data, encoding="utf-8")
    title = get_config(app).changelog_page
    # Without the page, the feed's "alternate" link is the site's front page.
    page_uri = app.builder.get_target_uri(PAGE if title else app.config.root_doc)
    base_url = str(app.config.html_baseurl or "")
    author = str(app.config.author or "")
    # The feed shows the changes (as the JSON does) and its links: with
    # neither changed it is not written again, and keeps its ``updated``.
    feed_key = keys.key(data, base_url, page_uri, author, themed=False)
    if not keys.unchanged(FEED, feed_key, outdir / FEED):
        (outdir / FEED).write_text(
            to_atom(
                log,
                base_url=base_url,
                page=page_uri,
                feed=FEED,
                author=author,
                urls=urls,
            ),
            encoding="utf-8",
        )
    if not title:
        keys.forget(PAGE)
        return
    # The page's sidebar and navigation come from the documents.
    page_file = Path(app.builder.get_outfilename(PAGE))  # type: ignore[attr-defined]
    if (
        keys.unchanged(PAGE, keys.key(data, title), page_file)
        and not runtime_of(app).documents_changed
    ):
        return
    yield PAGE, {"title": title, "body": _body(app, log, title)}, "page.html"


def _body(app: Sphinx, log: Changelog, title: str) -> str:
    section = nodes.section(ids=["aidoc-changelog"], names=[])
    section += nodes.title("", title)
    section.extend(
        changelog_nodes(
            log,
            builder=app.builder,
            fromdocname=PAGE,
            objects=aidoc_domain(app.env).all_objects(),
        )
    )
    render_partial = getattr(app.builder, "render_partial", None)
    if not callable(render_partial):  # not a StandaloneHTMLBuilder
        return f"<h1>{html.escape(title)}</h1>"
    page = app.builder.get_target_uri(PAGE)
    feed = relative_uri(page, FEED)
    data = relative_uri(page, "/".join(JSON_PATH))
    feeds = (
        f'<p class="aidoc-changelog-feeds">Also as an <a href="{html.escape(feed)}" '
        f'type="application/atom+xml">Atom feed</a> and as '
        f'<a href="{html.escape(data)}">JSON</a>.</p>'
    )
    fragment = _render_as(app, PAGE, section)
    head, sep, rest = fragment.partition("</h1>")
    return head + sep + feeds + rest if sep else feeds + fragment


def _render_as(app: Sphinx, docname: str, node: nodes.Node) -> str:
    """Render *node* as HTML in the context of page *docname*.

    The HTML translator reads per-page state (section and figure numbers,
    image paths) that the builder sets only while writing a document; in a
    rebuild that writes no document it is missing, so it is set here for
    this page and put back afterwards.
    """
    builder: Any = app.builder
    state = {
        "secnumbers": {},
        "fignumbers": {},
        "imgpath": relative_uri(builder.get_target_uri(docname), "_images"),
        "dlpath": relative_uri(builder.get_target_uri(docname), "_downloads"),
        "current_docname": docname,
    }
    saved = {name: getattr(builder, name) for name in state if hasattr(builder, name)}
    for name, value in state.items():
        setattr(builder, name, value)
    try:
        return str(builder.render_partial(node)["fragment"])
    finally:
        for name in state:
            if name in saved:
                setattr(builder, name, saved[name])
            else:
                delattr(builder, name)
