"""Return types from what a function adds to containers and standard objects.

Issue 16: element types of containers a function builds with ``extend``
or ``update`` of any iterable whose items are proven, and a few
standard-library objects whose results are fixed (``os.system``,
``subprocess.Popen.wait``, the tokens of a ``shlex.shlex``). Each case is
a small package analysed as ``aidoc generate`` does; the assertions read
the return type a user would see.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import returned_types as _returns


def test_extend_with_a_comprehension_or_a_typed_list(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        class Item:
            def __init__(self, name):
                self.name = name


        def generated(names):
            out = []
            out.extend(Item(n) for n in names)
            return out

        def from_words(value):
            text = str(value)
            out = []
            out.extend(text.split())
            out += text.splitlines()
            return out

        def from_a_set(value):
            text = str(value)
            seen = set()
            seen.update(text.split(), [len(text)])
            return seen

        def from_unknown(values):
            out = []
            out.extend(values)
            return out
        """,
    )
    assert found["generated"] == "list[~pkg.mod.Item]"
    assert found["from_words"] == "list[str]"
    assert found["from_a_set"] == "set[int | str]"
    # the items of a parameter of unknown type are unknown: the bare kind only
    assert found["from_unknown"] in (None, "list")


def test_standard_objects_with_fixed_results(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import os
        import subprocess
        from datetime import datetime


        def tokens(text):
            import shlex
            lex = shlex.shlex(text, posix=True)
            out = []
            for token in lex:
                out.append(token)
            out.append(lex.token)
            return out

        def run(args, wait):
            if wait:
                return subprocess.Popen(args).wait()
            return os.system(" ".join(args))

        def first_bytes(fd):
            return os.read(fd, 32).decode("utf-8", "replace")

        def stamp():
            return datetime(2020, 1, 1).isoformat()

        def lines(data):
            buffer = bytearray(data)
            if not buffer:
                return []
            found = buffer.split(b"\\n")
            del found[-1:]
            return found
        """,
    )
    assert found["tokens"] == "list[str]"
    assert found["run"] == "int"
    assert found["first_bytes"] == "str"
    assert found["stamp"] == "str"
    assert found["lines"] == "list[bytearray]"


def test_a_function_importing_a_project_function_itself(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import os


        def width():
            return os.system("tput cols")

        def columns():
            from .mod import width as measure
            return measure()
        """,
    )
    assert found["columns"] == "int"


def test_a_checked_attribute_is_returned_without_none(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        class Editor:
            def __init__(self, editor=None):
                self.editor = editor

            def get_editor(self):
                if self.editor is not None:
                    return self.editor
                return "vi"

            def changed_between(self):
                if self.editor is not None:
                    self.reset()
                    return self.editor
                return "vi"

            def reset(self):
                self.editor = None


        def make():
            return Editor(editor="nano")
        """,
    )
    assert found["Editor.get_editor"] == "str"
    # a call between the check and the return may set it back to None
    assert found["Editor.changed_between"] == "str | None"


def test_a_project_class_deriving_from_str_indexes_as_str(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        class Source(str):
            def __init__(self, text):
                self.start = 0
                self.end = 0

            def extract(self):
                return self[self.start:self.end]

            def shout(self):
                return self.upper()


        class Items(str):
            def __getitem__(self, index):
                return len(self)

            def extract(self):
                return self[0:1]
        """,
    )
    assert found["Source.extract"] == "str"
    assert found["Source.shout"] == "str"
    # its own __getitem__ decides: not claimed as str
    assert found["Items.extract"] != "str"


def test_a_hook_returns_none_or_what_its_overrides_return(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import abc


        class ParamType:
            def get_metavar(self, param):
                pass

            def unused_hook(self):
                pass


        class Choice(ParamType):
            def get_metavar(self, param):
                return "[a|b]"


        class Base(abc.ABC):
            @abc.abstractmethod
            def name(self):
                ...


        class Named(Base):
            def name(self):
                return "named"
        """,
    )
    assert found["ParamType.get_metavar"] == "str | None"
    # an abstract method never runs as the instance's own
    assert found["Base.name"] == "str"
    assert found["ParamType.unused_hook"] is None


def test_a_local_a_loop_rebinds_from_itself(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import os


        def joined(names):
            rv = ""
            for name in names:
                rv = rv + str(name)
            return rv

        def trimmed(lines):
            text = os.getcwd()
            for line in lines:
                text = text.strip().replace("a", "b")
            return text

        def widened(values):
            total = 0
            for value in values:
                total = total / 2
            return total

        def unknown(values, start):
            rv = start
            for value in values:
                rv = rv + value
            return rv
        """,
    )
    assert found["joined"] == "str"
    assert found["trimmed"] == "str"
    assert found["widened"] == "float | int"  # the rounds add what each gives
    assert found["unknown"] is None


