"""A tiny Sphinx extension that records which Python objects the pages show.

``bench_real_docs.py`` injects it into the builds it measures. On
``doctree-resolved`` it visits every ``desc`` node of the ``py`` domain and
records the full name its first signature shows (``module`` + ``fullname``),
the object type, and whether its content has text once the nested entries,
aidoc's "generated" note (class ``aidoc-generated``), aidoc's call lines
(class ``aidoc-xrefs``), autodoc's type-hint field lists and its "Bases:"
line are removed. It also imports the object to tell where it is defined
(the class of the MRO that holds a member, or ``__module__``), so members
inherited from the standard library or third-party code can be told apart.
On ``build-finished`` it writes one JSON file to ``$AIDOC_MEASURE_OUT``.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_DROP_CLASSES = {"aidoc-generated", "aidoc-xrefs"}
_SHOWN: dict[str, dict[str, Any]] = {}


def _resolve(module: str, fullname: str) -> tuple[Any, Any, bool]:
    """Return (object, owner, found) for ``module`` + ``fullname``."""
    try:
        obj: Any = importlib.import_module(module)
    except Exception:  # noqa: BLE001 - anything a user module raises
        return None, None, False
    owner = None
    for part in fullname.split("."):
        owner = obj
        try:
            obj = owner.__dict__[part] if isinstance(owner, type) else None
        except KeyError:
            obj = None
        if obj is None:
            try:
                obj = getattr(owner, part)
            except Exception:  # noqa: BLE001
                return None, owner, False
    return obj, owner, True


def _defined_in(module: str, fullname: str) -> str:
    """The dotted name of where the object is defined, or ``""``."""
    obj, owner, found = _resolve(module, fullname)
    if not found:
        return ""
    name = fullname.rsplit(".", 1)[-1]
    if isinstance(owner, type):
        for klass in owner.__mro__:
            if name in vars(klass):
                return f"{klass.__module__}.{klass.__qualname__}.{name}"
        return ""
    target = getattr(obj, "__func__", obj)
    target = getattr(target, "fget", target)
    mod = getattr(target, "__module__", None)
    qual = getattr(target, "__qualname__", None)
    if isinstance(mod, str) and isinstance(qual, str):
        return f"{mod}.{qual}"
    return f"{module}.{fullname}"


def _content_text(content: nodes.Element) -> tuple[str, bool, bool]:
    """(text, has aidoc note, has field list) of a ``desc_content``."""
    copy = content.deepcopy()
    note = False
    fields = False
    for node in list(copy.findall(nodes.Element)):
        if node.parent is None and node is not copy:
            continue  # already removed with an ancestor
        classes: set[str] = set(node.get("classes", []))
        if isinstance(node, addnodes.desc) or classes & _DROP_CLASSES:
            note = note or "aidoc-generated" in classes
            node.parent.remove(node)
        elif isinstance(node, nodes.field_list):
            fields = True
            node.parent.remove(node)
        elif isinstance(node, nodes.paragraph) and node.astext().startswith("Bases: "):
            node.parent.remove(node)
    return " ".join(copy.astext().split()), note, fields


def _on_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for desc in doctree.findall(addnodes.desc):
        if desc.get("domain") != "py":
            continue
        signatures = [
            c for c in desc.children if isinstance(c, addnodes.desc_signature)
        ]
        contents = [c for c in desc.children if isinstance(c, addnodes.desc_content)]
        if not signatures:
            continue
        sig = signatures[0]
        module = sig.get("module") or ""
        fullname = sig.get("fullname") or ""
        shown = f"{module}.{fullname}" if module else fullname
        text, note, fields = (
            _content_text(contents[0]) if contents else ("", False, False)
        )
        record = _SHOWN.setdefault(
            shown,
            {
                "name": shown,
                "module": module,
                "fullname": fullname,
                "objtype": desc.get("objtype", ""),
                "docnames": [],
                "text": "",
                "generated_note": False,
                "fields": False,
                "noindex": bool(desc.get("no-index") or desc.get("noindex")),
                # autodoc's signatures carry no source file; hand-written
                # directives carry the page's path
                "autodoc": not sig.source or "docstring of " in str(sig.source),
                "defined_in": _defined_in(module, fullname) if module else "",
            },
        )
        record["docnames"].append(docname)
        if text and not record["text"]:
            record["text"] = text[:160]
        record["generated_note"] = record["generated_note"] or note
        record["fields"] = record["fields"] or fields


def _on_finished(app: Sphinx, exception: BaseException | None) -> None:
    out = os.environ.get("AIDOC_MEASURE_OUT")
    if not out:
        return
    packages = {
        name: getattr(sys.modules.get(name), "__file__", None)
        for name in os.environ.get("AIDOC_MEASURE_PACKAGES", "").split(",")
        if name
    }
    with Path(out).open("w", encoding="utf-8") as handle:
        json.dump(
            {
                "objects": sorted(_SHOWN.values(), key=lambda r: r["name"]),
                "package_files": packages,
            },
            handle,
            indent=1,
        )


def setup(app: Sphinx) -> dict[str, Any]:
    # After aidoc renders its notes and call lines (default priority 500).
    app.connect("doctree-resolved", _on_resolved, priority=900)
    app.connect("build-finished", _on_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": False}
