"""Keyword arguments a function hands on with ``**kwargs``, read at its callers.

.. code-block:: python

    class Option(Parameter):
        def __init__(self, decls, show_default=None, **attrs):
            super().__init__(decls, **attrs)     # a site of Parameter.__init__

    Option(["--count"], default=1, metavar="N")  # passes default, metavar on

A call that unpacks ``**attrs`` may pass any parameter it does not name,
so the call-site reader (:mod:`._callsites`) takes it as passing nothing
known beyond what it names. When ``attrs`` is the calling function's own
``**`` parameter (or that of the function around it, for a nested
decorator: ``def option(*decls, **attrs): def decorator(f):
Option(decls, **attrs)``), what it holds is exactly the keywords the
function's own callers give beyond its named parameters. Such a site is
read as two: the call itself, passing what it names (the unpacking now
passes nothing else), and, at each caller of the forwarding function, the
keywords that caller gives into ``attrs``, as passed to the callee where
that caller is.

Only when every one is known:

* the function never rebinds or changes ``attrs``: its only uses are
  ``**attrs`` in calls, ``"name" in attrs`` tests and ``attrs.get(...)``
  (``attrs.pop(...)``, ``attrs[k] = v``, ``attrs.update(...)``, passing it
  on as a value: nothing is read);
* the function has call sites, is reached by no call left unresolved, and
  none of its own callers unpacks ``**`` (``*args`` gives no keyword; a
  chain is read once its own link is; :func:`forward` runs until nothing
  changes).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._arguments import BOUND_KINDS, POSITIONAL
from sphinxcontrib_aidoc.analyze._nodes import walk
from sphinxcontrib_aidoc.analyze._self_filled import writes_item
from sphinxcontrib_aidoc.analyze._site_uses import UNPACKED

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._arguments import Site
    from sphinxcontrib_aidoc.analyze._frame import Frame
    from sphinxcontrib_aidoc.analyze._index import ProjectIndex
    from sphinxcontrib_aidoc.model import ObjectInfo

#: How many links of a chain of forwarding functions are read.
_MAX_ROUNDS = 4
#: Where a nested function's qualname starts its own part.
_NESTED = ".<nested>."


def forward(
    sites: dict[str, list[Site]],
    calls: dict[int, ast.Call],
    index: ProjectIndex,
    complete: Callable[[str], bool],
) -> set[int]:
    """Read the forwarding sites of *sites* as their callers' keywords, in place.

    Args:
        sites: Call sites by callee (changed in place).
        calls: The call of each site, by the id of its argument map (only
            calls known to reach their callee: a call on an object of
            unknown class is not among them).
        index: The project index.
        complete: Whether every call of a function is among *sites*.

    Returns:
        The ids of the argument maps this added.
    """
    added: set[int] = set()
    expanded: set[int] = set()
    for _ in range(_MAX_ROUNDS):
        changed = False
        for callee, found in sites.items():
            record = index.records.get(callee)
            if record is None:
                continue
            names: set[str] | None = {
                p.name for p in record.params if p.kind != "positional_only"
            }
            if any(p.kind == "var_keyword" for p in record.params):
                names = None  # any keyword: what it does not name, its own ``**``
            for position, (frame, passed) in enumerate(found):
                call = passed.get(UNPACKED)
                if not isinstance(call, ast.Call) or not _stars_fill_variadic(
                    call, record
                ):
                    continue
                owner = _forwarding_owner(call, frame, index)
                if owner is None or not complete(owner[0]):
                    continue
                derived = _derived(
                    owner,
                    sites,
                    calls,
                    partial=added,
                    expanded=expanded,
                    names=names,
                    index=index,
                )
                if derived is not None:
                    added_here = _added_here(owner, frame, names)
                    derived.extend(added_here)
                if derived is None:
                    continue
                kept = {k: v for k, v in passed.items() if k != UNPACKED}
                found[position] = (frame, kept)
                calls[id(kept)] = call
                expanded.add(id(kept))  # its ``**`` is read as the sites added
                found.extend(derived)
                added.update(id(p) for _, p in derived)
                changed = True
        if not changed:
            break
    return added


def _stars_fill_variadic(call: ast.Call, callee: ObjectInfo) -> bool:
    """Whether what *call* unpacks by ``*`` can only go to *callee*'s ``*args``.

    ``option(*decls, **attrs)`` of ``def option(*param_decls, cls=None,
    **attrs)``: every position is the ``*param_decls``'s, so no named
    parameter is given by position unseen. A star before the last
    parameter a position can fill may give any of them.
    """
    stars = [i for i, a in enumerate(call.args) if isinstance(a, ast.Starred)]
    if not stars:
        return True
    params = [p for p in callee.params if p.kind in POSITIONAL]
    if callee.kind in BOUND_KINDS and params:
        params = params[1:]
    return stars[0] >= len(params)


def _forwarding_owner(
    call: ast.Call, frame: Frame, index: ProjectIndex
) -> tuple[str, str, _Changes] | None:
    """``(function, name, changes)`` when *call* hands on that function's ``**name``."""
    unpacked = [k.value for k in call.keywords if k.arg is None]
    if len(unpacked) != 1 or not isinstance(unpacked[0], ast.Name):
        return None
    name = unpacked[0].id
    definition = frame.definition
    if definition is None:
        return None
    qualname = definition.qualname
    own: dict[str, object] = dict(frame.local)
    while True:
        record = index.records.get(qualname)
        params = record.params if record is not None else ()
        if any(p.name == name and p.kind == "var_keyword" for p in params):
            break
        if any(p.name == name for p in params) or name in own:
            return None  # the nested function's own name
        if _NESTED not in qualname:
            return None
        qualname = qualname.rpartition(_NESTED)[0]
        own = {}
    node = index.defs[qualname].node if qualname in index.defs else None
    changes = None if node is None else _changes(node, name)
    if changes is None:
        return None
    return qualname, name, changes


