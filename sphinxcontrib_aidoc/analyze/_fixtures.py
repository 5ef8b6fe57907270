"""What pytest passes to a test's parameters: the project's own fixtures.

The project's tests are call sites (:mod:`._callsites`); a test function
``def test_help(runner):`` receives, as ``runner``, what the fixture of
that name returns (``@pytest.fixture def runner(): return CliRunner()``).
:func:`bind_fixtures` binds such a parameter, in the test's frame, to the
values the fixture returns (a :class:`~._frame.Returned`), when:

* the function is one pytest calls: ``test*`` at a test module's top level
  or in a ``Test*`` class, or a fixture itself;
* exactly one fixture of that name is defined in the tests read (none
  renamed with ``name=``), with no ``params=`` (``request.param``), whose
  body always ends in a ``return`` (no ``yield``);
* the test does not ``parametrize`` that name.

Anything else leaves the parameter of unknown type, as before.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from sphinxcontrib_aidoc.analyze._frame import Frame, Returned
from sphinxcontrib_aidoc.analyze._index import ProjectIndex
from sphinxcontrib_aidoc.analyze._nodes import FUNCTIONS, body_of, own_nodes
from sphinxcontrib_aidoc.analyze._shape import always_exits, is_generator

_Function = ast.FunctionDef | ast.AsyncFunctionDef


def bind_fixtures(index: ProjectIndex, frames: Iterable[Frame]) -> None:
    """Bind the fixture parameters of the test *frames* (see the module doc)."""
    frames = list(frames)
    by_node = {id(f.definition.node): f for f in frames if f.definition}
    fixtures: dict[str, list[_Function | None]] = {}
    called: set[int] = set()
    for module in index.site_modules:
        tree = index.trees.get(module)
        if tree is None:
            continue
        for function, in_test_class in _top_functions(tree):
            fixture = _fixture(function)
            if fixture is not None:
                name, usable = fixture
                fixtures.setdefault(name, []).append(function if usable else None)
                called.add(id(function))
            elif function.name.startswith("test") and in_test_class is not False:
                called.add(id(function))
    for frame in frames:
        test = frame.definition.node if frame.definition else None
        if not isinstance(test, FUNCTIONS) or id(test) not in called:
            continue
        node: _Function = test
        fixed = _parametrized(node)
        for name in [n for n in frame.params if n not in frame.local]:
            found = fixtures.get(name, [])
            source = found[0] if len(found) == 1 else None
            if source is None or source is node or name in fixed or "*" in fixed:
                continue
            returned = by_node.get(id(source))
            values = _returns(source)
            if returned is not None and values:
                del frame.params[name]
                frame.local[name] = [Returned(returned, values)]


def _top_functions(tree: ast.Module) -> list[tuple[_Function, bool | None]]:
    """Module-level functions (None) and methods, with whether in a ``Test*`` class."""
    found: list[tuple[_Function, bool | None]] = []
    for stmt in tree.body:
        if isinstance(stmt, FUNCTIONS):
            found.append((stmt, None))
        elif isinstance(stmt, ast.ClassDef):
            test_class = stmt.name.startswith("Test")
            found.extend((s, test_class) for s in stmt.body if isinstance(s, FUNCTIONS))
    return found


def _fixture(node: _Function) -> tuple[str, bool] | None:
    """The fixture name *node* defines and whether its value can be read, or None."""
    for decorator in node.decorator_list:
        func = decorator.func if isinstance(decorator, ast.Call) else decorator
        last = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if last != "fixture":
            continue
        keywords = decorator.keywords if isinstance(decorator, ast.Call) else []
        for keyword in keywords:
            if keyword.arg == "name":  # registered under another name
                value = keyword.value
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    return value.value, False
                return "", False
        usable = not any(k.arg in ("params", None) for k in keywords)
        return node.name, usable
    return None


def _returns(node: _Function) -> list[ast.expr]:
    """The values a fixture returns, if every way through it returns one."""
    body = body_of(node)
    if isinstance(node, ast.AsyncFunctionDef) or is_generator(body):
        return []
    if not always_exits(body):
        return []
    values: list[ast.expr] = []
    for stmt in own_nodes(node):
        if isinstance(stmt, ast.Return):
            if stmt.value is None:
                return []
            values.append(stmt.value)
    return values


def _parametrized(node: _Function) -> set[str]:
    """The argument names ``@pytest.mark.parametrize`` gives *node*."""
    found: set[str] = set()
    for decorator in node.decorator_list:
        if not isinstance(decorator, ast.Call) or not decorator.args:
            continue
        func = decorator.func
        if isinstance(func, ast.Attribute) and func.attr == "parametrize":
            names = decorator.args[0]
            if isinstance(names, ast.Constant) and isinstance(names.value, str):
                found.update(n.strip() for n in names.value.split(","))
            elif isinstance(names, (ast.List, ast.Tuple)):
                found.update(
                    e.value
                    for e in names.elts
                    if isinstance(e, ast.Constant) and isinstance(e.value, str)
                )
            else:
                found.add("*")  # names not known: every one may be given
    return found
