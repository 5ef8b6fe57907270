"""A class attribute that holds a class and is only called through the instance.

``context_class = Context`` in a class body, then
``self.context_class(self, name)`` in a method: the call builds a
``Context``, so it is a call site of ``Context`` (its parameters take what
the call passes), and naming ``Context`` in the class body hands it to
nothing else.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import analyse_module

SOURCE = """\
class Context:
    def __init__(self, command, name):
        self.command = command
        self.name = name

    def title(self):
        return self.name


class Command:
    context_class = Context

    def make_context(self):
        return self.context_class(self, "main")
"""


def _stated(tmp_path: Path, source: str) -> tuple[str | None, str | None]:
    found = analyse_module(tmp_path, source)
    params = {p.name: p.type for p in found["Context"].params}
    return params["command"], params["name"]


def test_calls_through_the_instance_are_calls_of_the_class(tmp_path):
    assert _stated(tmp_path, SOURCE) == ("~pkg.mod.Command", "str")


def test_the_attribute_read_other_than_by_a_call_proves_nothing(tmp_path):
    source = SOURCE + "\n\ndef factory(command):\n    return command.context_class\n"
    assert _stated(tmp_path, source) == (None, None)


def test_the_attribute_assigned_on_an_instance_proves_nothing(tmp_path):
    source = SOURCE.replace(
        "    def make_context(self):\n",
        "    def use(self, other):\n        self.context_class = other\n\n"
        "    def make_context(self):\n",
    )
    assert _stated(tmp_path, source) == (None, None)


def test_the_attribute_called_on_an_unknown_object_proves_nothing(tmp_path):
    source = SOURCE + "\n\ndef build(thing):\n    return thing.context_class(1, 2)\n"
    assert _stated(tmp_path, source) == (None, None)