#: What a function does to its ``**name`` before handing it on: the values
#: it adds by literal key (``setdefault("k", v)``, ``name["k"] = v``), and
#: the keys it removes (``name.pop("k", ...)``).
_Changes = tuple[tuple[tuple[str, ast.expr], ...], frozenset[str]]


def _changes(node: ast.AST, name: str) -> _Changes | None:
    """What the function *node* adds to and removes from ``**name``, or None.

    None when any other use of *name* may change it unseen (a key that is
    not a literal, ``update``, ``del``, ``clear``, passing it as a value).
    """
    allowed: set[int] = set()
    added: list[tuple[str, ast.expr]] = []
    removed: set[str] = set()
    for inner in walk(node):
        if isinstance(inner, ast.keyword) and inner.arg is None:
            allowed.add(id(inner.value))
        elif isinstance(inner, ast.Compare) and all(
            isinstance(op, ast.In | ast.NotIn) for op in inner.ops
        ):
            allowed.update(id(c) for c in inner.comparators)
        elif isinstance(inner, ast.Call) and _on(inner.func, name):
            assert isinstance(inner.func, ast.Attribute)
            key = _literal_key(inner.args[0] if inner.args else None)
            method = inner.func.attr
            if method == "get":
                allowed.add(id(inner.func.value))
            elif method == "setdefault" and key and len(inner.args) == 2:
                added.append((key, inner.args[1]))
                allowed.add(id(inner.func.value))
            elif method == "pop" and key:
                removed.add(key)
                allowed.add(id(inner.func.value))
        elif writes_item(inner, name):  # ``name["k"] = v``
            assert isinstance(inner, ast.Assign)
            assert isinstance(inner.targets[0], ast.Subscript)
            key = _literal_key(inner.targets[0].slice)
            if key:
                added.append((key, inner.value))
                allowed.add(id(inner.targets[0].value))
    uses = [n for n in walk(node) if isinstance(n, ast.Name) and n.id == name]
    if not all(id(n) in allowed for n in uses):
        return None
    return tuple(added), frozenset(removed)


def _on(func: ast.expr, name: str) -> bool:
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == name
    )


def _literal_key(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _added_here(
    owner: tuple[str, str, _Changes], frame: Frame, names: set[str] | None
) -> list[Site]:
    """The values the forwarding function itself adds to ``**name``, as a site.

    Read where the forwarding call is: the function itself, or the one
    around it for a nested decorator (whose frame reads the names around).
    """
    given = {key: value for key, value in owner[2][0] if names is None or key in names}
    return [(frame, given)] if given else []


def _derived(
    owner: tuple[str, str, _Changes],
    sites: dict[str, list[Site]],
    calls: dict[int, ast.Call],
    *,
    partial: set[int],
    expanded: set[int],
    names: set[str] | None,
    index: ProjectIndex,
) -> list[Site] | None:
    """One site per caller of the forwarding function: what it gives ``**name``.

    A caller that is itself only the keywords handed on to the forwarding
    function (*partial*, from the link before) gives those; a caller whose
    own ``**`` was read that way (*expanded*) gives the keywords it names.
    """
    function, _, (_, removed) = owner
    callers = sites.get(function)
    if not callers:
        return None
    consumed = {
        p.name
        for p in index.records[function].params
        if p.kind not in ("positional_only", "var_positional", "var_keyword")
    }
    derived: list[Site] = []
    for frame, passed in callers:
        if id(passed) in partial:
            keywords = dict(passed)
        else:
            call = calls.get(id(passed))
            if call is None or (
                id(passed) not in expanded and any(k.arg is None for k in call.keywords)
            ):
                return None  # a caller that unpacks ``**`` may give any keyword
            keywords = {k.arg: k.value for k in call.keywords if k.arg is not None}
        given = {
            key: value
            for key, value in keywords.items()
            if key not in removed
            and key not in consumed
            and (names is None or key in names)
        }
        if given:
            derived.append((frame, given))
    return derived
