"""Return types the project-wide pass proves from rules (issue 16).

Each case is a small package on disk, analysed as ``aidoc generate`` does
(:func:`analyze_paths`: astroid oracle, then the project-wide pass); the
assertions read the return type a user would see in the docstring.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import analyse_module
from tests.conftest import returned_types as _returns


def test_standard_library_calls_from_the_table(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import copy
        import os
        from datetime import date
        from gettext import gettext as _


        class Box:
            def copied(self):
                return copy.copy(self)


        def message(name):
            return _("Hello {name}").format(name=name)

        def variable(name):
            return os.environ.get(name)

        def variable_or_default(name):
            return os.getenv(name, "fallback")

        def variable_or_unknown(name, default):
            return os.environ.get(name, default)

        def day(year, month):
            return date(year, month, 1)

        def secret(prompt):
            import getpass
            return getpass.getpass(prompt)

        def shadowed(prompt):
            getpass = object()
            return getpass.getpass(prompt)
        """,
    )
    assert found["Box.copied"] == "~pkg.mod.Box"
    assert found["message"] == "str"
    assert found["variable"] == "str | None"
    assert found["variable_or_default"] == "str"
    assert found["variable_or_unknown"] is None  # the default's type is unknown
    assert found["day"] == "datetime.date"
    assert found["secret"] == "str"  # imported in the function itself
    assert found["shadowed"] is None


def test_a_check_around_a_return_drops_none(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import os


        def first_set(names):
            for name in names:
                value = os.environ.get(name)
                if value:
                    return value
            return None

        def checked(name):
            value = os.environ.get(name)
            if value is not None and name:
                return value
            return ""

        def in_else(name):
            value = os.getenv(name)
            if value is None:
                return "unset"
            else:
                return value

        def rebound(name):
            value = os.getenv(name)
            if value:
                value = os.getenv(value)
                return value
            return ""

        def or_check(name, other):
            value = os.getenv(name)
            if value or other:
                return value
            return ""
        """,
    )
    assert found["first_set"] == "str | None"
    assert found["checked"] == "str"
    assert found["in_else"] == "str"
    # assigned again inside the check: the check no longer holds
    assert found["rebound"] == "str | None"
    # ``or``: the value may still be None when the other operand is true
    assert found["or_check"] == "str | None"


def test_operators_on_builtin_values(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        class Number:
            def __add__(self, other):
                return "surprise"


        def position(count, total):
            text = str(count)
            if total:
                text += f"/{total}"
            return text

        def ratio(a, b):
            return len(a) / len(b)

        def doubled(items):
            return len(items) * 2 + 0.5

        def padded(name):
            return "-" * len(name)

        def formatted(value):
            return "%s!" % value

        def joined(a, b):
            return str(a) + str(b)

        def negative(items):
            return -len(items)

        def lines(names):
            out = ["header"]
            for name in names:
                out += [str(name)]
            return out

        def overloaded():
            return Number() + 1

        def unknown_operand(value):
            text = "a"
            text += value
            return text

        def unknown_left(value):
            return value + "a"

        def unknown_format(pattern, value):
            fmt = str(pattern)
            return fmt % value

        def unknown_list_operand(value):
            return [1] + value

        def power(a):
            return len(a) ** 2
        """,
    )
    assert found["position"] == "str"
    assert found["ratio"] == "float"
    assert found["doubled"] == "float"
    assert found["padded"] == "str"
    assert found["formatted"] == "str"
    assert found["joined"] == "str"
    assert found["negative"] == "int"
    assert found["lines"] == "list[str]"
    # a project class's own operator decides (never the builtin rules);
    # a string concatenated with anything is a string (``str.__add__``, as
    # type checkers read it), an unknown left operand or a list's proves
    # nothing; ``**`` may give a float
    assert found["overloaded"] == "str"
    assert found["unknown_operand"] == "str"
    assert found["unknown_left"] is None
    assert found["unknown_format"] == "str"
    assert found["unknown_list_operand"] is None
    assert found["power"] is None


