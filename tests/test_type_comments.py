"""autodoc's look for type comments, skipped in files that have none.

autodoc reads a documented function's signature from its ``# type:``
comment, parsing the function's source to find one. With aidoc, a
function whose file holds no type comment is not parsed for one; a
function with one shows the signature it gives, as without aidoc.
"""

from __future__ import annotations

import functools
import importlib
import sys
from pathlib import Path

import pytest

from sphinxcontrib_aidoc.sphinxext import type_comments
from sphinxcontrib_aidoc.sphinxext.type_comments import may_have_type_comment
from tests.conftest import write_package, write_source

COMMENTED = """\
def join(items, separator):
    # type: (list, str) -> str
    return separator.join(items)
"""
PLAIN = """\
import functools

from tc_pkg.commented import join


def double(value):
    return value * 2  # type: ignore[operator]


def half(value):  #type:ignore
    return value / 2


@functools.wraps(join)
def joined(items, separator):
    return join(items, separator)
"""


@pytest.fixture
def tc_pkg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = tmp_path / "root"
    write_package(root, "tc_pkg", {"commented": COMMENTED, "plain": PLAIN})
    monkeypatch.syspath_prepend(str(root))
    yield root
    for name in [n for n in sys.modules if n.split(".")[0] == "tc_pkg"]:
        del sys.modules[name]


def test_a_file_without_a_type_comment_is_not_looked_into(tc_pkg: Path) -> None:
    plain = importlib.import_module("tc_pkg.plain")
    commented = importlib.import_module("tc_pkg.commented")
    # (``# type: ignore`` comments, which typed code is full of, are none)
    assert not may_have_type_comment(plain.double)
    assert may_have_type_comment(commented.join)
    # a wrapper's source is its wrapped function's (as inspect.getsource reads)
    assert may_have_type_comment(plain.joined)
    assert may_have_type_comment(functools.partial(plain.double, 2))  # no file: looks


def test_an_edited_file_is_read_again(tc_pkg: Path) -> None:
    plain = importlib.import_module("tc_pkg.plain")
    assert not may_have_type_comment(plain.double)
    path = tc_pkg / "tc_pkg" / "plain.py"
    path.write_text(PLAIN.replace("#type:ignore", "# type: (int) -> float"))
    assert may_have_type_comment(plain.double)


def test_autodoc_shows_a_type_comment_as_without_aidoc(
    make_app, tc_pkg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_source(
        tc_pkg / "conf.py",
        """\
        import os, sys
        sys.path.insert(0, os.path.abspath("."))
        extensions = ["sphinx.ext.autodoc", "sphinxcontrib_aidoc"]
        aidoc_provider = "offline"
        """,
    )
    write_source(
        tc_pkg / "index.rst",
        """\
        API
        ===

        .. automodule:: tc_pkg.commented
           :members:

        .. automodule:: tc_pkg.plain
           :members:
        """,
    )
    looked: list[str] = []
    may = type_comments.may_have_type_comment

    def counted(obj: object) -> bool:
        found = may(obj)
        looked.append(f"{getattr(obj, '__name__', obj)}={found}")
        return found

    monkeypatch.setattr(type_comments, "may_have_type_comment", counted)
    app = make_app("html", srcdir=tc_pkg)
    app.build()
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert '<span class="n"><span class="pre">list</span></span>' in html
    assert "double=False" in looked
    assert "join=True" in looked
