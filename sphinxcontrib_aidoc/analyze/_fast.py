"""The fast engine: :class:`ObjectInfo` records from Python's :mod:`ast` alone.

It finds the same objects as the astroid engine (:mod:`._objects`) and
fills every field that needs no inference with the same value: qualname,
kind, lines, signature, parameters (names, kinds, annotations, defaults),
decorators, docstring, ``async``, source and its hash, complexity, nesting,
deprecation, bases, and ``raises`` as far as the raised names are written.
Types that only inference finds are None (unknown) instead of guessed:

* an unannotated parameter is typed only from a literal default and its
  use in ``isinstance`` checks and list methods;
* an unannotated return or yield is typed only from literal values
  (``return 0``, ``yield "x"``, ``return []``), and "None" when nothing
  is returned;
* a base class is known only when it is defined earlier in the same module
  or is a built-in; a class with another base gets no constructor
  signature (``signature == ""``), like under astroid when time runs out;
* ``raise make_error()`` counts only when the callee is named like a class.

``ObjectInfo.calls`` is always empty: resolving calls is inference. The
engine parses each file once and never imports astroid, so it runs in a
fraction of the astroid engine's time (``aidoc report`` uses it by default).
"""

from __future__ import annotations

import ast
import logging
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial

from sphinxcontrib_aidoc.analyze._fast_classes import ClassEntry, ClassTable
from sphinxcontrib_aidoc.analyze._fast_facts import params, raises, returns, yields
from sphinxcontrib_aidoc.analyze._fast_nodes import (
    ACCESSOR_SUFFIXES,
    FUNCTIONS,
    PROPERTY_DECORATORS,
    TRY,
    Definition,
    Function,
    annotation_string,
    decorator_names,
    format_signature,
    last_part,
    own_nodes,
    raw_params,
    text,
    warns_deprecation,
)
from sphinxcontrib_aidoc.analyze._fast_shape import (
    complexity,
    docstring,
    nesting,
    source_hash,
    source_text,
)
from sphinxcontrib_aidoc.analyze._files import quiet_compile_warnings, report_parse
from sphinxcontrib_aidoc.diagnostics import Reporter
from sphinxcontrib_aidoc.model import ObjectInfo, Param

logger = logging.getLogger(__name__)

#: Methods Python makes class methods implicitly.
_IMPLICIT_CLASSMETHODS = frozenset({"__init_subclass__", "__class_getitem__"})
_PARSE_ERRORS = (SyntaxError, ValueError, TypeError, MemoryError, RecursionError)
#: A syntax error on a line like this may be a misplaced type comment.
_TYPE_COMMENT = re.compile(r"#\s+type:")


def parse(source: str, file: str, reporter: Reporter | None) -> ast.Module | None:
    """Parse *source* as astroid does; None (and a ``parse`` diagnostic) on failure.

    Like astroid, a newline is appended and type comments are read, and a
    misplaced type comment does not fail the parse.
    """
    with warnings.catch_warnings():
        quiet_compile_warnings()
        try:
            try:
                return ast.parse(source + "\n", type_comments=True)
            except SyntaxError as exc:
                if not _TYPE_COMMENT.search(exc.text or ""):
                    raise
                return ast.parse(source + "\n")
        except _PARSE_ERRORS as exc:
            report_parse(reporter, file, exc)
    return None


def analyze_tree(
    tree: ast.Module, *, source: str, module: str, file: str
) -> list[ObjectInfo]:
    """Build the record of every object of *tree*, sorted by line."""
    walk = FastWalk(
        module=module,
        file=file,
        lines=source.splitlines(keepends=True),
        table=ClassTable(tree),
    )
    return walk.run(tree)


