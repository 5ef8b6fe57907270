"""What a decorated ``def`` binds: its decorators applied (issue 16).

The layout of click 8.1.7: ``command()`` and ``group()`` are factories
returning a nested ``decorator`` that builds the command; ``option()``
returns one that hands the function back. click's tests decorate local
functions (``@click.command() @click.option(...) def test(p): ...``) and
pass them to ``Context(test)``: those sites then say what ``Context``'s
``command`` is, and ``get_usage`` returns what the command's does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import analyse_module

_PACKAGE = """
    import typing as t


    class Command:
        def __init__(self, name, callback=None, params=None, **attrs):
            self.name = name
            self.callback = callback

        def usage(self):
            return f"Usage: {self.name}"


    class Group(Command):
        pass


    class Context:
        def __init__(self, command):
            self.command = command

        def get_usage(self):
            return self.command.usage()


    def command(name=None, cls=None, **attrs):
        func = None
        if callable(name):
            func = name
            name = None
        if cls is None:
            cls = t.cast(t.Type["CmdType"], Command)

        def decorator(f):
            cmd = cls(name=name or f.__name__, callback=f, **attrs)
            return cmd

        if func is not None:
            return decorator(func)
        return decorator


    def group(name=None, cls=None, **attrs):
        if cls is None:
            cls = Group
        if callable(name):
            return command(cls=cls, **attrs)(name)
        return command(name, cls, **attrs)


    def option(*param_decls, **attrs):
        def decorator(f):
            f.__params__ = param_decls
            return f

        return decorator


    def passes(f):
        return f
"""


def _command_of(tmp_path: Path, tests: str) -> tuple[str | None, str | None]:
    infos = analyse_module(tmp_path, _PACKAGE, {"test_context.py": tests})
    param = next(p for p in infos["Context.__init__"].params if p.name == "command")
    returns = infos["Context.get_usage"].returns
    return param.type, returns.type if returns else None


def test_a_command_made_by_decorators_reaches_the_context(tmp_path: Path) -> None:
    found = _command_of(
        tmp_path,
        """
        import pytest

        from pkg.mod import Context, command, option


        def test_prefixes():
            @command()
            @option("+p", is_flag=True)
            @pytest.mark.skip
            def test(p):
                pass

            Context(test)


        def test_named():
            @command("hello", deprecated=True)
            def cli():
                pass

            Context(cli)
        """,
    )
    assert found == ("~pkg.mod.Command", "str")


#: A test that builds a command with ``@group()`` and passes it to ``Context``.
_GROUP_SITE = {
    "test_group.py": """
    from pkg.mod import Context, group, option


    def test_group():
        @group()
        @option("~t", is_flag=True)
        def cli(t):
            pass

        Context(cli)
    """
}


def test_a_group_made_by_a_factory_handing_on(tmp_path: Path) -> None:
    infos = analyse_module(
        tmp_path,
        _PACKAGE,
        _GROUP_SITE,
    )
    param = next(p for p in infos["Context.__init__"].params if p.name == "command")
    # ``group()`` hands ``cls=Group`` on: a ``Group``, never a plain ``Command``
    assert param.type == "~pkg.mod.Group"


@pytest.mark.parametrize(
    "decorators",
    [
        # the function itself, unchanged
        "@option('-x')\n",
        "@passes\n",
        # a factory called with the function: ``command(f)`` returns no decorator
        "@command(lambda: None)\n",
        # a class of unknown type
        "@command(cls=UNKNOWN)\n",
        # not a project factory
        "@functools.lru_cache()\n",
    ],
)
def test_what_the_decorators_do_not_prove_is_unknown(
    tmp_path: Path, decorators: str
) -> None:
    lines = "".join(f"            {line}\n" for line in decorators.splitlines())
    found = _command_of(
        tmp_path,
        f"""
        import functools

        from pkg.mod import Command, Context, command, option, passes


        def test_plain():
            Context(Command("a"))


        def test_decorated():
{lines}            def cli():
                pass

            Context(cli)
        """,
    )
    assert found == (None, None)


def test_a_closure_reads_a_parameter_defaulted_by_if_none(tmp_path: Path) -> None:
    infos = analyse_module(
        tmp_path,
        """
        class Command:
            pass


        class Group(Command):
            pass


        def build(cls=None):
            if cls is None:
                cls = Group

            def make():
                return cls()

            return make()


        def rebuilt(cls=None):
            if cls is None:
                cls = Group
            cls = pick(cls)

            def make():
                return cls()

            return make()


        def pick(value):
            return value


        def use():
            build()
            build(cls=Command)
            rebuilt()
        """,
    )
    # the parameter (a class, or None) or, for None, ``Group``: either class
    assert infos["build"].returns.type == "~pkg.mod.Command"
    # rebound otherwise too: unknown in the closure
    assert infos["rebuilt"].returns is None or infos["rebuilt"].returns.type is None


def test_a_cast_to_what_is_not_read_gives_its_value(tmp_path: Path) -> None:
    infos = analyse_module(
        tmp_path,
        """
        import typing as t

        T = t.TypeVar("T")


        class Command:
            pass


        def made(factory):
            cls = t.cast(t.Type[T], factory)
            return cls()


        def use():
            made(Command)
        """,
    )
    # what the call sites pass, through a cast the pass cannot read
    assert infos["made"].returns.type == "~pkg.mod.Command"


def test_a_keyword_going_to_the_factorys_attrs_is_no_parameter(tmp_path: Path) -> None:
    found = _command_of(
        tmp_path,
        """
        from pkg.mod import Context, command, option


        def test_keywords():
            @command(Command="shadow", option="x")
            def cli():
                pass

            Context(cli)
        """,
    )
    # ``Command`` is read as the module's class, not as what ``**attrs`` got
    assert found == ("~pkg.mod.Command", "str")


@pytest.mark.parametrize(
    "nested",
    [
        # a decorator the factory wraps: what is returned is what it made
        "@functools.lru_cache()\n        def decorator(f):\n            return Command(f.__name__)",
        # a generator function: calling it gives a generator
        "def decorator(f):\n            yield Command(f.__name__)",
        # a coroutine function: calling it gives a coroutine
        "async def decorator(f):\n            return Command(f.__name__)",
    ],
)
def test_a_made_decorator_that_is_not_a_plain_function_is_unknown(
    tmp_path: Path, nested: str
) -> None:
    infos = analyse_module(
        tmp_path,
        _PACKAGE
        + f"""

    import functools


    def wrapped():
        {nested}

        return decorator