def test_declared_attributes_and_properties(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        from typing import ClassVar


        class Trivia:
            indent: str
            count: ClassVar[int] = 0

            def __init__(self, indent, comment):
                self.indent = indent
                self.comment = comment


        class Item:
            _trivia: Trivia

            def __init__(self, trivia):
                self._trivia = trivia

            @property
            def trivia(self):
                return self._trivia

            @trivia.setter
            def trivia(self, value):
                self._trivia = value

            def indent(self):
                return self.trivia.indent

            def counted(self):
                return self._trivia.count

            def comment(self):
                return self.trivia.comment

            @property
            def size(self):
                return len(self.trivia.indent)

            def doubled(self):
                return self.size * 2


        class Sized(Item):
            @property
            def size(self):
                return 1.5
        """,
    )
    assert found["Item.trivia"] == "~pkg.mod.Trivia"
    assert found["Item.indent"] == "str"
    assert found["Item.counted"] == "int"
    # not declared, and assigned a parameter of unknown type: not known
    assert found["Item.comment"] is None
    # the property of an instance may be any override's
    assert found["Item.doubled"] == "float | int"


def test_enum_members_are_instances_of_their_enum(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import enum


        class Kind(enum.Enum):
            BASIC = "basic"
            LITERAL = "literal"

            def toggle(self):
                return {Kind.BASIC: Kind.LITERAL, Kind.LITERAL: Kind.BASIC}[self]

            @classmethod
            def select(cls, literal):
                return cls.LITERAL if literal else cls.BASIC

            def plain(self):
                return Kind.BASIC.value


        def default():
            return Kind.BASIC
        """,
    )
    # the enum, never a class named after the member
    assert found["Kind.toggle"] == "~pkg.mod.Kind"
    assert found["Kind.select"] == "~pkg.mod.Kind"
    assert found["default"] == "~pkg.mod.Kind"


def test_module_level_names_bound_once(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import re

        _ANSI = re.compile(r"\\033\\[[;?0-9]*[a-zA-Z]")
        DEFAULT = "root"
        COUNTER = 0
        CHANGED = re.compile("a")
        if COUNTER:
            CHANGED = re.compile(b"a")


        def strip(value):
            return _ANSI.sub("", value)

        def name(value):
            return value or DEFAULT

        def matched(value):
            return _ANSI.match(value)

        def reset():
            global COUNTER
            COUNTER = None

        def counter():
            return COUNTER

        def changed(value):
            return CHANGED.sub("", value)

        def shadowed():
            DEFAULT = None
            return DEFAULT
        """,
    )
    assert found["strip"] == "str"
    assert found["matched"] == "re.Match[str] | None"
    # bound twice, or declared global elsewhere: not claimed
    assert found["counter"] != "int"  # ``reset`` may have set it to None
    assert found["changed"] is None
    assert found["shadowed"] == "None"


def test_a_union_of_project_classes_is_their_common_base(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        class Key:
            pass


        class SingleKey(Key):
            pass


        class DottedKey(Key):
            pass


        class _Base:
            pass


        class Request(_Base):
            pass


        class Response(_Base):
            pass


        def key(dotted):
            if dotted:
                return DottedKey()
            return SingleKey()

        def maybe_key(dotted):
            if dotted is None:
                return None
            return DottedKey() if dotted else SingleKey()

        def key_or_dotted(dotted):
            return DottedKey() if dotted else Key()

        def message(incoming):
            return Request() if incoming else Response()
        """,
    )
    assert found["key"] == "~pkg.mod.Key"
    assert found["maybe_key"] == "~pkg.mod.Key | None"
    assert found["key_or_dotted"] == "~pkg.mod.Key"
    # a private base is no name to document: the union stays
    assert found["message"] == "~pkg.mod.Request | ~pkg.mod.Response"


def test_checks_narrow_the_names_they_test(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import os
        import sys


        class Node:
            def name(self):
                return "node"


        def make_str(value):
            if isinstance(value, bytes):
                try:
                    return value.decode(sys.getfilesystemencoding())
                except UnicodeError:
                    return value.decode("utf-8", "replace")
            return str(value)

        def label(item):
            if not isinstance(item, Node):
                raise TypeError(item)
            return item.name()

        def upper(name):
            value = os.getenv(name)
            if value is not None:
                return value.upper()
            return ""

        def encoded(text):
            if isinstance(text, (str, bytes)) and text:
                return text.upper()
            return None

        def rebound_in_loop(value, items):
            if isinstance(value, bytes):
                for item in items:
                    result = value.decode()
                    value = item
                return result
            return ""

        def later(value):
            def inner():
                return value.decode()
            if isinstance(value, bytes):
                return inner()
            return ""
        """,
    )
    assert found["make_str"] == "str"
    assert found["label"] == "str"
    assert found["upper"] == "str"
    assert found["encoded"] == "bytes | str | None"
    # bound again in the loop, or read by a nested function that runs later:
    # the check does not hold there
    assert found["rebound_in_loop"] is None
    assert found["later"] is None


def test_paths_files_and_with_statements(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import io
        from pathlib import Path


        class Session:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return None

            def name(self):
                return "session"


        def config_dir(root):
            return Path(root) / "config"

        def stem(root):
            return Path(root).stem

        def exists(root):
            return (Path(root) / "x").exists()

        def read(path):
            with open(path, encoding="utf-8") as handle:
                return handle.read()

        def read_bytes(path):
            with open(path, "rb") as handle:
                return handle.read()

        def unknown_mode(path, mode):
            with open(path, mode) as handle:
                return handle.read()

        def buffered(text):
            with io.StringIO(text) as stream:
                return stream.getvalue()

        def session_name():
            with Session() as session:
                return session.name()
        """,
    )
    assert found["config_dir"] == "pathlib.Path"
    assert found["stem"] == "str"
    assert found["exists"] == "bool"
    assert found["read"] == "str"
    assert found["read_bytes"] == "bytes"
    assert found["unknown_mode"] is None  # text or bytes: the mode decides
    assert found["buffered"] == "str"
    assert found["session_name"] == "str"


