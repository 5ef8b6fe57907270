"""Items of a module's tuple displays, and ``pytest.param(*NAME)`` rows (issue 16).

The layout of click 8.1.7's ``tests/test_info_dict.py``: module-level
pairs ``HELLO_COMMAND = (click.Command(...), {...expected...})`` whose
second item is of no provable type, read as ``HELLO_COMMAND[0]`` and
spread into parametrize rows with ``pytest.param(*HELLO_COMMAND)``. The
first item's class is what reaches ``Context(command)``.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import analyse_module

_PACKAGE = """
    class Command:
        def __init__(self, name):
            self.name = name

        def usage(self):
            return f"Usage: {self.name}"


    class Group(Command):
        pass


    class Context:
        def __init__(self, command):
            self.command = command

        def get_usage(self):
            return self.command.usage()
"""


def _found(tmp_path: Path, tests: str) -> tuple[str | None, str | None]:
    infos = analyse_module(tmp_path, _PACKAGE, {"test_info.py": tests})
    param = next(p for p in infos["Context.__init__"].params if p.name == "command")
    returns = infos["Context.get_usage"].returns
    return param.type, returns.type if returns else None


_PAIRS = """
    import pytest

    from pkg.mod import Command, Context, Group

    HELLO = (Command("hello"), {"name": "hello", "params": [UNKNOWN]})
    GROUP = (Group("cli"), {"commands": {"hello": HELLO[1]}})
"""


def test_an_item_of_a_module_tuple_keeps_its_own_type(tmp_path: Path) -> None:
    found = _found(
        tmp_path,
        _PAIRS
        + """
    def test_context():
        Context(HELLO[0])
    """,
    )
    assert found == ("~pkg.mod.Command", "str")


def test_param_rows_spreading_a_module_tuple(tmp_path: Path) -> None:
    found = _found(
        tmp_path,
        _PAIRS
        + """
    @pytest.mark.parametrize(
        ("obj", "expect"),
        [
            pytest.param(*HELLO, id="Command"),
            pytest.param(*GROUP, id="Group"),
            pytest.param(Group("base"), {}, id="Nested"),
        ],
    )
    def test_command(obj, expect):
        Context(obj)
    """,
    )
    assert found == ("~pkg.mod.Command", "str")


def test_an_item_of_what_is_not_a_tuple_display_is_unknown(tmp_path: Path) -> None:
    found = _found(
        tmp_path,
        _PAIRS
        + """
    PAIRS = [Command("a"), Group("b")]
    PAIRS.append(object())
    MADE = tuple(PAIRS)

    def test_context():
        Context(MADE[0])
    """,
    )
    assert found == (None, None)