@dataclass
class FastWalk:
    """State for analysing one module (the twin of ``_objects.ModuleWalk``)."""

    module: str
    file: str
    lines: list[str]
    table: ClassTable
    found: dict[str, ObjectInfo] = field(default_factory=dict)

    def qualname(self, local: str) -> str:
        """Full dotted name of a module-local name."""
        return f"{self.module}.{local}" if self.module else local

    def run(self, tree: ast.Module) -> list[ObjectInfo]:
        """Analyse every object of *tree*, sorted by line."""
        self._scope(tree.body, "", in_class=False)
        return sorted(self.found.values(), key=lambda i: (i.lineno, i.qualname))

    def _scope(self, body: list[ast.stmt], prefix: str, *, in_class: bool) -> None:
        entries: list[tuple[Definition, str, list[Function]]] = []
        properties: dict[str, list[Function]] = {}
        for node in _definitions(body):
            if isinstance(node, ast.ClassDef):
                entries.append((node, "class", []))
                continue
            decorators = decorator_names(node)
            lasts = {last_part(d) for d in decorators}
            if "overload" in lasts:
                continue
            if not in_class:
                entries.append((node, "function", []))
                continue
            accessor = next(
                (
                    d
                    for d in decorators
                    if d.endswith(ACCESSOR_SUFFIXES) and d.count(".") == 1
                ),
                None,
            )
            if accessor is not None:
                properties.get(accessor.partition(".")[0], []).append(node)
                continue
            if lasts & PROPERTY_DECORATORS:
                properties[node.name] = []
                entries.append((node, "property", properties[node.name]))
            else:
                entries.append((node, _method_kind(node, lasts), []))
        for node, kind, accessors in entries:
            local = f"{prefix}{node.name}"
            if isinstance(node, ast.ClassDef):
                entry = ClassEntry(node, prefix)
                entry.exception = self.table.is_exception(entry)
                self.table.add(local, entry)
                self._add(local, node, partial(self._class_info, entry=entry))
                self._scope(node.body, f"{local}.", in_class=True)
            else:
                build = partial(
                    self._function_info, node=node, kind=kind, accessors=accessors
                )
                self._add(local, node, build)

    def _add(
        self, local: str, node: Definition, build: Callable[[str], ObjectInfo]
    ) -> None:
        qualname = self.qualname(local)
        try:
            info = build(qualname)
        except Exception:  # a bad node must not sink the module
            logger.debug("aidoc: analysis failed for %s", qualname, exc_info=True)
            info = ObjectInfo(
                qualname=qualname,
                module=self.module,
                kind="class" if isinstance(node, ast.ClassDef) else "function",
                file=self.file,
                lineno=node.lineno,
                end_lineno=node.end_lineno or 0,
                docstring=docstring(node),
            )
        self.found.pop(qualname, None)  # a later definition wins
        self.found[qualname] = info

    def _base(
        self,
        qualname: str,
        kind: str,
        node: Definition,
        defs: list[Definition],
        own: list[ast.AST],
    ) -> ObjectInfo:
        """The fields every kind shares (source of *defs*, docstring, shape)."""
        doc = docstring(node)
        decorators = decorator_names(node)
        return ObjectInfo(
            qualname=qualname,
            module=self.module,
            kind=kind,
            file=self.file,
            lineno=node.lineno,
            end_lineno=node.end_lineno or node.lineno,
            decorators=decorators,
            docstring=doc,
            complexity=complexity(own),
            nesting=nesting(node),
            source_hash=source_hash(self.lines, defs),
            source="\n".join(source_text(self.lines, d) for d in defs),
            deprecated=(
                "deprecated" in {last_part(d) for d in decorators}
                or (doc is not None and ".. deprecated::" in doc)
            ),
        )

    def _function_info(
        self, qualname: str, *, node: Function, kind: str, accessors: list[Function]
    ) -> ObjectInfo:
        raw = raw_params(node)
        bound = kind in ("method", "classmethod", "property")
        if kind == "property":
            annotation = annotation_string(node.returns)
            signature = f"() -> {annotation}" if annotation else "()"
        else:
            signature = format_signature(raw, node.returns)
        own = own_nodes(node)
        base = self._base(qualname, kind, node, [node, *accessors], own)
        is_init = bound and node.name == "__init__"
        return replace(
            base,
            signature=signature,
            params=params(raw, own, bound=bound),
            returns=None if is_init else returns(node, own),
            yields=yields(node, own),
            raises=raises(node),
            is_async=isinstance(node, ast.AsyncFunctionDef),
            deprecated=base.deprecated or warns_deprecation(own),
        )

    def _class_info(self, qualname: str, *, entry: ClassEntry) -> ObjectInfo:
        node = entry.node
        init, known, own_init = self.table.constructor(entry)
        signature = "()" if known else ""
        found: tuple[Param, ...] = ()
        init_own: list[ast.AST] = []
        if init is not None:
            raw = raw_params(init)
            # Drop ``self`` (but not a ``*args`` that swallows it).
            positional = ("positional_only", "positional_or_keyword")
            signature = format_signature(
                raw[1:] if raw[:1] and raw[0].kind in positional else raw
            )
            init_own = own_nodes(init)
            found = params(raw, init_own, bound=True)
        kind = "exception" if entry.exception else "class"
        base = self._base(qualname, kind, node, [node], own_nodes(node))
        own_init = own_init and init is not None
        return replace(
            base,
            signature=signature,
            params=found,
            raises=raises(init) if own_init and init is not None else (),
            bases=tuple(text(b) for b in node.bases),
            deprecated=base.deprecated or (own_init and warns_deprecation(init_own)),
        )


def _definitions(body: list[ast.stmt]) -> Iterator[Definition]:
    """Functions and classes in *body*, looking into ``if``/``try``/``with``."""
    for stmt in body:
        if isinstance(stmt, (*FUNCTIONS, ast.ClassDef)):
            yield stmt
        elif isinstance(stmt, ast.If):
            yield from _definitions(stmt.body)
            yield from _definitions(stmt.orelse)
        elif isinstance(stmt, TRY):
            yield from _definitions(stmt.body)
            for handler in stmt.handlers:
                yield from _definitions(handler.body)
            yield from _definitions(stmt.orelse)
            yield from _definitions(stmt.finalbody)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            yield from _definitions(stmt.body)


def _method_kind(node: Function, decorators: set[str]) -> str:
    if "staticmethod" in decorators:
        return "staticmethod"
    if "classmethod" in decorators or node.name in _IMPLICIT_CLASSMETHODS:
        return "classmethod"
    return "method"