def test_buffers_extended_in_place(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        class Buffer:
            def __init__(self):
                self._data = bytearray()
                self._count = 0

            def add(self, data):
                self._data += data
                self._count += len(data)

            def take(self, count):
                out = self._data[:count]
                del self._data[:count]
                return out

            def maybe_take(self, count):
                if not self._data:
                    return None
                return self.take(count)

            def count(self):
                return self._count


        class Text:
            def __init__(self):
                self.value = ""

            def add(self, data):
                self.value += data

            def get(self):
                return self.value
        """,
    )
    assert found["Buffer.take"] == "bytearray"
    assert found["Buffer.maybe_take"] == "bytearray | None"
    assert found["Buffer.count"] == "int"
    # ``str + data`` is a string whatever ``data`` is (``str.__add__``)
    assert found["Text.get"] == "str"


def test_the_binding_that_reaches_a_read(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        class Event:
            pass


        def normalised(value):
            value = str(value)
            return value.strip()

        def branches(value, short):
            if short:
                value = str(value)[:10]
            else:
                value = repr(value)
            return value

        def exits(value):
            if value is None:
                raise ValueError("no value")
            else:
                value = len(value)
            return value

        def collected(source):
            events = []
            while True:
                event = source.next()
                if event is None:
                    break
                event = Event()
                events.append(event)
            return events

        def one_branch(value, flag):
            if flag:
                value = str(value)
            return value

        def walrus(value):
            value = str(value)
            if (value := value.split()):
                return value
            return None
        """,
    )
    assert found["normalised"] == "str"
    assert found["branches"] == "str"
    assert found["exits"] == "int"
    assert found["collected"] == "list[~pkg.mod.Event]"
    # the other branch keeps the argument (unknown); a walrus binds it
    # mid-expression
    assert found["one_branch"] is None
    assert found["walrus"] in (None, "list[str] | None")


def test_call_sites_passing_sibling_classes_give_their_base(tmp_path: Path) -> None:
    infos = analyse_module(
        tmp_path,
        """
            class Key:
                def __init__(self):
                    self.name = ""


            class SingleKey(Key):
                pass


            class DottedKey(Key):
                pass


            def render(key):
                print(key)


            def render_both():
                render(SingleKey())
                render(DottedKey())
            """,
    )
    (key,) = infos["render"].params
    assert key.type == "~pkg.mod.Key"
    assert key.evidence == "call sites"


def test_a_class_name_shadowed_by_a_local_proves_nothing(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        class Node:
            pass


        def narrowed(value):
            if isinstance(value, Node):
                return value
            return None

        def shadowed(value, factory):
            Node = factory()
            if isinstance(value, Node):
                return value
            return None
        """,
    )
    assert found["narrowed"] == "~pkg.mod.Node | None"
    assert found["shadowed"] is None  # ``Node`` is a local here


def test_defaults_filled_in_asserts_and_cached_functions(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import functools
        import os


        @functools.lru_cache(maxsize=None)
        def home():
            return os.path.expanduser("~")

        def config_dir(name):
            folder = os.environ.get("XDG_CONFIG_HOME")
            if folder is None:
                folder = home()
            return os.path.join(folder, name)

        def first(value):
            if not value:
                value = "default"
            return value

        def checked(value):
            assert isinstance(value, bytes)
            return value.decode()

        def maybe(name):
            folder = os.environ.get(name)
            if folder is not None:
                folder = folder.strip()
            return folder
        """,
    )
    assert found["home"] == "str"
    assert found["config_dir"] == "str"
    # a parameter's argument is of unknown type, whatever the check
    assert found["first"] is None
    assert found["checked"] == "str"
    assert found["maybe"] == "str | None"


