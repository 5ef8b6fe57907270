"""Objects autodoc shows before their analysis is ready, written once reading ends.

A serial first build analyses the project in a child process while Sphinx
reads. Without this module, the first page that shows an object waits for
the child (and its project pass) before autodoc goes on: the child's time
is added to the reading of the API pages. Here autodoc reads on while the
child works (``preread.deferring``), and what aidoc does to each object it
shows meanwhile waits until every document is read (``env-updated``,
priority 100):

* at ``autodoc-process-docstring`` (``autodoc._defer``), the object is
  noted (:class:`Deferred`) with what autodoc gave: its lines, its options
  and, with ``autodoc_typehints = "description"``, the annotations autodoc
  recorded for it. An object with no docstring gets, instead of its empty
  lines, an ``.. aidoc-pending::`` directive: one :class:`PendingFill`
  node where the docstring would be;
* once reading is done (:func:`fill_deferred`), each noted object goes
  through the same decision as an object read after the wait
  (``autodoc._document``), in the order the pages showed them; the lines
  it writes go through the handlers after aidoc's (:func:`_process`) and
  are parsed, every object of a page in one document, through each
  object's own Python directive (:func:`parse_lines`, one
  ``.. aidoc-written::`` each: the same field transformer, the same type
  hints merged, the same cross-reference context), and replace the
  pending node; each document changed is pickled again.

Once the child is done, the pre-read is finished at the next object and
the rest is written as read: writing after reading costs a second pass
over a page, which only the wait it saves pays for.

The page is then the page a build that waited would have written (a test
compares them). That holds only while nothing else would have seen the
lines in between, so a build defers only when every other handler of
``autodoc-process-docstring`` after aidoc's and of
``object-description-transform`` is a known one (:func:`can_defer`:
napoleon's, autodoc's type hints, the Python domain's); with any other
(the project's own, sphinx-autodoc-typehints...) it waits, as before. An
object shown by anything but an ``auto*`` directive (autosummary's tables
read a summary from the lines at once) is not deferred either: its page
waits. Augment mode and Sphinx 8 wait too.
"""

from __future__ import annotations

import sys
from copy import copy
from dataclasses import dataclass, field
from logging import WARNING
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.parsers.rst import Parser
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.util.docutils import (
    LoggingReporter,
    SphinxDirective,
    new_document,
    sphinx_domains,
)

from sphinxcontrib_aidoc.diagnostics import Diagnostic
from sphinxcontrib_aidoc.sphinxext.reporting import logger

if TYPE_CHECKING:
    from collections.abc import Callable
    from logging import LogRecord
    from types import FrameType

    from docutils.nodes import Node
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinxcontrib_aidoc.sphinxext.runtime import Runtime

#: The directive that stands for an object's docstring until it is written.
DIRECTIVE = "aidoc-pending"
#: The directive that parses an object's written lines after reading.
WRITTEN = "aidoc-written"

#: Modules whose handlers of the two events a deferred object crosses are
#: known to read only what :func:`fill_deferred` gives them again.
_KNOWN = (
    "sphinxcontrib_aidoc.",
    "sphinx.domains.python",  # (drops ``:meta:`` fields)
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
)
#: Other handlers known to read only what they are given: ``(module, name)``.
_KNOWN_HANDLERS = frozenset(
    {
        # The Pallets theme's: drops ``:copyright:`` lines of module docstrings.
        ("pallets_sphinx_themes", "cut_module_meta"),
    }
)
#: The priority of aidoc's ``autodoc-process-docstring`` handler.
PRIORITY = 400
#: The modules of autodoc's directive (Sphinx 9, then 8).
_AUTODOC_DIRECTIVES = frozenset(
    {"sphinx.ext.autodoc._directive", "sphinx.ext.autodoc.directive"}
)


class PendingFill(nodes.General, nodes.Element):
    """Where an object's docstring goes once it is written (``key``)."""


def _skip(self: nodes.NodeVisitor, node: Node) -> None:
    """A pending node left by a failure renders as nothing."""
    raise nodes.SkipNode


class PendingDirective(SphinxDirective):
    """``.. aidoc-pending:: KEY``: leave a :class:`PendingFill` node."""

    required_arguments = 1

    def run(self) -> list[Node]:
        """The node, for the object noted under the key."""
        return [PendingFill(key=int(self.arguments[0]))]


