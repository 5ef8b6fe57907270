"""``.. aidoc-index::``: the documented API as a tree by module and kind.

The directive leaves an :class:`AidocIndexPlaceholder` and marks its page
as showing live data (``aidoc-index``: see :mod:`.pages`);
``doctree-resolved`` (main process, every document merged) replaces it with
plain docutils nodes (nested bullet lists), so every builder renders it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxcontrib_aidoc.model import KINDS
from sphinxcontrib_aidoc.search_index import plain_summary
from sphinxcontrib_aidoc.sphinxext import placeholders
from sphinxcontrib_aidoc.sphinxext.calls import object_link, short_name
from sphinxcontrib_aidoc.sphinxext.domain import aidoc_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

    from sphinxcontrib_aidoc.model import ObjectSnapshot

logger = logging.getLogger(__name__)

_KIND_TITLES = {
    "class": "Classes",
    "exception": "Exceptions",
    "function": "Functions",
    "method": "Methods",
    "classmethod": "Class methods",
    "staticmethod": "Static methods",
    "property": "Properties",
}
_DOTTED = re.compile(r"^[^\W\d]\w*(\.[^\W\d]\w*)*$")


class AidocIndexPlaceholder(nodes.General, nodes.Element):
    """Where ``aidoc-index`` puts the API tree (``module`` prefix or "")."""


placeholders.register(AidocIndexPlaceholder)


def setup_api_index(app: Sphinx) -> None:
    """Register ``aidoc-index`` and the handler that fills it."""
    app.add_directive("aidoc-index", AidocIndexDirective)
    app.connect("doctree-resolved", on_doctree_resolved)


class AidocIndexDirective(SphinxDirective):
    """``.. aidoc-index::`` shows the API as a tree by module and kind.

    Option ``:module:`` keeps one package or module (and its submodules).
    """

    has_content = False
    option_spec: ClassVar[OptionSpec] = {"module": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        """Return a placeholder that ``doctree-resolved`` fills."""
        module = (self.options.get("module") or "").strip()
        placeholder = AidocIndexPlaceholder(module="")
        self.set_source_info(placeholder)
        if module and not _DOTTED.match(module):
            logger.warning(
                "aidoc-index: :module: %r is not a dotted module name; "
                "showing every module",
                module,
                type="aidoc",
                subtype="directive",
                location=placeholder,
            )
        elif module:
            placeholder["module"] = module
        aidoc_domain(self.env).note_dynamic(self.env.docname, "aidoc-index")
        return [placeholder]


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace this document's ``aidoc-index`` placeholders with the tree."""
    trees = placeholders.take(doctree, AidocIndexPlaceholder)
    if not trees:
        return
    objects = aidoc_domain(app.env).all_objects()
    for tree in trees:
        tree.replace_self(api_tree(app, docname, tree, objects, tree["module"]))


def api_tree(
    app: Sphinx,
    docname: str,
    placeholder: nodes.Element,
    objects: dict[str, ObjectSnapshot],
    prefix: str,
) -> list[nodes.Node]:
    """Return the API tree: modules, then kinds, then linked objects."""
    chosen = [
        s
        for s in objects.values()
        if not prefix or s.module == prefix or s.module.startswith(prefix + ".")
    ]
    if not chosen:
        if prefix:
            logger.warning(
                "aidoc-index: no documented object in module %r",
                prefix,
                type="aidoc",
                subtype="directive",
                location=placeholder,
            )
        return [nodes.paragraph(text="No documented objects.")]
    by_module: dict[str, list[ObjectSnapshot]] = {}
    for snapshot in chosen:
        by_module.setdefault(snapshot.module, []).append(snapshot)
    container = nodes.container(classes=["aidoc-index"])
    counts = coverage(chosen)
    container += nodes.paragraph(
        text=f"{_plural(len(chosen), 'object')} in "
        f"{_plural(len(by_module), 'module')}: {_counts_text(counts)}.",
        classes=["aidoc-index-summary"],
    )
    modules = nodes.bullet_list(classes=["aidoc-index-modules"])
    for module in sorted(by_module):
        members = by_module[module]
        item = nodes.list_item(classes=["aidoc-index-module"])
        head = nodes.paragraph()
        head += nodes.literal(text=module)
        head += nodes.Text(f" ({_counts_text(coverage(members))})")
        item += head
        item += _kinds_list(app, docname, members, objects)
        modules += item
    container += modules
    return [container]


def coverage(snapshots: list[ObjectSnapshot]) -> dict[str, int]:
    """Count ``documented`` (by hand), ``generated`` and ``total``."""
    generated = sum(1 for s in snapshots if s.generated)
    documented = sum(1 for s in snapshots if not s.generated and s.docstring.strip())
    return {"documented": documented, "generated": generated, "total": len(snapshots)}


def _counts_text(counts: dict[str, int]) -> str:
    covered = counts["documented"] + counts["generated"]
    percent = round(100 * covered / counts["total"]) if counts["total"] else 100
    return (
        f"documented {counts['documented']}, generated {counts['generated']}, "
        f"total {counts['total']}, {percent}% covered"
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _kinds_list(
    app: Sphinx,
    docname: str,
    members: list[ObjectSnapshot],
    objects: dict[str, ObjectSnapshot],
) -> nodes.bullet_list:
    by_kind: dict[str, list[ObjectSnapshot]] = {}
    for snapshot in members:
        by_kind.setdefault(snapshot.kind, []).append(snapshot)
    order: dict[str, int] = {kind: i for i, kind in enumerate(KINDS)}
    kinds = nodes.bullet_list(classes=["aidoc-index-kinds"])
    for kind in sorted(by_kind, key=lambda k: (order.get(k, len(order)), k)):
        entries = sorted(by_kind[kind], key=lambda s: s.qualname)
        item = nodes.list_item(classes=["aidoc-index-kind"])
        item += nodes.paragraph(
            text=f"{_KIND_TITLES.get(kind, kind.capitalize() + 's')} ({len(entries)})"
        )
        listing = nodes.bullet_list(classes=["aidoc-index-objects"])
        for snapshot in entries:
            line = nodes.paragraph()
            line += object_link(
                app,
                docname,
                snapshot.qualname,
                objects,
                short_name(snapshot.qualname, snapshot.module),
            )
            if snapshot.generated:
                line += nodes.Text(" ")
                line += nodes.inline(
                    text="generated", classes=["aidoc-index-generated"]
                )
            summary = plain_summary(snapshot.summary)
            if summary:
                line += nodes.Text(f" \N{EM DASH} {summary}")
            listing += nodes.list_item("", line)
        item += listing
        kinds += item
    return kinds
