"""What the walker asks when syntax cannot tell: the inference oracle.

The one walker (:mod:`._walk`) reads Python's :mod:`ast` and decides
everything the syntax fixes. Where only inference can tell (the type of a
computed default or return value, what a ``raise`` raises, what a call
calls, the constructor a class inherits from another module), it asks an
:class:`Oracle`. Without one (``aidoc report``'s default) the answer is
"unknown" and astroid is never imported; the astroid oracle
(:mod:`._astroid`) answers for builds.

Every question takes nodes of the walker's own :mod:`ast` trees; an oracle
may hand back nodes of trees it parsed itself (a constructor defined in
another module), and must answer questions about those too.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Protocol

from sphinxcontrib_aidoc.diagnostics import Diagnostic

#: A function definition of an :mod:`ast` tree.
Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True, slots=True)
class Constructor:
    """The ``__init__`` that builds a class's instances, as inference sees it.

    ``init`` None with ``known`` means ``object.__init__`` (no parameters);
    None without ``known``, that nothing could tell. ``own``: the class
    defines it (or a class decorator such as ``@dataclass`` writes it).
    """

    init: Function | None
    known: bool
    own: bool


class Oracle(Protocol):
    """Answers the walker's questions about one module by inference."""

    def begin(self) -> None:
        """Start the budget of the next object."""

    def end(self, qualname: str, location: str) -> Diagnostic | None:
        """Close the object's budget; a diagnostic if inference was cut short."""

    def default_type(self, default: ast.expr) -> str | None:
        """The type of a parameter's default value that is not a literal."""

    def expr_types(
        self, expr: ast.expr, func: Function, param_types: dict[str, str | None]
    ) -> list[str] | None:
        """The possible types of a returned or yielded *expr*, or None."""

    def element_types(self, expr: ast.expr) -> list[str] | None:
        """The types of the items ``yield from expr`` produces, or None."""

    def exception_names(self, exc: ast.expr) -> list[str] | None:
        """What ``raise exc`` raises; None when inference cannot tell."""

    def calls(self, own: list[ast.AST]) -> tuple[str, ...]:
        """Qualified names of what the calls among *own* nodes call."""

    def constructor(self, cls: ast.ClassDef) -> Constructor:
        """The constructor of *cls* (its own, inherited, or written for it)."""

    def is_exception(self, cls: ast.ClassDef) -> bool:
        """Whether *cls* derives from ``BaseException``."""
