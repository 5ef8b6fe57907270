"""Who ``self`` is, and what a check or a failing call proves (issue 16).

Layouts from tomlkit 0.13.2 and click 8.1.7:

* ``__add__ = wrap_method(int.__add__)`` in a class body makes a method of
  that class: ``self._new(...)`` in the made function reaches that
  class's ``_new`` only, not every ``_new`` of the project;
* ``if self._new:`` reading a plain attribute of a class with no method
  ``_new`` reaches no method either;
* ``isinstance(value, datetime)`` narrows to the standard library's class;
* a function ending with ``self.fail(message)``, where ``fail`` always
  raises, does not fall off its end (no ``None``).
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import analyse_module
from tests.conftest import returned_types as _returns

_LABEL = """
    class Label:
        def __init__(self, text):
            self._text = text

        def _new(self, text):
            return Label(text)

        def upper(self):
            return self._new("LABEL")

        def text(self):
            return self._text


    def make():
        return Label("a")
"""


_FACTORY = """
    def wrap_method(original):
        def wrapper(self, *args):
            return self._new(original(self, *args))

        return wrapper


    class Number(int):
        __add__ = wrap_method(int.__add__)

        def _new(self, value):
            return Number(value)
"""


def test_the_methods_a_factory_makes_call_their_own_class(tmp_path: Path) -> None:
    found = _returns(tmp_path, _FACTORY + _LABEL)
    assert found["Label.text"] == "str"


def test_a_factory_used_elsewhere_makes_nothing_known(tmp_path: Path) -> None:
    found = _returns(tmp_path, _FACTORY + "\n    loose = wrap_method(len)\n" + _LABEL)
    # ``loose(obj)`` may hand any object to ``wrapper``: its ``self._new``
    # may reach ``Label._new`` with anything.
    assert found["Label.text"] is None


def test_reading_a_plain_attribute_reaches_no_method(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
    class Table:
        def __init__(self, new):
            self._new = new

        def fresh(self):
            return bool(self._new)
    """
        + _LABEL,
    )
    assert found["Label.text"] == "str"


def test_reading_an_attribute_a_subclass_defines_as_a_method_may_reach_it(
    tmp_path: Path,
) -> None:
    found = _returns(
        tmp_path,
        """
    class Table:
        def __init__(self, new):
            self._new = new

        def fresh(self):
            handler = self._new
            return handler


    class Inline(Table):
        def _new(self, text):
            return text
    """
        + _LABEL,
    )
    # ``handler`` may be ``Inline._new`` bound, called with anything: every
    # method ``_new`` stays open, ``Label._new``'s ``text`` unknown.
    assert found["Label.text"] is None


def test_isinstance_with_a_standard_library_class_narrows(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
    from datetime import datetime


    def stamp(value):
        if isinstance(value, datetime):
            return value.isoformat()
        return "never"
    """,
    )
    assert found["stamp"] == "str"


def test_a_call_that_always_raises_does_not_fall_off(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
    class Converter:
        def fail(self, message):
            raise ValueError(message)

        def convert(self, value):
            if isinstance(value, int):
                return value
            self.fail("not a number")

        def lenient(self, value):
            if isinstance(value, int):
                return value
            self.log("not a number")

        def log(self, message):
            print(message)
    """,
    )
    assert found["Converter.convert"] == "int"
    assert found["Converter.lenient"] == "int | None"


