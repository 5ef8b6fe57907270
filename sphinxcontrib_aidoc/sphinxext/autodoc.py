"""autodoc hooks: fill or augment docstrings, keep undocumented members.

Decision on ``autodoc-skip-member``: with ``aidoc_mode`` other than
``"off"``, a public function, method, class or property that autodoc would
drop only because it has no docstring is kept, since aidoc is about to write
one. Private, special, excluded and ``__all__``-filtered members are left to
autodoc's own rules.
"""

from __future__ import annotations

import hashlib
import inspect
import sys
from typing import TYPE_CHECKING, Any

from sphinxcontrib_aidoc.model import ObjectSnapshot
from sphinxcontrib_aidoc.plan import DOCUMENTED_KINDS
from sphinxcontrib_aidoc.sphinxext.domain import AidocDomain
from sphinxcontrib_aidoc.sphinxext.lifecycle import get_runtime
from sphinxcontrib_aidoc.sphinxext.marker import marker_lines
from sphinxcontrib_aidoc.sphinxext.settings import get_config
from sphinxcontrib_aidoc.styles import augment, get_style

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinxcontrib_aidoc.model import Draft, ObjectInfo

_SKIP_WHAT = frozenset({"module", "attribute", "data", "type"})


def setup_autodoc(app: Sphinx) -> None:
    """Connect the autodoc handlers (before napoleon's, at 500)."""
    app.connect("autodoc-process-docstring", on_process_docstring, priority=400)
    app.connect("autodoc-skip-member", on_skip_member, priority=400)


def on_process_docstring(  # noqa: PLR0917 (autodoc's event signature)
    app: Sphinx,
    what: str,
    name: str,
    obj: Any,  # noqa: ANN401 (any documented object)
    options: Any,  # noqa: ANN401 (autodoc's options object)
    lines: list[str],
) -> None:
    """Fill an empty docstring, or add what a partial one lacks (augment)."""
    del options
    if what in _SKIP_WHAT:
        return
    runtime = get_runtime(app)
    info = runtime.lookup(name, _module_of(obj))
    if info is None:
        return
    config = get_config(app)
    docname = app.env.docname
    domain = app.env.domains["aidoc"]
    assert isinstance(domain, AidocDomain)
    empty = not any(line.strip() for line in lines) or _is_auto_doc(info, obj, lines)
    previous = domain.seen(docname, name)
    if previous is not None and previous.generated and empty:
        # A second chunk of the same object (autoclass_content = "both").
        return
    draft: Draft | None = None
    if config.mode != "off" and info.is_public and info.kind in DOCUMENTED_KINDS:
        style = get_style(config.style)
        if empty and not info.has_docstring:
            draft = runtime.draft_for(info)
            shown = style.render(info, draft)
            lines[:] = shown + marker_lines(draft, config.mark_generated)
        elif config.mode == "augment" and not empty:
            candidate = runtime.draft_for(info)
            shown, added = augment(list(lines), info, candidate, config.style)
            if added:
                draft = candidate
                lines[:] = shown + marker_lines(draft, config.mark_generated, added)
            else:
                shown = list(lines)
        else:
            shown = list(lines)
    else:
        shown = list(lines)
    domain.note_object(docname, _snapshot(info, name, docname, shown, draft))


def on_skip_member(  # noqa: PLR0917 (autodoc's event signature)
    app: Sphinx,
    what: str,
    name: str,
    obj: Any,  # noqa: ANN401 (any member)
    skip: bool,
    options: Any,  # noqa: ANN401 (autodoc's options object)
) -> bool | None:
    """Keep public undocumented members that aidoc will document."""
    if not skip or name.startswith("_") or what not in ("module", "class", "exception"):
        return None
    if get_config(app).mode == "off":
        return None
    excluded = getattr(options, "exclude_members", None) or ()
    if name in excluded or not _documentable(obj) or _has_own_doc(obj):
        return None
    if what == "module" and not _in_module_all(obj, name):
        return None
    return False


def _snapshot(
    info: ObjectInfo, name: str, docname: str, shown: list[str], draft: Draft | None
) -> ObjectSnapshot:
    text = "\n".join(shown).strip()
    summary = (
        draft.summary
        if draft
        else next((line.strip() for line in shown if line.strip()), "")
    )
    return ObjectSnapshot(
        qualname=name,
        module=info.module,
        kind=info.kind,
        signature=info.signature,
        docstring_hash=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
        generated=draft is not None,
        source=draft.source if draft else "human",
        summary=summary,
        docname=docname,
        file=info.file,
        lineno=info.lineno,
        deprecated=info.deprecated,
        docstring=text,
        writer=f"{draft.provider}/{draft.model}".rstrip("/") if draft else "",
    )


def _module_of(obj: Any) -> str | None:  # noqa: ANN401
    target = getattr(obj, "fget", None) or getattr(obj, "__func__", None) or obj
    module = getattr(target, "__module__", None)
    return module if isinstance(module, str) else None


def _is_auto_doc(info: ObjectInfo, obj: Any, lines: list[str]) -> bool:  # noqa: ANN401
    """Whether *lines* of a class without its own docstring are borrowed.

    autodoc shows a base class's docstring for a subclass that has none
    (``autodoc_inherit_docstrings``), and dataclasses make one up from the
    signature; neither documents this class. Methods keep inherited text:
    an override usually does what the documented base method says.
    """
    del obj, lines
    return info.kind in ("class", "exception") and not info.has_docstring


def _documentable(obj: Any) -> bool:  # noqa: ANN401
    if isinstance(obj, (property, staticmethod, classmethod)):
        return True
    return inspect.isclass(obj) or inspect.isroutine(obj) or hasattr(obj, "fget")


def _has_own_doc(obj: Any) -> bool:  # noqa: ANN401
    target = getattr(obj, "__func__", obj)
    doc = getattr(target, "__doc__", None)
    if not isinstance(doc, str) or not doc.strip():
        return False
    # A dataclass's generated signature text is not documentation.
    return not (inspect.isclass(target) and doc.startswith(f"{target.__name__}("))


def _in_module_all(obj: Any, name: str) -> bool:  # noqa: ANN401
    module = sys.modules.get(_module_of(obj) or "")
    names = getattr(module, "__all__", None)
    return names is None or name in names
