"""The syntax trees a worker's analyses parsed, read again by the pass behind them.

In the analysis child, each module's analysis parses the module's text
(:func:`._walk.parse`, beside astroid's own tree); the project pass queued
behind the modules (:class:`._index.ProjectIndex`) then read every file of
the package and parsed it again: 3-4 % of tomlkit's first-build child. A
worker's analysis now keeps each tree it parsed (:func:`keeping`), and the
pass takes a file's tree when the file's text is the one that was parsed
(a file edited since, or decoded otherwise, is parsed again).

Nothing changes a tree it reads: the walker and the pass only read nodes
(what they build, such as the variants of a call, are new nodes). The
walker's tree carries type comments (it parses as astroid does), which no
reader of the pass looks at. The trees are kept until the pass takes them
(or :func:`forget`), in the worker only: a build's own process never keeps
one.
"""

from __future__ import annotations

import ast
import contextlib
from collections.abc import Iterator

#: File -> (the text parsed, its tree), while :func:`keeping`.
_KEPT: dict[str, tuple[str, ast.Module]] = {}
#: Set while the trees parsed are kept (depth, for nested ``keeping()``).
_KEEPING: list[bool] = []


@contextlib.contextmanager
def keeping() -> Iterator[None]:
    """Keep the trees :func:`keep` is given while this lasts."""
    _KEEPING.append(True)
    try:
        yield
    finally:
        _KEEPING.pop()


def keep(file: str, text: str, tree: ast.Module) -> None:
    """Keep *tree*, parsed from *text* of *file*, if :func:`keeping`."""
    if _KEEPING:
        _KEPT[file] = (text, tree)


def take(file: str, text: str) -> ast.Module | None:
    """The tree kept for *file* if it was parsed from *text* (given up either way)."""
    kept = _KEPT.pop(file, None)
    if kept is None or kept[0] != text:
        return None
    return kept[1]


def forget() -> None:
    """Drop every tree kept and not taken."""
    _KEPT.clear()
