"""Standard-library results read from typeshed's stubs (issue 16).

What the tables of ``_known_calls`` do not list is read from the stubs
``typeshed_client`` bundles, only when the declared type is the same for
every call: no type variable, no ``Any``, every overload agreeing.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import returned_types as _returns


def test_functions_and_classes_of_the_standard_library(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import os.path
        import shlex
        import tempfile
        import textwrap
        import uuid
        from io import StringIO


        def words(line):
            return shlex.split(line)

        def scratch():
            return tempfile.gettempdir()

        def identifier():
            return uuid.uuid4()

        def buffer():
            return StringIO()

        def shown(text):
            out = StringIO()
            out.write(text)
            return out.getvalue()

        def lines(text):
            return textwrap.TextWrapper(width=40).wrap(text)

        def base(path):
            return os.path.basename(path)

        def loaded(text):
            import json
            return json.loads(text)
        """,
    )
    assert found["words"] == "list[str]"
    assert found["scratch"] == "str"
    assert found["identifier"] == "uuid.UUID"
    assert found["buffer"] == "io.StringIO"
    assert found["shown"] == "str"
    assert found["lines"] == "list[str]"
    # ``AnyStr``: with the argument unknown, either of its two types
    assert found["base"] == "bytes | str"
    assert found["loaded"] is None  # ``Any``: nothing is declared


def test_methods_a_project_class_inherits_from_the_standard_library(
    tmp_path: Path,
) -> None:
    found = _returns(
        tmp_path,
        """
        import textwrap


        class Wrapper(textwrap.TextWrapper):
            def indent_only(self, text):
                return text


        class Filling(textwrap.TextWrapper):
            def fill(self, text):
                return None


        class Special(Wrapper):
            def wrap(self, text):
                return None


        def wrapped(text):
            return Wrapper(40).fill(text)

        def overridden(text):
            return Filling(40).fill(text)

        def subclass_overrides(text):
            wrapper = Wrapper(40)
            return wrapper.wrap(text)
        """,
    )
    assert found["wrapped"] == "str"
    # the project's own method runs, not the stub's
    assert found["overridden"] == "None"
    # a Wrapper may be a Special, whose ``wrap`` is the project's
    assert found["subclass_overrides"] is None


def test_super_calls_reach_the_standard_library_base(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import datetime


        class Stamp(datetime.datetime):
            def isoformat(self, sep="T"):
                return "stamp " + super().isoformat(sep)

            def shifted(self, tz):
                return super().astimezone(tz)

            def day(self):
                return super().date()

            def later(self, delta):
                return super().__add__(delta)

            def between(self, other):
                return super().__sub__(other)


        class Plain:
            def shown(self):
                return super().isoformat()
        """,
    )
    assert found["Stamp.isoformat"] == "str"
    assert found["Stamp.shifted"] == "~pkg.mod.Stamp"  # ``Self``: this class
    assert found["Stamp.day"] == "datetime.date"
    assert found["Stamp.later"] == "~pkg.mod.Stamp"  # a dunder method too
    # overloads that disagree (a timedelta, or a datetime): nothing stated
    assert found["Stamp.between"] is None
    assert found["Plain.shown"] is None  # ``object`` has no such method


def test_a_mock_passed_by_the_tests_types_nothing(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        from unittest import mock


        def stand_in():
            return mock.MagicMock()
        """,
    )
    assert found["stand_in"] is None


def test_module_values_and_attributes_of_standard_library_objects(
    tmp_path: Path,
) -> None:
    found = _returns(
        tmp_path,
        """
        import math
        import subprocess
        import sys
        import time


        def circle():
            return math.pi

        def offset():
            return time.timezone

        def process(command):
            child = subprocess.Popen(command)
            return child.pid

        def output(command):
            child = subprocess.Popen(command)
            return child.stdout

        def version():
            return sys.version_info
        """,
    )
    assert found["circle"] == "float"  # ``Final[float]``
    assert found["offset"] == "int"
    assert found["process"] == "int"
    assert found["output"] is None  # ``IO[AnyStr] | None``: the arguments decide
    assert found["version"] is None  # ``sys._version_info``: a private class


def test_stubs_that_cannot_be_read_state_nothing(tmp_path: Path, monkeypatch) -> None:
    from sphinxcontrib_aidoc.analyze import _stubs

    def broken(*args: object, **kwargs: object) -> None:
        raise SyntaxError("a stub typeshed_client cannot parse")

    _stubs.forget()
    monkeypatch.setattr(_stubs, "get_search_context", broken)
    try:
        found = _returns(
            tmp_path,
            """
            import textwrap


            class Wrapper(textwrap.TextWrapper):
                pass


            def scratch(text):
                return Wrapper(40).fill(text)

            def literal():
                return "text"
            """,
        )
    finally:
        monkeypatch.undo()
        _stubs.forget()
    assert found["scratch"] is None  # not known, and the analysis goes on
    assert found["literal"] == "str"


