"""Parameter types through objects of unknown class (issue 16).

The layout is click's (``shell_completion._resolve_context``,
``MultiCommand.invoke``): a command of unknown class makes a context
(``cmd.make_context(...)``), a loop carries it through a second local
(``ctx = sub_ctx``), and it is passed to a project method. ``make_context``
is a method only the project has, so the object is the project's and the
context is the project's ``Context``. A common name (``get``, ``copy``),
which builtin objects have too, is never guessed. A tests' override that
hands its parameter to ``super()`` passes nothing new.
"""

from __future__ import annotations

from pathlib import Path

from sphinxcontrib_aidoc.model import ObjectInfo
from tests.conftest import analyse_module

_COMMANDS = """
    class Context:
        def __init__(self, command, parent=None):
            self.command = command
            self.parent = parent

    class Command:
        def make_context(self, name, parent=None):
            return Context(self, parent)

    class Group(Command):
        def resolve(self, ctx, args):
            return args[0], None, args[1:]

    def resolve_context(cli, args):
        ctx = cli.make_context("root")
        while args:
            command = ctx.command
            if isinstance(command, Group):
                name, cmd, args = command.resolve(ctx, args)
                if cmd is None:
                    return ctx
                sub_ctx = ctx
                while args:
                    sub_ctx = cmd.make_context(name, parent=ctx)
                ctx = sub_ctx
            else:
                break
        return ctx
"""


def _param(
    tmp_path: Path,
    source: str,
    qualname: str,
    name: str,
    tests: dict[str, str] | None = None,
) -> str | None:
    info = analyse_module(tmp_path, source, tests)[qualname]
    return next(p.type for p in info.params if p.name == name)


def test_an_object_calling_a_method_only_the_project_has_is_the_projects(
    tmp_path: Path,
) -> None:
    assert _param(tmp_path, _COMMANDS, "Group.resolve", "ctx") == "~pkg.mod.Context"


def test_a_method_name_builtin_objects_have_is_not_guessed(tmp_path: Path) -> None:
    source = _COMMANDS.replace("make_context", "copy")
    assert _param(tmp_path, source, "Group.resolve", "ctx") is None


def test_a_guess_needs_every_method_of_that_name_known(tmp_path: Path) -> None:
    source = (
        _COMMANDS
        + """
    class Other:
        def make_context(self, name, parent=None):
            return self.factory(name)
"""
    )
    assert _param(tmp_path, source, "Group.resolve", "ctx") is None


_COMPLETION = """
    class Completer:
        def __init__(self, cli, args):
            self.cli = cli
            self.args = args

        def completions(self):
            ctx = resolve_context(self.cli, self.args)
            return complete(ctx, self.args)

    def complete(ctx, args):
        return [ctx.command, args]
"""


def test_a_guess_reads_through_a_project_function_returning_the_call(
    tmp_path: Path,
) -> None:
    """The layout of click's ``ShellComplete.get_completions``."""
    source = _COMMANDS + _COMPLETION
    assert _param(tmp_path, source, "complete", "ctx") == "~pkg.mod.Context"


def test_methods_of_one_name_returning_different_things_are_not_guessed(
    tmp_path: Path,
) -> None:
    """As jinja2's ``env.parse(...)``: an ``Environment``'s, or an extension's."""
    source = (
        _COMMANDS
        + _COMPLETION
        + """
    class Token:
        def __init__(self, name):
            self.name = name
            self.command = None

    class Lexer:
        def make_context(self, name, parent=None):
            return Token(name)
"""
    )
    found = analyse_module(tmp_path, source)
    assert _typed(found["complete"])["ctx"] is None
    assert _typed(found["Group.resolve"])["ctx"] is None


_OVERRIDE = """
    class Context:
        pass

    class Base:
        def resolve(self, ctx, args):
            return args[0]

        def run(self, args):
            return self.resolve(Context(), args)
"""


