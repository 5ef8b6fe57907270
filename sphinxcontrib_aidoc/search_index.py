"""The API search index: one compact, deterministic JSON document.

No Sphinx here. The glue (``sphinxext/search.py``) turns the build's
documented objects into :class:`SearchRecord` values; this module computes
the call graph between them, shapes the columnar index and serialises it as
``index.json`` and ``index.js`` (the same JSON assigned to one global, so the
search page works from ``file://``). The format is documented in
``docs/api-search.rst``; :data:`FIELDS` is its record header.

Determinism: records are sorted by qualname, string tables are sorted, keys
are sorted and there is no whitespace, so the same records always give
byte-identical files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinxcontrib_aidoc.model import BOUND_KINDS, identifier_words

#: Value of the index's ``format`` key.
FORMAT = "aidoc-search-index"
#: Bump when the record layout changes (not for a column added at the end:
#: readers find columns by name through ``fields``).
VERSION = 1
#: The global ``index.js`` assigns.
GLOBAL = "AIDOC_INDEX"
#: Field names of a record, in record order (the index's ``fields`` header).
FIELDS: tuple[str, ...] = (
    "qualname",
    "kind",
    "module",
    "page",
    "signature",
    "summary",
    "quality",
    "generated",
    "tokens",
    "calls",
    "called_by",
    "complexity",
)
#: Longest summary kept in the index, in characters.
SUMMARY_LIMIT = 160

_ROLE = re.compile(r":[\w:.+-]+:`([^`]+)`")
_MARKUP = re.compile(r"``([^`]+)``|\*\*([^*]+)\*\*|\*([^*]+)\*|`([^`]+)`_*")
_SELF = re.compile(r"^\((?:self|cls)(?:\s*,\s*|\s*(?=\)))")
# Characters that must not appear literally in JSON placed in HTML or JS.
_UNSAFE = str.maketrans(
    {
        "<": "\\u003c",
        "&": "\\u0026",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


@dataclass(frozen=True, slots=True)
class SearchRecord:
    """One documented object, as the search index needs it.

    ``page`` is the target URI of the document that describes the object,
    relative to the HTML root; the object's anchor is its qualname, so its
    URL is :attr:`url`. ``calls`` are dotted names the object calls; only
    those naming other records become edges of the index.
    """

    qualname: str
    kind: str
    module: str
    page: str
    signature: str = ""
    summary: str = ""
    generated: bool = False
    quality: float | None = None
    calls: tuple[str, ...] = ()
    #: McCabe cyclomatic complexity of the object's code; None when unknown.
    complexity: int | None = None

    @property
    def url(self) -> str:
        """The page URI plus the object's anchor."""
        return f"{self.page}#{self.qualname}"

    @property
    def local_name(self) -> str:
        """The qualname relative to the module (``Class.meth``)."""
        if self.module and self.qualname.startswith(self.module + "."):
            return self.qualname[len(self.module) + 1 :]
        return self.qualname


@dataclass(frozen=True, slots=True)
class Relation:
    """Documented objects one object calls and is called by (sorted)."""

    calls: tuple[str, ...] = ()
    called_by: tuple[str, ...] = ()


_NO_RELATION = Relation()


def name_tokens(name: str) -> tuple[str, ...]:
    """Split *name* on dots, underscores and camelCase; lowercase, unique.

    >>> name_tokens("PriceList.get_HTTPServer2")
    ('price', 'list', 'get', 'http', 'server', '2')
    """
    found = dict.fromkeys(w.lower() for w in identifier_words(name))
    return tuple(found)


