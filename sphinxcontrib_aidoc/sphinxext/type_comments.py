"""autodoc's look for a function's type comment, skipped where its file has none.

With ``autodoc_use_type_comments`` (on by default), autodoc reads the
signature of every function it documents from a ``# type: (...) -> ...``
comment, if the function has one: it takes the function's source
(``inspect.getsource``, which tokenizes the file around it) and parses it.
On tomlkit's own docs that is about 0.2 s of a 1.9 s plain build, for
functions none of which has such a comment.

A type comment is a comment that starts ``#``, optional blanks, ``type:``
(as Python's tokenizer reads one), other than ``# type: ignore`` (which
typed code holds by the dozen, and which is never a signature: the
tokenizer reads it as an ignore comment). :func:`skip_uncommented` wraps
autodoc's look-up: where the file the function's source would be read
from (found as ``inspect.getsource`` finds it, through the same line
cache) holds no such text anywhere, the function has no type comment and
the answer is autodoc's own "none"; anywhere else, autodoc looks as it
always did.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import linecache
import re
from collections.abc import Callable
from typing import Any

#: What every type comment but ``# type: ignore`` contains: ``#``, blanks
#: or tabs, ``type:``, blanks or tabs, then not ``ignore`` ending there or
#: followed by an ASCII character other than a letter or digit (that is
#: the tokenizer's ignore comment, never a signature).
_TYPE_COMMENT = re.compile(
    # (every blank after ``type:`` taken: ``(?![ \t])`` stops a retry with fewer)
    r"#[ \t]*type:[ \t]*(?![ \t])(?!ignore(?:$|[\x00-/:-@\[-`{-\x7f]))"
)
#: Where autodoc defines the look-up (Sphinx 9, then Sphinx 8).
_HOMES = (
    "sphinx.ext.autodoc._dynamic._type_comments",
    "sphinx.ext.autodoc.type_comment",
)
#: Per file: the lines read (linecache's list) and whether they hold one.
_SEEN: dict[str, tuple[list[str], bool]] = {}


def skip_uncommented() -> None:
    """Wrap autodoc's ``get_type_comment`` where it is looked up (once per process)."""
    for home in _HOMES:
        try:
            module = importlib.import_module(home)
        except ImportError:
            continue
        look = getattr(module, "get_type_comment", None)
        if callable(look) and not hasattr(look, "__wrapped__"):
            module.get_type_comment = _skipping(look)  # type: ignore[attr-defined]
        return


def _skipping(look: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(look)
    def get_type_comment(obj: Any, bound_method: bool = False) -> Any:  # noqa: ANN401 (autodoc's)
        if not may_have_type_comment(obj):
            return None  # (what autodoc answers for a function without one)
        return look(obj, bound_method)

    return get_type_comment


def may_have_type_comment(obj: object) -> bool:
    """False when the file *obj*'s source is read from has no type comment."""
    try:
        target = inspect.unwrap(obj)  # type: ignore[arg-type]  # (as getsource unwraps)
        file = inspect.getsourcefile(target)
    except Exception:  # noqa: BLE001 (autodoc's own look-up meets it, and says so)
        return True
    if not file:
        return True
    linecache.checkcache(file)
    lines = linecache.getlines(file)
    if not lines:
        return True  # (read through its module's loader: autodoc looks)
    seen = _SEEN.get(file)
    if seen is None or seen[0] is not lines:
        seen = _SEEN[file] = (lines, any(map(_TYPE_COMMENT.search, lines)))
    return seen[1]
