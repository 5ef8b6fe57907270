"""Per-object opt-out: patterns from the settings and markers in the source.

An object is opted out (aidoc drafts nothing for it) when:

- its qualified name, or the name of a module or class that contains it,
  matches one of the ``aidoc_exclude`` patterns (``fnmatch`` syntax,
  case-sensitive: ``"pkg.internal.*"``, ``"*.legacy_*"``, ``"pkg.mod.Old"``);
- the comment ``# aidoc: skip`` is on its ``def``/``class`` line (or any
  line of a signature that spans several), on one of its decorator lines, or
  on comment lines just above it; on a class, it opts out the members too;
- the comment ``# aidoc: skip-module`` is on a line of its own, at the start
  of a line, anywhere in its module's file.

Files are read once per process and change (path, mtime, size); a missing
or unreadable file opts nothing out. Nothing here imports Sphinx.
"""

from __future__ import annotations

import ast
import fnmatch
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sphinxcontrib_aidoc.model import ObjectInfo

#: The marker comment that opts one definition out.
SKIP_MARKER = "# aidoc: skip"
#: The marker comment that opts a whole module out.
SKIP_MODULE_MARKER = "# aidoc: skip-module"

_SKIP = re.compile(r"#\s*aidoc\s*:\s*skip(?![\w-])")
_SKIP_MODULE = re.compile(r"^#\s*aidoc\s*:\s*skip-module(?![\w-])", re.MULTILINE)
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True, slots=True)
class _Markers:
    """The opt-out markers of one file."""

    #: ``# aidoc: skip-module`` is present.
    module: bool = False
    #: ``(first line, last line)`` of each marked definition.
    spans: tuple[tuple[int, int], ...] = ()


def opted_out(info: ObjectInfo, patterns: Sequence[str] = ()) -> bool:
    """Whether aidoc must leave *info* alone (patterns or source markers)."""
    return opt_out_reason(info, patterns) is not None


def opt_out_reason(info: ObjectInfo, patterns: Sequence[str] = ()) -> str | None:
    """Say why *info* is opted out (for verbose logs), or return None."""
    pattern = matching_pattern(info.qualname, patterns)
    if pattern is not None:
        return f"aidoc_exclude pattern {pattern!r}"
    markers = _markers_of(info.file)
    if markers.module:
        return f"{SKIP_MODULE_MARKER!r} in {info.file}"
    if any(first <= info.lineno <= last for first, last in markers.spans):
        return f"{SKIP_MARKER!r} at {info.file}:{info.lineno}"
    return None


def matching_pattern(qualname: str, patterns: Sequence[str]) -> str | None:
    """Return the first pattern matching *qualname* or a name containing it."""
    if not patterns:
        return None
    parts = qualname.split(".")
    names = [".".join(parts[:end]) for end in range(len(parts), 0, -1)]
    for pattern in patterns:
        if any(fnmatch.fnmatchcase(name, pattern) for name in names):
            return pattern
    return None


def _markers_of(file: str) -> _Markers:
    if not file:
        return _Markers()
    try:
        stat = Path(file).stat()
    except (OSError, ValueError):
        return _Markers()
    return _read_markers(file, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=1024)
def _read_markers(file: str, mtime_ns: int, size: int) -> _Markers:
    """The markers of *file* (the stamp arguments only key the cache)."""
    del mtime_ns, size
    try:
        text = Path(file).read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return _Markers()
    if "aidoc" not in text:
        return _Markers()
    lines = text.splitlines()
    marked = {n for n, line in enumerate(lines, 1) if _SKIP.search(line)}
    module = _SKIP_MODULE.search(text) is not None
    if not marked:
        return _Markers(module=module)
    try:
        tree = ast.parse(text, filename=file)
    except (SyntaxError, ValueError):
        return _Markers(module, _textual_spans(lines, marked))
    return _Markers(module, _spans(tree, lines, marked))


def _spans(
    tree: ast.Module, lines: list[str], marked: set[int]
) -> tuple[tuple[int, int], ...]:
    """Spans of the definitions whose header or comments above are marked."""
    found: list[tuple[int, int]] = []
    for node in ast.walk(tree):
        if not isinstance(node, _DEFS):
            continue
        top = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        first_body = node.body[0].lineno if node.body else node.lineno
        header_end = max(node.lineno, first_body - 1)
        above = top
        while above > 1 and lines[above - 2].lstrip().startswith("#"):
            above -= 1
        if any(above <= n <= header_end for n in marked):
            found.append((top, node.end_lineno or header_end))
    return tuple(found)


def _textual_spans(lines: list[str], marked: set[int]) -> tuple[tuple[int, int], ...]:
    """Without a syntax tree: the ``def``/``class`` line at or below a marker."""
    found: list[tuple[int, int]] = []
    for start in sorted(marked):
        for n in range(start, min(len(lines), start + 50) + 1):
            stripped = lines[n - 1].lstrip()
            if stripped.startswith(("def ", "async def ", "class ")):
                found.append((n, n))
                break
            if n > start and not stripped.startswith(("@", "#")):
                break
    return tuple(found)