""",
        {
            "test_wrapped.py": """
            from pkg.mod import Command, Context, wrapped


            def test_plain():
                Context(Command("a"))


            def test_wrapped():
                @wrapped()
                def cli():
                    pass

                Context(cli)
            """
        },
    )
    param = next(p for p in infos["Context.__init__"].params if p.name == "command")
    assert param.type is None


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        # defined after the default is filled in: every call sees it filled
        ("after", "~pkg.mod.Group"),
        # defined before: a call may run while ``cls`` is still None
        ("before", None),
    ],
)
def test_a_closure_reads_the_filled_default_only_when_defined_after_it(
    tmp_path: Path, order: str, expected: str | None
) -> None:
    make = "    def make():\n        return cls()\n"
    fill = "    if cls is None:\n        cls = Group\n"
    body = fill + make if order == "after" else make + fill
    infos = analyse_module(
        tmp_path,
        "class Group:\n    pass\n\n\ndef early(cls=None):\n"
        + body
        + "    return make()\n\n\ndef use():\n    early()\n    early(cls=Group)\n",
    )
    returns = infos["early"].returns
    assert (returns.type if returns else None) == expected


def test_a_decorator_held_in_a_local_and_a_name_defined_twice(tmp_path: Path) -> None:
    # click's test_nargs_envvar: ``param = click.option(...)`` then
    # ``@param``; test_options' ``def cmd`` written twice in one test.
    found = _command_of(
        tmp_path,
        """
        from pkg.mod import Context, command, group, option


        def test_held(flag):
            if flag:
                param = option("-a")
            else:
                param = option("-b", is_flag=True)

            @command()
            @param
            def cmd(arg):
                return arg

            Context(cmd)


        def test_twice():
            @command()
            def cli():
                pass

            Context(cli)

            @group()
            def cli():
                pass

            Context(cli)
        """,
    )
    assert found == ("~pkg.mod.Command", "str")


def test_a_local_decorator_bound_otherwise_too_is_unknown(tmp_path: Path) -> None:
    found = _command_of(
        tmp_path,
        """
        from pkg.mod import Command, Context, command, option


        def test_plain():
            Context(Command("a"))


        def test_held(wrap):
            param = option("-a")
            if wrap:
                param = wrap

            @command()
            @param
            def cmd(arg):
                return arg

            Context(cmd)
        """,
    )
    assert found == (None, None)


def test_callable_is_decided_only_for_none_and_written_constants(
    tmp_path: Path,
) -> None:
    # A class passed is callable: ``made(Group)`` returns ``other``, which
    # hands the function back; only ``made("x")`` surely returns ``build``.
    package = (
        _PACKAGE
        + """

    def made(kind=None):
        def build(f):
            return Command(f.__name__)

        def other(f):
            return f

        if callable(kind):
            return other
        return build
"""
    )

    def command_type(decorator: str, where: str) -> str | None:
        root = tmp_path / where
        root.mkdir()
        infos = analyse_module(
            root,
            package,
            {
                "test_made.py": f"""
                from pkg.mod import Command, Context, Group, made


                def test_plain():
                    Context(Command("a"))


                def test_made():
                    {decorator}
                    def cli():
                        pass

                    Context(cli)
                """
            },
        )
        init = infos["Context.__init__"]
        return next(p.type for p in init.params if p.name == "command")

    assert command_type("@made(Group)", "a_class") is None
    assert command_type('@made("x")', "a_constant") == "~pkg.mod.Command"


def test_the_same_code_gives_the_same_types_however_often_it_is_analysed(
    tmp_path: Path,
) -> None:
    # The pass keeps what it read of each frame by the frame's id; a frame
    # it let go (a module's, read once) could give its id to another
    # function's frame, which then read the first one's values: in one
    # process, about one analysis in fifteen of this package said
    # ``Command``. A hundred in a row must all say ``Group``.
    found = set()
    for attempt in range(100):
        (tmp_path / str(attempt)).mkdir()
        infos = analyse_module(
            tmp_path / str(attempt),
            _PACKAGE,
            _GROUP_SITE,
        )
        command = infos["Context.__init__"].params[1]
        found.add(command.type)
    assert found == {"~pkg.mod.Group"}
