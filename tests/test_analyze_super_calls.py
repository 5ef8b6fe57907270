"""``super()`` calls and unpacking calls as the call-site reader reads them.

A constructor that calls ``super().__init__`` of a class outside the
project (an exception's) must not make every constructor of the project
"reachable by an unknown call"; one that a test's class reaches through
``super()`` is a call site like any other; and a call that unpacks
``**options`` may pass what it does not name, so a parameter it leaves
out does not hold its default for it.
"""

from __future__ import annotations

from pathlib import Path

from sphinxcontrib_aidoc.model import ObjectInfo
from tests.conftest import analyse_module


def _infos(tmp_path: Path, source: str, test: str = "") -> dict[str, ObjectInfo]:
    return analyse_module(tmp_path, source, {"test_mod.py": test} if test else None)


def _param(info: ObjectInfo, name: str) -> str | None:
    return next(p.type for p in info.params if p.name == name)


BOX = """
class Error(Exception):
    def __init__(self, message):
        super().__init__(message)

class Box:
    def __init__(self, size):
        self.size = size
"""


def test_super_init_of_an_outside_base_leaves_other_constructors_typed(
    tmp_path: Path,
) -> None:
    infos = _infos(tmp_path, BOX + "\ndef make():\n    return Box(3)\n")
    assert _param(infos["Box"], "size") == "int"


def test_super_init_that_a_mixin_may_pass_on_to_a_project_base_is_open(
    tmp_path: Path,
) -> None:
    source = """
        class Sized:
            def __init__(self, size):
                self.size = size

        class Logged:
            def __init__(self):
                super().__init__("three")  # in Both: Sized.__init__

        class Both(Logged, Sized):
            pass

        def make():
            return Sized(4)
    """
    infos = _infos(tmp_path, source)
    # In a Both, Logged's super() call reaches Sized.__init__ with a str:
    # "int" (make() alone) would be wrong.
    assert _param(infos["Sized"], "size") is None


def test_a_test_class_reaching_a_project_constructor_through_super_is_a_site(
    tmp_path: Path,
) -> None:
    test = """
        from pkg.mod import Box

        class Wide(Box):
            def __init__(self):
                super().__init__("wide")

        def test_wide():
            Wide()
    """
    infos = _infos(tmp_path, BOX, test)
    assert _param(infos["Box"], "size") == "str"


def test_a_parameter_an_unpacking_call_leaves_out_does_not_hold_its_default(
    tmp_path: Path,
) -> None:
    source = """
        class Box:
            def __init__(self, size, label=None):
                self.label = label

            def name(self):
                return self.label

        def make(**options):
            return Box(1, **options)

        def other():
            return Box(2, label="x")
    """
    infos = _infos(tmp_path, source)
    returns = infos["Box.name"].returns
    assert returns is None or returns.type is None


def test_super_call_with_several_bases_reaches_the_first_bases_own_method(
    tmp_path: Path,
) -> None:
    source = """
        class Base:
            def __init__(self, low):
                self.low = low

        class Kind:
            pass

        class Range(Base, Kind):
            def __init__(self, low, high):
                super().__init__(low)
                self.high = high

        def make():
            return Range(1.5, 2.5)
    """
    infos = _infos(tmp_path, source)
    assert _param(infos["Base"], "low") == "float"
