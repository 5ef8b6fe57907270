"""``aidoc apply``: generated docstrings written into the source files."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from sphinxcontrib_aidoc.cli import main
from sphinxcontrib_aidoc.store import Review, Store
from sphinxcontrib_aidoc.writeback import Insertion, rewrite_source, string_literal

OFFLINE = ["--provider", "offline"]


def _write(path: Path, text: str, *, newline: str = "\n", encoding: str = "utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    body = textwrap.dedent(text).lstrip("\n").replace("\n", newline)
    path.write_bytes(body.encode(encoding))
    return path


def _docstrings(path: Path) -> dict[str, str | None]:
    tree = ast.parse(path.read_bytes())
    found: dict[str, str | None] = {}

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                found.setdefault(name, ast.get_docstring(child))
                walk(child, name + ".")

    walk(tree, "")
    return found


SOURCE = '''
    """Geometry helpers."""

    import functools


    # A comment that must stay where it is.
    class Box:
        # the box's own comment
        class Corner:
            def where(self, x: int) -> int:
                return x  # trailing comment

        @property
        def size(self) -> int:
            return 1

        @size.setter
        def size(self, value: int) -> None:
            self._size = value

        @functools.cache
        def area(self, width: float, height: float = 1.0) -> float:
            """Return the area, written by a human."""
            return width * height


    def shrink(value: int) -> int:  # noqa: keep me
        if value < 0:
            raise ValueError("negative")
        return value // 2
'''


@pytest.fixture
def pkg(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "geo" / "__init__.py", "")
    return _write(tmp_path / "geo" / "shapes.py", SOURCE).parent


def test_apply_writes_docstrings_and_keeps_every_other_line(pkg, capsys):
    path = pkg / "shapes.py"
    before = path.read_text()
    assert main(["apply", str(pkg), *OFFLINE]) == 0
    after = path.read_text()
    docs = _docstrings(path)
    # Nothing is known of the classes beyond their names: nothing written.
    assert docs["Box"] is None
    assert docs["Box.Corner"] is None
    assert docs["Box.Corner.where"].startswith("Return *x* unchanged.")
    assert "x (int):\n" in docs["Box.Corner.where"]
    assert docs["Box.size"]  # the getter, not the setter
    assert docs["Box.area"] == "Return the area, written by a human."
    assert "ValueError" in docs["shrink"]
    # Every original line is still there, in order: only lines were added.
    remaining = iter(after.splitlines())
    for line in before.splitlines():
        assert any(line == other for other in remaining), line
    assert "    # the box's own comment\n" in after
    assert "def shrink(value: int) -> int:  # noqa: keep me\n" in after
    # The setter keeps no docstring (autodoc shows the getter's).
    assert "    def size(self, value: int) -> None:\n        self._size" in after
    err = capsys.readouterr().err
    assert "shapes.py: Box: skipped (nothing known beyond its name)" in err
    assert "wrote 3 docstring(s) in 1 file(s)" in err


def test_apply_twice_changes_nothing(pkg, capsys):
    path = pkg / "shapes.py"
    assert main(["apply", str(pkg), *OFFLINE]) == 0
    once = path.read_bytes()
    capsys.readouterr()
    assert main(["apply", str(pkg), *OFFLINE]) == 0
    assert path.read_bytes() == once
    assert "wrote 0 docstring(s) in 0 file(s)" in capsys.readouterr().err
    assert main(["apply", str(pkg), "--check"]) == 0


def test_check_and_diff_change_nothing(pkg, capsys):
    path = pkg / "shapes.py"
    before = path.read_bytes()
    assert main(["apply", str(pkg), "--check"]) == 1
    err = capsys.readouterr().err
    assert "would write a docstring for Box.Corner.where" in err
    assert main(["apply", str(pkg), "--diff", *OFFLINE]) == 0
    diff = capsys.readouterr().out
    assert diff.startswith("--- a/geo/shapes.py\n+++ b/geo/shapes.py\n")
    assert '+            """Return *x* unchanged.' in diff
    assert path.read_bytes() == before


def test_tabs_crlf_and_a_declared_latin1_encoding_are_kept(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)  # no conf.py (or database) of the caller's cwd
    path = _write(
        tmp_path / "legacy.py",
        """
        # -*- coding: latin-1 -*-
        # café
        class Caf\xe9Menu:
        \tdef price(self, item: str) -> float:
        \t\treturn 1.0  # \xe9
        """,
        newline="\r\n",
        encoding="latin-1",
    )
    assert main(["apply", str(path), *OFFLINE]) == 0, capsys.readouterr().err
    data = path.read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")  # CRLF everywhere
    assert "café".encode("latin-1") in data
    assert "\t\treturn 1.0  # \xe9".encode("latin-1") in data
    assert b'\r\n\t\t"""Always return ``1.0``.\r\n\r\n\t\tArgs:\r\n' in data
    docs = _docstrings(path)
    assert docs["Caf\xe9Menu"] is None  # nothing known beyond its name
    assert docs["Caf\xe9Menu.price"].startswith("Always return ``1.0``.")


def test_a_file_with_a_syntax_error_is_left_untouched_and_reported(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)  # no conf.py (or database) of the caller's cwd
    good = _write(
        tmp_path / "pkg" / "good.py", "def ok(x: int) -> int:\n    return x\n"
    )
    bad = _write(
        tmp_path / "pkg" / "bad.py",
        "def fine(x: int) -> int:\n    return x\n\ndef broken(:\n    pass\n",
    )
    before = bad.read_bytes()
    assert main(["apply", str(tmp_path / "pkg"), *OFFLINE]) == 0
    err = capsys.readouterr().err
    assert "bad.py:4" in err
    assert "[aidoc.parse]" in err
    assert bad.read_bytes() == before
    assert _docstrings(good)["ok"]


