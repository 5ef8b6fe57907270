"""Facts of a class for the offline wording: subclasses, fields, protocols.

Read from the class's own source and the other records given: the classes
whose bases name it, the fields of a dataclass, and the special methods that
make its instances callable, iterable or context managers. Each answer is a
clause (lower case, no period) the code backs, or None.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from sphinxcontrib_aidoc.generate._code import code_text
from sphinxcontrib_aidoc.generate._words import join
from sphinxcontrib_aidoc.model import CLASS_KINDS, ObjectInfo

#: Most classes a clause lists by name.
_MAX_LISTED = 3
#: Bases whose annotated class attributes are the fields of a record.
_RECORD_BASES = {"NamedTuple": "a named tuple", "TypedDict": "a typed dict"}


class _SubclassIndex:
    """The classes of one set of records by the last name of each base.

    Built once per set (the last one asked about is kept): finding the
    subclasses of each class by a scan of every record made drafting
    quadratic in the project's size.
    """

    def __init__(self) -> None:
        self._records: Mapping[str, ObjectInfo] | None = None
        self._by_base: dict[str, list[ObjectInfo]] = {}

    def of(self, related: Mapping[str, ObjectInfo], name: str) -> list[ObjectInfo]:
        """The classes in *related* one of whose bases is named *name*."""
        if related is not self._records:
            by_base: dict[str, list[ObjectInfo]] = {}
            for other in related.values():
                if other.kind in CLASS_KINDS:
                    for last in {b.rpartition(".")[2] for b in other.bases}:
                        by_base.setdefault(last, []).append(other)
            self._records, self._by_base = related, by_base
        return self._by_base.get(name, [])

    def release(self) -> None:
        """Drop the records (at the end of a batch: they are not kept alive)."""
        self._records, self._by_base = None, {}


SUBCLASSES = _SubclassIndex()


def subclasses(info: ObjectInfo, related: Mapping[str, ObjectInfo]) -> str | None:
    """``the base class of ``A`` and ``B```` from the classes in *related*."""
    found = sorted(
        other.name
        for other in SUBCLASSES.of(related, info.name)
        if other.qualname != info.qualname
    )
    if not found:
        return None
    shown = [f"``{n}``" for n in found[:_MAX_LISTED]]
    if len(found) > _MAX_LISTED:
        shown.append(f"{len(found) - _MAX_LISTED} more")
    return "the base class of " + join(shown)


def dataclass_fields(node: ast.stmt) -> str | None:
    """``a dataclass with the fields ``a`` and ``b````, or None.

    A ``NamedTuple`` or ``TypedDict`` subclass is read alike ("a named tuple
    with the fields ...").
    """
    if not isinstance(node, ast.ClassDef):
        return None
    decorators = [
        code_text(d.func if isinstance(d, ast.Call) else d, 60)
        for d in node.decorator_list
    ]
    bases = {code_text(b, 80) or "" for b in node.bases}
    named = {b.partition("[")[0].rpartition(".")[2] for b in bases} & set(_RECORD_BASES)
    if not named and not any(
        d and d.rpartition(".")[2] in ("dataclass", "define", "frozen")
        for d in decorators
    ):
        return None
    fields = [
        s.target.id
        for s in node.body
        if isinstance(s, ast.AnnAssign)
        and isinstance(s.target, ast.Name)
        and "ClassVar" not in (code_text(s.annotation, 80) or "ClassVar")
    ]
    if not fields:
        return None
    shown = [f"``{f}``" for f in fields[:5]]
    if len(fields) > 5:
        shown.append(f"{len(fields) - 5} more")
    noun = "field" if len(fields) == 1 else "fields"
    kind = _RECORD_BASES.get(next(iter(sorted(named)), ""), "a dataclass")
    return f"{kind} with the {noun} {join(shown)}"


#: Special methods and what they make a class's instances.
_PROTOCOLS = (
    (("__call__",), "callable"),
    (("__enter__", "__aenter__"), "context managers"),
    (("__iter__", "__aiter__"), "iterable"),
)


def protocols(node: ast.stmt) -> str | None:
    """``its instances are callable and iterable`` from the special methods."""
    if not isinstance(node, ast.ClassDef):
        return None
    defined = {
        s.name
        for s in node.body
        if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    found = [text for names, text in _PROTOCOLS if defined & set(names)]
    return f"its instances are {join(found)}" if found else None


def empty_body(node: ast.stmt) -> bool:
    """Whether a class's body holds nothing (``pass``, ``...``, a docstring).

    ``class CLIENT(Sentinel): pass`` is all its bases and its name: a marker,
    an alias of a combination of bases, a distinct exception type.
    """
    if not isinstance(node, ast.ClassDef):
        return False
    return all(
        isinstance(s, ast.Pass)
        or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
        for s in node.body
    )