def test_an_empty_attribute_the_project_fills_elsewhere(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        class Registry:
            def __init__(self):
                self.names = []
                self.sources = {}
                self.seen = set()
                self.loose = []

            def add(self, item):
                self.names.append(str(item))
                self.seen.update([len(self.names)])
                self.loose.append(item)

            def record(self, key):
                self.sources[str(key)] = 1.5

            def all_names(self):
                return list(self.names)

            def source(self, key):
                return self.sources.get(key)

            def counts(self):
                return self.seen

            def everything(self):
                return self.loose


        class Other:
            def __init__(self):
                self.names = []

            def fill(self):
                self.names.append(3)
        """,
    )
    assert found["Registry.all_names"] == "list[str]"
    assert found["Registry.source"] == "float | None"
    assert found["Registry.counts"] == "set[int]"
    # an item of unknown type: the element types stay unknown
    assert found["Registry.everything"] in (None, "list")


def test_an_attribute_filled_through_an_unknown_object_is_not_typed(
    tmp_path: Path,
) -> None:
    found = _returns(
        tmp_path,
        """
        class Registry:
            def __init__(self):
                self.names = []

            def add(self, item):
                self.names.append(str(item))

            def all_names(self):
                return list(self.names)


        def poke(anything):
            anything.names.append(b"raw")
        """,
    )
    assert found["Registry.all_names"] != "list[str]"


def test_a_siblings_assignment_never_reaches_an_instance(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import os


        class Item:
            def unwrap(self):
                return self._original


        class Integer(Item):
            def __init__(self):
                self._original = os.system("true")

            def unwrap(self):
                return self._original


        class Text(Item):
            def __init__(self):
                self._original = os.getcwd()

            def unwrap(self):
                return self._original
        """,
    )
    assert found["Integer.unwrap"] == "int"
    assert found["Text.unwrap"] == "str"
    # on an Item, either subclass's value may be read
    assert found["Item.unwrap"] == "int | str"


def test_a_method_a_project_class_gets_from_datetime(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        from datetime import datetime


        class Stamp(datetime):
            def text(self):
                return self.isoformat()


        class Own(datetime):
            def isoformat(self):
                return 1

            def text(self):
                return self.isoformat()
        """,
    )
    assert found["Stamp.text"] == "str"
    assert found["Own.text"] == "int"


def test_unpacked_displays_none_receivers_and_abstract_iterables(
    tmp_path: Path,
) -> None:
    found = _returns(
        tmp_path,
        """
        import os
        from collections.abc import Sequence


        class Option:
            def __init__(self, name=None):
                self.name = name

            def upper_name(self):
                return self.name.upper()


        def make():
            return Option("a")


        def names():
            words = os.getcwd().split()
            return [*words, os.getcwd()]

        def spread():
            words = os.getcwd().split()
            return (*words, 1)

        def shouted(options: Sequence[str]):
            return [option.upper() for option in options]
        """,
    )
    assert found["names"] == "list[str]"
    assert found["spread"] == "tuple[int | str, ...]"
    assert found["shouted"] == "list[str]"
    # None has no ``upper``: a call that returns was on the str
    assert found["Option.upper_name"] == "str"


def test_attributes_bound_by_unpacking_a_tuple(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import os


        class Parameter:
            def __init__(self):
                self.name, self.opts = self._parse()

            def _parse(self):
                return os.getcwd(), [os.getcwd()]

            def label(self):
                return self.name

            def options(self):
                return self.opts
        """,
    )
    assert found["Parameter.label"] == "str"
    assert found["Parameter.options"] == "list[str]"
