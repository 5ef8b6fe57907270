"""Offline facts that come from other records than the object's own source.

A thin wrapper is described by the docstring summary of the project
function it calls (its record in the drafted batch, or its source file when
it is documented and so not in the batch); a property that returns ``self._x`` by the ``#:``
comment (or the class docstring's ``Attributes`` entry) the author wrote
for ``_x``; a method that does nothing by the subclasses that override it.
Every text here is either the author's own words, quoted, or a fact of the
records given; None when the records do not say.
"""

from __future__ import annotations

import ast
import functools
import inspect
import os
import re
from collections.abc import Mapping
from pathlib import Path

from sphinxcontrib_aidoc.generate._code import (
    body,
    callee,
    only_statement,
    parse_definition,
)
from sphinxcontrib_aidoc.model import CLASS_KINDS, ROUTINE_KINDS, ObjectInfo

#: Longest summary taken over from another docstring.
_MAX_QUOTED = 110
#: Longest source, and most calls, of a routine read as a thin wrapper.
_MAX_BODY = 1_200
_MAX_CALLS = 4
_MAX_LISTED = 3


def first_sentence(docstring: str | None) -> str | None:
    """The first sentence of *docstring*'s summary paragraph, or None."""
    text = inspect.cleandoc(docstring or "")
    paragraph = " ".join(text.split("\n\n", 1)[0].split())
    if not paragraph:
        return None
    match = re.match(r"(.+?[.!?])(?:\s|$)", paragraph)
    found = match[1] if match else paragraph
    return found if len(found) <= _MAX_QUOTED else None


#: reST an author's sentence may hold: a role or literal, a substitution,
#: emphasis, a directive, a footnote or a hyperlink reference (``word_``).
_MARKUP = re.compile(r"[`|*\[\]]|\.\.|\w_(?!\w)")


def plain(text: str) -> bool:
    """Whether *text* is plain prose, safe to quote in generated reST.

    A role or a reference of the author's may not resolve where the quote is
    shown (another module, another page); such a sentence is not quoted.
    """
    return _MARKUP.search(text) is None


def _owner(info: ObjectInfo) -> str:
    return info.qualname.rpartition(".")[0]


def _resolve(name: str, info: ObjectInfo) -> str | None:
    """The qualname a call to *name* from *info*'s body reaches, if certain.

    ``self.method``/``cls.method`` of the owner class, a bare name defined in
    the same module, or a bare name the analysis resolved to one object of
    the same project (``info.calls``); anything else (an attribute of
    another object, a name from another package) is not guessed.
    """
    head, _, tail = name.partition(".")
    if head in ("self", "cls") and tail and "." not in tail:
        found = f"{_owner(info)}.{tail}"
    elif tail:
        return None
    else:
        top = info.module.partition(".")[0]
        imported = [
            c
            for c in dict.fromkeys(info.calls)
            if c.rpartition(".")[2] == name and c.partition(".")[0] == top
        ]
        found = imported[0] if len(imported) == 1 else f"{info.module}.{name}"
    return found if found != info.qualname else None


def delegation(
    info: ObjectInfo, related: Mapping[str, ObjectInfo]
) -> tuple[str, str] | None:
    """``(callee as written, its docstring)`` for a body of one call, or None.

    The docstring is the callee's record's in *related* (the drafted batch)
    or, when the callee is not in it, the one its source file holds (a
    documented callee is never in a batch of objects lacking one).
    """
    if (
        info.kind not in ROUTINE_KINDS
        or not 0 < len(info.calls) <= _MAX_CALLS
        or len(info.source) > _MAX_BODY
    ):
        return None  # not a thin wrapper: no need to parse it
    name = _one_call(info.source)
    qualname = _resolve(name, info) if name is not None else None
    if name is None or qualname is None:
        return None
    record = related.get(qualname)
    if record is not None:
        doc = record.docstring or ""
    else:
        doc = _project_docstring(info, qualname)
    return (name, doc) if doc.strip() else None


@functools.lru_cache(maxsize=4096)
def _one_call(source: str) -> str | None:
    """What a body of one call (``return f(x)``, ``f(x)``) calls, or None.

    Cached by source: the cache key and the draft of one object ask alike.
    """
    node = parse_definition(source)
    if node is None or isinstance(node, ast.ClassDef):
        return None
    statement = only_statement(node)
    call = statement.value if isinstance(statement, ast.Return | ast.Expr) else None
    return callee(call) if isinstance(call, ast.Call) else None


def _project_docstring(info: ObjectInfo, qualname: str) -> str:
    """The docstring of *qualname* in the files of *info*'s project, or ``""``."""
    if not info.file or not info.module:
        return ""
    path = Path(info.file)
    depth = info.module.count(".") + (path.name == "__init__.py")
    if depth >= len(path.parents):
        return ""
    root = path.parents[depth]
    parts = qualname.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        base = root.joinpath(*parts[:cut])
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            try:
                stat = candidate.stat()
            except (OSError, ValueError):
                continue
            docs = _docstrings(os.fspath(candidate), stat.st_size, stat.st_mtime_ns)
            return docs.get(".".join(parts[cut:]), "")
    return ""


