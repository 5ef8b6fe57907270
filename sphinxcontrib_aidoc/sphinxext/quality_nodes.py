"""Plain docutils nodes for an ``aidoc-quality`` table (every builder renders them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.nodes import make_refnode

from sphinxcontrib_aidoc.quality import BUCKETS, Score, Summary, summarize

if TYPE_CHECKING:
    from sphinx.builders import Builder

    from sphinxcontrib_aidoc.model import ObjectSnapshot

COLUMNS = ("Object", "Kind", "Complexity", "Score", "Generated", "Findings")
_WIDTHS = (38, 12, 10, 6, 9, 38)


def quality_nodes(
    builder: Builder,
    docname: str,
    scored: Sequence[tuple[Score, ObjectSnapshot]],
    *,
    module: str,
    threshold: float,
    failing_only: bool,
    by_score: bool,
) -> nodes.Element:
    """Return the summary and score table of the objects under *module*."""
    chosen = [
        (score, snapshot)
        for score, snapshot in scored
        if not module
        or score.module == module
        or score.module.startswith(module + ".")
        or score.qualname == module
    ]
    summary = summarize(score for score, _ in chosen)
    failing = [(s, snap) for s, snap in chosen if s.overall < threshold]
    rows = failing if failing_only else chosen
    if by_score:
        rows = sorted(rows, key=lambda item: (item[0].overall, item[0].qualname))
    else:
        rows = sorted(rows, key=lambda item: item[0].qualname)
    container = nodes.container(classes=["aidoc-quality"])
    container += _summary(summary, len(failing), threshold)
    if rows:
        container += _table(builder, docname, rows)
    else:
        text = (
            "No object is below the threshold." if chosen else "No documented objects."
        )
        container += nodes.paragraph(text=text)
    return container


def _summary(summary: Summary, failing: int, threshold: float) -> nodes.bullet_list:
    generated = f"; {summary.generated} generated" if summary.generated else ""
    buckets = ", ".join(
        f"{label}: {count}"
        for (label, _, _), count in zip(BUCKETS, summary.distribution, strict=True)
    )
    coverage = (
        f"Coverage: {summary.coverage:.1f}% ({summary.covered} of {summary.objects} "
        f"objects have a docstring written by a person{generated})"
    )
    items = [
        coverage,
        f"Mean score: {summary.mean:.1f} ({failing} below {threshold:g})",
        f"Distribution: {buckets}",
    ]
    if summary.codes:
        items.append(
            "Findings: " + ", ".join(f"{code} {count}" for code, count in summary.codes)
        )
    bullets = nodes.bullet_list(classes=["aidoc-quality-summary"])
    for text in items:
        bullets += nodes.list_item("", nodes.paragraph(text=text))
    return bullets


def _table(
    builder: Builder, docname: str, rows: Sequence[tuple[Score, ObjectSnapshot]]
) -> nodes.table:
    table = nodes.table(classes=["aidoc-quality-table"])
    group = nodes.tgroup(cols=len(COLUMNS))
    table += group
    group.extend(nodes.colspec(colwidth=width) for width in _WIDTHS)
    head = nodes.thead()
    head += _row([[nodes.paragraph(text=title)] for title in COLUMNS])
    group += head
    body = nodes.tbody()
    for score, snapshot in rows:
        body += _row(
            [
                [_object_cell(builder, docname, score, snapshot)],
                [nodes.paragraph(text=score.kind)],
                [nodes.paragraph(text=str(score.complexity))],
                [nodes.paragraph(text=str(score.overall))],
                [nodes.paragraph(text="yes" if score.generated else "no")],
                _findings(score),
            ]
        )
    group += body
    return table


def _row(cells: list[list[nodes.Element]]) -> nodes.row:
    row = nodes.row()
    for content in cells:
        entry = nodes.entry()
        entry.extend(content)
        row += entry
    return row


def _object_cell(
    builder: Builder, docname: str, score: Score, snapshot: ObjectSnapshot
) -> nodes.paragraph:
    """The object's name, linked to its API entry (anchor = qualname)."""
    para = nodes.paragraph()
    literal = nodes.literal(text=score.qualname)
    if snapshot.docname:
        para += make_refnode(
            builder, docname, snapshot.docname, score.qualname, literal, score.qualname
        )
    else:
        para += literal
    return para


def _findings(score: Score) -> list[nodes.Element]:
    if not score.findings:
        return [nodes.paragraph(text="none")]
    paras: list[nodes.Element] = []
    for finding in score.findings:
        para = nodes.paragraph(classes=["aidoc-finding"])
        para += nodes.literal(text=finding.code)
        para += nodes.Text(f" {finding.message}")
        paras.append(para)
    return paras
