"""The project pass is skipped only when it could prove nothing.

A package whose every parameter and return type is annotated gives the
pass nothing to do (``analyze/_project.py``'s ``settled``), and an edit of
such a package no longer pays for it. One open parameter or one inferred
return type anywhere makes it run: these fixtures are fully annotated but
for one such gap each, and the gap must still be filled.
"""

from __future__ import annotations

from sphinxcontrib_aidoc.analyze._project import settled
from tests.conftest import analyse_module

ANNOTATED = """\
class Box:
    def __init__(self, size: int) -> None:
        self.size = size

    @property
    def area(self) -> int:
        return self.size * self.size

    @classmethod
    def unit(cls) -> "Box":
        return cls(1)


def make(size: int) -> Box:
    return Box(size)
"""


def test_a_fully_annotated_package_leaves_nothing_for_the_pass(tmp_path):
    found = analyse_module(tmp_path, ANNOTATED)
    # The receivers (self, cls) are bound by every call: not a gap.
    assert all(settled(info) for info in found.values())
    assert found["make"].params[0].type == "int"
    assert found["Box.area"].returns.type == "int"


def test_one_unannotated_parameter_still_gets_its_call_sites_type(tmp_path):
    found = analyse_module(
        tmp_path,
        ANNOTATED + "\n\ndef measure(box):\n    return box.area\n\n\n"
        "def report(size: int) -> int:\n    return measure(Box(size))\n",
    )
    assert not settled(found["measure"])
    assert found["measure"].params[0].type == "~pkg.mod.Box"


def test_an_unannotated_init_parameter_after_self_is_still_typed(tmp_path):
    found = analyse_module(
        tmp_path,
        ANNOTATED + "\n\nclass Tag:\n    def __init__(self, name):\n"
        "        self.name = name\n\n\n"
        "def tag(name: str) -> Tag:\n    return Tag(name)\n",
    )
    assert found["Tag"].params[1].type == "str"
    assert found["Tag.__init__"].params[1].type == "str"


def test_an_inferred_return_type_is_still_read_across_the_project(tmp_path):
    found = analyse_module(
        tmp_path,
        ANNOTATED + "\n\ndef biggest(size: int):\n    return make(size).area\n",
    )
    assert found["biggest"].returns.type == "int"
