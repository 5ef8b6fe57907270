"""A local that holds a class chosen in the function and is only called.

``make = Inline if nested else Table`` then ``make(raw)``: the calls of
``make`` are call sites of both classes, and naming them on the right of
the assignment hands them to nothing else.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import analyse_module

SOURCE = """\
class Table:
    def __init__(self, raw):
        self._raw = raw

    def as_string(self):
        return self._raw


class Inline(Table):
    pass


def build(nested):
    make = Inline if nested else Table
    return make("[a]")
"""


def _stated(tmp_path: Path, source: str) -> tuple[str | None, str | None]:
    found = analyse_module(tmp_path, source)
    raw = found["Table"].params[1].type  # (self, raw)
    returns = found["Table.as_string"].returns
    return raw, returns.type if returns else None


def test_calls_through_the_local_are_calls_of_its_classes(tmp_path):
    assert _stated(tmp_path, SOURCE) == ("str", "str")


def test_a_local_that_may_hold_a_function_proves_nothing(tmp_path):
    source = SOURCE.replace("Inline if nested else Table", "Inline if nested else len")
    assert _stated(tmp_path, source) == (None, None)


def test_a_local_handed_on_proves_nothing(tmp_path):
    source = SOURCE + "\n\ndef factory(nested):\n    make = Table\n    return [make]\n"
    assert _stated(tmp_path, source) == (None, None)


def test_a_local_bound_otherwise_too_proves_nothing(tmp_path):
    source = SOURCE.replace(
        '    return make("[a]")',
        '    for make in (Table,):\n        pass\n    return make("[a]")',
    )
    assert _stated(tmp_path, source) == (None, None)
