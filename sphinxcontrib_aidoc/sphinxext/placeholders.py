"""One walk of a resolved doctree for every node aidoc replaces at writing.

Six ``doctree-resolved`` handlers (generated notes, call lines, the API
index, the changelog, the quality table, search boxes) each replace their
own placeholder nodes. Each used to walk the whole doctree for its kind:
six walks of every page. :func:`take` walks a page once, the first time a
registered kind is asked for, and hands each handler its nodes.

A kind is handed out once per doctree; asked again (the same doctree
resolved twice), it is looked up by a walk of its own, as is a kind not
registered. Nodes a handler replaced are no longer in the tree and are not
handed out.
"""

from __future__ import annotations

import weakref
from typing import TypeVar

from docutils import nodes

_N = TypeVar("_N", bound=nodes.Element)

#: The kinds :func:`take` collects in its one walk.
_KINDS: set[type[nodes.Element]] = set()
#: Per doctree: the registered kinds' nodes not handed out yet.
_FOUND: weakref.WeakKeyDictionary[nodes.document, dict[type, list[nodes.Element]]] = (
    weakref.WeakKeyDictionary()
)


def register(kind: type[nodes.Element]) -> None:
    """Have :func:`take` collect the nodes of *kind* (exact class)."""
    _KINDS.add(kind)


def take(doctree: nodes.document, kind: type[_N]) -> list[_N]:
    """The nodes of *kind* in *doctree*, in document order."""
    found = _FOUND.get(doctree)
    if found is None:
        found = {k: [] for k in _KINDS}
        for node in doctree.findall(nodes.Element):
            bucket = found.get(type(node))
            if bucket is not None:
                bucket.append(node)
        _FOUND[doctree] = found
    bucket = found.pop(kind, None)
    if bucket is None:
        return list(doctree.findall(kind))
    return [node for node in bucket if node.parent is not None]  # type: ignore[misc]