def test_rewriter_refuses_a_file_it_cannot_parse_and_skips_one_line_bodies():
    broken = b"def f(:\n    pass\n"
    result = rewrite_source(broken, [Insertion("f", 1, lambda _: ["Doc."])])
    assert result.updated == broken
    assert result.error.startswith("cannot parse")
    one_line = b"def f(): return 1\n"
    result = rewrite_source(one_line, [Insertion("f", 1, lambda _: ["Doc."])])
    assert result.updated == one_line
    assert result.skipped == (("f", "one-line body: not rewritten"),)


def test_rewriter_keeps_the_files_quote_style_and_escapes():
    source = b"def a():\n    '''Own.'''\n\n\ndef b():\n    pass\n"
    result = rewrite_source(
        source, [Insertion("b", 5, lambda _: ['Say "hi" \\o/', "", 'Ends with "'])]
    )
    assert b"def b():\n    r'''Say \"hi\" \\o/\n\n    Ends with \"\n    '''\n" in (
        result.updated
    )
    assert ast.get_docstring(ast.parse(result.updated).body[1]) == (
        'Say "hi" \\o/\n\nEnds with "'
    )
    assert string_literal(['He said """no"""'], "") == (
        '"""He said \\"\\"\\"no\\"\\"\\""""'
    )


def test_select_source_and_min_score(pkg, capsys):
    path = pkg / "shapes.py"
    assert main(["apply", str(pkg), "--select", "geo.shapes.Box.*", *OFFLINE]) == 0
    docs = _docstrings(path)
    assert docs["Box.Corner.where"]
    assert docs["shrink"] is None
    assert docs["Box"] is None  # "geo.shapes.Box" does not match "Box.*"
    assert main(["apply", str(pkg), "--source", "model", *OFFLINE]) == 0
    assert _docstrings(path)["shrink"] is None  # offline prose is not a model's
    assert main(["apply", str(pkg), "--min-score", "101", *OFFLINE]) == 0
    assert _docstrings(path)["shrink"] is None
    # The offline docstring of shrink says what it returns ("Return
    # ``value // 2``.") and when it raises, but its entries only repeat
    # their types: it scores 75 of 100.
    assert main(["apply", str(pkg), "--min-score", "80", *OFFLINE]) == 0
    assert _docstrings(path)["shrink"] is None
    assert main(["apply", str(pkg), "--min-score", "70", *OFFLINE]) == 0
    assert _docstrings(path)["shrink"].startswith("Return ``value // 2``.")


def test_rejected_objects_are_not_written_edited_ones_are_written_as_edited(
    pkg, tmp_path, capsys
):
    from sphinxcontrib_aidoc.analyze import analyze_paths

    infos = {i.qualname: i for i in analyze_paths([pkg])}
    db = tmp_path / "aidoc.db"
    with Store.open(db) as store:
        store.review_record(
            [
                Review(
                    "geo.shapes.shrink",
                    "rejected",
                    infos["geo.shapes.shrink"].source_hash,
                ),
                Review(
                    "geo.shapes.Box",
                    "edited",
                    infos["geo.shapes.Box"].source_hash,
                    text="A box of corners.\n\nReviewed by a human.",
                ),
            ]
        )
    assert main(["apply", str(pkg), "--db", str(db), "--reviewed", *OFFLINE]) == 0
    docs = _docstrings(pkg / "shapes.py")
    assert docs["Box"] == "A box of corners.\n\nReviewed by a human."
    assert docs["Box.Corner"] is None  # not reviewed
    assert main(["apply", str(pkg), "--db", str(db), *OFFLINE]) == 0
    docs = _docstrings(pkg / "shapes.py")
    assert docs["shrink"] is None  # rejected, code unchanged
    assert docs["Box.Corner.where"]
    # Once the code changes, the rejection no longer holds.
    path = pkg / "shapes.py"
    path.write_text(path.read_text().replace("value // 2", "value // 3"))
    assert main(["apply", str(pkg), "--db", str(db), "--check"]) == 1


def test_conf_py_gives_style_and_database(pkg, tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "conf.py").write_text(
        'aidoc_style = "numpy"\naidoc_db = "_state/x.db"\naidoc_provider = "offline"\n'
    )
    assert main(["apply", str(pkg), "-c", str(docs), "--select", "*.shrink"]) == 0
    assert "Parameters\n----------" in _docstrings(pkg / "shapes.py")["shrink"]
    assert main(["apply", str(pkg), "-c", str(docs), "--style", "rest"]) == 0
    assert ":param x:" in _docstrings(pkg / "shapes.py")["Box.Corner.where"]
    assert not (docs / "_state").exists()  # apply does not create a database


def test_bad_conf_dir_and_missing_paths_are_usage_errors(tmp_path, capsys):
    assert main(["apply", str(tmp_path), "-c", str(tmp_path / "none")]) == 2
    assert "there is no conf.py" in capsys.readouterr().err
    (tmp_path / "conf.py").write_text("raise RuntimeError('boom')\n")
    assert main(["apply", str(tmp_path), "-c", str(tmp_path)]) == 2
    assert "boom" in capsys.readouterr().err
    assert main(["apply", str(tmp_path / "nope.py")]) == 2
