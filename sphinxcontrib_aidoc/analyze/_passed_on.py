"""Parameters whose literal default does not bound what they take.

A literal default proves a type (``verify=True``: ``bool``) only as far as
the function itself goes. A function that hands the parameter straight on
to another function's parameter that it tests (``isinstance``), or that
keeps it in an attribute some method of its class tests (``self.verify =
verify`` ... ``isinstance(self.verify, str)``), is written to take several
kinds of value: the default is one case of them. :func:`wider_defaults`
names those parameters, following such hand-offs through any number of
calls, and the pass states no type from their default
(:meth:`~._project.Solver.updated`). A parameter tested in its own
function gets no type from its default already (the per-module
analysis, whichever engine).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._frame import Frame
    from sphinxcontrib_aidoc.analyze._param_flow import Key


def wider_defaults(
    frames: dict[str, Frame], handed_on: Iterable[tuple[Key, Key]]
) -> set[Key]:
    """The (function, parameter) pairs that take more than any one default.

    Args:
        frames: The project's function frames, by qualname.
        handed_on: ``(caller, parameter)`` to ``(callee, parameter)`` for
            every call that passes a caller's parameter straight on.
    """
    tested = _tested_attributes(frames.values())
    wide: set[Key] = set()
    for qualname, frame in frames.items():
        names = set(frame.params) - set(frame.local)
        found = _tested(frame.own) & names
        attributes = tested.get(frame.cls or "", set())
        if attributes and frame.self_name is not None:
            found.update(_kept_in(frame, names, attributes))
        wide.update((qualname, name) for name in found)
    edges = list(handed_on)
    grown = True
    while grown:
        grown = False
        for source, target in edges:
            if target in wide and source not in wide:
                wide.add(source)
                grown = True
    return wide


def _tested_attributes(frames: Iterable[Frame]) -> dict[str, set[str]]:
    """Per class, the attributes of ``self`` its methods test."""
    found: dict[str, set[str]] = {}
    for frame in frames:
        if frame.cls is None or frame.self_name is None:
            continue
        for node in frame.own:
            if (
                _is_test(node)
                and isinstance(node, ast.Call)
                and _self_attribute(node.args[0], frame.self_name) is not None
            ):
                attribute = _self_attribute(node.args[0], frame.self_name)
                found.setdefault(frame.cls, set()).add(str(attribute))
    return found


def _kept_in(frame: Frame, names: set[str], attributes: set[str]) -> set[str]:
    """The parameters *frame* assigns to a tested attribute (``self.a = a``)."""
    kept: set[str] = set()
    for node in frame.own:
        if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Name):
            continue
        if node.value.id not in names:
            continue
        for target in node.targets:
            attribute = _self_attribute(target, str(frame.self_name))
            if attribute in attributes:
                kept.add(node.value.id)
    return kept


def _self_attribute(expr: ast.expr, self_name: str) -> str | None:
    if (
        isinstance(expr, ast.Attribute)
        and isinstance(expr.value, ast.Name)
        and expr.value.id == self_name
    ):
        return expr.attr
    return None


def _is_test(node: ast.AST) -> bool:
    """Whether *node* is ``isinstance(value, ...)``."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "isinstance"
        and len(node.args) == 2
    )


def _tested(own: list[ast.AST]) -> set[str]:
    """The names a function's own ``isinstance`` calls test."""
    return {
        node.args[0].id
        for node in own
        if _is_test(node)
        and isinstance(node, ast.Call)
        and isinstance(node.args[0], ast.Name)
    }
