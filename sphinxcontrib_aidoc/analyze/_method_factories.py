"""Functions that make methods: what ``self`` holds in the methods they make.

A factory returns a function it defines, and class bodies bind what it
returns to a name::

    def wrap_method(original):
        def wrapper(self, *args, **kwargs):
            return self._new(original(self, *args, **kwargs))
        return wrapper

    class Integer(int):
        __add__ = wrap_method(int.__add__)

``wrapper`` is then a method of ``Integer``: its first parameter holds an
instance of it (or of a subclass), so ``self._new(...)`` reaches
``Integer._new`` and no other ``_new`` of the project. That holds only
when nothing else can call ``wrapper`` with another first argument:

* the factory hands the nested function on only by returning it (every
  ``return`` of the factory returns it, and its name is read nowhere else
  in the factory);
* every use of the factory's name in the project and its tests is such a
  call, bound to one plain name in a class body;
* the nested function's first parameter is a plain positional one that
  it does not rebind.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from sphinxcontrib_aidoc.analyze._class_attrs import class_bindings
from sphinxcontrib_aidoc.analyze._index import ProjectIndex
from sphinxcontrib_aidoc.analyze._nodes import FUNCTIONS, own_nodes
from sphinxcontrib_aidoc.analyze._type_rules import class_type, join_types

Function = ast.FunctionDef | ast.AsyncFunctionDef


def method_owners(index: ProjectIndex) -> dict[int, tuple[str, str]]:
    """Per made method (its node's id): its first parameter and what it holds.

    What it holds is the union of the classes whose bodies bind the
    factory's result (see module doc).
    """
    bound: dict[str, list[tuple[int, str]]] = {}  # factory: (call func id, class)
    for definition in index.defs.values():
        if not isinstance(definition.node, ast.ClassDef):
            continue
        for _, value in class_bindings(definition.node):
            if not isinstance(value, ast.Call):
                continue
            factory = index.resolve(definition.module, value.func)
            if factory is not None and _made(index, factory) is not None:
                bound.setdefault(factory, []).append(
                    (id(value.func), definition.qualname)
                )
    if not bound:
        return {}
    allowed = {func for calls in bound.values() for func, _ in calls}
    used = {f for f in _uses(index, set(bound)) if f[1] not in allowed}
    found: dict[int, tuple[str, str]] = {}
    for factory, calls in bound.items():
        if any(name == factory for name, _ in used):
            continue
        made = _made(index, factory)
        assert made is not None
        node, first = made
        classes = sorted({class_type(cls) for _, cls in calls})
        found[id(node)] = (first, join_types(classes))
    return found


def _made(index: ProjectIndex, factory: str) -> tuple[Function, str] | None:
    """The function *factory* makes and returns, and its first parameter, or None."""
    definition = index.defs.get(factory)
    if definition is None or not isinstance(definition.node, FUNCTIONS):
        return None
    node = definition.node
    nested = [s for s in node.body if isinstance(s, FUNCTIONS)]
    if len(nested) != 1:
        return None
    made = nested[0]
    if any(_last(d) != "wraps" for d in made.decorator_list):
        return None  # a decorator may make it something else
    own = own_nodes(node)
    returns = [n for n in own if isinstance(n, ast.Return)]
    reads = [n for n in own if isinstance(n, ast.Name) and n.id == made.name]
    if not returns or any(
        not (isinstance(r.value, ast.Name) and r.value.id == made.name) for r in returns
    ):
        return None
    returned = {id(r.value) for r in returns}
    if any(id(n) not in returned for n in reads) or _binds(own, made):
        return None
    positional = [*made.args.posonlyargs, *made.args.args]
    if not positional:
        return None
    first = positional[0].arg
    if any(
        isinstance(n, ast.Name) and n.id == first and not isinstance(n.ctx, ast.Load)
        for n in own_nodes(made)
    ):
        return None
    return made, first


def _binds(own: list[ast.AST], made: Function) -> bool:
    """Whether the factory binds the made function's name other than by defining it."""
    return any(
        (
            isinstance(n, ast.Name)
            and n.id == made.name
            and not isinstance(n.ctx, ast.Load)
        )
        or (isinstance(n, FUNCTIONS) and n.name == made.name and n is not made)
        for n in own
    )


def _uses(index: ProjectIndex, factories: set[str]) -> Iterator[tuple[str, int]]:
    """Each read of a factory's name in any module: the factory, and the node's id."""
    names = {f.rpartition(".")[2] for f in factories}
    for module in index.trees:
        for node in index.every_node(module):
            if (
                isinstance(node, (ast.Name, ast.Attribute))
                and isinstance(node.ctx, ast.Load)
                and _last(node) in names
            ):
                found = index.resolve(module, node)
                if found in factories:
                    yield found, id(node)


def _last(node: ast.expr) -> str:
    """The last part of a name or ``a.b`` (a call: of what it calls)."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""
