"""Calls a definition makes where it stands are call sites.

A decorator, a default value or a base class is evaluated where the
``def`` or ``class`` stands: in the function around a nested definition,
or when a test module is imported. Such calls reach the project like any
other, so they type its parameters, and the class they call is not handed
on unseen.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import analyse_module

SOURCE = """\
class File:
    def __init__(self, mode):
        self.mode = mode


def option(kind):
    def decorate(function):
        return function

    return decorate
"""


def _mode(tmp_path: Path, test: str) -> str | None:
    found = analyse_module(tmp_path, SOURCE, {"test_file.py": test})
    return found["File"].params[1].type  # (self, mode)


def test_a_nested_function_s_decorator_calls_as_its_function_does(tmp_path):
    test = """\
        from pkg.mod import File, option


        def test_option():
            @option(File("rb"))
            def cli():
                pass

            cli()
    """
    assert _mode(tmp_path, test) == "str"


def test_a_module_level_decorator_calls_when_the_tests_are_imported(tmp_path):
    test = """\
        import pytest
        from pkg.mod import File


        @pytest.mark.parametrize("kind", [File("r"), File("w")])
        def test_kind(kind):
            assert kind
    """
    assert _mode(tmp_path, test) == "str"
