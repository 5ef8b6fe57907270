"""Cross-references from the code: "Called by"/"Calls" lines, ``aidoc-index``.

The relations need every document, so nothing is rendered while reading
(which may happen in ``-j N`` workers). Reading only leaves placeholders:

* ``object-description-transform``: each Python object aidoc recorded gets
  an :class:`AidocXrefsPlaceholder` in its description, before any nested
  member, and its page is marked dynamic (rewritten on every build, since a
  change elsewhere can change who calls it);
* ``.. aidoc-index::`` leaves an :class:`AidocIndexPlaceholder`.

``doctree-resolved`` (main process, all documents merged) replaces them with
plain docutils nodes, so every builder renders them. The call graph comes
from the astroid analysis (:attr:`ObjectInfo.calls`) of the documented
objects, computed once per build and kept per application.
"""

from __future__ import annotations

import re
import weakref
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from sphinxcontrib_aidoc.model import CLASS_KINDS, KINDS
from sphinxcontrib_aidoc.search_index import Relation, call_graph, plain_summary
from sphinxcontrib_aidoc.sphinxext.domain import AidocDomain
from sphinxcontrib_aidoc.sphinxext.lifecycle import get_runtime
from sphinxcontrib_aidoc.sphinxext.settings import get_config

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import OptionSpec

    from sphinxcontrib_aidoc.model import ObjectSnapshot

logger = logging.getLogger(__name__)

#: Most names one "Calls"/"Called by" line lists before "and N more".
MAX_LINKS = 25
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
_RELATIONS: weakref.WeakKeyDictionary[Sphinx, dict[str, Relation]] = (
    weakref.WeakKeyDictionary()
)


class AidocXrefsPlaceholder(nodes.General, nodes.Element):
    """Where an object's "Called by"/"Calls" lines go (``qualname``)."""


class AidocIndexPlaceholder(nodes.General, nodes.Element):
    """Where ``aidoc-index`` puts the API tree (``module`` prefix or "")."""


def setup_xrefs(app: Sphinx) -> None:
    """Register ``aidoc-index`` and the cross-reference handlers."""
    app.add_directive("aidoc-index", AidocIndexDirective)
    app.connect("object-description-transform", on_object_description)
    app.connect("env-updated", forget_relations)
    app.connect("doctree-resolved", on_doctree_resolved)


def aidoc_domain(env: BuildEnvironment) -> AidocDomain:
    """Return the build's :class:`AidocDomain`."""
    domain = env.domains["aidoc"]
    assert isinstance(domain, AidocDomain)
    return domain


# -- the call graph ---------------------------------------------------------
def calls_of(app: Sphinx, objects: dict[str, ObjectSnapshot]) -> dict[str, set[str]]:
    """Return what each documented object calls, from the analysis.

    A class whose ``__init__`` is not documented on its own is credited with
    the calls of its ``__init__`` (autodoc shows them as one entry).
    """
    runtime = get_runtime(app)
    # Calls name where a function is defined; pages show re-exports under
    # another name (``pkg.dumps`` for ``pkg._api.dumps``).
    shown_as = {
        s.defined_as: name for name, s in objects.items() if s.defined_as != name
    }
    found: dict[str, set[str]] = {}
    for qualname, snapshot in objects.items():
        info = runtime.defined(snapshot.defined_as, snapshot.module)
        calls = set(info.calls) if info is not None else set()
        init = f"{snapshot.defined_as}.__init__"
        if snapshot.kind in CLASS_KINDS and init not in objects:
            init_info = runtime.defined(init, snapshot.module)
            if init_info is not None:
                calls.update(init_info.calls)
        found[qualname] = {shown_as.get(call, call) for call in calls}
    return found


def relations(app: Sphinx) -> dict[str, Relation]:
    """Return the call graph among documented objects (once per build)."""
    graph = _RELATIONS.get(app)
    if graph is None:
        graph = call_graph(calls_of(app, aidoc_domain(app.env).all_objects()))
        _RELATIONS[app] = graph
    return graph


