"""What ``@pytest.mark.parametrize`` passes to a test's parameters.

pytest calls a test once per row of each ``parametrize`` decorator, with
the row's values as the named arguments: a parameter so named holds one of
the values written in the rows. :func:`parametrized_values` reads them when
the decorator writes its names (``"a, b"`` or a list of strings) and its
rows (a list or tuple display; a row of several names a tuple or list
display of as many values, or ``pytest.param(...)`` of them) plainly, and
does not ask for ``indirect`` parametrization (the values then go to
fixtures). The values are read at module level, where the decorator runs
(:func:`module_frame`).

A test of the project's own package is a function pytest calls: its
``pytest.mark`` decorators return it unchanged (:func:`only_marks`), so
they do not hide its calls, and its parametrized parameters are typed by
the rows (:mod:`._callsites`); a test of the tests read for call sites reads
its parameters as the rows' values (:func:`bind_parametrized`).
"""

from __future__ import annotations

import ast
import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._frame import Frame, Returned, complete
from sphinxcontrib_aidoc.analyze._nodes import FUNCTIONS

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._project import Solver

_Function = ast.FunctionDef | ast.AsyncFunctionDef


def module_frame(module: str) -> Frame:
    """A frame that reads names as *module*'s top level binds them."""
    return Frame(None, module, [], None, None, {}, {})


def only_marks(node: ast.AST) -> bool:
    """Whether *node* is decorated, and only by ``pytest.mark.*`` decorators."""
    decorators = getattr(node, "decorator_list", [])
    return bool(decorators) and all(is_mark(d) for d in decorators)


def is_mark(decorator: ast.expr) -> bool:
    """Whether *decorator* is a ``pytest.mark.*`` one (the function unchanged)."""
    return _mark(decorator) is not None


def parametrized_values(node: ast.AST) -> dict[str, list[ast.expr]]:
    """The values each parametrized argument of *node* takes (readable ones only).

    Read once per node: the items a ``pytest.param(*NAME)`` stands for are
    nodes made here, which must live as long as the answers kept by their
    id (:attr:`~._project.Solver.memo`).
    """
    found = _READ.get(node)
    if found is None:
        found = _READ[node] = _parametrized(node)
    return found


#: :func:`parametrized_values` by node.
_READ: weakref.WeakKeyDictionary[ast.AST, dict[str, list[ast.expr]]] = (
    weakref.WeakKeyDictionary()
)


def _parametrized(node: ast.AST) -> dict[str, list[ast.expr]]:
    found: dict[str, list[ast.expr]] = {}
    for decorator in getattr(node, "decorator_list", []):
        if _mark(decorator) != "parametrize" or not isinstance(decorator, ast.Call):
            continue
        for name, values in _rows(decorator).items():
            found.setdefault(name, []).extend(values)
    return found


def bind_parametrized(frames: Iterable[Frame]) -> None:
    """Bind the parametrized parameters of the tests' *frames* to their rows."""
    for frame in frames:
        node = frame.definition.node if frame.definition else None
        if not isinstance(node, FUNCTIONS):
            continue
        values = parametrized_values(node)
        if not values:
            continue
        where = module_frame(frame.module)
        for name, written in values.items():
            if name in frame.params and name not in frame.local:
                del frame.params[name]
                frame.local[name] = [Returned(where, written)]


def _mark(decorator: ast.expr) -> str | None:
    """``parametrize`` for ``@pytest.mark.parametrize(...)``: the mark's name."""
    func = decorator.func if isinstance(decorator, ast.Call) else decorator
    if not isinstance(func, ast.Attribute):
        return None
    owner = func.value
    if isinstance(owner, ast.Attribute) and owner.attr == "mark":
        root = owner.value
        if isinstance(root, ast.Name) and root.id == "pytest":
            return func.attr
    return None


