"""The search index core (no Sphinx): tokens, call graph, format, escaping."""

from __future__ import annotations

import json
from pathlib import Path

from sphinxcontrib_aidoc.search_index import (
    FIELDS,
    Relation,
    SearchRecord,
    build_index,
    call_graph,
    display_signature,
    dumps_index,
    index_script,
    name_tokens,
    plain_summary,
    read_records,
    write_index,
)

ROOT = Path(__file__).parent.parent


def _record(qualname: str, **kwargs) -> SearchRecord:
    module = kwargs.pop("module", qualname.rpartition(".")[0])
    return SearchRecord(
        qualname=qualname,
        kind=kwargs.pop("kind", "function"),
        module=module,
        page=kwargs.pop("page", "api.html"),
        **kwargs,
    )


def test_name_tokens_split_dots_underscores_and_camel_case():
    assert name_tokens("PriceList.get_HTTPServer2") == (
        "price",
        "list",
        "get",
        "http",
        "server",
        "2",
    )
    assert name_tokens("load_user_user") == ("load", "user")
    assert name_tokens("__init__") == ("init",)
    assert name_tokens("café_crème") == ("café", "crème")


def test_plain_summary_drops_markup_and_is_bounded():
    text = "Return the :class:`~pkg.Item` for *name* (see :ref:`Tips <tips>`), ``x``."
    assert plain_summary(text) == "Return the Item for name (see Tips), x."
    assert plain_summary("a\n  b") == "a b"
    long = plain_summary("word " * 100)
    assert len(long) == 160
    assert long.endswith("\u2026")


def test_display_signature_drops_self_of_methods_only():
    assert display_signature("method", "(self, a: int) -> int") == "(a: int) -> int"
    assert display_signature("classmethod", "(cls)") == "()"
    assert display_signature("function", "(self)") == "(self)"
    assert display_signature("method", "(selfish)") == "(selfish)"


def test_call_graph_keeps_calls_between_known_objects_both_ways():
    graph = call_graph(
        {
            "m.a": ["m.b", "os.path.join", "m.a"],
            "m.b": ["m.c"],
            "m.c": [],
        }
    )
    assert graph == {
        "m.a": Relation(calls=("m.b",), called_by=()),
        "m.b": Relation(calls=("m.c",), called_by=("m.a",)),
        "m.c": Relation(calls=(), called_by=("m.b",)),
    }


def test_build_index_is_columnar_sorted_and_indexed():
    records = [
        _record(
            "m.zeta",
            calls=("m.Alpha",),
            summary="Last one.",
            quality=81.25,
            complexity=4,
        ),
        _record("m.Alpha", kind="class", page="other.html", generated=True),
        _record("m.zeta", summary="duplicate: the first one wins"),
    ]
    index = build_index(records)
    assert index["format"] == "aidoc-search-index"
    assert index["version"] == 1
    assert index["fields"] == list(FIELDS)
    assert index["kinds"] == ["class", "function"]
    assert index["modules"] == ["m"]
    assert index["pages"] == ["api.html", "other.html"]
    assert [row[0] for row in index["records"]] == ["m.Alpha", "m.zeta"]
    alpha, zeta = read_records(index)
    assert alpha["url"] == "other.html#m.Alpha"
    assert alpha["generated"] is True
    assert alpha["called_by"] == ["m.zeta"]
    assert alpha["tokens"] == "alpha"
    assert zeta["calls"] == ["m.Alpha"]
    assert zeta["quality"] == 81.2  # one decimal (banker's rounding of 81.25)
    assert zeta["summary"] == "Last one."
    assert zeta["complexity"] == 4
    assert alpha["complexity"] is None  # unknown


def test_build_index_without_xrefs_has_no_edges():
    index = build_index([_record("m.a", calls=("m.b",)), _record("m.b")], xrefs=False)
    rows = read_records(index)
    assert all(row["calls"] == [] and row["called_by"] == [] for row in rows)


def test_serialisation_is_deterministic_compact_and_html_safe():
    hostile = "</script><script>alert(1)</script> <!-- &amp;"
    records = [
        _record("m.b", summary=hostile),
        _record("m.a", signature="(x='\u2028') -> int"),
    ]
    text = dumps_index(build_index(records))
    assert text == dumps_index(build_index(list(reversed(records))))
    assert "<" not in text
    assert "&" not in text
    assert "\u2028" not in text
    assert "\n" not in text
    assert '"fields":["qualname","kind"' in text  # no whitespace
    rows = json.loads(text)["records"]
    assert rows[1][5] == hostile
    assert rows[0][4] == "(x='\u2028') -> int"
    assert index_script(text) == f"window.AIDOC_INDEX={text};\n"


def test_write_index_writes_json_and_js(tmp_path):
    index = build_index([_record("m.a")])
    json_path, js_path = write_index(tmp_path / "out", index)
    assert json.loads(json_path.read_text(encoding="utf-8")) == index
    text = json_path.read_text(encoding="utf-8").strip()
    assert js_path.read_text(encoding="utf-8") == f"window.AIDOC_INDEX={text};\n"
