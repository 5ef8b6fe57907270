"""Dicts a function fills from their own items: ``counts[k] = counts.get(k, 0) + 1``.

:func:`~._built.built_type` types a container from what the function adds
to it; an added value that reads the container itself asks that question
again. It is solved as a fixed point, as a loop-carried local is
(:mod:`._carried`): the dict starts holding what its ``name.get(key,
default)`` defaults are; the added values are typed with it holding that;
what they give is what it holds next; until nothing changes (at most
:data:`_MAX_ROUNDS` rounds, else unknown). Its keys are those the
function writes (``name[key] = value``).

.. code-block:: python

    widths = {}
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths.get(index, 0), len(cell))
    return widths          # dict[int, int]
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._built import built_type
from sphinxcontrib_aidoc.analyze._carried import assuming
from sphinxcontrib_aidoc.analyze._type_rules import join_types, split_union

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._frame import Frame
    from sphinxcontrib_aidoc.analyze._project import Solver

#: Rounds of typing the added values before giving up.
_MAX_ROUNDS = 4


def self_filled_type(
    solver: Solver,
    name: str,
    frame: Frame,
    types_of: Callable[[ast.expr], list[str] | None],
) -> str | None:
    """The ``dict[K, V]`` local *name* holds, its items read back as it is filled."""
    keys: list[str] = []
    values: list[str] = []
    for node in frame.own:
        if _reads_item(node, name):
            assert isinstance(node, ast.Call)
            found = types_of(node.args[1])
        elif writes_item(node, name):
            assert isinstance(node, ast.Assign)
            target = node.targets[0]
            assert isinstance(target, ast.Subscript)
            found = types_of(target.slice)
        else:
            continue
        if not found:
            return None
        part = values if isinstance(node, ast.Call) else keys
        part.extend(t for t in found if t not in part)
    if not keys or not values:
        return None
    current = f"dict[{join_types(keys)}, {join_types(values)}]"
    for _ in range(_MAX_ROUNDS):
        with assuming(solver, (id(frame), name), [current]):
            found_type = built_type(name, frame.own, types_of)
        if found_type is None:
            return None
        if set(split_union(found_type)) == {current}:
            return current
        current = found_type
    return None


def _reads_item(node: ast.AST, name: str) -> bool:
    """``name.get(key, default)``."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == name
        and len(node.args) == 2
        and not node.keywords
    )


def writes_item(node: ast.AST, name: str) -> bool:
    """``name[key] = value``."""
    return (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Subscript)
        and isinstance(node.targets[0].value, ast.Name)
        and node.targets[0].value.id == name
    )