class WrittenDirective(SphinxDirective):
    """``.. aidoc-written:: N``: the Python directive of the N-th object parsed.

    The directive's options (``:module:``, ``:no-index:``) would each cost
    docutils a nested parse; they are given to it as they would be parsed.
    """

    required_arguments = 1

    def run(self) -> list[Node]:
        """What the object's own directive makes of its written lines."""
        target = _PARSING[int(self.arguments[0])]
        directive = self.env.domains["py"].directive(target.objtype)
        if directive is None:
            return []
        options: dict[str, object] = {"no-index": None}
        if target.module:
            options["module"] = target.module
        source = f"{self.get_source_info()[0]}:docstring of {target.qualified}"
        content = StringList(
            target.lines, items=[(source, i) for i in range(len(target.lines))]
        )
        made = directive(
            f"py:{target.objtype}",
            [target.fullname],
            options,
            content,
            self.lineno,
            self.content_offset,
            self.block_text,
            self.state,
            self.state_machine,
        )
        return list(made.run())


#: The objects :func:`parse_lines` is parsing, in order.
_PARSING: list[Target] = []


@dataclass
class Entry:
    """One object autodoc showed before its analysis was read."""

    docname: str
    what: str
    name: str
    obj: Any
    options: Any
    #: The lines autodoc gave (a copy).
    lines: list[str]
    #: The key of its :class:`PendingFill` node (0: it has none).
    key: int = 0
    #: What autodoc recorded of its annotations (type hints in descriptions).
    annotations: dict[str, str] | None = None


@dataclass
class Deferred:
    """The objects noted while reading, in the order pages showed them."""

    entries: list[Entry] = field(default_factory=list)
    #: ``(docname, name)`` of every entry (the call lines' placeholders).
    names: set[tuple[str, str]] = field(default_factory=set)
    #: The last key given to a pending node.
    last_key: int = 0
    #: What was parsed ahead (:func:`parse_ahead`), by document.
    ahead: dict[str, Ahead] = field(default_factory=dict)

    def new_key(self) -> int:
        """A key no pending node of this build has."""
        self.last_key += 1
        return self.last_key

    def add(self, entry: Entry) -> None:
        """Note *entry*."""
        self.entries.append(entry)
        self.names.add((entry.docname, entry.name))

    def has(self, docname: str, name: str) -> bool:
        """Whether *docname* showed *name* and it waits for the analysis."""
        return (docname, name) in self.names

    def take(self) -> list[Entry]:
        """Every entry, forgotten here."""
        entries, self.entries = self.entries, []
        self.names = set()
        return entries


@dataclass
class Ahead:
    """One document's objects written and parsed ahead (:func:`parse_ahead`)."""

    #: By pending key: the lines written (before the handlers after
    #: aidoc's ran on them), and what they parsed to.
    parsed: dict[int, tuple[list[str], list[Node]]]
    #: What Sphinx logged while they were parsed, replayed once used.
    logs: list[LogRecord]


def setup_deferred(app: Sphinx) -> None:
    """Register the pending node and its directive."""
    app.add_node(
        PendingFill,
        **dict.fromkeys(("html", "latex", "text", "man", "texinfo"), (_skip, None)),  # type: ignore[arg-type]
    )
    app.add_directive(DIRECTIVE, PendingDirective)
    app.add_directive(WRITTEN, WrittenDirective)


def can_defer(app: Sphinx) -> bool:
    """Whether this build may fill objects after reading (see the module doc).

    Every handler of ``autodoc-process-docstring`` that runs after aidoc's
    (they see the lines aidoc wrote) and every handler of
    ``object-description-transform`` must be one known to read only the
    lines and content given to it again after reading.
    """
    env = app.env
    if not hasattr(getattr(env, "current_document", None), "autodoc_annotations"):
        return False  # Sphinx 8 keeps these elsewhere: the build waits
    listeners = getattr(app.events, "listeners", {})
    for listener in listeners.get("autodoc-process-docstring", ()):
        if listener.priority > PRIORITY and not _known(listener.handler):
            return False
    return all(
        _known(listener.handler)
        for listener in listeners.get("object-description-transform", ())
    )


def _known(handler: Callable[..., object]) -> bool:
    module = str(getattr(handler, "__module__", "") or "")
    name = str(getattr(handler, "__qualname__", "") or "")
    return module.startswith(_KNOWN) or (module, name) in _KNOWN_HANDLERS


def called_by_autodoc() -> bool:
    """Whether autodoc's directive is reading the object (not autosummary)."""
    frame: FrameType | None = sys._getframe(2)  # (who emitted the event)
    while frame is not None:
        if (
            frame.f_code.co_name == "run"
            and frame.f_globals.get("__name__") in _AUTODOC_DIRECTIVES
        ):
            return True
        frame = frame.f_back
    return False