def plain_summary(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """Return *text* as one line of plain words: no reST markup, bounded."""
    text = _ROLE.sub(_role_text, text)
    text = _MARKUP.sub(lambda m: next(g for g in m.groups() if g is not None), text)
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "\u2026"
    return text


def display_signature(kind: str, signature: str) -> str:
    """Return *signature* as readers see it (no ``self``/``cls``)."""
    if kind in BOUND_KINDS:
        return _SELF.sub("(", signature, count=1)
    return signature


def call_graph(calls_of: Mapping[str, Iterable[str]]) -> dict[str, Relation]:
    """Return the calls among the keys of *calls_of*, both ways.

    Only calls that name another key count: calls into the standard
    library, private helpers and undocumented code are left out, and so is
    recursion.
    """
    callees: dict[str, set[str]] = {name: set() for name in calls_of}
    callers: dict[str, set[str]] = {name: set() for name in calls_of}
    for caller, calls in calls_of.items():
        for callee in calls:
            if callee != caller and callee in callees:
                callees[caller].add(callee)
                callers[callee].add(caller)
    return {
        name: Relation(tuple(sorted(callees[name])), tuple(sorted(callers[name])))
        for name in sorted(calls_of)
    }


def build_index(
    records: Iterable[SearchRecord],
    *,
    xrefs: bool = True,
    graph: Mapping[str, Relation] | None = None,
) -> dict[str, Any]:
    """Return the columnar index of *records* (see ``docs/api-search.rst``).

    Records are sorted by qualname (one per qualname, the first wins).
    ``kind``, ``module`` and ``page`` are indices into the ``kinds``,
    ``modules`` and ``pages`` string tables; ``calls`` and ``called_by`` are
    indices into ``records``, empty when *xrefs* is False. *graph*, when
    given, is :func:`call_graph` of the records' calls, computed already.
    """
    unique: dict[str, SearchRecord] = {}
    for record in records:
        unique.setdefault(record.qualname, record)
    ordered = [unique[name] for name in sorted(unique)]
    kinds = sorted({r.kind for r in ordered})
    modules = sorted({r.module for r in ordered})
    pages = sorted({r.page for r in ordered})
    kind_ids = {name: i for i, name in enumerate(kinds)}
    module_ids = {name: i for i, name in enumerate(modules)}
    page_ids = {name: i for i, name in enumerate(pages)}
    row_ids = {r.qualname: i for i, r in enumerate(ordered)}
    if not xrefs:
        graph = {}
    elif graph is None:
        graph = call_graph({r.qualname: r.calls for r in ordered})
    rows: list[list[Any]] = []
    for record in ordered:
        relation = graph.get(record.qualname, _NO_RELATION)
        rows.append(
            [
                record.qualname,
                kind_ids[record.kind],
                module_ids[record.module],
                page_ids[record.page],
                display_signature(record.kind, record.signature),
                plain_summary(record.summary),
                _quality(record.quality),
                int(record.generated),
                " ".join(name_tokens(record.local_name)),
                [row_ids[n] for n in relation.calls if n in row_ids],
                [row_ids[n] for n in relation.called_by if n in row_ids],
                record.complexity,
            ]
        )
    return {
        "format": FORMAT,
        "version": VERSION,
        "fields": list(FIELDS),
        "kinds": kinds,
        "modules": modules,
        "pages": pages,
        "records": rows,
    }


def dumps_index(index: Mapping[str, Any]) -> str:
    r"""Serialise *index* compactly and deterministically, safe inside HTML.

    ``<`` and ``&`` (and the JavaScript line separators) are written as
    ``\u`` escapes, so no docstring or name can close a ``<script>``
    element, open an HTML comment or start an entity, wherever the text
    ends up.
    """
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.translate(_UNSAFE)


def index_script(json_text: str) -> str:
    """Return ``index.js``: *json_text* assigned to ``window.AIDOC_INDEX``."""
    return f"window.{GLOBAL}={json_text};\n"


def write_index(directory: Path, index: Mapping[str, Any]) -> tuple[Path, Path]:
    """Write ``index.json`` and ``index.js`` into *directory*; return both."""
    directory.mkdir(parents=True, exist_ok=True)
    text = dumps_index(index)
    json_path = directory / "index.json"
    js_path = directory / "index.js"
    json_path.write_text(text + "\n", encoding="utf-8", newline="\n")
    js_path.write_text(index_script(text), encoding="utf-8", newline="\n")
    return json_path, js_path


def read_records(index: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Expand a columnar index into one dict per record (for consumers).

    String-table fields are replaced by their strings, ``url`` is added, and
    ``calls``/``called_by`` become qualnames.
    """
    fields: Sequence[str] = index["fields"]
    rows: Sequence[Sequence[Any]] = index["records"]
    names = [row[fields.index("qualname")] for row in rows]
    expanded: list[dict[str, Any]] = []
    for row in rows:
        item = dict(zip(fields, row, strict=True))
        item["kind"] = index["kinds"][item["kind"]]
        item["module"] = index["modules"][item["module"]]
        item["page"] = index["pages"][item["page"]]
        item["url"] = f"{item['page']}#{item['qualname']}"
        item["generated"] = bool(item["generated"])
        item["calls"] = [names[i] for i in item["calls"]]
        item["called_by"] = [names[i] for i in item["called_by"]]
        expanded.append(item)
    return expanded


def _role_text(match: re.Match[str]) -> str:
    """What a reader sees of a role: its title, or the (short) target."""
    text = match.group(1)
    if text.endswith(">") and "<" in text:
        return text[: text.rindex("<")].strip()
    if text.startswith("~"):
        return text[1:].rpartition(".")[2]
    return text.lstrip("!")


def _quality(value: float | None) -> float | int | None:
    if value is None:
        return None
    rounded = round(float(value), 1)
    return int(rounded) if rounded.is_integer() else rounded
