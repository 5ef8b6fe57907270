"""Locals a loop carries: a value that reads the name it rebinds.

.. code-block:: python

    rv = ""
    for name in names:
        rv = rv + name.upper()      # or ``rv = wrap(rv)``, ``rv = rv.strip()``
    return rv

Every value the function binds to ``rv`` counts (a read in the loop may
see any of them), and one of them reads ``rv`` itself: asking its type
asks the question again. The project pass answers it as a fixed point:
start from the types of the values that do not read the name (and a
parameter's, if it is one), assume the name holds those wherever the
function reads it, type the values that read it, add what they give, and
repeat until nothing is added (at most :data:`_MAX_ROUNDS` rounds, else
unknown). The answer holds for every read: each value was typed with the
name holding any type it can hold. ``name op= value`` updates take part
the same way (:func:`~._operators.augmented_types`). Any value of unknown
type, an empty container (its items are another rule's,
:mod:`._built`) or a name some value reads without binding (``del``,
``global``) leaves it unknown.
"""

from __future__ import annotations

import ast
import contextlib
from collections.abc import Iterator, Mapping
from itertools import islice
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._frame import Augmented, complete, empty
from sphinxcontrib_aidoc.analyze._nodes import walk
from sphinxcontrib_aidoc.analyze._operators import augmented_types
from sphinxcontrib_aidoc.analyze._type_rules import split_union

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._frame import Frame
    from sphinxcontrib_aidoc.analyze._project import Solver

#: Rounds of adding what the carried values give before giving up.
_MAX_ROUNDS = 4


def reads_itself(
    name: str,
    values: list[ast.expr],
    local: Mapping[str, list[ast.expr] | None] | None = None,
) -> bool:
    """Whether one of *values* reads *name* (``rv = rv + x``, ``rv = f(rv)``).

    With the function's *local* bindings, also a value that is another
    local reading it: ``ctx = sub_ctx`` where ``sub_ctx = make(parent=ctx)``.
    """
    if name in _reads(values):
        return True
    return local is not None and any(
        isinstance(value, ast.Name) and name in _reads(local.get(value.id) or [])
        for value in values
    )


def _reads(values: list[ast.expr]) -> set[str]:
    return {
        node.id
        for value in values
        if isinstance(value, ast.AST) and not isinstance(value, Augmented)
        for node in walk(value)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }


def carried_types(
    solver: Solver,
    name: str,
    frame: Frame,
    values: list[ast.expr],
    depth: int,
) -> list[str] | None:
    """The types local *name* holds, some of its *values* reading it.

    *values* are every value the function binds to it (``Augmented`` for
    ``name op= value``); see the module doc.
    """
    plain = [v for v in values if not isinstance(v, Augmented)]
    updates = [v for v in values if isinstance(v, Augmented)]
    if any(empty(v) for v in plain):
        return None
    # A local being solved already holds its assumption: reading it is
    # not reading *name* again.
    solving = {n for (f, n) in solver.assumed if f == id(frame)}
    local = {k: v for k, v in frame.local.items() if k not in solving}
    carried = [v for v in plain if reads_itself(name, [v], local)]
    current: list[str] = []
    if name in frame.params:
        known = frame.params[name]
        if not known:
            return None
        current.extend(split_union(known))
    for value in plain:
        if value in carried:
            continue
        found = solver.types_of(value, frame, depth + 1)
        if not found or not complete(found):
            return None
        current.extend(t for t in found if t not in current)
    if not current:
        return None
    for _ in range(_MAX_ROUNDS):
        grown = _round(
            solver,
            name,
            frame,
            current=current,
            carried=carried,
            updates=updates,
            depth=depth,
        )
        if grown is None:
            return None
        if set(grown) == set(current):
            return current
        current = grown
    return None


def _round(
    solver: Solver,
    name: str,
    frame: Frame,
    *,
    current: list[str],
    carried: list[ast.expr],
    updates: list[Augmented],
    depth: int,
) -> list[str] | None:
    """*current* and what the carried values give while the name holds it."""
    with assuming(solver, (id(frame), name), current):
        grown = list(current)
        for value in carried:
            found = solver.types_of(value, frame, depth + 1)
            if not found or not complete(found):
                return None
            grown.extend(t for t in found if t not in grown)
        if updates:
            updated = augmented_types(solver, grown, list(updates), frame, depth)
            if updated is None:
                return None
            grown.extend(t for t in updated if t not in grown)
        return grown


@contextlib.contextmanager
def assuming(solver: Solver, key: tuple[int, str], types: list[str]) -> Iterator[None]:
    """Read the local *key* (frame id, name) as holding *types* inside the block.

    Nothing answered under the assumption is kept after it: the solver's
    memo is off and the attribute answers it added are dropped.
    """
    memo, solver.memo = solver.memo, None
    kept = len(solver.attributes.memo)
    solver.assumed[key] = types
    try:
        yield
    finally:
        del solver.assumed[key]
        solver.memo = memo
        attributes = solver.attributes.memo
        for stale in list(islice(attributes, kept, None)):
            del attributes[stale]