def test_a_tests_override_handing_its_parameter_up_passes_nothing_new(
    tmp_path: Path,
) -> None:
    tests = {
        "test_run.py": """
            from pkg.mod import Base

            class Aliased(Base):
                def resolve(self, ctx, args):
                    return super().resolve(ctx, args)

            def test_run():
                Aliased().run(["a"])
        """
    }
    assert _param(tmp_path, _OVERRIDE, "Base.resolve", "ctx", tests) == (
        "~pkg.mod.Context"
    )


def test_a_direct_call_of_the_tests_override_still_counts(tmp_path: Path) -> None:
    tests = {
        "test_run.py": """
            from pkg.mod import Base

            class Aliased(Base):
                def resolve(self, ctx, args):
                    return super().resolve(ctx, args)

            def test_run():
                Aliased().resolve(3, ["a"])
        """
    }
    assert _param(tmp_path, _OVERRIDE, "Base.resolve", "ctx", tests) is None


_UNBOUND = """
    class Trivia:
        pass

    class Item:
        def __init__(self, trivia):
            self.trivia = trivia

        def render(self):
            return "item"

    class Table(Item):
        def __init__(self, value, trivia):
            Item.__init__(self, trivia)
            self.value = value

        def render(self):
            return Item.render(self)

    class Other:
        def __init__(self, name):
            self.name = name

    def table():
        return Table([1], Trivia())

    def other():
        return Other("x")
"""


def test_a_method_called_on_its_class_takes_the_instance_first(
    tmp_path: Path,
) -> None:
    found = analyse_module(tmp_path, _UNBOUND)
    # ``Item.__init__(self, trivia)`` is a call site of ``Item.__init__``
    # (it opens no constructor of the project to unknown callers)
    assert _typed(found["Item"]) == {"trivia": "~pkg.mod.Trivia"}
    assert _typed(found["Other"]) == {"name": "str"}
    returns = found["Table.render"].returns
    assert returns is not None
    assert returns.type == "str"


def test_a_class_method_called_on_its_class_may_build_one_unseen(
    tmp_path: Path,
) -> None:
    found = analyse_module(
        tmp_path,
        """
        class Config:
            def __init__(self, data):
                self.data = data

            @classmethod
            def from_file(cls, path):
                return cls({"path": path})

        def make():
            return Config("x")

        def load():
            return Config.from_file("p")
        """,
    )
    assert _typed(found["Config"]) == {"data": None}


def _typed(info: ObjectInfo) -> dict[str, str | None]:
    return {p.name: p.type for p in info.params if p.name != "self"}


def test_an_exception_caught_or_raised_by_name_is_an_instance_of_its_class(
    tmp_path: Path,
) -> None:
    """What ``except ... as e`` binds (pluggy's ``Result.force_exception``)."""
    found = analyse_module(
        tmp_path,
        """
        class Problem(Exception):
            pass

        class Result:
            def __init__(self):
                self.error = None

            def force_exception(self, exception):
                self.error = exception

        def run(action):
            outcome = Result()
            try:
                action()
            except BaseException as e:
                outcome.force_exception(e)
            return outcome

        def either(action):
            try:
                action()
            except (ValueError, Problem) as err:
                return err
            return None
        """,
        {
            "test_run.py": """
                def test_wrapper(result):
                    # ``result`` of unknown class: it may reach the method
                    result.force_exception(OSError("disk"))
            """
        },
    )
    # the tests' OSError is a BaseException: the type stays the narrowest
    # that every call is known to pass
    assert _typed(found["Result.force_exception"]) == {"exception": "BaseException"}
    returns = found["either"].returns
    assert returns is not None
    assert returns.type == "ValueError | ~pkg.mod.Problem | None"


def test_calls_that_only_pass_none_state_no_type(tmp_path: Path) -> None:
    """A processor (structlog's) the tests call with ``None`` as its logger."""
    found = analyse_module(
        tmp_path,
        """
        def add_level(logger, method_name, event_dict):
            event_dict["level"] = method_name
            return event_dict
        """,
        {
            "test_levels.py": """
                from pkg.mod import add_level

                def test_level():
                    add_level(None, "info", {})
            """
        },
    )
    assert _typed(found["add_level"]) == {
        "logger": None,
        "method_name": "str",
        "event_dict": None,  # ``{}``: a dict of items not known
    }