def annotations_of(env: BuildEnvironment, name: str) -> dict[str, str] | None:
    """What autodoc recorded of *name*'s annotations in this document."""
    recorded = getattr(env.current_document, "autodoc_annotations", None)
    found = recorded.get(name) if isinstance(recorded, dict) else None
    return dict(found) if found else None


def fill_deferred(
    app: Sphinx,
    runtime: Runtime,
    document: Callable[[Entry, list[str]], bool],
) -> int:
    """Decide and write every noted object; return how many were written.

    *document* is the decision of an object read after the wait: it gets
    the entry and a copy of its lines, records the object and rewrites
    the lines when it writes the docstring (True). Each pending node is
    replaced by what the lines parse to, or dropped; each document changed
    is pickled again.
    """
    by_doc: dict[str, list[Entry]] = {}
    for entry in runtime.deferred.take():
        by_doc.setdefault(entry.docname, []).append(entry)
    return sum(
        _fill_document(app, runtime, docname, group, document)
        for docname, group in by_doc.items()
    )


@dataclass
class Target:
    """Where one object's written lines go: its pending node, as its directive."""

    node: PendingFill
    entry: Entry
    lines: list[str]
    objtype: str
    module: str
    fullname: str
    #: What its lines parse to, when parsed ahead.
    parsed: list[Node] | None = None

    @property
    def qualified(self) -> str:
        """The name autodoc's type hints are recorded under."""
        return f"{self.module}.{self.fullname}" if self.module else self.fullname


def _fill_document(
    app: Sphinx,
    runtime: Runtime,
    docname: str,
    entries: list[Entry],
    document: Callable[[Entry, list[str]], bool],
) -> int:
    """:func:`fill_deferred` for the *entries* of one document."""
    env = app.env
    doctree = _doctree(env, docname)
    pending, calls = _placeholders(doctree)
    changed = bool(pending)
    targets: list[Target] = []
    ahead = runtime.deferred.ahead.pop(docname, None)
    parsed_ahead = ahead.parsed if ahead is not None else {}
    # The environment as it was while the document was read (its name,
    # default role...), then as Sphinx leaves it after a document.
    env.prepare_settings(docname)
    try:
        for entry in entries:
            node = pending.pop(entry.key, None)
            lines = list(entry.lines)
            try:
                if document(entry, lines) and node is not None:
                    ready = parsed_ahead.get(entry.key)
                    target = (
                        _target(node, entry, lines)
                        if ready is not None and ready[0] == lines
                        else None
                    )
                    if ready is not None and target is not None:
                        del parsed_ahead[entry.key]  # (those left: not used)
                        target.parsed = ready[1]
                        targets.append(target)
                        continue
                    _process(app, entry, lines)
                    target = _target(node, entry, lines)
                    if target is not None:
                        targets.append(target)
                        continue
            except Exception as exc:  # noqa: BLE001 (user code behind any attribute)
                not_documented(runtime, entry.name, exc)
            if node is not None:
                _drop(node)  # nothing written, or it failed
        _use_ahead(app, ahead, targets)
        written = _write(app, runtime, doctree, docname, targets)
    finally:
        env.current_document = type(env.current_document)()
        env.ref_context.clear()
    for node in pending.values():  # (an entry lost: nothing to write)
        _drop(node)
    from sphinxcontrib_aidoc.sphinxext.domain import aidoc_domain  # noqa: PLC0415

    aidoc = aidoc_domain(env)
    for placeholder in calls:  # objects that turned out not to be recorded
        if aidoc.seen(docname, placeholder["qualname"]) is None:
            _drop(placeholder)
            changed = True
    if changed:
        app.builder.write_doctree(docname, doctree)
    return written


def _use_ahead(app: Sphinx, ahead: Ahead | None, targets: list[Target]) -> None:
    """Say what was logged while *ahead* was parsed, or parse it all again.

    The targets whose lines were those parsed ahead keep what they parsed
    to, and the messages of that parse are given now, once. When any
    object parsed ahead was written otherwise (its record changed with
    the project pass), a warning may be about its old lines: then they are
    dropped, with everything parsed ahead, and every target is parsed as
    it is now.
    """
    if ahead is None:
        return
    warned = any(record.levelno >= WARNING for record in ahead.logs)
    if ahead.parsed and warned:  # an object parsed ahead is not written so
        for target in targets:
            if target.parsed is not None:
                _process(app, target.entry, target.lines)  # (skipped for it)
                target.parsed = None
        return
    for record in ahead.logs:
        logger.handle(record)


