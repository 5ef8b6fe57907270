"""The pre-read scan foresees what autodoc shows (``sphinxext.scan``)."""

from __future__ import annotations

import sys

from sphinxcontrib_aidoc.sphinxext.members import MemberOptions
from sphinxcontrib_aidoc.sphinxext.scan import (
    ScanPlan,
    named_modules,
    read_pages,
    scan,
)
from tests.conftest import write_source


def _scanned(tmp_path, monkeypatch, modules: dict[str, str], page: str) -> ScanPlan:
    """The scan of the reST *page*, with the package *modules* importable.

    *modules* maps each file under *tmp_path* (``pkg/__init__.py``) to its
    text; the package's modules are forgotten after the scan.
    """
    for name, text in modules.items():
        write_source(tmp_path / name, text)
    monkeypatch.syspath_prepend(str(tmp_path))
    path = tmp_path / "page.rst"
    path.write_text(page)
    packages = {name.partition("/")[0] for name in modules}
    try:
        return scan(read_pages([path]), {})
    finally:
        for name in [m for m in sys.modules if m.split(".")[0] in packages]:
            del sys.modules[name]


def test_inherited_members_alone_show_every_member(tmp_path, monkeypatch):
    # autodoc documents all members of a class given only
    # ``:inherited-members:``; the scan must see them too, so the module
    # defining the inherited ones is analysed before reading, not while.
    plan = _scanned(
        tmp_path,
        monkeypatch,
        {
            "scan_inh/__init__.py": "",
            "scan_inh/base.py": "class Base:\n    def add(self, x):\n        return x\n",
            "scan_inh/child.py": "from scan_inh.base import Base\n\n\nclass Child(Base):\n"
            "    def own(self):\n        return 1\n",
        },
        ".. module:: scan_inh.child\n\n.. autoclass:: Child\n"
        "   :inherited-members:\n   :undoc-members:\n",
    )
    assert {"scan_inh.child.Child.add", "scan_inh.child.Child.own"} <= set(plan.objects)
    assert MemberOptions.from_text({"inherited-members": ""}).wants_all
    assert MemberOptions.from_autodoc({"inherited_members": {"object"}}).wants_all
    assert not MemberOptions.from_text({}).wants_members


def test_named_modules_are_the_automodule_targets_in_reading_order(tmp_path):
    (tmp_path / "b.rst").write_text(".. automodule:: pkg.b\n.. automodule:: pkg.a\n")
    (tmp_path / "a.rst").write_text(".. automodule:: pkg.c\n.. autoclass:: x.Y\n")
    assert named_modules(read_pages([tmp_path / "b.rst", tmp_path / "a.rst"])) == [
        "pkg.c",
        "pkg.b",
        "pkg.a",
    ]


def test_sphinx_8_options_without_members_show_no_member():
    # Sphinx 8 gives a directive without :members: an empty list (it merges
    # :private-members: and :special-members: into it): no member is shown,
    # so none may be drafted (a paid call for text no page shows).
    from sphinx.ext.autodoc import ALL

    assert not MemberOptions.from_autodoc({"members": []}).wants_members
    assert MemberOptions.from_autodoc({"members": ["_x"]}).members == ("_x",)
    assert MemberOptions.from_autodoc({"members": ALL}).wants_all


def test_short_names_after_an_automodule_are_relative_to_it(tmp_path, monkeypatch):
    # more-itertools' API page: ``.. automodule:: more_itertools`` (no
    # members), then ``.. autofunction:: chunked`` for objects its
    # ``__init__`` star-imports from submodules. autodoc resolves them in
    # the module automodule made current; so must the scan, or their
    # modules are analysed only once the pages are read.
    plan = _scanned(
        tmp_path,
        monkeypatch,
        {
            "scan_star/__init__.py": "from .more import *  # noqa\n",
            "scan_star/more.py": "def chunked(items):\n    return [items]\n",
        },
        ".. automodule:: scan_missing_module\n\n.. autofunction:: chunked\n\n"
        ".. automodule:: scan_star\n\nGrouping\n========\n\n"
        ".. autofunction:: chunked\n",
    )
    assert set(plan.objects) == {"scan_star.chunked"}
    assert plan.objects["scan_star.chunked"].obj.__module__ == "scan_star.more"


def test_a_class_shown_by_autofunction_is_read_as_a_function(tmp_path, monkeypatch):
    # more-itertools: ``.. autofunction:: numeric_range(start, stop[, step])``
    # on a class without a docstring of its own. autodoc documents it as a
    # function, whose docstring is the one it inherits (Sequence's): no
    # text is missing, so nothing may be drafted for it.
    from sphinxcontrib_aidoc.sphinxext.members import shows_text

    plan = _scanned(
        tmp_path,
        monkeypatch,
        {
            "scan_fn_class/__init__.py": "from collections import abc\n\n\n"
            "class numeric_range(abc.Sequence):\n"
            "    def __getitem__(self, i):\n        return i\n\n"
            "    def __len__(self):\n        return 0\n"
        },
        ".. currentmodule:: scan_fn_class\n\n"
        ".. autofunction:: numeric_range(start, stop[, step])\n",
    )
    shown = plan.objects["scan_fn_class.numeric_range"]
    assert shown.kind == "function"
    assert shows_text(shown.obj, shown.kind)
    assert not shows_text(shown.obj, "class")  # as an autoclass would need text