def _rows(decorator: ast.Call) -> dict[str, list[ast.expr]]:
    """The values per argument name of one ``parametrize`` call ({} if unread)."""
    arguments = {k.arg: k.value for k in decorator.keywords if k.arg is not None}
    if any(k.arg is None for k in decorator.keywords) or "indirect" in arguments:
        return {}
    names_node = decorator.args[0] if decorator.args else arguments.get("argnames")
    rows_node = (
        decorator.args[1] if len(decorator.args) > 1 else arguments.get("argvalues")
    )
    names = _names(names_node)
    if not names or not isinstance(rows_node, (ast.List, ast.Tuple)):
        return {}
    found: dict[str, list[ast.expr]] = {n: [] for n in names}
    for row in rows_node.elts:
        values = _row(row, len(names))
        if values is None:
            return {}
        for name, value in zip(names, values, strict=True):
            found[name].append(value)
    return found


def _names(node: ast.expr | None) -> list[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        names = [n.strip() for n in node.value.split(",")]
    elif isinstance(node, (ast.List, ast.Tuple)) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts
    ):
        names = [str(e.value) for e in node.elts if isinstance(e, ast.Constant)]
    else:
        return None
    return names if all(n.isidentifier() for n in names) else None


def _param_values(args: list[ast.expr], width: int) -> list[ast.expr] | None:
    """The *width* values ``pytest.param(...)`` passes, or None if not plain.

    One ``*NAME`` among them stands for as many items of *NAME* as the
    others leave: ``NAME[0]``, ``NAME[1]``... (read as the module binds
    *NAME*; a tuple display gives each item its own type).
    """
    starred = [a for a in args if isinstance(a, ast.Starred)]
    if not starred:
        return list(args) if len(args) == width else None
    spread = starred[0].value
    missing = width - (len(args) - 1)
    if len(starred) > 1 or not isinstance(spread, ast.Name) or missing < 0:
        return None
    values: list[ast.expr] = []
    for arg in args:
        if arg is not starred[0]:
            values.append(arg)
            continue
        values.extend(
            ast.copy_location(
                ast.Subscript(
                    value=ast.Name(id=spread.id, ctx=ast.Load()),
                    slice=ast.Constant(value=i),
                    ctx=ast.Load(),
                ),
                arg,
            )
            for i in range(missing)
        )
    return values


def _row(row: ast.expr, width: int) -> list[ast.expr] | None:
    """The values of one row for *width* names, or None if not plain."""
    if (
        isinstance(row, ast.Call)
        and isinstance(row.func, ast.Attribute)
        and row.func.attr == "param"
        and isinstance(row.func.value, ast.Name)
        and row.func.value.id == "pytest"
    ):
        return _param_values(row.args, width)
    if width == 1:
        return None if isinstance(row, ast.Starred) else [row]
    if isinstance(row, (ast.Tuple, ast.List)) and len(row.elts) == width:
        if any(isinstance(e, ast.Starred) for e in row.elts):
            return None
        return list(row.elts)
    return None


def parametrized_types(
    solver: Solver, skip: Iterable[str]
) -> dict[tuple[str, str], set[str]]:
    """The types the rows pass to the project's own parametrized tests.

    Only tests decorated by ``pytest.mark`` alone and not in *skip* (called
    or used in the project: their other callers would count too); only
    parameters whose every row value is of a proven, complete type.
    """
    skipped = set(skip)
    found: dict[tuple[str, str], set[str]] = {}
    for qualname, frame in solver.frames.items():
        node = frame.definition.node if frame.definition else None
        if qualname in skipped or node is None or not only_marks(node):
            continue
        where = module_frame(frame.module)
        for name, written in parametrized_values(node).items():
            if name not in frame.params:
                continue
            parts: set[str] = set()
            for value in written:
                types = solver.types_of(value, where)
                if not types or not complete(types):
                    break
                parts.update(types)
            else:
                if parts:
                    found[(qualname, name)] = parts
    return found
