"""The changelog core: comparing snapshots, breaking rules, queries, renderers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

import pytest

from sphinxcontrib_aidoc.changelog import (
    BuildInfo,
    Query,
    SinceError,
    breaking_reasons,
    compare,
    is_public,
    resolve_since,
    select,
)
from sphinxcontrib_aidoc.changelog.render import (
    old_and_new,
    to_atom,
    to_json,
    to_markdown,
    to_rst,
)
from sphinxcontrib_aidoc.model import ChangeEvent, ObjectSnapshot
from sphinxcontrib_aidoc.store import Store

ATOM = "{http://www.w3.org/2005/Atom}"


def snap(qualname, signature="()", *, doc="Do it.", generated=False, **kw):
    return ObjectSnapshot(
        qualname=qualname,
        module=kw.pop("module", qualname.rpartition(".")[0]),
        kind=kw.pop("kind", "function"),
        signature=signature,
        docstring_hash=f"h:{doc}",
        generated=generated,
        source="inference" if generated else "human",
        summary=doc.splitlines()[0] if doc else "",
        docname="api",
        docstring=doc,
        **kw,
    )


# -- breaking signature changes ------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "reasons"),
    [
        ("(a, b)", "(a, b, c=1)", []),
        ("(a, b)", "(a, b, *, c=None)", []),
        ("(a, b)", "(a, b, *args, **kwargs)", []),
        ("(a, b=1)", "(a, b=2)", []),
        ("(a: int) -> int", "(a: str) -> str", []),
        ("(a, /)", "(renamed, /)", []),
        ("(a, /)", "(a)", []),
        ("(a, *, b)", "(a, b)", []),
        ("(a, b)", "(a)", ["positional parameter 'b' removed"]),
        (
            "(a, b)",
            "(b, a)",
            [
                "parameter 'a' moved from position 1 to 2",
                "parameter 'b' moved from position 2 to 1",
            ],
        ),
        ("(a)", "(a, b)", ["new required parameter 'b'"]),
        ("(a)", "(a, *, key)", ["new required parameter 'key'"]),
        ("(a, b=1)", "(a, b)", ["parameter 'b' became required"]),
        ("(a, *, key=1)", "(a)", ["keyword parameter 'key' removed"]),
        ("(a, *, key=1)", "(a, **options)", []),
        ("(a, b)", "(a, *, b)", ["parameter 'b' became keyword-only"]),
        (
            "(a, b)",
            "(a, b, /)",
            [
                "parameter 'a' became positional-only",
                "parameter 'b' became positional-only",
            ],
        ),
        ("(a, *args)", "(a)", ["*args removed"]),
        ("(a, **kw)", "(a)", ["**kw removed".replace("kw", "kwargs")]),
        ("(a, b)", "(a, *args, **kwargs)", []),
        # Defaults that regular expressions get wrong.
        ("(a, sep=', ')", "(a, sep=', ', *, end=')')", []),
        ("(a, f=lambda x, y: x)", "(a, f=lambda x, y: x, g=(1, 2))", []),
        # Unparsable signatures are not judged.
        ("(a, b", "(a)", []),
        ("", "(a)", []),
    ],
)
def test_breaking_reasons(old, new, reasons):
    assert breaking_reasons(old, new) == reasons


def test_is_public_ignores_special_names():
    assert is_public("pkg.mod.Class.__call__", "pkg.mod")
    assert not is_public("pkg.mod._helper", "pkg.mod")
    assert not is_public("pkg.mod.Class._cache", "pkg.mod")
    assert is_public("pkg._impl.func", "pkg._impl")  # private module, public name


# -- compare -------------------------------------------------------------


def kinds(events):
    return [(e.kind, e.qualname.rpartition(".")[2]) for e in events]


def test_equal_snapshots_give_no_changes():
    old = [snap("m.f", "(a)"), snap("m.g", generated=True)]
    assert compare(old, list(old)) == []


def test_added_and_removed():
    old = [snap("m.gone", "(x)"), snap("m._private", "(x)")]
    new = [snap("m.new", "(y)", generated=True, doc="Return y.")]
    events = compare(old, new)
    assert kinds(events) == [
        ("removed", "_private"),
        ("removed", "gone"),
        ("added", "new"),
        ("generated", "new"),
    ]
    removed = {e.qualname: e for e in events if e.kind == "removed"}
    assert removed["m.gone"].breaking
    assert removed["m.gone"].before == "(x)"
    assert not removed["m._private"].breaking
    added = events[2]
    assert (added.after, added.breaking, added.docname) == ("(y)", False, "api")
    assert events[3].after == "Return y."


def test_signature_changes_compatible_and_breaking():
    old = [snap("m.f", "(a)"), snap("m.g", "(a)")]
    new = [snap("m.f", "(a, b=None)"), snap("m.g", "(a, b)")]
    f, g = compare(old, new)
    assert (f.kind, f.before, f.after, f.breaking) == (
        "signature_changed",
        "(a)",
        "(a, b=None)",
        False,
    )
    assert (g.breaking, g.detail) == (True, "new required parameter 'b'")


def test_property_turning_into_method_is_breaking():
    old = [snap("m.C.size", "() -> int", kind="property")]
    new = [snap("m.C.size", "(self) -> int", kind="method")]
    (event,) = compare(old, new)
    assert event.kind == "signature_changed"
    assert event.breaking
    assert event.detail == "property became a method"


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        (snap("m.f", doc="Old."), snap("m.f", doc="New."), "docstring_changed"),
        (snap("m.f", doc=""), snap("m.f", doc="New."), "documented"),
        (snap("m.f", generated=True), snap("m.f", doc="Mine."), "documented"),
        (snap("m.f", doc=""), snap("m.f", generated=True), "generated"),
        (snap("m.f", doc="Mine."), snap("m.f", generated=True), "generated"),
        (
            snap("m.f", generated=True, doc="A."),
            snap("m.f", generated=True, doc="B."),
            "regenerated",
        ),
        (snap("m.f", doc="Mine."), snap("m.f", doc=""), "docstring_changed"),
    ],
)
def test_docstring_changes(old, new, kind):
    (event,) = compare([old], [new])
    assert event.kind == kind
    assert not event.breaking


def test_deprecation_is_recorded_once():
    old = [snap("m.f")]
    new = [snap("m.f", deprecated=True)]
    assert kinds(compare(old, new)) == [("deprecated", "f")]
    assert compare(new, new) == []
    assert compare(new, old) == []  # un-deprecating is not news


# -- store, select and since ---------------------------------------------


class Clock:
    def __init__(self):
        self.day = 0

    def __call__(self):
        self.day += 1
        return datetime(2025, 1, self.day, 12, tzinfo=timezone.utc)


def record(store, release, objects, commit=""):
    """One build as the extension records it: snapshot, changes, end."""
    build = store.begin_build(project="demo", release=release, git_commit=commit)
    store.record_objects(build, objects)
    previous = store.last_build(status="ok", before=build)
    if previous is not None:
        events = compare(store.snapshot(previous["id"]), store.snapshot(build))
        store.record_changes(build, previous["id"], events)
    store.end_build(build)
    return build


def make_history(path: Path) -> Store:
    """Four builds: 1.0, 1.1 (two builds), 2.0; returns the open store."""
    store = Store.open(path, clock=Clock())
    v10 = [snap("pkg.a.f", "(x)"), snap("pkg.a.g", "(x)"), snap("pkg.b.h", "(x)")]
    v11 = [snap("pkg.a.f", "(x, y=1)"), snap("pkg.a.g", "(x)"), snap("pkg.b.h", "(x)")]
    v11b = [*v11, snap("pkg.b.k", "()", generated=True)]
    v20 = [
        snap("pkg.a.f", "(x, y)"),
        snap("pkg.b.h", "(x)"),
        snap("pkg.b.k", "()", doc="Make k."),
    ]
    record(store, "1.0", v10, commit="a" * 40)
    record(store, "1.1", v11, commit="b" * 40)
    record(store, "1.1", v11b, commit="c" * 40)
    record(store, "2.0", v20, commit="d" * 40)
    return store


@pytest.fixture
def history(tmp_path):
    store = make_history(tmp_path / "aidoc.db")
    yield store
    store.close()


def test_history_is_grouped_newest_first(history):
    log = select(history, Query())
    assert [(e.build_id, e.kind, e.qualname) for e in log.events] == [
        (4, "removed", "pkg.a.g"),
        (4, "signature_changed", "pkg.a.f"),
        (4, "documented", "pkg.b.k"),
        (3, "added", "pkg.b.k"),
        (3, "generated", "pkg.b.k"),
        (2, "signature_changed", "pkg.a.f"),
    ]
    first = log.events[0]
    assert (first.release, first.git_commit, first.since_build_id) == (
        "2.0",
        "d" * 40,
        3,
    )
    assert first.time == "2025-01-07T12:00:00+00:00"
    assert [e.breaking for e in log.events] == [True, True, False, False, False, False]


def test_recording_is_idempotent(history):
    before = len(history.changes())
    events = compare(history.snapshot(3), history.snapshot(4))
    assert history.record_changes(4, 3, events) == 0
    assert len(history.changes()) == before


def test_failed_builds_are_left_out_unless_running(history):
    build = history.begin_build(project="demo", release="3.0")
    history.record_objects(build, [snap("pkg.b.h", "(x)")])
    events = compare(history.snapshot(4), history.snapshot(build))
    history.record_changes(build, 4, events)
    assert {e.build_id for e in select(history, Query()).events} == {2, 3, 4}
    running = select(history, Query(), current_build=build)
    assert {e.build_id for e in running.events} == {2, 3, 4, build}
    history.end_build(build, status="failed")
    assert {e.build_id for e in select(history, Query()).events} == {2, 3, 4}


def test_filters(history):
    assert {e.qualname for e in select(history, Query(module="pkg.b")).events} == {
        "pkg.b.k"
    }
    assert select(history, Query(module="pkg.a.f")).events[0].qualname == "pkg.a.f"
    assert select(history, Query(module="pkg.a.f.x")).events == ()
    only = select(history, Query(kinds=frozenset({"added", "removed"})))
    assert [e.kind for e in only.events] == ["removed", "added"]
    breaking = select(history, Query(breaking_only=True))
    assert all(e.breaking for e in breaking.events) and len(breaking.events) == 2
    assert len(select(history, Query(limit=2)).events) == 2
    assert select(history, Query(limit=0)).events == ()


@pytest.mark.parametrize(
    ("since", "baseline"),
    [
        ("1.0", 1),
        ("1.1", 3),  # the last build of 1.1
        ("bbbb", 2),  # commit prefix
        ("CCCCCCC", 3),
        ("2025-01-04", 2),  # the last build started before that day
        ("2025-01-04T13:00:00Z", 2),
        ("2024-06-01", 1),  # older than every build: from the first one
    ],
)
def test_since_names_a_baseline(history, since, baseline):
    log = select(history, Query(since=since))
    assert log.baseline is not None and log.baseline.id == baseline
    assert {e.build_id for e in log.events} <= {4}
    assert {e.since_build_id for e in log.events} <= {baseline}


def test_since_is_the_net_difference(history):
    log = select(history, Query(since="1.0"))
    # f gained y=1 in 1.1, then y became required: one change, net breaking.
    assert [(e.kind, e.qualname, e.before, e.after) for e in log.events] == [
        ("removed", "pkg.a.g", "(x)", ""),
        ("signature_changed", "pkg.a.f", "(x)", "(x, y)"),
        ("added", "pkg.b.k", "", "()"),
    ]
    assert len(log.breaking) == 2
    assert select(history, Query(since="2.0")).events == ()  # the latest build
    assert not select(history, Query(since="1.1", module="pkg.b")).breaking


def test_since_through_a_git_ref(history):
    refs = {"v1.1": "b" * 40}
    log = select(history, Query(since="v1.1"), rev_parse=lambda r: refs.get(r, ""))
    assert log.baseline is not None and log.baseline.id == 2


def test_unknown_since_is_an_error(history):
    with pytest.raises(SinceError, match=r"no build matches 'v9'"):
        select(history, Query(since="v9"), rev_parse=lambda r: "")


def test_resolve_since_prefers_a_release_over_a_commit():
    builds = [BuildInfo(2, release="abcd"), BuildInfo(1, git_commit="abcd" + "0" * 36)]
    assert resolve_since(builds, "abcd").id == 2


# -- renderers -----------------------------------------------------------


def test_markdown_and_rst(history):
    log = select(history, Query())
    md = to_markdown(log)
    assert md.startswith("# demo API changelog\n\n## 2.0\n\n### Removed\n\n")
    assert "- **breaking** `pkg.a.g`: `(x)` (public object removed)" in md
    assert "- `pkg.a.f`: `(x)` → `(x, y=1)`" in md
    assert md.index("## 2.0") < md.index("## 1.1")
    rst = to_rst(log)
    assert "2.0\n---\n\nRemoved\n~~~~~~~\n\n* **breaking** ``pkg.a.g``" in rst
    empty = to_markdown(select(history, Query(module="nothing")))
    assert "No API changes recorded." in empty


def test_json_is_documented_and_deterministic(history):
    log = select(history, Query())
    text = to_json(log, {"pkg.a.f": "a.html#pkg.a.f"})
    assert text == to_json(select(history, Query()), {"pkg.a.f": "a.html#pkg.a.f"})
    data = json.loads(text)
    assert set(data) == {"format_version", "project", "since", "changes"}
    assert data["format_version"] == 1 and data["since"] is None
    first = data["changes"][0]
    assert set(first) == {*ChangeEvent("added", "x").to_json(), "url"}
    urls = {c["qualname"]: c["url"] for c in data["changes"]}
    assert urls["pkg.a.f"] == "a.html#pkg.a.f"
    assert urls["pkg.a.g"] is None
    since = json.loads(to_json(select(history, Query(since="1.0"))))["since"]
    assert since["build_id"] == 1 and since["release"] == "1.0"


def check_atom(text: str) -> ET.Element:
    """Parse *text* and check the elements RFC 4287 requires."""
    root = ET.fromstring(text)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1, name
    assert root.find(f"{ATOM}author/{ATOM}name").text
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert set(links) == {"self", "alternate"}
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert entry.find(f"{ATOM}id").text.startswith("urn:uuid:")
        assert entry.find(f"{ATOM}content").get("type") == "html"
        datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
    datetime.fromisoformat(root.find(f"{ATOM}updated").text)
    return root


def test_atom_feed(history):
    log = select(history, Query())
    text = to_atom(log, base_url="https://example.org/docs/", author="Ann")
    root = check_atom(text)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 3  # one per build with changes
    assert root.find(f"{ATOM}updated").text == entries[0].find(f"{ATOM}updated").text
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links["self"] == "https://example.org/docs/aidoc-changelog.atom"
    assert (
        entries[0].find(f"{ATOM}title").text
        == "2.0: 3 API changes, 2 breaking (build 4)"
    )
    content = entries[0].find(f"{ATOM}content").text
    assert "<strong>breaking</strong> <code>pkg.a.g</code>" in content
    # Ids are stable: the same history gives the same feed.
    assert (
        to_atom(
            select(history, Query()), base_url="https://example.org/docs/", author="Ann"
        )
        == text
    )


def test_atom_content_is_escaped(tmp_path):
    with Store.open(tmp_path / "x.db") as store:
        record(store, "1", [snap("m.f", doc="Plain.")])
        record(store, "2", [snap("m.f", doc="Uses <script>alert(1)</script> & more.")])
        text = to_atom(select(store, Query()))
    root = check_atom(text)
    content = root.find(f"{ATOM}entry/{ATOM}content").text
    assert "<script>" not in content
    assert "&lt;script&gt;" in content


def test_empty_history_feed_is_valid(tmp_path):
    with Store.open(tmp_path / "x.db") as store:
        record(store, "1", [snap("m.f")])
        root = check_atom(to_atom(select(store, Query())))
    assert root.findall(f"{ATOM}entry") == []


@pytest.mark.parametrize(
    ("summary", "shown"),
    [
        ("Split ``items`` into lists.", "Split items into lists."),
        (
            "Use :func:`~pkg.mod.parse` or :class:`Thing <pkg.Thing>`.",
            "Use parse or Thing.",
        ),
        ("Use :func:`pkg.mod.parse`.", "Use pkg.mod.parse."),
        ("A *very* **bold** `link`_.", "A very bold link."),
        ("Return a * b.", "Return a * b."),
    ],
)
def test_summaries_lose_inline_markup(summary, shown):
    event = ChangeEvent("documented", "m.f", after=summary)
    assert old_and_new(event) == ("", shown)
