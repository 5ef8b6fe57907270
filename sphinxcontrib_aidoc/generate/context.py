"""What a reader of the code would look at, for the request to the model.

:func:`context_text` gives, within a character budget, in this order:

1. the docstring of the module and of the class a member belongs to;
2. the docstrings of the project functions and classes the body calls
   (``ObjectInfo.calls`` resolved to files of the project);
3. a few real call sites of the object, in the project and in its tests.

:func:`retry_note` says why a first answer was rejected when an object is
asked again (:class:`AskAgain`); it goes with the facts, never dropped.

Everything is read with :mod:`ast` (no import, no inference) from the
files of the project the object belongs to: its top-level package and the
``tests``/``test`` folders beside it. Each file is parsed once per process
(keyed by path, size and modification time), the calls of the project are
indexed once per process, and the search is bounded (:data:`MAX_FILES`
files of at most :data:`MAX_FILE_BYTES`, at most :data:`MAX_CALLEES`
callees and :data:`MAX_SITES` call sites), so the context costs little
even on a large project (``benchmarks/bench_context.py``). Whatever does not fit the
budget is left out whole, last items first; with no room, there is no
context at all.

The context is not part of the cache key: it helps the model, but a change
in a callee's docstring does not make the answers of all its callers wrong,
and asking again for them would be paid for.
"""

from __future__ import annotations

import ast
import functools
import os
from dataclasses import dataclass, fields
from pathlib import Path

from sphinxcontrib_aidoc.model import MEMBER_KINDS, ObjectInfo

#: Longest context block sent.
MAX_CONTEXT_CHARS = 3_000
#: Files searched for call sites, at most.
MAX_FILES = 400
#: Files larger than this are not read.
MAX_FILE_BYTES = 400_000
#: Callee docstrings sent, at most.
MAX_CALLEES = 5
#: Call sites sent, at most.
MAX_SITES = 3
#: Longest docstring text sent (its first paragraph, clipped).
MAX_DOC_CHARS = 300
#: Longest call-site line sent.
MAX_LINE_CHARS = 160
#: The line before the context in the user message.
CONTEXT_MARKER = (
    "Context (what a reader would also look at; the facts win where they differ):"
)
_TEST_DIRS = ("tests", "test")


@dataclass(frozen=True, slots=True)
class AskAgain(ObjectInfo):
    """An object asked about a second time, with why its answer was rejected."""

    #: Why the first answer was rejected (sent in the request).
    reason: str = ""

    @classmethod
    def of(cls, info: ObjectInfo, reason: str) -> AskAgain:
        """Return *info* to be asked again because of *reason*."""
        values = {f.name: getattr(info, f.name) for f in fields(ObjectInfo)}
        return cls(**values, reason=reason)


def retry_note(info: ObjectInfo) -> str:
    """Return why the first answer was rejected, for a second request (or "")."""
    if not isinstance(info, AskAgain) or not info.reason:
        return ""
    reason = info.reason[:MAX_DOC_CHARS]
    return (
        f"\nYour previous answer was rejected: {reason}. Say what the code "
        "does, from the facts, the source and the context.\n"
    )


def context_text(info: ObjectInfo, max_chars: int) -> str:
    """Return the context block for *info*'s request, within *max_chars*."""
    if max_chars <= len(CONTEXT_MARKER) + 3:
        return ""
    items = _gather(info)
    kept: list[str] = []
    used = len(CONTEXT_MARKER) + 3
    for item in items:
        if used + len(item) + 1 > max_chars:
            break
        kept.append(item)
        used += len(item) + 1
    if not kept:
        return ""
    return "\n" + "\n".join([CONTEXT_MARKER, *kept]) + "\n"


def _gather(info: ObjectInfo) -> list[str]:
    """The context items of *info*, most useful first (never raises)."""
    try:
        root = _package_root(info)
        if root is None:
            return []
        items = _owner_docs(info, root)
        items.extend(_callee_docs(info, root))
        items.extend(_call_sites(info, root))
    except (OSError, ValueError, RecursionError):
        return []
    return items


def _package_root(info: ObjectInfo) -> Path | None:
    """The folder holding *info*'s top-level package (or module)."""
    if not info.file or not info.module:
        return None
    path = Path(info.file)
    depth = info.module.count(".") + (2 if path.name == "__init__.py" else 1)
    root = path
    for _ in range(depth):
        root = root.parent
    return root if root.is_dir() else None


@dataclass(frozen=True, slots=True)
class _Parsed:
    """What one file offers: its tree, its lines, the names it uses and calls."""

    tree: ast.Module
    lines: tuple[str, ...]
    #: Plain names it uses, imports or defines.
    names: frozenset[str]
    #: Called name (``f`` of ``f(...)`` and ``x.f(...)``) to its first lines.
    calls: dict[str, tuple[int, ...]]


@functools.lru_cache(maxsize=2048)
def _parse_cached(path: str, size: int, mtime: int) -> _Parsed | None:
    """Parse *path* (the per-process cache: one entry per size and mtime)."""
    del size, mtime  # part of the cache key only
    try:
        text = Path(path).read_text(encoding="utf-8")
        tree = ast.parse(text)
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        return None
    names: set[str] = set()
    calls: dict[str, list[int]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name.rpartition(".")[2])
        elif isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else ""
            called = called or (func.attr if isinstance(func, ast.Attribute) else "")
            if called:
                calls.setdefault(called, []).append(node.lineno)
    return _Parsed(
        tree,
        tuple(text.splitlines()),
        frozenset(names),
        {name: tuple(sorted(lines)[:8]) for name, lines in calls.items()},
    )


