"""The "Called by" and "Calls" lines of each documented object.

Who calls an object is read on other pages, so nothing is rendered while
reading (which may happen in ``-j N`` workers):
``object-description-transform`` leaves an :class:`AidocXrefsPlaceholder` in
the description of each Python object aidoc recorded, before any nested
member, and marks its page as showing live data (``aidoc-xrefs``: see
:mod:`.pages`). ``doctree-resolved`` (main process, every document merged)
replaces it with plain docutils nodes, so every builder renders them. The
call graph comes from the analysis (:attr:`ObjectInfo.calls`) of the
documented objects, computed once per build and kept on the runtime.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.util.nodes import make_refnode

from sphinxcontrib_aidoc.model import CLASS_KINDS
from sphinxcontrib_aidoc.search_index import Relation, call_graph
from sphinxcontrib_aidoc.sphinxext import placeholders
from sphinxcontrib_aidoc.sphinxext.domain import aidoc_domain
from sphinxcontrib_aidoc.sphinxext.runtime import runtime_of
from sphinxcontrib_aidoc.sphinxext.settings import get_config

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinxcontrib_aidoc.model import ObjectSnapshot

#: Most names one "Calls"/"Called by" line lists before "and N more".
MAX_LINKS = 25


class AidocXrefsPlaceholder(nodes.General, nodes.Element):
    """Where an object's "Called by"/"Calls" lines go (``qualname``)."""


placeholders.register(AidocXrefsPlaceholder)


def setup_calls(app: Sphinx) -> None:
    """Connect the handlers of the call lines."""
    app.connect("object-description-transform", on_object_description)
    app.connect("doctree-resolved", on_doctree_resolved)


# -- the call graph ---------------------------------------------------------
def calls_of(app: Sphinx, objects: dict[str, ObjectSnapshot]) -> dict[str, set[str]]:
    """Return what each documented object calls, from the analysis.

    A class whose ``__init__`` is not documented on its own is credited with
    the calls of its ``__init__`` (autodoc shows them as one entry).
    """
    # Calls name where a function is defined; pages show re-exports under
    # another name (``pkg.dumps`` for ``pkg._api.dumps``).
    shown_as = {
        s.defined_as: name for name, s in objects.items() if s.defined_as != name
    }
    analysed = _AnalysedCalls(app, {s.module for s in objects.values() if s.module})
    found: dict[str, set[str]] = {}
    for qualname, snapshot in objects.items():
        calls = set(analysed.get(snapshot.defined_as, snapshot.module))
        init = f"{snapshot.defined_as}.__init__"
        if snapshot.kind in CLASS_KINDS and init not in objects:
            calls.update(analysed.get(init, snapshot.module))
        found[qualname] = {shown_as.get(call, call) for call in calls}
    return found


class _AnalysedCalls:
    """What analysed objects call, kept per module in the domain.

    A module's calls are kept under the key of what its analysis depends on
    (``Runtime.analysis_print``); while that key holds, the module's
    analysis is not loaded again to know them. Modules no documented object
    is defined in are forgotten.
    """

    def __init__(self, app: Sphinx, modules: set[str]) -> None:
        self.runtime = runtime = runtime_of(app)
        self.kept = kept = aidoc_domain(app.env).calls
        for module in set(kept) - modules:
            del kept[module]
        stale: dict[str, str] = {}
        for module in sorted(modules):
            depends = runtime.analysis_print(module)
            entry = kept.get(module)
            if depends is None:
                kept.pop(module, None)
            elif entry is None or entry[0] != depends:
                runtime.analyse_modules([module])  # analyses (or loads) it
                stale[module] = depends
        fresh: dict[str, dict[str, tuple[str, ...]]] = {m: {} for m in stale}
        for name, info in runtime.infos.items():
            calls = fresh.get(info.module)
            if calls is not None and info.calls:
                # Interned, as the snapshots' names are when pickled
                # (``ObjectSnapshot.__reduce__``): the environment holds
                # each name once.
                calls[sys.intern(name)] = tuple(map(sys.intern, info.calls))
        for module, depends in stale.items():
            kept[module] = (depends, fresh[module])

    def get(self, qualname: str, module: str) -> tuple[str, ...]:
        """The calls of *qualname*, defined in *module* (``()`` if unknown)."""
        entry = self.kept.get(module)
        if entry is not None:
            return entry[1].get(qualname, ())
        info = self.runtime.defined(qualname, module)  # outside the project: None
        return info.calls if info is not None else ()


def relations(app: Sphinx) -> dict[str, Relation]:
    """Return the call graph among documented objects (once per build)."""
    runtime = runtime_of(app)
    if runtime.relations is None:
        objects = aidoc_domain(app.env).all_objects()
        runtime.relations = call_graph(calls_of(app, objects))
    return runtime.relations


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
    if aidoc.seen(docname, qualname) is None and not runtime_of(app).deferred.has(
        docname, qualname
    ):
        return  # (an object waiting for the end of reading is recorded then)
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


# -- writing: resolve the placeholders ----------------------------------------
def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace this document's placeholders with the call lines."""
    found = placeholders.take(doctree, AidocXrefsPlaceholder)
    if not found:
        return
    objects = aidoc_domain(app.env).all_objects()
    enabled = get_config(app).xrefs
    for placeholder in found:
        relation = relations(app).get(placeholder["qualname"]) if enabled else None
        lines = (
            xref_lines(app, docname, placeholder["qualname"], relation, objects)
            if relation is not None
            else []
        )
        placeholder.replace_self(lines)


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
            paragraph += object_link(
                app, docname, name, objects, short_name(name, home)
            )
        if len(names) > MAX_LINKS:
            paragraph += nodes.Text(f", and {len(names) - MAX_LINKS} more")
        container += paragraph
    return [container]


def object_link(
    app: Sphinx,
    docname: str,
    qualname: str,
    objects: dict[str, ObjectSnapshot],
    text: str,
) -> nodes.Node:
    """A link from *docname* to *qualname*'s entry (a literal if it has none)."""
    literal = nodes.literal(text=text, classes=["xref", "py", "py-obj"])
    target = objects.get(qualname)
    if target is None or not target.docname:
        return literal
    return make_refnode(
        app.builder, docname, target.docname, qualname, literal, qualname
    )


def short_name(qualname: str, module: str) -> str:
    """*qualname* relative to *module* when it lives there, else in full."""
    if module and qualname.startswith(module + "."):
        return qualname[len(module) + 1 :]
    return qualname
