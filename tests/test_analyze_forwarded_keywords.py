"""Keyword arguments handed on through ``**kwargs`` reach the callee (issue 16).

``super().__init__(decls, **attrs)`` passes its own callers' keywords: a
parameter with a default in the base class holds what they give, and
what the base class's code derives from it is proven.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import returned_types as _returns

_BASE = """
    class Parameter:
        def __init__(self, decls, metavar=None, nargs=1):
            self.decls = decls
            self.metavar = metavar

        def make_metavar(self):
            if self.metavar is not None:
                return self.metavar
            return "VALUE"
"""


#: A subclass handing its keywords on, and a decorator building it.
_OPTION = """
    class Option(Parameter):
        def __init__(self, decls, **attrs):
            super().__init__(decls, **attrs)


    def option(*param_decls, **attrs):
        def decorator(f):
            f.option = Option(param_decls, **attrs)
            return f

        return decorator
"""


def test_keywords_handed_on_by_a_subclass_reach_the_base(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        _BASE
        + """
    class Option(Parameter):
        def __init__(self, decls, show_default=None, **attrs):
            has_default = "default" in attrs
            super().__init__(decls, **attrs)


    def option(*decls, **attrs):
        attrs.setdefault("nargs", 1)

        def decorator(f):
            f.option = Option(decls, **attrs)
            return f

        return decorator


    def use():
        return Option(["--name"], metavar="NAME"), Parameter(["--n"], metavar="N")


    def build():
        @option("--count", metavar="COUNT")
        def command():
            pass

        return command
    """,
    )
    assert found["Parameter.make_metavar"] == "str"


def test_a_caller_that_changes_what_it_hands_on_unseen_proves_nothing(
    tmp_path: Path,
) -> None:
    found = _returns(
        tmp_path,
        _BASE
        + """
    class Option(Parameter):
        def __init__(self, decls, **attrs):
            attrs.update(extra())
            super().__init__(decls, **attrs)


    def extra():
        return {}


    def use():
        return Option(["--name"], metavar="NAME"), Parameter(["--n"], metavar="N")
    """,
    )
    # ``update`` may put any metavar in: what it holds is not known
    assert found["Parameter.make_metavar"] is None


def test_keywords_a_forwarding_caller_unpacks_prove_nothing(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        _BASE
        + """
    class Option(Parameter):
        def __init__(self, decls, **attrs):
            super().__init__(decls, **attrs)


    def make(settings):
        return Option(["--name"], **settings)


    def use():
        return Option(["--name"], metavar="NAME"), make({"metavar": 3})
    """,
    )
    assert found["Parameter.make_metavar"] is None


def test_what_a_decorator_hands_on_through_two_links_counts(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        _BASE
        + _OPTION
        + """

    def use():
        return Option(["--name"], metavar="NAME"), Parameter(["--n"], metavar="N")


    def build():
        @option("--count", metavar=3)
        def command():
            pass

        return command
    """,
    )
    # ``metavar=3`` reaches Parameter through option and Option: an ``int``
    assert found["Parameter.make_metavar"] == "int | str"


_DECORATOR = """
    class Option(Parameter):
        def __init__(self, decls, **attrs):
            super().__init__(decls, **attrs)


    def option(*decls, cls=None, **attrs):
        if cls is None:
            cls = Option

        def decorator(f):
            f.option = cls(decls, **attrs)
            {extra}
            return f

        return decorator


    def use():
        return Option(["--name"], metavar="NAME"), Parameter(["--n"], metavar="N")


    def build():
        @option("--count", metavar=3)
        def command():
            pass

        return command
"""


def test_a_class_a_parameter_defaults_to_is_called_through_it(tmp_path: Path) -> None:
    """``if cls is None: cls = Option`` then ``cls(...)``: calls of ``Option``."""
    found = _returns(tmp_path, _BASE + _DECORATOR.format(extra="pass"))
    assert found["Parameter.make_metavar"] == "int | str"  # metavar=3 counts


def test_a_class_parameter_read_otherwise_hands_the_class_on(tmp_path: Path) -> None:
    found = _returns(tmp_path, _BASE + _DECORATOR.format(extra="f.kind = cls"))
    assert found["Parameter.make_metavar"] is None


def test_a_class_given_to_typing_cast_is_not_handed_on(tmp_path: Path) -> None:
    """``t.cast(Option, param)`` names the class as a type, not a value."""
    source = """
    import typing as t


    class Option:
        def __init__(self, name):
            self.name = name

        def label(self):
            return self.name


    def flag(param):
        return t.cast({cast}, param).name


    def make():
        return Option("--flag")
    """
    found = _returns(tmp_path, source.format(cast="Option"))
    assert found["Option.label"] == "str"
    # the class handed on as a value: its calls are not all seen
    (tmp_path / "value").mkdir()
    found = _returns(tmp_path / "value", source.format(cast="(lambda: Option)()"))
    assert found["Option.label"] is None


def test_a_forwarding_call_that_also_unpacks_positions_stays_unknown(
    tmp_path: Path,
) -> None:
    found = _returns(
        tmp_path,
        """
    class Base:
        def __init__(self, name, size=None):
            self.size = size

        def area(self):
            if self.size is not None:
                return self.size
            return 0


    class Child(Base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)


    def use():
        return Child("a", 2.5), Base("b", size=3)
    """,
    )
    # ``2.5`` reaches ``size`` by position through ``*args``: not only ints
    assert found["Base.area"] != "int"


def test_keywords_handed_on_with_positions_for_the_callees_star(
    tmp_path: Path,
) -> None:
    """Click's ``help_option(*param_decls, **kwargs)`` -> ``option(*param_decls, **kwargs)``."""
    found = _returns(
        tmp_path,
        _BASE
        + _OPTION
        + """

    def help_option(*param_decls, **kwargs):
        kwargs.setdefault("metavar", "HELP")
        return option(*param_decls, **kwargs)


    def use():
        return option("--n", metavar="N"), help_option("--help")
    """,
    )
    # every position ``help_option`` unpacks goes to ``option``'s ``*param_decls``
    assert found["Parameter.make_metavar"] == "str"


def test_positions_that_may_fill_a_named_parameter_are_not_read(
    tmp_path: Path,
) -> None:
    found = _returns(
        tmp_path,
        _BASE
        + """
    def make(*args, **kwargs):
        return Parameter(*args, **kwargs)


    def use():
        return make(["--n"], 3), make(["--m"], metavar="M")
    """,
    )
    # ``make(["--n"], 3)`` gives ``metavar`` an int by position
    assert found["Parameter.make_metavar"] is None