def parse_ahead(
    app: Sphinx,
    runtime: Runtime,
    written_of: Callable[[Entry], list[str] | None],
    until: Callable[[], bool],
) -> int:
    """Parse the lines of noted objects ahead, while the build waits for the pass.

    *written_of* gives the lines :func:`fill_deferred` is expected to write
    for an entry (None: no guess). What they parse to is kept per
    document (:class:`Ahead`); once the objects are written, an object
    whose lines are the ones guessed takes it instead of being parsed
    again. Stops between documents as soon as *until* says so; returns
    how many objects were parsed.
    """
    from sphinx.util.logging import LogCollector  # noqa: PLC0415

    env = app.env
    by_doc: dict[str, list[Entry]] = {}
    for entry in runtime.deferred.entries:
        if entry.key:
            by_doc.setdefault(entry.docname, []).append(entry)
    count = 0
    for docname, entries in by_doc.items():
        if until() or docname in runtime.deferred.ahead:
            break
        doctree = _doctree(env, docname)
        pending, _ = _placeholders(doctree)
        guessed: list[tuple[list[str], Target]] = []
        collector = LogCollector()
        env.prepare_settings(docname)
        parsed: list[list[Node]] | None = None
        try:
            with collector.collect():
                for entry in entries:
                    node = pending.get(entry.key)
                    written = written_of(entry) if node is not None else None
                    if node is None or written is None:
                        continue
                    lines = list(written)
                    _process(app, entry, lines)
                    target = _target(node, entry, lines)
                    if target is not None:
                        guessed.append((written, target))
                parsed = parse_lines(app, doctree, docname, [t for _, t in guessed])
        except Exception:  # noqa: BLE001, S110 (parsed once written, as without this)
            pass
        finally:
            env.current_document = type(env.current_document)()
            env.ref_context.clear()
        if parsed is None:
            continue
        runtime.deferred.ahead[docname] = Ahead(
            {
                target.entry.key: (written, found)
                for (written, target), found in zip(guessed, parsed, strict=True)
            },
            list(collector.logs),
        )
        count += len(guessed)
    return count


def _placeholders(
    doctree: nodes.document,
) -> tuple[dict[int, PendingFill], list[nodes.Element]]:
    """The pending nodes of *doctree* by key, and its call lines' placeholders."""
    from sphinxcontrib_aidoc.sphinxext.calls import (  # noqa: PLC0415 (cycle)
        AidocXrefsPlaceholder,
    )

    pending: dict[int, PendingFill] = {}
    calls: list[nodes.Element] = []
    for found in doctree.findall(nodes.Element):
        if isinstance(found, PendingFill):
            pending[found["key"]] = found
        elif isinstance(found, AidocXrefsPlaceholder):
            calls.append(found)
    return pending, calls


def not_documented(runtime: Runtime, name: str, exc: Exception) -> None:
    """Say that *name* keeps autodoc's entry because documenting it failed."""
    runtime.reporter.report(
        Diagnostic(
            "parse",
            f"could not document {name} ({type(exc).__name__}: {exc}); "
            "its docstring is left as autodoc made it",
            location=name,
        )
    )


def _target(node: PendingFill, entry: Entry, lines: list[str]) -> Target | None:
    """Where *lines* go: the Python object whose content holds *node*."""
    content = node.parent
    desc = content.parent if content is not None else None
    if not isinstance(content, addnodes.desc_content) or not isinstance(
        desc, addnodes.desc
    ):
        return None
    signature = next(
        (c for c in desc.children if isinstance(c, addnodes.desc_signature)), None
    )
    if signature is None:
        return None
    return Target(
        node=node,
        entry=entry,
        lines=lines,
        objtype=str(desc.get("objtype") or "function"),
        module=str(signature.get("module") or ""),
        fullname=str(signature.get("fullname") or ""),
    )


def _write(
    app: Sphinx,
    runtime: Runtime,
    doctree: nodes.document,
    docname: str,
    targets: list[Target],
) -> int:
    """Parse every target's lines at once and put them in place; how many were."""
    if not targets:
        return 0
    todo = [target for target in targets if target.parsed is None]
    try:
        parsed = iter(parse_lines(app, doctree, docname, todo) if todo else [])
    except Exception:  # noqa: BLE001 (one object's lines: each is parsed alone)
        parsed = None
    written = 0
    for target in targets:
        found = target.parsed
        if found is None and parsed is not None:
            found = next(parsed)
        if found is None:
            try:
                found = parse_lines(app, doctree, docname, [target])[0]
            except Exception as exc:  # noqa: BLE001 (as autodoc's event would)
                not_documented(runtime, target.entry.name, exc)
                _drop(target.node)
                continue
        _put(target, found)
        written += 1
    return written