def _parse(path: Path) -> _Parsed | None:
    """Parse *path* once per process (again when its size or mtime changes)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    if stat.st_size > MAX_FILE_BYTES:
        return None
    return _parse_cached(os.fspath(path), stat.st_size, stat.st_mtime_ns)


def _module_file(root: Path, module: str) -> Path | None:
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _find(tree: ast.Module, path: list[str]) -> ast.AST | None:
    """The def or class at *path* (``["Class", "meth"]``) in *tree*."""
    body: list[ast.stmt] = tree.body
    node: ast.AST | None = None
    for name in path:
        node = next(
            (
                n
                for n in body
                if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                and n.name == name
            ),
            None,
        )
        if node is None:
            return None
        body = node.body
    return node


def _first_paragraph(doc: str | None) -> str:
    if not doc:
        return ""
    text = " ".join(doc.strip().split("\n\n", 1)[0].split())
    if len(text) > MAX_DOC_CHARS:
        text = text[: MAX_DOC_CHARS - 1].rstrip() + "\u2026"
    return text


def _docstring_of(root: Path, dotted: str) -> str:
    """The first paragraph of the docstring of *dotted*, found in the project."""
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        path = _module_file(root, ".".join(parts[:cut]))
        if path is None:
            continue
        parsed = _parse(path)
        if parsed is None:
            return ""
        node = _find(parsed.tree, parts[cut:])
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return _first_paragraph(ast.get_docstring(node))
        return ""
    return ""


def _owner_docs(info: ObjectInfo, root: Path) -> list[str]:
    items: list[str] = []
    parsed = _parse(Path(info.file))
    if parsed is not None:
        doc = _first_paragraph(ast.get_docstring(parsed.tree))
        if doc:
            items.append(f"- Module {info.module}: {doc}")
    if info.kind in MEMBER_KINDS:
        owner = info.qualname.rpartition(".")[0]
        doc = _docstring_of(root, owner)
        if doc:
            items.append(f"- Class {owner}: {doc}")
    return items


def _callee_docs(info: ObjectInfo, root: Path) -> list[str]:
    items: list[str] = []
    for callee in dict.fromkeys(info.calls):
        if callee == info.qualname or not callee.startswith(info.module.split(".")[0]):
            continue
        doc = _docstring_of(root, callee)
        if doc:
            items.append(f"- It calls {callee}: {doc}")
            if len(items) == MAX_CALLEES:
                break
    return items


@dataclass(frozen=True, slots=True)
class _Project:
    """The call index of a project's files (see :func:`_project`)."""

    #: Called name to ``(file, line)`` of its calls, tests first.
    calls: dict[str, list[tuple[Path, int]]]
    #: File to the plain names it uses, imports or defines.
    names: dict[Path, frozenset[str]]
    #: File to its lines.
    lines: dict[Path, tuple[str, ...]]


@functools.lru_cache(maxsize=16)
def _project(root: Path, top: str) -> _Project:
    """Index the calls of the project's files, tests first, once per process.

    At most :data:`MAX_FILES` files; a file changed or added while a
    long-lived process runs is not seen by it.
    """
    folders = [root / name for name in _TEST_DIRS]
    folders += [root.parent / name for name in _TEST_DIRS]
    folders.append(root / top)
    files: list[Path] = []
    for folder in dict.fromkeys(folders):
        if folder.is_dir():
            files.extend(sorted(folder.rglob("*.py"))[: MAX_FILES - len(files)])
    project = _Project({}, {}, {})
    for path in files:
        parsed = _parse(path)
        if parsed is None:
            continue
        project.names[path] = parsed.names
        project.lines[path] = parsed.lines
        for name, lines in parsed.calls.items():
            project.calls.setdefault(name, []).extend((path, n) for n in lines)
    return project


def _call_sites(info: ObjectInfo, root: Path) -> list[str]:
    """Lines that call *info*, in files that name its class or import it."""
    if info.kind == "property" or info.name.startswith("__"):
        return []
    owner = info.qualname.rpartition(".")[0].rpartition(".")[2]
    anchor = owner if info.kind in MEMBER_KINDS else info.name
    own = Path(info.file)
    project = _project(root, info.module.split(".")[0])
    sites: list[str] = []
    files: set[Path] = set()
    for path, line in project.calls.get(info.name, ()):
        if path in files or anchor not in project.names[path]:
            continue  # one site per file: different uses say more
        if path == own and info.lineno <= line <= max(info.end_lineno, info.lineno):
            continue  # the object calling itself
        text = project.lines[path][line - 1].strip()[:MAX_LINE_CHARS]
        sites.append(f"- Called in {_shown(path, root)}:{line}: {text}")
        files.add(path)
        if len(sites) == MAX_SITES:
            break
    return sites


def _shown(path: Path, root: Path) -> str:
    base = root if path.is_relative_to(root) else root.parent
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else path.name
