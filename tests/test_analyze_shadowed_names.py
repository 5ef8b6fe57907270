"""A name a function binds itself is never the module's global (issue 16).

A nested ``def``, ``class`` or ``import`` inside a function binds its name
there: a read or a call of that name is not the module-level object of
the same name, whose type or call sites it used to borrow.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import analyse_module, returned_types


def test_a_nested_def_is_not_the_global_of_its_name(tmp_path: Path) -> None:
    found = returned_types(
        tmp_path,
        """
        handler = "text"

        def callback():
            def handler():
                return 1
            return handler

        def plain():
            return handler
        """,
    )
    assert found["callback"] is None  # a function, not "text"
    assert found["plain"] == "str"


def test_a_call_of_a_nested_def_is_no_call_site_of_the_module_function(
    tmp_path: Path,
) -> None:
    # ``convert(3)`` inside ``main`` calls main's own ``convert``: the
    # module's ``convert`` is called with a string only.
    source = """
        def convert(value):
            return value

        def main():
            def convert(number):
                return number + 1
            return convert(3)

        def other():
            return convert("text")
    """
    info = analyse_module(tmp_path, source, None)["convert"]
    assert next(p.type for p in info.params if p.name == "value") == "str"