@functools.lru_cache(maxsize=4096)  # a file each: a project's every module
def _docstrings(path: str, size: int, mtime: int) -> dict[str, str]:
    """Docstrings of a file's functions, classes and methods, by local name.

    Read with :mod:`ast` once per process and file version (*size* and
    *mtime* are part of the cache key only).
    """
    del size, mtime
    try:
        tree = ast.parse(Path(path).read_bytes())
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    found: dict[str, str] = {}
    nested = [(tree.body, "")]
    while nested:
        statements, prefix = nested.pop()
        for node in statements:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                doc = ast.get_docstring(node)
                if doc:
                    found[prefix + node.name] = doc
                if isinstance(node, ast.ClassDef):
                    nested.append((node.body, f"{prefix}{node.name}."))
    return found


def borrowed(info: ObjectInfo) -> str:
    """The callee docstring the offline text of *info* may quote, or ``""``.

    Part of the offline cache key: a changed callee docstring re-draws the
    wrapper's text.
    """
    found = delegation(info, {})
    return found[1] if found else ""


def delegated(info: ObjectInfo, related: Mapping[str, ObjectInfo]) -> str | None:
    """``<callee's summary> (through ``callee``)`` for a one-call body, or None."""
    found = delegation(info, related)
    quoted = first_sentence(found[1]) if found else None
    if found is None or quoted is None or not plain(quoted):
        return None
    return f"{quoted.rstrip('.')} (through ``{found[0]}``)"


def comment_for(source: str, attribute: str) -> str | None:
    """The ``#:`` comment the author wrote for *attribute* in a class source."""
    lines = source.splitlines()
    target = re.compile(rf"^\s*(?:self\.)?{re.escape(attribute)}\s*(?::[^=]*)?(?:=|$)")
    for index, line in enumerate(lines):
        code_part, _, trailing = line.partition("#:")
        if not target.match(code_part.rstrip()):
            continue
        if trailing.strip():
            return trailing.strip()
        above: list[str] = []
        for previous in reversed(lines[:index]):
            stripped = previous.strip()
            if not stripped.startswith("#:"):
                break
            above.insert(0, stripped[2:].strip())
        if above:
            return " ".join(above)
    return None


def _attributes_entry(docstring: str | None, attribute: str) -> str | None:
    """The text of *attribute* in a class docstring's ``Attributes`` section."""
    text = inspect.cleandoc(docstring or "")
    match = re.search(
        rf"^\s*{re.escape(attribute)}\s*(?:\([^)]*\))?\s*:\s*(\S.*)$",
        text,
        re.MULTILINE,
    )
    return match[1].strip() if match else None


def attribute_doc(info: ObjectInfo, related: Mapping[str, ObjectInfo]) -> str | None:
    """What the class's author wrote for the attribute a property returns."""
    node = parse_definition(info.source)
    statement = only_statement(node) if node is not None else None
    value = statement.value if isinstance(statement, ast.Return) else None
    if not (
        isinstance(value, ast.Attribute)
        and isinstance(value.value, ast.Name)
        and value.value.id == "self"
    ):
        return None
    owner = related.get(_owner(info))
    if owner is None or owner.kind not in CLASS_KINDS:
        return None
    for attribute in dict.fromkeys((value.attr, info.name)):
        found = _attributes_entry(owner.docstring, attribute) or comment_for(
            owner.source, attribute
        )
        if found:
            text = first_sentence(found) or found
            return text if len(text) <= _MAX_QUOTED else None
    return None


def does_nothing(info: ObjectInfo) -> bool:
    """Whether the body is only ``pass`` (not a ``...`` stub)."""
    node = parse_definition(info.source)
    if node is None or isinstance(node, ast.ClassDef):
        return False
    statements = [
        s
        for s in getattr(node, "body", [])
        if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
    ]
    return bool(statements) and all(isinstance(s, ast.Pass) for s in statements)


def overridden_by(info: ObjectInfo, related: Mapping[str, ObjectInfo]) -> str | None:
    """``overridden by ``A`` and ``B```` from the subclasses in *related*."""
    owner = _owner(info).rpartition(".")[2]
    if not owner:
        return None
    found = sorted(
        other.name
        for other in related.values()
        if other.kind in CLASS_KINDS
        and any(b.rpartition(".")[2] == owner for b in other.bases)
        and f"{other.qualname}.{info.name}" in related
    )
    if not found:
        return None
    shown = [f"``{n}``" for n in found[:_MAX_LISTED]]
    if len(found) > _MAX_LISTED:
        shown.append(f"{len(found) - _MAX_LISTED} more")
    joined = (
        " and ".join(shown)
        if len(shown) < 3
        else ", ".join(shown[:-1]) + " and " + shown[-1]
    )
    return f"{joined} {'overrides' if len(found) == 1 else 'override'} it"


def always_raises(info: ObjectInfo) -> str | None:
    """The exception a body of one ``raise`` statement raises, or None."""
    node = parse_definition(info.source)
    if node is None or isinstance(node, ast.ClassDef):
        return None
    statements = body(node)
    if len(statements) != 1 or not isinstance(statements[0], ast.Raise):
        return None
    exc = statements[0].exc
    name = callee(exc) if isinstance(exc, ast.Call) else None
    if name is None and isinstance(exc, ast.Name):
        name = exc.id
    return name
