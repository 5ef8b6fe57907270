"""sphinx-autoapi support: fill the docstrings of the objects autoapi renders.

autoapi reads the project's source with astroid at ``builder-inited``, decides
what each page shows (``autoapi_options``, ``__all__``, the
``autoapi-skip-member`` event) and renders its ``.rst`` pages from Jinja
templates, all in one handler, before Sphinx reads anything. So aidoc runs
right after it (``builder-inited``, priority 800):

1. it walks the objects autoapi displays (``obj.display``: the final answer,
   after the user's ``autoapi-skip-member`` handlers, whatever their
   priority), finds where each one is defined (``original_path`` of
   re-exports, ``inherited_from`` of inherited members) and analyses those
   files where autoapi found them, without importing anything;
2. it drafts every shown, empty, public object in one batch and sets the
   generated text (reST info fields, which ``py:`` directives read with or
   without napoleon, and the generated marker) as the object's docstring;
3. it renders again, with autoapi's own templates, the pages that show a
   filled object, so the text lands where autoapi puts docstrings;
4. when Sphinx reads an autoapi page (``source-read``), it records every
   object the page shows in the aidoc domain, under the name it shows,
   for the search index, the changelog snapshot and the quality table.

Setting the docstring from an ``autoapi-skip-member`` handler instead would
draft objects one by one while autoapi decides, and would miss objects a
user's handler keeps (the first non-None answer ends the event).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinxcontrib_aidoc.diagnostics import Diagnostic
from sphinxcontrib_aidoc.model import CLASS_KINDS
from sphinxcontrib_aidoc.sphinxext.autodoc import snapshot_of
from sphinxcontrib_aidoc.sphinxext.domain import aidoc_domain
from sphinxcontrib_aidoc.sphinxext.marker import marker_lines
from sphinxcontrib_aidoc.sphinxext.progress import batch_progress
from sphinxcontrib_aidoc.sphinxext.rendering import render_docstring
from sphinxcontrib_aidoc.sphinxext.runtime import runtime_of

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx

    from sphinxcontrib_aidoc.model import Draft, ObjectInfo, ObjectSnapshot
    from sphinxcontrib_aidoc.plan import Action
    from sphinxcontrib_aidoc.sphinxext.runtime import Runtime

#: autoapi object types aidoc documents (as autodoc: not data or attributes).
_DOCUMENTED = frozenset({"class", "exception", "function", "method", "property"})
_MODULES = frozenset({"module", "package"})
#: The style of text put into autoapi pages: reST info fields are read by the
#: ``py:`` directives themselves, with or without napoleon.
_STYLE = "rest"


@dataclass
class _Shown:
    """One object an autoapi page shows, and where it is defined."""

    obj: Any
    page: str
    origin: str
    module: str
    info: ObjectInfo | None = None
    draft: Draft | None = None
    lines: list[str] = field(default_factory=list)


def setup_autoapi(app: Sphinx) -> None:
    """Connect the autoapi handlers (harmless when autoapi is not loaded)."""
    app.connect("builder-inited", on_builder_inited, priority=800)
    app.connect("source-read", on_source_read)


def on_builder_inited(app: Sphinx) -> None:
    """Fill, in one batch, the empty objects autoapi has just rendered."""
    if "autoapi.extension" not in app.extensions:
        return
    runtime = runtime_of(app)
    if not app.config.autoapi_generate_api_docs:
        runtime.reporter.report(
            Diagnostic(
                "config",
                "autoapi_generate_api_docs is off: aidoc fills the docstrings of "
                "the pages autoapi generates only, not of autoapi's own "
                "directives (autoapimodule, autoapiclass, ...)",
            )
        )
        return
    everything: dict[str, Any] = getattr(app.env, "autoapi_all_objects", None) or {}
    rendered: dict[str, Any] = getattr(app.env, "autoapi_objects", None) or {}
    if not rendered or getattr(next(iter(rendered.values())), "app", None) is None:
        return  # autoapi kept last build's pages (autoapi_keep_files, no change)
    files = {
        oid: Path(obj.obj["file_path"])
        for oid, obj in everything.items()
        if obj.type in _MODULES and obj.obj.get("file_path")
    }
    runtime.project.update(oid.partition(".")[0] for oid in files)
    shown = list(_walk(rendered, everything, files))
    for item in shown:
        if item.module in files:
            runtime.analyse_file(item.module, files[item.module])
        item.info = runtime.defined(item.origin, item.module)
    changed = _fill(app, runtime, shown)
    _render_again(app, {item.page for item in changed}, rendered)
    pages: dict[str, list[ObjectSnapshot]] = {}
    for item in shown:
        if item.info is not None:
            snapshot = snapshot_of(
                item.info, item.obj.id, item.page, item.lines, item.draft
            )
            pages.setdefault(item.page, []).append(snapshot)
    runtime.autoapi_pages = pages  # inherited by -j N readers


def _walk(
    rendered: dict[str, Any], everything: dict[str, Any], files: dict[str, Path]
) -> Iterator[_Shown]:
    """Yield the documented objects autoapi's pages show, with their origin."""
    stack: list[tuple[Any, str, str]] = [
        (page, _docname(page), page.id)
        for page in rendered.values()
        if page.type in _MODULES
    ]
    while stack:
        parent, page, parent_origin = stack.pop()
        for child in parent.children:
            if not child.display:
                continue
            child_page = _docname(child) if child.id in rendered else page
            origin = _origin(child, parent_origin, everything)
            if child.type in _DOCUMENTED:
                yield _Shown(child, child_page, origin, _module_of(origin, files))
            stack.append((child, child_page, origin))


