"""The API changelog in Sphinx: change records and the directive.

* ``env-updated`` (priority 600, after the snapshot is recorded at 500):
  compare this build's snapshot with the previous successful build's and
  store the changes, in the main process.
* ``.. aidoc-changelog::`` emits a placeholder and marks its page dynamic,
  so the page is rewritten on every build; ``doctree-resolved`` replaces the
  placeholder with plain docutils nodes (every builder renders them).

Incremental builds see every change without help: autodoc records the file
of each module it documents as a dependency of the document, so Sphinx
re-reads a document when that file is newer than the document's last read,
and a change of ``release`` or ``version`` re-reads everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxcontrib_aidoc.changelog import Query, compare
from sphinxcontrib_aidoc.gc_pause import gc_paused
from sphinxcontrib_aidoc.model import CHANGE_KINDS
from sphinxcontrib_aidoc.sphinxext import placeholders
from sphinxcontrib_aidoc.sphinxext.changelog_nodes import changelog_nodes, selected
from sphinxcontrib_aidoc.sphinxext.changelog_site import collect_pages
from sphinxcontrib_aidoc.sphinxext.domain import aidoc_domain
from sphinxcontrib_aidoc.sphinxext.runtime import runtime_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import OptionSpec

logger = logging.getLogger(__name__)

DIRECTIVE = "aidoc-changelog"


class AidocChangelogPlaceholder(nodes.General, nodes.Element):
    """Where an ``aidoc-changelog`` goes; filled at ``doctree-resolved``."""


placeholders.register(AidocChangelogPlaceholder)


class AidocChangelogDirective(SphinxDirective):
    """``.. aidoc-changelog::``: the API changes recorded in the database.

    Options: ``:module:``, ``:since:``, ``:limit:``, ``:kinds:`` and
    ``:breaking-only:``.
    """

    has_content = False
    option_spec: ClassVar[OptionSpec] = {
        "module": directives.unchanged,
        "since": directives.unchanged,
        "limit": directives.unchanged,
        "kinds": directives.unchanged,
        "breaking-only": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        """Validate the options and return the placeholder."""
        node = AidocChangelogPlaceholder()
        self.set_source_info(node)
        node["module"] = (self.options.get("module") or "").strip()
        node["since"] = (self.options.get("since") or "").strip()
        node["limit"] = self._limit()
        node["kinds"] = self._kinds()
        node["breaking_only"] = "breaking-only" in self.options
        aidoc_domain(self.env).note_dynamic(self.env.docname, DIRECTIVE)
        return [node]

    def _limit(self) -> int | None:
        text = (self.options.get("limit") or "").strip()
        if not text:
            return None
        try:
            value = int(text)
        except ValueError:
            value = -1
        if value < 0:
            self._warn(f":limit: must be a whole number >= 0, not {text!r}; ignored")
            return None
        return value

    def _kinds(self) -> list[str]:
        text = self.options.get("kinds") or ""
        kinds = [k.strip() for k in text.replace(" ", ",").split(",") if k.strip()]
        unknown = [k for k in kinds if k not in CHANGE_KINDS]
        if unknown:
            self._warn(
                f":kinds: unknown change kind(s) {', '.join(unknown)} (known: "
                f"{', '.join(CHANGE_KINDS)}); ignored"
            )
        return [k for k in kinds if k in CHANGE_KINDS]

    def _warn(self, message: str) -> None:
        logger.warning(
            f"{DIRECTIVE}: {message}",
            type="aidoc",
            subtype="directive",
            location=self.get_location(),
        )


def setup_changelog(app: Sphinx) -> None:
    """Register the directive and connect the changelog handlers."""
    app.add_node(AidocChangelogPlaceholder)
    app.add_directive(DIRECTIVE, AidocChangelogDirective)
    app.connect("env-updated", on_env_updated, priority=600)
    app.connect("doctree-resolved", on_doctree_resolved)
    app.connect("html-collect-pages", collect_pages)


@gc_paused()
def on_env_updated(app: Sphinx, env: BuildEnvironment) -> None:
    """Store what this build changed against the previous successful build.

    The first build of a database is the baseline and records nothing; a
    build of unchanged sources records nothing either.
    """
    del env
    runtime = runtime_of(app)
    store = runtime.store
    build_id = runtime.build_id
    if store is None or build_id is None:
        return
    previous = store.last_build(status="ok", before=build_id)
    if previous is None:
        return
    if store.snapshot_owner(build_id) == store.snapshot_owner(int(previous["id"])):
        return  # the same stored snapshot: nothing changed
    delta = runtime.snapshot_delta
    if delta is not None:  # only these objects differ: compare only them
        events = compare(
            store.snapshot_of_names(int(previous["id"]), delta),
            store.snapshot_of_names(build_id, delta),
        )
    else:
        events = compare(store.snapshot(int(previous["id"])), store.snapshot(build_id))
    added = store.record_changes(build_id, int(previous["id"]), events)
    if added:
        logger.info(f"aidoc: {added} API changes since build {previous['id']}")


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace each changelog placeholder of *docname* with its content."""
    found = placeholders.take(doctree, AidocChangelogPlaceholder)
    if not found:
        return
    objects = aidoc_domain(app.env).all_objects()
    for index, node in enumerate(found):
        query = _query(node)
        log = selected(app, query)
        if isinstance(log, str):
            logger.warning(
                f"{DIRECTIVE}: {log}", type="aidoc", subtype="directive", location=node
            )
            note = nodes.paragraph("", "", nodes.emphasis("", f"API changelog: {log}."))
            node.replace_self(note)
            continue
        content = changelog_nodes(
            log,
            builder=app.builder,
            fromdocname=docname,
            objects=objects,
            id_prefix=f"aidoc-changelog-{index + 1}-" if index else "aidoc-changelog-",
            sections=isinstance(node.parent, (nodes.section, nodes.document)),
        )
        node.replace_self(content)


def _query(node: nodes.Element) -> Query:
    attrs: dict[str, Any] = node.attributes
    limit = attrs.get("limit")
    return Query(
        module=str(attrs.get("module") or ""),
        since=str(attrs.get("since") or ""),
        limit=limit if isinstance(limit, int) else None,
        kinds=frozenset(attrs.get("kinds") or ()),
        breaking_only=bool(attrs.get("breaking_only")),
    )
