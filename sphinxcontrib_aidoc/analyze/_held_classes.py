"""Locals that hold a class chosen in the function and are only called.

::

    table_constructor = InlineTable if nested else Table
    val = table_constructor(Container(), Trivia(), False)

Naming a class other than by calling it hands it on as a value, which may
be called anywhere unseen. A local bound only to classes (a name, a dotted
name, or a conditional expression of them) and read only to be called (or
tested against) is different: its calls are calls of those classes, read
as their call sites (:func:`~._call_resolution.targets`), so the names on
its right-hand side hand the classes to nothing (:mod:`._module_walks`).

Both sides read :func:`held_classes`, so that what one exempts the other
reads; the reader takes a local only when every name it holds is a
project class (:meth:`~._callsites._Sites._uses`).
"""

from __future__ import annotations

import ast

from sphinxcontrib_aidoc.analyze._frame import filled_default
from sphinxcontrib_aidoc.analyze._nodes import raw_params, scope_nodes, walk
from sphinxcontrib_aidoc.analyze._site_uses import type_positions

_Function = ast.FunctionDef | ast.AsyncFunctionDef


def held_classes(function: _Function) -> dict[str, list[ast.expr]]:
    """The function's locals that hold only named classes, and those names.

    Each local is bound only by ``name = <classes>`` in the function's own
    body (never a parameter, a loop or ``with`` target, ``global`` or
    ``nonlocal``), and every read of it, nested functions included, is the
    callee of a call or a type (``isinstance(x, name)``).
    """
    own = scope_nodes(function)
    if not any(
        isinstance(node, ast.Assign) and _classes(node.value) is not None
        for node in own
    ):
        return {}  # most functions: the whole body is not walked
    every = walk(function)
    params = argument_names(function.args)
    declared = {
        name
        for node in every
        if isinstance(node, (ast.Global, ast.Nonlocal))
        for name in node.names
    }
    bound: dict[str, list[ast.expr]] = {}
    other: set[str] = set(params) | declared
    assigned: set[int] = set()
    for node in own:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            leaves = _classes(node.value)
            name = node.targets[0].id
            assigned.add(id(node.targets[0]))
            if leaves is None:
                other.add(name)
            else:
                bound.setdefault(name, []).extend(leaves)
    for node in every:
        if (
            isinstance(node, ast.Name)
            and isinstance(node.ctx, (ast.Store, ast.Del))
            and id(node) not in assigned
        ):
            other.add(node.id)  # bound some other way, or in a nested function
    local = other | set(bound)
    held = {
        n: leaves
        for n, leaves in bound.items()
        if n not in other
        # a name the function binds is not the module's class
        and not any(_root(leaf) in local for leaf in leaves)
    }
    if not held:
        return {}
    callees = {id(n.func) for n in every if isinstance(n, ast.Call)}
    callees.update(type_positions(every))
    for node in every:
        if (
            isinstance(node, ast.Name)
            and isinstance(node.ctx, ast.Load)
            and node.id in held
            and id(node) not in callees
        ):
            del held[node.id]
    return held


def _classes(value: ast.expr) -> list[ast.expr] | None:
    """The names *value* chooses among (``A``, ``mod.A``, ``A if c else B``)."""
    if isinstance(value, ast.Name) or (
        isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name)
    ):
        return [value]
    if isinstance(value, ast.IfExp):
        body, orelse = _classes(value.body), _classes(value.orelse)
        if body is not None and orelse is not None:
            return body + orelse
    return None


def _root(leaf: ast.expr) -> str:
    while isinstance(leaf, ast.Attribute):
        leaf = leaf.value
    return leaf.id if isinstance(leaf, ast.Name) else ""


def held_parameters(function: _Function) -> dict[str, list[ast.expr]]:
    """Parameters defaulting to ``None`` that hold a named class when not given.

    ::

        def option(*decls, cls=None, **attrs):
            if cls is None:
                cls = Option
            def decorator(f):
                f.option = cls(decls, **attrs)

    A call of ``cls`` runs ``Option`` when the caller passed no class, and
    otherwise a class the caller named as a value (which hands that class
    on: its calls are then not all read anyway). So ``Option`` on the right
    is held to be called, and the calls of ``cls`` are calls of ``Option``
    for the call-site reader (never for a type: the caller may pass any
    class). Only when ``if cls is None: cls = <classes>`` is a statement of
    the function's own body and its only rebinding, every other read of
    ``cls`` (nested functions included) is a call, and no nested function
    takes a parameter of that name.
    """
    found = _defaulted_to_classes(function)
    if not found:
        return {}
    allowed: set[int] = set()
    for _, stmt in found.values():
        assert isinstance(stmt.test, ast.Compare)
        first = stmt.body[0]
        assert isinstance(first, ast.Assign)
        allowed.update((id(stmt.test.left), id(first.targets[0])))
    every = walk(function)
    callees = {id(n.func) for n in every if isinstance(n, ast.Call)}
    kept = set(found)
    for node in every:
        if isinstance(node, _FUNCTIONS_AND_LAMBDAS) and node is not function:
            kept -= argument_names(node.args)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            kept -= set(node.names)
        elif (
            isinstance(node, ast.Name)
            and id(node) not in allowed
            and not (isinstance(node.ctx, ast.Load) and id(node) in callees)
        ):
            kept.discard(node.id)
    return {name: leaves for name, (leaves, _) in found.items() if name in kept}


def _defaulted_to_classes(
    function: _Function,
) -> dict[str, tuple[list[ast.expr], ast.If]]:
    """``if name is None: name = <classes>`` in the body, *name* defaulting to None."""
    nullable = {
        p.name
        for p in raw_params(function)
        if isinstance(p.default, ast.Constant) and p.default.value is None
    }
    found: dict[str, tuple[list[ast.expr], ast.If]] = {}
    for stmt in function.body if nullable else ():
        inner = filled_default(stmt)
        if inner is None or not isinstance(stmt, ast.If):
            continue
        target = inner.targets[0]
        assert isinstance(target, ast.Name)
        name = target.id
        if name not in nullable or name in found:
            continue
        leaves = _classes(inner.value)
        if leaves is not None and not any(_root(leaf) == name for leaf in leaves):
            found[name] = (leaves, stmt)
    return found


def argument_names(arguments: ast.arguments) -> set[str]:
    """Every parameter name of a signature."""
    return {
        a.arg
        for a in (
            *arguments.posonlyargs,
            *arguments.args,
            *arguments.kwonlyargs,
            *(x for x in (arguments.vararg, arguments.kwarg) if x),
        )
    }


_FUNCTIONS_AND_LAMBDAS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
