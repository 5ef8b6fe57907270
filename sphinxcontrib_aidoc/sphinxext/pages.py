"""Which pages with live data must be written again in a rebuild.

Pages can show data that depends on other pages or on the database: the
"Called by"/"Calls" lines of an object (who calls it is read on other
pages), the ``aidoc-index`` tree, the ``aidoc-quality`` table and the
``aidoc-changelog`` entries. Sphinx rewrites a page only when its own source
changed, so at ``env-updated`` (every document merged) aidoc computes, for
each such page, a fingerprint of exactly what that data will render, and
asks Sphinx to write again only the pages whose fingerprint changed. A
rebuild in which nothing changed writes no page; a change to one function
rewrites the pages that show it or a line that names it.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.changelog import Query
from sphinxcontrib_aidoc.gc_pause import gc_paused
from sphinxcontrib_aidoc.sphinxext.calls import relations
from sphinxcontrib_aidoc.sphinxext.changelog_nodes import selected
from sphinxcontrib_aidoc.sphinxext.domain import aidoc_domain
from sphinxcontrib_aidoc.sphinxext.quality import DIRECTIVE as QUALITY
from sphinxcontrib_aidoc.sphinxext.quality import project_scores, score_apart
from sphinxcontrib_aidoc.sphinxext.runtime import runtime_of
from sphinxcontrib_aidoc.sphinxext.settings import get_config

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def setup_pages(app: Sphinx) -> None:
    """Connect the outdated-page check (after the snapshot is recorded)."""
    app.connect("env-updated", outdated_pages, priority=600)


@gc_paused()
def outdated_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Return the pages whose live data renders differently than last time.

    Scores are computed from here too (when documents changed), so that
    they are kept in the database and a later rebuild reuses them: now when
    a page shows them, else in a forked copy while the pages are written
    (:func:`~.quality.score_apart`).
    """
    domain = aidoc_domain(env)
    changed = runtime_of(app).documents_changed
    if changed and domain.all_objects():
        if any(QUALITY in shown for shown in domain.dynamic.values()):
            project_scores(app)
        else:
            score_apart(app)
    parts = _Parts(app)
    outdated: list[str] = []
    for docname, directives in sorted(domain.dynamic.items()):
        stored = domain.fingerprints.get(docname, {})
        current: dict[str, str] = {}
        for directive in sorted(directives):
            if not changed and directive in _DOCUMENT_DATA and directive in stored:
                current[directive] = stored[directive]
            else:
                text = parts.get(directive, docname)
                current[directive] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if current != stored:
            outdated.append(docname)
        domain.fingerprints[docname] = current
    return outdated


#: Live data that only documents can change (not the database).
_DOCUMENT_DATA = frozenset({"aidoc-xrefs", "aidoc-index", "aidoc-quality"})


class _Parts:
    """What each kind of live data renders, computed once per build."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self.shared: dict[str, str] = {}
        self.per_page: dict[str, Callable[[str], str]] = {
            "aidoc-xrefs": self._xrefs,
        }
        self.whole: dict[str, Callable[[], str]] = {
            "aidoc-index": self._index,
            "aidoc-quality": self._quality,
            "aidoc-changelog": self._changelog,
        }

    def get(self, directive: str, docname: str) -> str:
        """The text that stands for what *directive* shows on *docname*."""
        if directive in self.per_page:
            return self.per_page[directive](docname)
        if directive not in self.shared:
            make = self.whole.get(directive)
            # Live data of a kind this module does not know: always rewrite.
            self.shared[directive] = make() if make else _always()
        return self.shared[directive]

    def _xrefs(self, docname: str) -> str:
        """The call lines of every object on the page, with link targets."""
        if not get_config(self.app).xrefs:
            return ""
        objects = aidoc_domain(self.app.env).all_objects()
        graph = relations(self.app)
        lines: list[str] = []
        for qualname in sorted(aidoc_domain(self.app.env).objects.get(docname, {})):
            relation = graph.get(qualname)
            if relation is None:
                continue
            for name in (*relation.calls, "|", *relation.called_by):
                target = objects.get(name)
                lines.append(f"{name}@{target.docname if target else ''}")
            lines.append(f"{qualname}:{objects[qualname].module}\n")
        return ";".join(lines)

    def _index(self) -> str:
        objects = aidoc_domain(self.app.env).all_objects()
        return "\n".join(
            f"{name}|{s.kind}|{s.docname}|{s.summary}|{s.module}"
            for name, s in objects.items()
        )

    def _quality(self) -> str:
        return "\n".join(
            f"{snapshot.docname}|{score!r}"
            for score, snapshot in project_scores(self.app)
        )

    def _changelog(self) -> str:
        log = selected(self.app, Query())
        if isinstance(log, str):
            return log
        objects = aidoc_domain(self.app.env).all_objects()
        targets = sorted(
            f"{e.qualname}@{objects[e.qualname].docname}"
            for e in log.events
            if e.qualname in objects
        )
        head = log.head
        return repr(
            (
                log.events,
                targets,
                head.release if head else "",
                head.git_commit if head else "",
            )
        )


def _always() -> str:
    return hashlib.sha256(str(id(object())).encode()).hexdigest()
