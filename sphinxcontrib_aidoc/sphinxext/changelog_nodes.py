"""The changelog a page shows, as plain docutils nodes (sections, bullet lists).

:func:`selected` reads it once per build and query (kept on the runtime) (main process: Sphinx
resolves doctrees there even under ``-j N``). Every builder renders the
nodes (HTML, text, LaTeX, man). Objects that still
exist link to their API entry; gone ones are plain literals. Breaking
changes carry a strong ``breaking`` label (class ``aidoc-breaking``).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.nodes import make_refnode

from sphinxcontrib_aidoc.changelog import (
    Changelog,
    Query,
    SinceError,
    by_release,
    select,
)
from sphinxcontrib_aidoc.changelog.render import (
    KIND_LABELS,
    describe_build,
    is_code,
    old_and_new,
    release_anchor,
    release_title,
)
from sphinxcontrib_aidoc.sphinxext.runtime import runtime_of
from sphinxcontrib_aidoc.store import rev_parse

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from sphinxcontrib_aidoc.changelog import ReleaseGroup
    from sphinxcontrib_aidoc.model import ChangeEvent, ObjectSnapshot

EMPTY = "No API changes recorded."


def selected(app: Sphinx, query: Query) -> Changelog | str:
    """Return the changelog *query* selects in this build, or why there is none."""
    runtime = runtime_of(app)
    cache = runtime.changelogs
    if query not in cache:
        store = runtime.store
        if store is None:
            cache[query] = "the aidoc database is not available"
        else:
            try:
                cache[query] = select(
                    store,
                    query,
                    current_build=runtime.build_id,
                    rev_parse=functools.partial(rev_parse, Path(app.confdir)),
                )
            except SinceError as exc:
                cache[query] = str(exc)
    return cache[query]


def changelog_nodes(
    log: Changelog,
    *,
    builder: Builder,
    fromdocname: str,
    objects: Mapping[str, ObjectSnapshot],
    id_prefix: str = "",
    sections: bool = True,
) -> list[nodes.Element]:
    """Return the nodes that show *log* on page *fromdocname*.

    Args:
        log: What to show.
        builder: Resolves links to the objects' pages.
        fromdocname: The page the nodes go on.
        objects: This build's documented objects (link targets).
        id_prefix: Prefix of the section ids (unique per page).
        sections: Group under sections (the placeholder sits where a section
            may); otherwise under rubrics.
    """
    result: list[nodes.Element] = []
    if log.baseline is not None:
        result.append(
            nodes.paragraph("", f"Changes since {describe_build(log.baseline)}.")
        )
    groups = by_release(log.events)
    if not groups:
        result.append(nodes.paragraph("", "", nodes.emphasis("", EMPTY)))
        return result
    for group in groups:
        ident = id_prefix + release_anchor(group.release)
        body: list[nodes.Element] = [_build_line(group)]
        for kind, events in group.kinds:
            items = nodes.bullet_list(classes=["aidoc-changelog"])
            for event in events:
                para = nodes.paragraph()
                para.extend(_event_nodes(event, builder, fromdocname, objects))
                items += nodes.list_item("", para)
            label = KIND_LABELS.get(kind, kind)
            body.extend(
                _titled(label, f"{ident}-{kind.replace('_', '-')}", [items], sections)
            )
        result.extend(_titled(release_title(group.release), ident, body, sections))
    return result


def _titled(
    title: str, ident: str, body: list[nodes.Element], sections: bool
) -> list[nodes.Element]:
    if sections:
        section = nodes.section(ids=[ident], names=[])
        section += nodes.title("", title)
        section.extend(body)
        return [section]
    return [nodes.rubric("", title, ids=[ident]), *body]


def _build_line(group: ReleaseGroup) -> nodes.paragraph:
    count = len(group.events)
    breaking = sum(e.breaking for e in group.events)
    text = f"{count} change{'s' if count != 1 else ''}"
    if breaking:
        text += f", {breaking} breaking"
    builds = ", ".join(str(b) for b in group.builds)
    text += f" (build{'s' if len(group.builds) != 1 else ''} {builds}"
    if group.time:
        text += f", {group.time[:10]}"
    if group.git_commit:
        text += f", commit {group.git_commit[:12]}"
    return nodes.paragraph("", text + ").", classes=["aidoc-changelog-builds"])


def _event_nodes(
    event: ChangeEvent,
    builder: Builder,
    fromdocname: str,
    objects: Mapping[str, ObjectSnapshot],
) -> list[nodes.Node]:
    result: list[nodes.Node] = []
    if event.breaking:
        result += [
            nodes.strong("breaking", "breaking", classes=["aidoc-breaking"]),
            nodes.Text(" "),
        ]
    literal = nodes.literal(event.qualname, event.qualname)
    target = objects.get(event.qualname)
    if target is not None and target.docname:
        result.append(
            make_refnode(
                builder,
                fromdocname,
                target.docname,
                event.qualname,
                literal,
                event.qualname,
            )
        )
    else:
        result.append(literal)
    before, after = old_and_new(event)
    parts = [p for p in (before, after) if p]
    if parts:
        result.append(nodes.Text(": "))
    for index, part in enumerate(parts):
        if index:
            result.append(nodes.Text(" → "))
        result.append(
            nodes.literal(part, part) if is_code(event) else nodes.Text(f"“{part}”")
        )
    if event.breaking and event.detail:
        result.append(nodes.Text(" ("))
        result.append(nodes.emphasis(event.detail, event.detail))
        result.append(nodes.Text(")"))
    return result
