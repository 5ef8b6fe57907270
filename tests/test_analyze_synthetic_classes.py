"""A class astroid makes up (a named tuple) is never named after astroid's module."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import returned_types


def test_a_named_tuple_instance_is_its_class_by_name(tmp_path: Path) -> None:
    types = returned_types(
        tmp_path,
        """
        from collections import namedtuple
        import typing

        Point = namedtuple("Point", "x y")


        class Pair(typing.NamedTuple):
            left: int
            right: int


        def origin():
            return Point(0, 0)


        def pair():
            return Pair(1, 2)
        """,
    )
    assert types["origin"] == "Point"
    assert types["pair"] == "~pkg.mod.Pair"
