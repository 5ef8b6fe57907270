"""A call that spreads a known dict (``f(**options)``), read as the calls it makes.

``click.File(**file_kwargs)`` in a test parametrized with
``[{"mode": "rt"}, {"mode": "rb"}, {"lazy": True}]`` makes three calls:
``File(mode="rt")``, ``File(mode="rb")`` and ``File(lazy=True)``. Unread,
the ``**`` may pass any keyword, which leaves every parameter with a
default of the callee unknown.

A name spread by ``**`` is read when every value it may hold is a dict
display whose keys are all constant strings (no ``**`` inside), or a
``dict(key=value, ...)`` call of the builtin, as bound
by a plain assignment or by ``parametrize`` rows (:mod:`._parametrize`),
and the function does nothing else with the name (no item set, no
method called, no other use that could add a key). A value in the
display that reads one of the function's own names is not read: the
display may be evaluated elsewhere (a row, at module level) than the call.
"""

from __future__ import annotations

import ast
from itertools import product

from sphinxcontrib_aidoc.analyze._frame import Frame, Returned

#: Most calls one spread call is read as (several spread names multiply).
MAX_VARIANTS = 32


def spread_calls(call: ast.Call, frame: Frame) -> list[ast.Call] | None:
    """The calls *call* makes, each ``**name`` replaced by its keywords; None if unread.

    None as well when *call* spreads nothing by ``**``.
    """
    spread = [k for k in call.keywords if k.arg is None]
    if not spread:
        return None
    choices: list[list[list[ast.keyword]]] = []
    for keyword in spread:
        found = _displays(keyword.value, frame)
        if found is None:
            return None
        choices.append(found)
    kept = [k for k in call.keywords if k.arg is not None]
    variants: list[ast.Call] = []
    for chosen in product(*choices):
        if len(variants) >= MAX_VARIANTS:
            return None
        keywords = [*kept, *(k for group in chosen for k in group)]
        names = [k.arg for k in keywords]
        if len(names) != len(set(names)):
            return None  # a keyword given twice: the call raises, reads nothing
        variant = ast.Call(func=call.func, args=call.args, keywords=keywords)
        variants.append(ast.copy_location(variant, call))
    return variants


def _displays(value: ast.expr, frame: Frame) -> list[list[ast.keyword]] | None:
    """The keywords of each dict display the name *value* may hold, or None."""
    if not isinstance(value, ast.Name) or value.id in frame.params:
        return None
    bindings = frame.local.get(value.id)
    if not bindings or not _only_spread(value.id, frame):
        return None
    found: list[list[ast.keyword]] = []
    for binding in bindings:
        values = binding.values if isinstance(binding, Returned) else [binding]
        for display in values:
            keywords = _keywords(display, frame)
            if keywords is None:
                return None
            found.append(keywords)
    return found


def _keywords(display: ast.expr, frame: Frame) -> list[ast.keyword] | None:
    """``{"mode": "rt"}`` or ``dict(mode="rt")`` as ``[mode="rt"]``, else None."""
    pairs = _pairs(display, frame)
    if pairs is None:
        return None
    keywords: list[ast.keyword] = []
    for key, item in pairs:
        if key is None or not key.isidentifier():
            return None  # ``**other`` inside, or a key no keyword can be
        if any(
            isinstance(n, ast.Name) and (n.id in frame.local or n.id in frame.params)
            for n in ast.walk(item)
        ):
            return None
        keywords.append(ast.keyword(arg=key, value=item))
    return keywords


def _pairs(display: ast.expr, frame: Frame) -> list[tuple[str | None, ast.expr]] | None:
    """The constant keys and values of a dict display or ``dict(...)`` call."""
    if isinstance(display, ast.Dict):
        return [
            (
                key.value
                if isinstance(key, ast.Constant) and isinstance(key.value, str)
                else None,
                item,
            )
            for key, item in zip(display.keys, display.values, strict=True)
        ]
    if (
        isinstance(display, ast.Call)
        and isinstance(display.func, ast.Name)
        and display.func.id == "dict"
        and "dict" not in frame.local
        and "dict" not in frame.params
        and not display.args
    ):
        return [(k.arg, k.value) for k in display.keywords]
    return None


def _only_spread(name: str, frame: Frame) -> bool:
    """Whether every read of *name* in *frame* is a ``**name`` of a call.

    Functions nested in it included (a closure may add a key).
    """
    nodes: list[ast.AST] = (
        list(ast.walk(frame.definition.node)) if frame.definition else frame.own
    )
    spread = {
        id(k.value)
        for node in nodes
        if isinstance(node, ast.Call)
        for k in node.keywords
        if k.arg is None
    }
    return all(
        id(node) in spread
        for node in nodes
        if isinstance(node, ast.Name)
        and node.id == name
        and isinstance(node.ctx, ast.Load)
    )
