"""Calls through ``super()`` or a builtin class: what project code they reach.

The call-site reader (:mod:`._callsites`) counts a call ``obj.name(...)``
it cannot resolve as a site of every project method ``name``; a few such
calls provably reach none, or one: ``super().name(...)`` where no project
base defines ``name`` (:meth:`SuperReach.outside`), ``Builtin.name(...)``
on a builtin class, and ``super().name(...)`` in a method of a class of
the tests (:meth:`SuperReach.test_super`).
"""

from __future__ import annotations

import ast
import builtins
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._frame import Frame, is_super
from sphinxcontrib_aidoc.analyze._param_flow import ancestors

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._project import Solver


class SuperReach:
    """What calls through ``super()`` or a builtin class reach (see module doc)."""

    def __init__(self, solver: Solver) -> None:
        self.solver = solver
        self.index = solver.index
        #: The class around each method of a class (by id of the method).
        self._classes: dict[int, tuple[str, ast.ClassDef]] | None = None
        #: The top-level names of the modules read (the project's, tests').
        self._roots = {m.partition(".")[0] for m in self.index.trees}

    def outside(self, call: ast.Call, frame: Frame) -> bool:
        """Whether *call* provably reaches no project code (it opens no name)."""
        return self._super_outside(call, frame) or self._builtin_owner(call, frame)

    def _super_outside(self, call: ast.Call, frame: Frame) -> bool:
        """Whether *call* is ``super().name(...)`` that reaches no project code.

        In a class none of whose project bases (however far up) defines
        *name*, ``super().name`` is a class's outside the project, unless a
        project class puts this class before another project base
        (cooperative multiple inheritance), where it may reach that base's
        method. Such a call opens no project method name.
        """
        cls = frame.cls
        if cls is None or not isinstance(call.func, ast.Attribute):
            return False
        if not is_super(call.func.value) or cls not in self.index.bases:
            return False
        name = call.func.attr
        if any(
            f"{base}.{name}" in self.index.defs
            for base in ancestors(cls, self.index.bases)
        ):
            return False
        return not any(
            len(bases) > 1
            and any(
                b == cls or cls in ancestors(b, self.index.bases) for b in bases[:-1]
            )
            for bases in self.index.bases.values()
        )

    def _builtin_owner(self, call: ast.Call, frame: Frame) -> bool:
        """Whether *call* is ``Builtin.name(...)``, which reaches no project code.

        ``Exception.__init__(self, message)``: the receiver is a builtin
        class (or other builtin) by a name that neither the function nor its
        module binds, so the method is the builtin's (``type``'s aside: its
        ``__call__`` constructs the class it is given).
        """
        func = call.func
        if not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name):
            return False
        name = func.value.id
        scope = self.index.scopes.get(frame.module)
        return (
            hasattr(builtins, name)
            and name != "type"  # ``type.__call__(cls, ...)`` runs ``cls.__init__``
            and name not in frame.local
            and name not in frame.params
            and name != frame.self_name
            and (scope is None or name not in scope.names)
            and not self.solver.names.globals.binds(frame.module, name)
        )

    def test_super(self, call: ast.Call, frame: Frame) -> list[str] | None:
        """What ``super().name(...)`` in a method of a test's class reaches.

        A class the tests define has one base: the project's class (its
        method), or a class outside the project (none of ours: ``[]``).
        Several bases, or a base not resolved, are not known (None).
        """
        func = call.func
        definition = frame.definition
        if frame.cls is not None or definition is None:
            return None
        if not isinstance(func, ast.Attribute) or not is_super(func.value):
            return None
        if self._classes is None:
            self._classes = {
                id(item): (module, node)
                for module in self.index.trees
                for node in self.index.every_node(module)
                if isinstance(node, ast.ClassDef)
                for item in node.body
            }
        found = self._classes.get(id(definition.node))
        if found is None or len(found[1].bases) != 1:
            return None
        module, node = found
        base = self.index.resolve(module, node.bases[0])
        if base is None:
            return None
        if base not in self.index.defs:
            return [] if base.partition(".")[0] not in self._roots else None
        method = self.index.method(base, func.attr)
        return [method] if method else None
