"""Classes the tests only check objects against.

Naming a class other than to call it hands it on as a value, which could
be called anywhere unseen, so its calls would not type its parameters. A
list that is only iterated, with each item only tested against
(``isinstance``), and ``pytest.raises(C)`` call nothing: the classes'
calls still type them.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import analyse_module

SOURCE = """\
class Bool:
    def __init__(self, raw):
        self._raw = raw

    def as_string(self):
        return self._raw


class Null:
    pass
"""

TABLE = """\
from pkg.mod import Bool, Null

KINDS = [Bool, Null]


def assert_not_kind(value):
    for _, kind in enumerate(KINDS):
        assert not isinstance(value, kind)


def test_bool():
    assert Bool("true").as_string() == "true"
    assert_not_kind(1)
"""


def _stated(tmp_path: Path, tests: dict[str, str]) -> tuple[str | None, str | None]:
    found = analyse_module(tmp_path, SOURCE, tests)
    raw = found["Bool"].params[1].type  # (self, raw)
    returns = found["Bool.as_string"].returns
    return raw, returns.type if returns else None


def test_a_table_tested_against_hands_its_classes_to_nothing(tmp_path):
    assert _stated(tmp_path, {"test_kinds.py": TABLE}) == ("str", "str")


def test_a_table_whose_items_are_called_hands_them_on(tmp_path):
    called = TABLE + "\n\ndef test_make():\n    for kind in KINDS:\n        kind()\n"
    assert _stated(tmp_path, {"test_kinds.py": called}) == (None, None)


def test_a_table_another_module_imports_hands_its_classes_on(tmp_path):
    other = "from test_kinds import KINDS\n\n\ndef test_it():\n    KINDS[0](1)\n"
    tests = {"test_kinds.py": TABLE, "test_other.py": other}
    assert _stated(tmp_path, tests) == (None, None)


def test_a_table_read_otherwise_hands_its_classes_on(tmp_path):
    returned = TABLE + "\n\ndef kinds():\n    return KINDS\n"
    assert _stated(tmp_path, {"test_kinds.py": returned}) == (None, None)


ERRORS = """\
class ParseError(Exception):
    def __init__(self, line):
        super().__init__(f"line {line}")
        self.line = line
"""


def test_a_class_pytest_raises_expects_is_handed_to_nothing(tmp_path):
    tests = {
        "test_errors.py": """\
            import pytest
            from pkg.mod import ParseError


            def parse(text):
                raise ParseError(3)


            def test_raises():
                with pytest.raises(ParseError):
                    parse("x")
        """
    }
    found = analyse_module(tmp_path, ERRORS, tests)
    assert found["ParseError"].params[1].type == "int"