def test_the_arguments_select_the_overload_and_bind_its_variables(
    tmp_path: Path,
) -> None:
    found = _returns(
        tmp_path,
        """
        import os.path
        import re


        def base(name):
            path = "/tmp/" + str(name)
            return os.path.basename(path)

        def raw_base():
            return os.path.basename(b"/tmp/data")

        def parts():
            return os.path.splitext("archive.tar.gz")

        def cleaned(text):
            return re.sub("[ ]+", " ", str(text))

        def unknown(path):
            return os.path.basename(path)
        """,
    )
    assert found["base"] == "str"  # ``AnyStr`` bound to the argument's ``str``
    assert found["raw_base"] == "bytes"
    assert found["parts"] == "tuple[str, str]"
    assert found["cleaned"] == "str"  # the first overload accepting ``str``
    # the argument decides, and is not proven: what any argument may give
    assert found["unknown"] == "bytes | str"


def test_methods_of_builtin_scalars_the_tables_do_not_list(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        def width(count):
            return int(count).bit_length()

        def packed(count):
            return int(count).to_bytes(4, "big")

        def whole(value):
            return float(value).is_integer()
        """,
    )
    assert found["width"] == "int"
    assert found["packed"] == "bytes"
    assert found["whole"] == "bool"


def test_what_any_call_may_give_when_the_arguments_do_not_tell(tmp_path: Path) -> None:
    """Click's ``format_filename``: each overload's type, ``AnyStr`` as str or bytes."""
    found = _returns(
        tmp_path,
        """
        import os
        import sys


        def format_filename(filename, shorten=False):
            if shorten:
                filename = os.path.basename(filename)
            else:
                filename = os.fspath(filename)
            if isinstance(filename, bytes):
                filename = filename.decode(sys.getfilesystemencoding(), "replace")
            else:
                filename = filename.encode("utf-8", "surrogateescape").decode(
                    "utf-8", "replace"
                )
            return filename

        def raw(filename):
            return os.fspath(filename)

        def environment(name, default):
            return os.environ.get(name, default)
        """,
    )
    assert found["raw"] == "bytes | str"
    # in the ``else:`` of ``isinstance(filename, bytes)``, no bytes: a str
    assert found["format_filename"] == "str"
    # ``Mapping.get``'s default is an unconstrained type variable: unknown
    assert found["environment"] is None


def test_a_known_argument_rules_overloads_out(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import os.path


        def config(folder):
            return os.path.join(folder, "conf.py")

        def raw_config(folder):
            return os.path.join(folder, b"conf.py")

        def anywhere(folder, name):
            return os.path.join(folder, name)

        def beside(module_file):
            return os.path.join(os.path.dirname(module_file), "data/test-file")
        """,
    )
    assert found["config"] == "str"
    # the folder, ``str | bytes``, is tried one type at a time: with the str
    # "data/test-file", only its str can be joined
    assert found["beside"] == "str"
    assert found["raw_config"] == "bytes"
    assert found["anywhere"] == "bytes | str"


def test_a_typing_base_absorbs_the_classes_deriving_from_it(tmp_path: Path) -> None:
    """``t.BinaryIO`` or an ``io.BytesIO`` (click's ``make_input_stream``)."""
    found = _returns(
        tmp_path,
        """
        import io
        import typing as t
        from datetime import date, datetime


        def stream(value, raw):
            if raw:
                return t.cast(t.BinaryIO, value)
            return io.BytesIO(b"")

        def day(flag):
            if flag:
                return datetime.now()
            return date.today()
        """,
    )
    assert found["stream"] == "t.BinaryIO"
    # two concrete classes, one deriving from the other: both stay
    assert found["day"] == "datetime.date | datetime.datetime"


def test_builtin_classes_are_spelled_as_the_stubs_declare_them() -> None:
    # A stub naming a builtin class (``re.match``'s ``str``) spells it
    # without reading ``builtins.pyi`` when the class takes no type
    # parameters (``_PLAIN_BUILTINS``), or is written with its arguments.
    # Each answer is the one the stub itself gives, so the table cannot
    # drift from the typeshed ``typeshed_client`` bundles.
    import ast

    from sphinxcontrib_aidoc.analyze import _stubs

    for name in sorted(_stubs._BUILTINS):
        found = _stubs._lookup("builtins", name)
        assert found is not None
        assert isinstance(found[1].ast, ast.ClassDef), name
        generic = _stubs._generic("builtins", found[1].ast)
        assert (name in _stubs._PLAIN_BUILTINS) == (not generic), name
        for subscripted in (False, True):
            spelled = _stubs._named("re", name, subscripted=subscripted)
            assert spelled == (name if subscripted or not generic else None)
