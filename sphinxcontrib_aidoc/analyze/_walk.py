"""The walker: :class:`ObjectInfo` records from Python's :mod:`ast`.

One walk per module finds every class, function, method and property and
fills every field the syntax fixes: qualname, kind, lines, signature,
parameters (names, kinds, annotations, defaults), decorators, docstring,
``async``, source and its hash, complexity, nesting, deprecation, bases,
and what literal values and written names tell of types and raised
exceptions. What only inference can tell it asks an
:class:`~._oracle.Oracle`:

* with none (``engine="ast"``, ``aidoc report``'s default) the answer is
  "unknown", never a guess: an unannotated parameter is typed only from a
  literal default and its use in ``isinstance`` checks and list methods; a
  return or yield value only when literal; a base class is known only when
  it is defined earlier in the same module or is a built-in (else the class
  gets no constructor signature); ``raise make_error()`` counts only when
  the callee is named like a class; ``ObjectInfo.calls`` stays empty;
* with the astroid oracle (:mod:`._astroid`, the Sphinx build's) those are
  inferred, and calls resolved.

Without an oracle, astroid is never imported.
"""

from __future__ import annotations

import ast
import logging
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial

from sphinxcontrib_aidoc.analyze._body import body_facts
from sphinxcontrib_aidoc.analyze._classes import ClassEntry, ClassTable
from sphinxcontrib_aidoc.analyze._facts import (
    Ask,
    honest,
    honest_params,
    params,
    raises,
    returns,
    yields,
)
from sphinxcontrib_aidoc.analyze._files import quiet_compile_warnings, report_parse
from sphinxcontrib_aidoc.analyze._nodes import (
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
from sphinxcontrib_aidoc.analyze._oracle import Oracle
from sphinxcontrib_aidoc.analyze._records import source_hash, source_text
from sphinxcontrib_aidoc.analyze._rules import (
    classify,
    constructor_signature,
    function_signature,
    is_deprecated,
)
from sphinxcontrib_aidoc.analyze._shape import (
    complexity,
    docstring,
    nesting,
    source,
)
from sphinxcontrib_aidoc.diagnostics import Reporter
from sphinxcontrib_aidoc.model import BOUND_KINDS, Kind, ObjectInfo, Param

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
    tree: ast.Module,
    source: str,
    module: str,
    file: str,
    *,
    oracle: Oracle | None = None,
    reporter: Reporter | None = None,
    calls: bool = True,
) -> list[ObjectInfo]:
    """Build the record of every object of *tree*, sorted by line.

    With an *oracle*, what syntax cannot tell is inferred (and *calls*
    resolved); its diagnostics go to *reporter*.
    """
    walk = ModuleWalk(
        module=module,
        file=file,
        lines=source.splitlines(keepends=True),
        table=ClassTable(tree),
        oracle=oracle,
        reporter=reporter,
        calls=calls and oracle is not None,
    )
    return walk.run(tree)


@dataclass(kw_only=True)
class ModuleWalk:
    """State for analysing one module."""

    module: str
    file: str
    lines: list[str]
    found: dict[str, ObjectInfo] = field(default_factory=dict)
    table: ClassTable
    oracle: Oracle | None = None
    reporter: Reporter | None = None
    #: Resolve ``ObjectInfo.calls`` (asks the oracle; the costliest part).
    calls: bool = False

    def qualname(self, local: str) -> str:
        """Full dotted name of a module-local name."""
        return f"{self.module}.{local}" if self.module else local

    def keep(self, qualname: str, info: ObjectInfo) -> None:
        """Remember *info*; a later definition of the same name wins."""
        self.found.pop(qualname, None)
        self.found[qualname] = info

    def records(self) -> list[ObjectInfo]:
        """Every record found, sorted by line."""
        return sorted(self.found.values(), key=lambda i: (i.lineno, i.qualname))

    def failed(
        self,
        qualname: str,
        *,
        is_class: bool,
        lineno: int,
        end_lineno: int,
        doc: str | None,
    ) -> ObjectInfo:
        """The record of an object whose analysis failed: where it is, its doc."""
        return ObjectInfo(
            qualname=qualname,
            module=self.module,
            kind="class" if is_class else "function",
            file=self.file,
            lineno=lineno,
            end_lineno=end_lineno,
            docstring=doc,
        )

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
        if self.oracle is not None:
            self.oracle.begin()
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
        if self.oracle is not None:
            found = self.oracle.end(qualname, f"{self.file}:{node.lineno}")
            if found is not None and self.reporter is not None:
                self.reporter.report(found)
        self.keep(qualname, info)

    def _base(
        self,
        qualname: str,
        kind: Kind,
        node: Definition,
        defs: list[Definition],
        own: list[ast.AST],
    ) -> ObjectInfo:
        """The fields every kind shares (source of *defs*, docstring, shape)."""
        decorators = decorator_names(node)
        doc = docstring(node)
        sources = [source(d) for d in defs]
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
            source_hash=source_hash(self.lines, sources),
            source="\n".join(source_text(self.lines, s, e) for s, e, _ in sources),
            deprecated=is_deprecated(decorators, doc),
            body=body_facts(node, self.lines),
        )

    def _function_info(
        self,
        qualname: str,
        *,
        node: Function,
        kind: Kind,
        accessors: list[Definition],
    ) -> ObjectInfo:
        raw = raw_params(node)
        texts = param_texts(raw)
        bound = kind in BOUND_KINDS
        signature = function_signature(kind, texts, annotation_string(node.returns))
        own = own_nodes(node)
        base = self._base(qualname, kind, node, [node, *accessors], own)
        is_init = bound and node.name == "__init__"
        found = honest_params(params(raw, texts, bound=bound, oracle=self.oracle))
        ask = None
        if self.oracle is not None:
            ask = Ask(self.oracle, node, {p.name: p.type for p in found})
        return replace(
            base,
            signature=signature,
            params=found,
            returns=None if is_init else honest(returns(node, own, ask)),
            yields=honest(yields(node, own, ask)),
            raises=raises(node, self.oracle),
            is_async=isinstance(node, ast.AsyncFunctionDef),
            calls=self._calls(own),
            deprecated=base.deprecated or warns_deprecation(own),
        )

    def _calls(self, own: list[ast.AST]) -> tuple[str, ...]:
        if not self.calls or self.oracle is None:
            return ()
        return self.oracle.calls(own)

    def _class_info(self, qualname: str, *, entry: ClassEntry) -> ObjectInfo:
        node = entry.node
        if self.oracle is not None:
            made = self.oracle.constructor(node)
            init, known, own_init = made.init, made.known, made.own
            exception = self.oracle.is_exception(node)
        else:
            init, known, own_init = self.table.constructor(entry)
            exception = entry.exception
        signature = "()" if known else ""
        found: tuple[Param, ...] = ()
        init_own: list[ast.AST] = []
        if init is not None:
            raw = raw_params(init)
            texts = param_texts(raw)
            signature = constructor_signature(texts)
            init_own = own_nodes(init)
            found = honest_params(params(raw, texts, bound=True, oracle=self.oracle))
        kind: Kind = "exception" if exception else "class"
        class_own = own_nodes(node)
        base = self._base(qualname, kind, node, [node], class_own)
        own_init = own_init and init is not None
        return replace(
            base,
            signature=signature,
            params=found,
            raises=raises(init, self.oracle) if own_init and init is not None else (),
            calls=self._calls(class_own),
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