def _origin(obj: Any, parent_origin: str, everything: dict[str, Any]) -> str:  # noqa: ANN401
    """The dotted name of the object *obj* shows, where it is defined."""
    data = obj.obj
    if data.get("original_path"):
        origin = str(data["original_path"])
        seen = {origin}
        while origin in everything:  # a re-export of a re-export
            further = everything[origin].obj.get("original_path")
            if not further or further in seen:
                break
            origin = str(further)
            seen.add(origin)
        return origin
    if data.get("inherited") and isinstance(data.get("inherited_from"), dict):
        return f"{data['inherited_from']['full_name']}.{obj.name}"
    return f"{parent_origin}.{obj.name}"


def _module_of(origin: str, files: dict[str, Path]) -> str:
    """The longest prefix of *origin* that is a module autoapi read."""
    parts = origin.split(".")
    for size in range(len(parts) - 1, 0, -1):
        candidate = ".".join(parts[:size])
        if candidate in files:
            return candidate
    return origin.rpartition(".")[0]


def _docname(page: Any) -> str:  # noqa: ANN401 (an autoapi object)
    """The docname of the page autoapi renders *page* into."""
    return str(page.include_path).lstrip("/")


def _shown_empty(obj: Any, info: ObjectInfo, text: str, class_content: str) -> bool:  # noqa: ANN401
    """Whether the page shows no docstring of *obj*'s own.

    autoapi gives a class without a docstring its first base class's one
    (``Exception`` says "Common base class for all non-exit exceptions."):
    that text does not document this class, so it counts as empty, as on the
    autodoc side. Methods keep inherited text: an override usually does what
    the base method says.
    """
    if info.kind not in CLASS_KINDS:
        return not text.strip()
    if info.has_docstring:
        return False
    if class_content in ("both", "init"):
        return not str(getattr(obj, "constructor_docstring", "") or "").strip()
    return True


def _fill(app: Sphinx, runtime: Runtime, shown: list[_Shown]) -> list[_Shown]:
    """Draft the empty objects in one batch, set their docstrings; return them."""
    content = str(getattr(app.config, "autoapi_python_class_content", "class"))
    todo: dict[str, ObjectInfo] = {}
    decisions: list[tuple[_Shown, Action]] = []
    from sphinxcontrib_aidoc.plan import decide  # noqa: PLC0415
    from sphinxcontrib_aidoc.styles import augment  # noqa: PLC0415

    for item in shown:
        text = str(item.obj.docstring or "")
        item.lines = text.splitlines()
        if item.info is None:
            continue
        action = decide(
            item.info,
            runtime.config,
            shown_empty=_shown_empty(item.obj, item.info, text, content),
            shown_name=item.obj.id,
            review=runtime.reviews.get(item.obj.id),
        )
        if action is not None:
            todo.setdefault(item.info.qualname, item.info)
            decisions.append((item, action))
    if not todo:
        return []
    runtime.draft_batch(list(todo.values()), batch_progress(app.verbosity))
    changed: list[_Shown] = []
    mark = runtime.config.mark_generated
    for item, decision in decisions:
        assert item.info is not None
        draft = runtime.draft_for(item.info)
        if decision == "fill":
            item.lines = render_docstring(app, item.info, draft)
            added: list[str] | None = None
        else:
            item.lines, added = augment(item.lines, item.info, draft, _STYLE)
            if not added:
                continue
        item.draft = draft
        item.obj.docstring = "\n".join(item.lines + marker_lines(draft, mark, added))
        changed.append(item)
    return changed


def _render_again(app: Sphinx, pages: set[str], rendered: dict[str, Any]) -> None:
    """Render *pages* again with autoapi's templates, as autoapi wrote them."""
    if not pages:
        return
    root = Path(os.path.normpath(Path(app.srcdir) / app.config.autoapi_root))
    suffixes = list(app.config.source_suffix)
    suffix = next((s for s in (".rst", ".txt") if s in suffixes), suffixes[0])
    for page in rendered.values():
        if _docname(page) not in pages:
            continue
        text = page.render(is_own_page=True)
        if text:
            path = Path(page.output_dir(root)) / f"{page.output_filename()}{suffix}"
            path.write_text(text, encoding="utf-8")


def on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    """Record what an autoapi page shows in the aidoc domain."""
    del source
    snapshots = runtime_of(app).autoapi_pages.get(docname)
    if not snapshots:
        return
    domain = aidoc_domain(app.env)
    for snapshot in snapshots:
        domain.note_object(docname, snapshot)
