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
from dataclasses import dataclass, replace
from functools import partial

from sphinxcontrib_aidoc.analyze._fast_classes import ClassEntry, ClassTable
from sphinxcontrib_aidoc.analyze._fast_facts import params, raises, returns, yields
from sphinxcontrib_aidoc.analyze._fast_nodes import (
    FUNCTIONS,
    TRY,
    Definition,
    Function,
    annotation_string,
    decorator_names,
    own_nodes,
    param_texts,
    raw_params,
    text,
    warns_deprecation,
)
from sphinxcontrib_aidoc.analyze._fast_shape import (
    complexity,
    docstring,
    nesting,
    source,
)
from sphinxcontrib_aidoc.analyze._files import quiet_compile_warnings, report_parse
from sphinxcontrib_aidoc.analyze._records import Walk
from sphinxcontrib_aidoc.analyze._rules import (
    BOUND_KINDS,
    classify,
    constructor_signature,
    function_signature,
)
from sphinxcontrib_aidoc.diagnostics import Reporter
from sphinxcontrib_aidoc.model import ObjectInfo, Param

logger = logging.getLogger(__name__)

#: RecursionError is left to the caller, which cuts the too-deep code out.
_PARSE_ERRORS = (SyntaxError, ValueError, TypeError, MemoryError)
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


@dataclass(kw_only=True)
class FastWalk(Walk):
    """State for analysing one module (the twin of ``_objects.ModuleWalk``)."""

    table: ClassTable

    def run(self, tree: ast.Module) -> list[ObjectInfo]:
        """Analyse every object of *tree*, sorted by line."""
        self._scope(tree.body, "", in_class=False)
        return self.records()

    def _scope(self, body: list[ast.stmt], prefix: str, *, in_class: bool) -> None:
        entries = classify(
            _definitions(body),
            in_class=in_class,
            is_class=lambda node: isinstance(node, ast.ClassDef),
            decorators_of=decorator_names,
            name_of=lambda node: node.name,
        )
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
            info = self.failed(
                qualname,
                is_class=isinstance(node, ast.ClassDef),
                lineno=node.lineno,
                end_lineno=node.end_lineno or 0,
                doc=docstring(node),
            )
        self.keep(qualname, info)

    def _base(
        self,
        qualname: str,
        kind: str,
        node: Definition,
        defs: list[Definition],
        own: list[ast.AST],
    ) -> ObjectInfo:
        """The fields every kind shares (source of *defs*, docstring, shape)."""
        return self.record(
            qualname,
            kind,
            lineno=node.lineno,
            end_lineno=node.end_lineno or node.lineno,
            decorators=decorator_names(node),
            doc=docstring(node),
            complexity=complexity(own),
            nesting=nesting(node),
            sources=[source(d) for d in defs],
        )

    def _function_info(
        self,
        qualname: str,
        *,
        node: Function,
        kind: str,
        accessors: list[Definition],
    ) -> ObjectInfo:
        raw = raw_params(node)
        texts = param_texts(raw)
        bound = kind in BOUND_KINDS
        signature = function_signature(kind, texts, annotation_string(node.returns))
        own = own_nodes(node)
        base = self._base(qualname, kind, node, [node, *accessors], own)
        is_init = bound and node.name == "__init__"
        return replace(
            base,
            signature=signature,
            params=params(raw, texts, own, bound=bound),
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
            texts = param_texts(raw)
            signature = constructor_signature(texts)
            init_own = own_nodes(init)
            found = params(raw, texts, init_own, bound=True)
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