def _put(target: Target, parsed: list[Node]) -> None:
    """Replace *target*'s pending node with *parsed*."""
    node = target.node
    content = node.parent
    if target.entry.annotations:
        # What autodoc's type hints made of the empty docstring: they are
        # merged into the written fields instead (parse_lines).
        start = content.index(node)
        for child in list(content.children[start + 1 :]):
            if isinstance(child, (addnodes.desc, addnodes.index)):
                break
            if isinstance(child, nodes.field_list):
                content.remove(child)
    node.replace_self(parsed)
    node.parent = None  # (docutils leaves it set)


def _drop(node: nodes.Element) -> None:
    """Take *node* out of its tree."""
    node.parent.remove(node)
    node.parent = None


def _doctree(env: BuildEnvironment, docname: str) -> nodes.document:
    """The doctree of *docname* as read (kept in memory, else pickled)."""
    cache = getattr(env, "_write_doc_doctree_cache", {})
    doctree = cache.get(docname)
    return doctree if doctree is not None else env.get_doctree(docname)


def _process(app: Sphinx, entry: Entry, lines: list[str]) -> None:
    """Run the ``autodoc-process-docstring`` handlers after aidoc's on *lines*.

    As autodoc would have, had the lines been written while it read them
    (napoleon's, for one); the handlers before aidoc's saw the object's own
    lines while the page was read.
    """
    listeners = getattr(app.events, "listeners", {}).get(
        "autodoc-process-docstring", ()
    )
    for listener in sorted(listeners, key=lambda item: item.priority):
        if listener.priority > PRIORITY:
            listener.handler(
                app, entry.what, entry.name, entry.obj, entry.options, lines
            )


def parse_lines(
    app: Sphinx, doctree: nodes.document, docname: str, targets: list[Target]
) -> list[list[Node]]:
    """What each target's lines parse to as the docstring of its object.

    Parsed, all at once, as the content of each object's own directive
    (``:no-index:``: it records nothing), so Sphinx's field transformer, the
    annotations autodoc recorded (type hints in descriptions) and the
    cross-reference context (module, class) are those of the page; then
    what reading does to every node (smart quotes...). Raises ValueError
    when the directives did not give one object each.
    """
    from sphinxcontrib_aidoc.sphinxext.calls import (  # noqa: PLC0415 (cycle)
        AidocXrefsPlaceholder,
    )

    env = app.env
    text: list[str] = []
    for number, target in enumerate(targets):
        if target.entry.annotations:
            env.current_document.autodoc_annotations[target.qualified] = dict(
                target.entry.annotations
            )
        text += [f".. {WRITTEN}:: {number}", ""]
    source = f"{env.doc2path(docname)}:docstrings written after reading"
    settings = copy(doctree.settings)  # as the page was read
    settings.env = env
    document = new_document(source, settings)
    document.reporter = LoggingReporter(
        source,
        report_level=settings.report_level,
        halt_level=settings.halt_level,
        debug=settings.debug,
    )
    _PARSING[:] = targets
    try:
        with sphinx_domains(env):
            Parser().parse("\n".join(text), document)
    finally:
        _PARSING.clear()
    _read_transforms(app, document)
    descs = [child for child in document.children if isinstance(child, addnodes.desc)]
    if len(descs) != len(targets):
        msg = f"{len(targets)} objects' lines parsed to {len(descs)} descriptions"
        raise ValueError(msg)
    found: list[list[Node]] = []
    for desc in descs:
        content = desc.children[-1]
        found.append(
            [
                child
                for child in content.children
                if not isinstance(child, AidocXrefsPlaceholder)
            ]
            if isinstance(content, addnodes.desc_content)
            else []
        )
    return found


def _read_transforms(app: Sphinx, document: nodes.document) -> None:
    """What reading does to the nodes of a document, on the parsed lines."""
    from sphinx.transforms import (  # noqa: PLC0415
        SphinxSmartQuotes,
        SphinxTransformer,
    )
    from sphinx.transforms.i18n import RemoveTranslatableInline  # noqa: PLC0415

    from sphinxcontrib_aidoc.sphinxext.packed import (  # noqa: PLC0415
        PackFields,
        PackInert,
    )

    transformer = SphinxTransformer(document)
    transformer.set_environment(app.env)
    transformer.add_transforms(
        [PackInert, SphinxSmartQuotes, RemoveTranslatableInline, PackFields]
    )
    transformer.apply_transforms()
