"""Parameter types through decorators and unpacking calls (issue 16).

A test's callback decorated by the project's own decorator
(``@pass_context def cli(ctx)``) is called only by that decorator: what
the decorator passes types the callback's parameters, and through them
the project functions the callback calls. A call on a receiver of
unknown class that unpacks ``**options`` still passes what it names.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import analyse_module

_DECORATOR = """
    import functools

    class Context:
        def describe(self):
            return "context"

    def current():
        return Context()

    def pass_context(f):
        def new_func(*args, **kwargs):
            return f(current(), *args, **kwargs)
        return functools.update_wrapper(new_func, f)

    def show(ctx):
        return ctx.describe()
"""


def _param(
    tmp_path: Path, source: str, qualname: str, name: str, tests: dict[str, str]
) -> str | None:
    info = analyse_module(tmp_path, source, tests)[qualname]
    return next(p.type for p in info.params if p.name == name)


def test_a_callback_decorated_by_a_project_decorator_takes_what_it_passes(
    tmp_path: Path,
) -> None:
    tests = {
        "test_cli.py": """
            from pkg.mod import pass_context, show

            def test_show():
                @pass_context
                def cli(ctx):
                    return show(ctx)

                cli()
        """
    }
    assert _param(tmp_path, _DECORATOR, "show", "ctx", tests) == "~pkg.mod.Context"


def test_a_decorator_that_stores_the_function_types_nothing(tmp_path: Path) -> None:
    # The decorator calls the callback once, but also keeps it: whoever
    # calls it later may pass anything.
    source = (
        _DECORATOR
        + """
    HANDLERS = []

    def register(f):
        f(current())
        HANDLERS.append(f)
        return f
    """
    )
    tests = {
        "test_cli.py": """
            from pkg.mod import register, show

            def test_show():
                @register
                def cli(ctx):
                    return show(ctx)
        """
    }
    assert _param(tmp_path, source, "show", "ctx", tests) is None


def test_a_parameter_given_only_through_star_args_stays_untyped(
    tmp_path: Path,
) -> None:
    tests = {
        "test_cli.py": """
            from pkg.mod import pass_context, show

            def test_show():
                @pass_context
                def cli(ctx, extra):
                    return show(extra)

                cli(1)
        """
    }
    assert _param(tmp_path, _DECORATOR, "show", "ctx", tests) is None


def test_an_unpacking_call_on_an_unknown_receiver_passes_what_it_names(
    tmp_path: Path,
) -> None:
    source = """
        class Runner:
            def run(self, command):
                return command

        def main(runner, options):
            return runner.run("build", **options)

        def other():
            return Runner().run("test")
    """
    info = analyse_module(tmp_path, source, None)["Runner.run"]
    assert next(p.type for p in info.params if p.name == "command") == "str"


def test_a_context_manager_function_is_called_as_written(tmp_path: Path) -> None:
    """``@contextmanager`` changes what a call returns, not what it passes."""
    source = """
        import contextlib

        class Tokenizer:
            @contextlib.contextmanager
            def enclosing(self, open_token, close_token):
                yield open_token + close_token

            def parse(self):
                with self.enclosing("LEFT", "RIGHT"):
                    pass

        def wrapping(f):
            return lambda *args: f(*args)

        @wrapping
        def changed(name):
            return name

        def use():
            return changed("x")
    """
    found = analyse_module(tmp_path, source, {})
    params = {p.name: p.type for p in found["Tokenizer.enclosing"].params}
    assert params == {"self": None, "open_token": "str", "close_token": "str"}
    # a decorator that may call the function otherwise still proves nothing
    assert [p.type for p in found["changed"].params] == [None]