def test_a_failed_isinstance_check_removes_the_class(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
    class Base:
        pass


    class Child(Base):
        pass


    class Box:
        def __init__(self, value, item):
            self.value = value
            self.item = item

        def size(self):
            value = self.value
            if isinstance(value, bytes):
                return len(value)
            return value

        def named(self):
            item = self.item
            if isinstance(item, Base):
                return "base"
            return item


    def unknown(value):
        if isinstance(value, bytes):
            value = value.decode()
        return value


    def use(other):
        unknown(other)
        return Box("a", Child()).size(), Box(b"b", 3).named()
    """,
    )
    # ``self.value`` holds what the call sites pass; in the ``else``, no bytes
    assert found["Box.size"] == "int | str"
    assert found["Box.named"] == "int | str"
    # a parameter of unknown type is not a str because it is no bytes
    assert found["unknown"] is None


def test_an_annotated_parameter_reaches_its_class_methods(tmp_path: Path) -> None:
    """A partly annotated class (click's ``Context.__init__(self, command: "Command")``)."""
    found = _returns(
        tmp_path,
        """
    import typing as t


    class Context:
        def __init__(self, command: "Command", parent: t.Optional["Context"] = None):
            self.command = command
            self.parent = parent

        def get_usage(self):
            return self.command.get_usage(self)

        def root_name(self):
            if self.parent is not None:
                return self.parent.get_usage()
            return "root"


    class Command:
        def get_usage(self, ctx):
            return "usage: " + str(ctx)
    """,
    )
    assert found["Context.get_usage"] == "str"
    assert found["Context.root_name"] == "str"


def test_annotated_star_parameters_hold_a_tuple_and_a_dict(tmp_path: Path) -> None:
    """``**opts: int`` annotates each value: ``opts`` itself is a ``dict[str, int]``."""
    found = _returns(
        tmp_path,
        """
    def options(**opts: int):
        return opts

    def names(*parts: str):
        return parts

    def values(**opts: int):
        return list(opts.values())
    """,
    )
    assert found["options"] == "dict[str, int]"
    assert found["names"] == "tuple[str, ...]"
    assert found["values"] == "list[int]"


def test_a_test_of_and_holds_in_its_next_operand(tmp_path: Path) -> None:
    """h11's ``if type(event) is Request and has_expect_100_continue(event)``."""
    found = _returns(
        tmp_path,
        """
    class Request:
        def __init__(self, target):
            self.target = target


    class Data:
        pass


    def _expects(request):
        return request.target


    def process(flag):
        event = Request("/") if flag else Data()
        if type(event) is Request and _expects(event):
            return 1
        if not isinstance(event, Request) or _expects(event):
            return 2
        return 3
    """,
    )
    # every call of ``_expects`` passes a ``Request``: its ``target`` is a str
    assert found["_expects"] == "str"


def test_a_nested_helper_gives_what_it_returns(tmp_path: Path) -> None:
    """h11's ``test__body_framing``: ``def resp(...): return Response(...)``."""
    infos = analyse_module(
        tmp_path,
        """
    class Response:
        def __init__(self, status_code, headers):
            self.headers = headers


    def framing(event):
        return event.headers[0]
    """,
        {
            "test_framing.py": """
            from pkg.mod import Response, framing


            def test_framing():
                def resp(status_code=200, cl=None):
                    return Response(status_code=status_code, headers=[b"x"])

                for kwargs in [{}, {"cl": 100}]:
                    framing(resp(**kwargs))
                framing(Response(200, [b"y"]))
            """
        },
    )
    assert infos["framing"].params[0].type == "~pkg.mod.Response"
    returns = infos["framing"].returns
    assert returns is not None and returns.type == "bytes"


def test_reading_a_class_a_class_body_holds_may_call_it(tmp_path: Path) -> None:
    infos = analyse_module(
        tmp_path,
        """
    class Context:
        def __init__(self, name):
            self.name = name


    class Command:
        context_class = Context

        def make(self):
            return self.context_class("a")

        def loose(self):
            factory = self.context_class
            return factory(3)
    """,
    )
    # ``factory(3)`` builds a ``Context`` from an int, unseen: not only a str
    assert infos["Context.__init__"].params[1].type is None


def test_a_failed_check_inside_a_passed_one_leaves_the_rest(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
    def text(value):
        if isinstance(value, (str, bytes)):
            if isinstance(value, bytes):
                return value.decode()
            return value
        return ""


    class Runner:
        def run(self):
            def helper():
                pass

            return helper()


    class Fast(Runner):
        def helper(self):
            return 1
    """,
    )
    # in the inner ``else``: of ``str | bytes``, not ``bytes``
    assert found["text"] == "str"
    # ``helper`` is no hook of ``Runner``: ``Fast.helper`` says nothing of it
    assert found["Runner.run"] in (None, "None")
