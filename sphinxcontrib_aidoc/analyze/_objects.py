"""Walk one parsed module and build an :class:`ObjectInfo` per object.

Objects are classes (nested ones too), module-level functions and methods.
Functions nested in functions are left out. Definitions inside top-level
``if``/``try``/``with`` blocks count; when a name is defined twice the later
definition wins (as at runtime), and ``@overload`` stubs are skipped. A
property's ``@x.setter``/``@x.deleter`` functions fold into its one entry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import partial

from astroid import nodes  # type: ignore[import-untyped]  # astroid ships no py.typed

from sphinxcontrib_aidoc.analyze import _effects, _facts
from sphinxcontrib_aidoc.analyze._infer import Budget
from sphinxcontrib_aidoc.analyze._nodes import (
    annotation_string,
    decorator_names,
    param_texts,
    raw_params,
    warns_deprecation,
)
from sphinxcontrib_aidoc.analyze._records import Walk
from sphinxcontrib_aidoc.analyze._rules import (
    BOUND_KINDS,
    classify,
    constructor_signature,
    function_signature,
    named_like_exception,
)
from sphinxcontrib_aidoc.analyze._shape import (
    complexity,
    def_line,
    docstring,
    nesting,
    source,
)
from sphinxcontrib_aidoc.diagnostics import Diagnostic, Reporter
from sphinxcontrib_aidoc.model import ObjectInfo, Param

logger = logging.getLogger(__name__)

#: Qualified names of the root exception classes.
_EXCEPTION_ROOTS = frozenset({"builtins.BaseException", "builtins.Exception"})


@dataclass(kw_only=True)
class ModuleWalk(Walk):
    """State for analysing one module."""

    reporter: Reporter | None
    timeout: float
    #: Inference steps allowed per object (see :class:`Budget`).
    steps: int
    #: Resolve ``ObjectInfo.calls`` (the costliest inference).
    calls: bool = True

    def run(self, tree: nodes.Module) -> list[ObjectInfo]:
        """Analyse every object of *tree*, sorted by line."""
        self._scope(tree, "", in_class=False)
        return self.records()

    def _scope(self, owner: nodes.NodeNG, prefix: str, *, in_class: bool) -> None:
        entries = classify(
            _definitions(owner.body),
            in_class=in_class,
            is_class=lambda node: isinstance(node, nodes.ClassDef),
            decorators_of=decorator_names,
            name_of=lambda node: str(node.name),
        )
        for node, kind, accessors in entries:
            local = f"{prefix}{node.name}"
            if kind == "class":
                self._add(local, node, partial(self._class_info, node=node))
                self._scope(node, f"{local}.", in_class=True)
            else:
                build = partial(
                    self._function_info, node=node, kind=kind, accessors=accessors
                )
                self._add(local, node, build)

    def _add(
        self,
        local: str,
        node: nodes.NodeNG,
        build: Callable[[str, Budget], ObjectInfo],
    ) -> None:
        qualname = self.qualname(local)
        budget = Budget(self.timeout, steps=self.steps)
        try:
            info = build(qualname, budget)
        except Exception:  # a bad node must not sink the module
            logger.debug("aidoc: analysis failed for %s", qualname, exc_info=True)
            info = self.failed(
                qualname,
                is_class=isinstance(node, nodes.ClassDef),
                lineno=def_line(node),
                end_lineno=int(node.end_lineno or 0),
                doc=docstring(node),
            )
        if budget.exhausted and self.reporter is not None:
            self.reporter.report(
                _gave_up(budget, qualname, f"{self.file}:{def_line(node)}")
            )
        self.keep(qualname, info)

    def _base(
        self, qualname: str, kind: str, node: nodes.NodeNG, defs: list[nodes.NodeNG]
    ) -> ObjectInfo:
        """The fields every kind shares (source of *defs*, docstring, shape)."""
        return self.record(
            qualname,
            kind,
            lineno=def_line(node),
            end_lineno=int(node.end_lineno or def_line(node)),
            decorators=decorator_names(node),
            doc=docstring(node),
            complexity=complexity(node),
            nesting=nesting(node),
            sources=[source(d) for d in defs],
        )

    def _function_info(
        self,
        qualname: str,
        budget: Budget,
        *,
        node: nodes.FunctionDef,
        kind: str,
        accessors: list[nodes.FunctionDef],
    ) -> ObjectInfo:
        raw = raw_params(node)
        texts = param_texts(raw)
        bound = kind in BOUND_KINDS
        params = _facts.params(node, raw, texts, budget, bound=bound)
        types = {p.name: p.type for p in params}
        signature = function_signature(kind, texts, annotation_string(node.returns))
        base = self._base(qualname, kind, node, [node, *accessors])
        is_init = bound and node.name == "__init__"
        return replace(
            base,
            signature=signature,
            params=params,
            returns=None if is_init else _facts.returns(node, budget, types),
            yields=_facts.yields(node, budget, types),
            raises=_effects.raises(node, budget),
            is_async=isinstance(node, nodes.AsyncFunctionDef),
            calls=_effects.calls(node, budget) if self.calls else (),
            deprecated=base.deprecated or warns_deprecation(node),
        )

    def _class_info(
        self, qualname: str, budget: Budget, *, node: nodes.ClassDef
    ) -> ObjectInfo:
        ancestors = budget.ancestors(node)
        init, known = _constructor(node, ancestors)
        signature = "()" if known else ""
        params: tuple[Param, ...] = ()
        if init is not None:
            raw = raw_params(init)
            texts = param_texts(raw)
            signature = constructor_signature(texts)
            params = _facts.params(init, raw, texts, budget, bound=True)
        own_init = init is not None and init.parent is node
        kind = "exception" if _is_exception(node, ancestors) else "class"
        base = self._base(qualname, kind, node, [node])
        return replace(
            base,
            signature=signature,
            params=params,
            raises=_effects.raises(init, budget) if own_init else (),
            calls=_effects.calls(node, budget) if self.calls else (),
            bases=tuple(str(b.as_string()) for b in node.bases),
            deprecated=base.deprecated or (own_init and warns_deprecation(init)),
        )


def _definitions(body: list[nodes.NodeNG]) -> Iterator[nodes.NodeNG]:
    """Functions and classes in *body*, looking into ``if``/``try``/``with``."""
    for stmt in body:
        if isinstance(stmt, (nodes.FunctionDef, nodes.ClassDef)):
            yield stmt
        elif isinstance(stmt, nodes.If):
            yield from _definitions(stmt.body)
            yield from _definitions(stmt.orelse)
        elif isinstance(stmt, (nodes.Try, nodes.TryStar)):
            yield from _definitions(stmt.body)
            for handler in stmt.handlers:
                yield from _definitions(handler.body)
            yield from _definitions(stmt.orelse)
            yield from _definitions(stmt.finalbody)
        elif isinstance(stmt, (nodes.With, nodes.AsyncWith)):
            yield from _definitions(stmt.body)


def _constructor(
    node: nodes.ClassDef, ancestors: list[nodes.ClassDef] | None
) -> tuple[nodes.FunctionDef | None, bool]:
    """The ``__init__`` that builds instances, and whether that is certain.

    Own (or synthesised, e.g. by dataclasses) ``__init__`` first, then the
    first analysed ancestor's. None with True means ``object.__init__``.
    """
    for klass in [node, *(ancestors or [])]:
        if not isinstance(klass, nodes.ClassDef):
            continue
        local = [
            n
            for n in klass.locals.get("__init__", [])
            if isinstance(n, nodes.FunctionDef)
        ]
        if not local:
            continue
        if klass is not node and klass.root().name == "builtins":
            return None, klass.name == "object"
        return local[-1], True
    return None, ancestors is not None


def _is_exception(node: nodes.ClassDef, ancestors: list[nodes.ClassDef] | None) -> bool:
    """Whether *node* derives from BaseException (inferred, else by base name)."""
    for ancestor in ancestors or []:
        try:
            if ancestor.qname() in _EXCEPTION_ROOTS:
                return True
        except Exception:  # noqa: BLE001, S112, PERF203 - synthetic nodes: skip
            continue
    return any(named_like_exception(str(b.as_string())) for b in node.bases)


def _gave_up(budget: Budget, qualname: str, location: str) -> Diagnostic:
    """The ``infer`` diagnostic of an object whose inference was cut short."""
    if budget.spent:
        return Diagnostic(
            "infer",
            f"inference gave up on {qualname} after {budget.steps} steps"
            " (aidoc_infer_steps)",
            location=location,
        )
    return Diagnostic(
        "infer",
        f"inference of {qualname} timed out after {budget.timeout:g}s"
        " (aidoc_infer_timeout); the result is not kept and is analysed again"
        " next time",
        location=location,
        transient=True,
    )