def test_attribute_from_a_defaulted_parameter_the_call_sites_type(
    tmp_path: Path,
) -> None:
    found = _returns(
        tmp_path,
        """
        class Box:
            def __init__(self, name=None, size=0, tag=None):
                self.name = name
                self.size = size
                self.tag = tag

            def label(self):
                return self.name

            def width(self):
                return self.size

            def marker(self):
                return self.tag


        def make(anything):
            return Box("a", 3, anything)


        def other():
            return Box(name="b")
        """,
    )
    # call sites pass str, the default is None: the attribute holds either
    assert found["Box.label"] == "str | None"
    assert found["Box.width"] == "int"
    # one call site passes a value of unknown type: nothing is claimed
    assert found["Box.marker"] is None


def test_defaulted_parameter_reached_unseen_gives_no_type(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        class Box:
            def __init__(self, name=None):
                self.name = name

            def label(self):
                return self.name


        def make():
            return Box("a")


        FACTORY = Box
        """,
    )
    assert found["Box.label"] is None


def test_a_read_in_the_value_of_an_unpacking_sees_what_reached_it(
    tmp_path: Path,
) -> None:
    # ``obj, word = split(word)`` evaluates ``split(word)`` before binding
    # ``word`` again: the argument is the parameter as the calls pass it.
    infos = analyse_module(
        tmp_path,
        """
            def split(word):
                head, _, rest = word.partition("=")
                return head, rest

            def complete(word):
                head, word = split(word)
                return head

            def tidy(text):
                return text.strip()

            def label(text):
                text: str = tidy(text)
                return text

            def main():
                label("  x ")
                return complete("--name=value")
        """,
    )
    assert infos["split"].params[0].type == "str"
    assert infos["tidy"].params[0].type == "str"  # through ``text: str = ...``


def test_an_update_after_a_check_reads_the_checked_value(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import os


        def label(name):
            text = os.environ.get(name)
            if text is None:
                text = "anonymous"
            text += "..."
            return text

        def counted(name):
            size = len(name)
            size += 0.5
            return size

        def checked_twice(name):
            text = os.environ.get(name)
            if text is None:
                text = "anonymous"
            text += "..."
            if not text:
                text = "-"
            return text

        def looped(names):
            text = os.environ.get("PREFIX")
            for name in names:
                text += name
            return text
        """,
    )
    # ``text`` is a str once the check has run: so is ``text + "..."``
    assert found["label"] == "str"
    # run once, outside a loop: the name holds the result only
    assert found["counted"] == "float"
    # an update read past a second check
    assert found["checked_twice"] == "str"
    # in a loop the update may meet the None the check did not remove
    assert found["looped"] is None


def test_a_call_of_a_function_returning_its_argument_gives_the_argument(
    tmp_path: Path,
) -> None:
    found = _returns(
        tmp_path,
        """
        import io
        import os


        class Echo:
            def __init__(self, stream, log):
                self._input = stream
                self._log = log

            def _echo(self, data):
                if not data:
                    return data
                self._log.write(data)
                return data

            def read(self, size=-1):
                return self._echo(self._input.read(size))

            def lines(self):
                return [self._echo(line) for line in self._input.readlines()]

            def size(self):
                return self._echo(data=len(self._input.getvalue()))


        def checked(value, strict=False):
            if strict and not value:
                raise ValueError("empty")
            return value

        def rebound(value):
            if value:
                value = os.getpid()
            return value

        def maybe(value):
            if value:
                return value

        def home():
            return checked(os.getcwd())

        def pid():
            return rebound(os.getcwd())

        def nothing():
            return maybe(os.getcwd())

        def unpacked(args):
            return checked(*args)

        def add_one(items):
            items.append(1)
            return items

        def filled(rows):
            return add_one([str(row) for row in rows])

        def rows():
            return filled([1, 2])

        def echo(log):
            return Echo(io.BytesIO(b"x"), log)
        """,
    )
    assert found["Echo.read"] == "bytes"
    assert found["Echo.lines"] == "list[bytes]"
    assert found["Echo.size"] == "int"
    assert found["home"] == "str"
    # rebound in the body: not the argument any more
    assert found["pid"] != "str"
    # may fall off its end: None is possible too
    assert found["nothing"] != "str"
    # what an unpacking passes is not known
    assert found["unpacked"] is None
    # the list passed gains an int inside: not the argument's list[str]
    assert found["add_one"] == "list[int | str]"
    assert found["filled"] == "list[int | str]"
