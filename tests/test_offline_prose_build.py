"""Offline prose as a built page shows it (issue 11): facts, not the name.

The root ``test-offline-prose`` has a thin wrapper of a documented function
of another module, a function whose name is all that is known, one that
returns its argument, one with a raising guard and an empty class.
"""

from __future__ import annotations

from sphinxcontrib_aidoc.analyze import analyze_paths
from sphinxcontrib_aidoc.generate import cache_key
from tests.conftest import entry

_NEW_DOC = "Join the rows with CRLF line ends."


def _text(app) -> str:
    return (app.outdir / "index.txt").read_text(encoding="utf-8")


def test_a_name_alone_gives_no_summary_and_facts_give_one(build):
    text = _text(build("offline-prose", "text"))
    plain = entry(text, "Plain")
    # Nothing is known beyond the name: no "A plain." sentence, and no note
    # over an empty docstring; the entry goes straight to its method.
    assert "class prose_pkg.api.Plain" in plain.splitlines()[0]
    body = [line.strip() for line in plain.splitlines()[1:] if line.strip()]
    assert body[0].startswith("size()")
    # A subclass in the project is a fact about its base.
    assert 'the base class of "Marker"' in entry(text, "Box")
    shrink = entry(text, "shrink")
    assert 'Return "value // 2".' in shrink  # the value after the raising guard
    assert 'If *value* is less than 0 ("negative").' in shrink
    assert "Return *text* unchanged." in entry(text, "header")


def test_a_wrapper_quotes_its_documented_callee_and_follows_its_changes(build):
    app = build("offline-prose", "text", srcname="borrow")
    table = entry(_text(app), "table")
    # render() is documented, so it is no part of the drafted batch.
    assert "Join the rows with newlines, each stripped of trailing spaces" in table
    assert '(through "render")' in table
    impl = app.srcdir / "prose_pkg" / "_impl.py"
    impl.write_text(
        impl.read_text().replace(
            "Join the rows with newlines, each stripped of trailing spaces.", _NEW_DOC
        )
    )
    again = build("offline-prose", "text", srcname="borrow")
    table = entry(_text(again), "table")
    assert "Join the rows with CRLF line ends" in table
    assert "newlines" not in table


def test_the_borrowed_docstring_keys_offline_text_only(tmp_path, build):
    app = build("offline-prose", "text", srcname="keys")
    package = app.srcdir / "prose_pkg"

    def keys() -> tuple[str, str]:
        info = next(
            i for i in analyze_paths([package]) if i.qualname == "prose_pkg.api.table"
        )
        return (
            cache_key(info, provider="offline", model=""),
            cache_key(info, provider="azure", model="gpt-4o"),
        )

    offline, azure = keys()
    impl = package / "_impl.py"
    impl.write_text(impl.read_text().replace("with newlines", "with CRLF"))
    offline_after, azure_after = keys()
    assert offline_after != offline  # the offline text is drawn again
    assert azure_after == azure  # a paid answer is not asked for again


def test_a_class_with_an_empty_body_says_so(build):
    text = _text(build("offline-prose", "text", srcname="empty"))
    marker = entry(text, "Marker")
    assert 'A subclass of a "Box"; its body is empty.' in marker
