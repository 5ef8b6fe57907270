"""Which calls the call-site reader has to resolve at all.

Resolving a call (:func:`~._call_resolution.targets`) is most of what the
reader (:mod:`._callsites`) costs, and most calls cannot matter to it. A
call site only ever types a parameter the per-module analysis left open
(no annotation proves it): one of the function it calls, or one of the
calling function handed on (:mod:`._passed_on`). So a call is read only
when

* the name it calls by (``f`` in ``f(x)``, ``m`` in ``obj.m(x)``) may
  stand for a function with an open parameter: such a function's own
  name, any class's name when some ``__init__`` or ``__new__`` is open, a
  name bound other than by ``def``/``class`` (an import's ``as`` name, an
  assignment in a function or a class body, an attribute assigned), the
  name of a test's function or of a nested function; or
* it passes one of the calling function's parameters; or
* it calls anything else than a name (``f()(x)``, ``table[k](x)``), or
  some project ``__call__`` is open (any call of an instance may reach it).

A call skipped is still a call where the names in it are used
(:func:`~._module_walks.used_names` reads the same calls as covered): only
its resolution is saved. On a fully annotated project, nearly every call.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._nodes import walk

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._frame import Frame
    from sphinxcontrib_aidoc.analyze._project import Solver

#: Methods whose open parameters any class's call may reach.
_CONSTRUCTORS = frozenset({"__init__", "__new__"})


class CallFilter:
    """Whether the reader must resolve one call (see module doc)."""

    def __init__(self, solver: Solver, frames: Iterable[Frame]) -> None:
        opened = _open_functions(solver)
        #: Some ``__call__`` is open: any call of an instance may reach it.
        self.everything = "__call__" in opened
        names = set(opened)
        constructors = not opened.isdisjoint(_CONSTRUCTORS)
        if constructors:
            names.update(_CONSTRUCTORS)
        for definition in solver.index.defs.values():
            node = definition.node
            if isinstance(node, ast.ClassDef):
                if constructors:
                    names.add(node.name)
                for stmt in node.body:  # ``context_class = Context``
                    names.update(_stored(stmt))
        for scope in solver.index.scopes.values():
            names.update(
                local
                for local, qualname in scope.names.items()
                if qualname.rpartition(".")[2] != local  # ``import x as y``
            )
        for frame in frames:
            function = frame.definition
            if function is not None and function.qualname not in solver.frames:
                names.add(function.node.name)  # a test's or nested function
            names.update(_bound_in(frame))
        self.names = frozenset(names)

    def needed(self, call: ast.Call, frame: Frame) -> bool:
        """Whether *call*, in *frame*, may be a site that types anything."""
        if self.everything:
            return True
        func = call.func
        if isinstance(func, ast.Name):
            if func.id in self.names:
                return True
        elif isinstance(func, ast.Attribute):
            if func.attr in self.names:
                return True
        else:
            return True
        params = frame.params
        for value in (*call.args, *(k.value for k in call.keywords)):
            passed = value.value if isinstance(value, ast.Starred) else value
            if isinstance(passed, ast.Name) and passed.id in params:
                return True
        return False


def _open_functions(solver: Solver) -> set[str]:
    """The names of the project's functions with a parameter left open.

    A class method counts whatever its parameters (its ``cls`` is left in
    the frame's parameters, untyped).
    """
    return {
        qualname.rpartition(".")[2]
        for qualname, frame in solver.frames.items()
        if frame.class_param is not None
        or any(t is None for t in frame.params.values())
    }


def _bound_in(frame: Frame) -> set[str]:
    """The names and attributes *frame* assigns, and its imports' ``as`` names."""
    found: set[str] = set()
    for node in frame.own:
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            found.add(node.attr)
        elif isinstance(node, ast.alias) and node.asname:
            found.add(node.asname)
    return found


def _stored(stmt: ast.stmt) -> list[str]:
    """Every name a class-body statement binds by assignment.

    Wider than :func:`~._class_attrs.class_bindings` (tuple targets, ``+=``):
    a name the filter keeps only costs a resolution.
    """
    if isinstance(stmt, ast.Assign):
        targets = stmt.targets
    elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        targets = [stmt.target]
    else:
        return []
    return [n.id for t in targets for n in walk(t) if isinstance(n, ast.Name)]
