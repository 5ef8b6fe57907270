"""Offline facts that come from other records than the object's own source.

A thin wrapper is described by the docstring summary of the project
function it calls; a property that returns ``self._x`` by the ``#:``
comment (or the class docstring's ``Attributes`` entry) the author wrote
for ``_x``; a method that does nothing by the subclasses that override it.
Every text here is either the author's own words, quoted, or a fact of the
records given; None when the records do not say.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Mapping

from sphinxcontrib_aidoc.generate._code import (
    body,
    callee,
    only_statement,
    parse_definition,
)
from sphinxcontrib_aidoc.model import CLASS_KINDS, ObjectInfo

#: Longest summary taken over from another docstring.
_MAX_QUOTED = 110
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


def _owner(info: ObjectInfo) -> str:
    return info.qualname.rpartition(".")[0]


def _resolve(
    name: str, info: ObjectInfo, related: Mapping[str, ObjectInfo]
) -> ObjectInfo | None:
    """The record a call to *name* from *info*'s body reaches, if certain.

    ``self.method``/``cls.method`` of the owner class, or a bare name
    defined in the same module; anything else (an import, an attribute of
    another object) is not guessed.
    """
    head, _, tail = name.partition(".")
    if head in ("self", "cls") and tail and "." not in tail:
        qualname = f"{_owner(info)}.{tail}"
    elif not tail:
        qualname = f"{info.module}.{name}"
    else:
        return None
    found = related.get(qualname)
    return found if found is not None and found.qualname != info.qualname else None


def delegated(info: ObjectInfo, related: Mapping[str, ObjectInfo]) -> str | None:
    """``<callee's summary> (through ``callee``)`` for a one-call body, or None."""
    node = parse_definition(info.source)
    if node is None or isinstance(node, ast.ClassDef):
        return None
    statement = only_statement(node)
    call = statement.value if isinstance(statement, ast.Return | ast.Expr) else None
    if not isinstance(call, ast.Call):
        return None
    name = callee(call)
    if name is None:
        return None
    target = _resolve(name, info, related)
    quoted = first_sentence(target.docstring) if target is not None else None
    if quoted is None:
        return None
    return f"{quoted.rstrip('.')} (through ``{name}``)"


def _comment_for(source: str, attribute: str) -> str | None:
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
        found = _attributes_entry(owner.docstring, attribute) or _comment_for(
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
