"""A container some code adds to is never stated with its first items only.

``rows = ["a"]`` then ``rows.append(3)``: the list holds ``int`` items too.
astroid answers with the display the name was bound to, and a module-level
list may be added to by any function (or by whoever it is handed to), so
such items are claimed only where the project pass proves every addition.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import returned_types

SOURCE = """
REGISTRY = ["text"]
LABELS = ["north", "south"]


def register(number):
    REGISTRY.append(number * 2)


def registry():
    return REGISTRY


def first_label():
    return LABELS[0]


def rows_of_both():
    rows = ["a"]
    rows.append(3)
    return rows


def rows_of_unknown(value):
    rows = ["a"]
    rows.append(value.read())
    return rows


def rows_untouched():
    rows = ["a", "b"]
    return rows
"""


def test_a_local_list_added_to_holds_what_was_added(tmp_path: Path) -> None:
    types = returned_types(tmp_path, SOURCE)
    assert types["rows_of_both"] == "list[int | str]"
    assert types["rows_of_unknown"] == "list"
    assert types["rows_untouched"] == "list[str]"


def test_a_module_list_some_function_adds_to_has_unproven_items(
    tmp_path: Path,
) -> None:
    types = returned_types(tmp_path, SOURCE)
    assert types["registry"] == "list"
    # A list the project only reads keeps its items' type.
    assert types["first_label"] == "str"