def forget_relations(app: Sphinx, env: BuildEnvironment) -> None:
    """Drop the graph of an earlier read (documents changed)."""
    del env
    _RELATIONS.pop(app, None)


# -- reading: placeholders ----------------------------------------------------
def on_object_description(
    app: Sphinx, domain: str, objtype: str, contentnode: addnodes.desc_content
) -> None:
    """Leave a placeholder in the description of an object aidoc recorded."""
    del objtype
    if domain != "py" or not get_config(app).xrefs:
        return
    signature = next(
        (
            n
            for n in contentnode.parent.children
            if isinstance(n, addnodes.desc_signature)
        ),
        None,
    )
    if signature is None or not signature.get("fullname"):
        return
    module = signature.get("module") or ""
    qualname = f"{module}.{signature['fullname']}" if module else signature["fullname"]
    aidoc = aidoc_domain(app.env)
    docname = app.env.docname
    if aidoc.seen(docname, qualname) is None:
        return
    placeholder = AidocXrefsPlaceholder(qualname=qualname)
    position = next(
        (
            i
            for i, child in enumerate(contentnode.children)
            if isinstance(child, (addnodes.desc, addnodes.index))
        ),
        len(contentnode.children),
    )
    contentnode.insert(position, placeholder)
    aidoc.note_dynamic(docname, "aidoc-xrefs")


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


# -- writing: resolve the placeholders ----------------------------------------
def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace this document's placeholders with links."""
    xrefs = list(doctree.findall(AidocXrefsPlaceholder))
    trees = list(doctree.findall(AidocIndexPlaceholder))
    if not xrefs and not trees:
        return
    objects = aidoc_domain(app.env).all_objects()
    enabled = get_config(app).xrefs
    for placeholder in xrefs:
        relation = relations(app).get(placeholder["qualname"]) if enabled else None
        lines = (
            xref_lines(app, docname, placeholder["qualname"], relation, objects)
            if relation is not None
            else []
        )
        placeholder.replace_self(lines)
    for tree in trees:
        tree.replace_self(api_tree(app, docname, tree, objects, tree["module"]))


def xref_lines(
    app: Sphinx,
    docname: str,
    qualname: str,
    relation: Relation,
    objects: dict[str, ObjectSnapshot],
) -> list[nodes.Node]:
    """Return the "Called by"/"Calls" paragraphs of *qualname* (or nothing)."""
    if not relation.calls and not relation.called_by:
        return []
    home = objects[qualname].module if qualname in objects else ""
    container = nodes.container(classes=["aidoc-xrefs"])
    for label, slug, names in (
        ("Called by", "called-by", relation.called_by),
        ("Calls", "calls", relation.calls),
    ):
        if not names:
            continue
        paragraph = nodes.paragraph(classes=[f"aidoc-xrefs-{slug}"])
        paragraph += nodes.strong(text=f"{label}:")
        paragraph += nodes.Text(" ")
        for i, name in enumerate(names[:MAX_LINKS]):
            if i:
                paragraph += nodes.Text(", ")
            paragraph += _link(app, docname, name, objects, _short(name, home))
        if len(names) > MAX_LINKS:
            paragraph += nodes.Text(f", and {len(names) - MAX_LINKS} more")
        container += paragraph
    return [container]


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
            line += _link(
                app,
                docname,
                snapshot.qualname,
                objects,
                _short(snapshot.qualname, snapshot.module),
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


def _link(
    app: Sphinx,
    docname: str,
    qualname: str,
    objects: dict[str, ObjectSnapshot],
    text: str,
) -> nodes.Node:
    literal = nodes.literal(text=text, classes=["xref", "py", "py-obj"])
    target = objects.get(qualname)
    if target is None or not target.docname:
        return literal
    return make_refnode(
        app.builder, docname, target.docname, qualname, literal, qualname
    )


def _short(qualname: str, module: str) -> str:
    """*qualname* relative to *module* when it lives there, else in full."""
    if module and qualname.startswith(module + "."):
        return qualname[len(module) + 1 :]
    return qualname
