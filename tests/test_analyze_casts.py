"""``typing.cast`` names the type of a value (issue 16).

A cast is its author's statement of a value's type, as binding as an
annotation. The project pass reads the class it names (here, in a string
forward reference), writes it as it writes classes, and types the
parameters the value reaches with it; a class from outside the project
stays as written.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import analyse_module

SOURCE = """
    import typing as t

    _stack: list = []


    def current():
        return t.cast("Context", _stack[-1])


    class Context:
        def __init__(self, name):
            self.name = name


    def label(ctx):
        return ctx.name


    def describe(item):
        return repr(item)


    def tell(thing):
        return repr(thing)


    def run():
        return label(current())


    def run_local():
        ctx = t.cast("Context", _stack[0])
        return describe(ctx)


    def fetch() -> "Context":
        return _stack[-1]


    def show(shown):
        return shown.name


    def run_annotated():
        return show(fetch())


    def run_unknown():
        return tell(t.cast("io.StringIO", _stack[0]))
"""


def test_a_cast_types_the_parameters_its_value_reaches(tmp_path: Path) -> None:
    found = analyse_module(tmp_path, SOURCE)

    def params(name: str) -> dict[str, str | None]:
        return {p.name: p.type for p in found[name].params}

    returns = found["current"].returns
    assert returns is not None
    assert returns.type == "~pkg.mod.Context"
    assert params("label") == {"ctx": "~pkg.mod.Context"}
    assert params("describe") == {"item": "~pkg.mod.Context"}
    # An annotation names the class the same way.
    assert params("show") == {"shown": "~pkg.mod.Context"}
    # A class from outside the project is kept as the author wrote it.
    assert params("tell") == {"thing": "io.StringIO"}


def test_a_cast_to_a_generic_reads_as_the_type_the_pass_writes(
    tmp_path: Path,
) -> None:
    """``t.List["Item"]`` and a built ``[Item()]`` are one type, written once."""
    source = """
        import typing as t

        _cache: dict = {}


        class Item:
            pass


        def items(fresh):
            if fresh:
                return [Item()]
            return t.cast(t.List["Item"], _cache["items"])


        def maybe():
            return t.cast("t.Optional[Item]", _cache.get("item"))


        def either():
            return t.cast("Item | None", _cache.get("item"))


        def keep(kept):
            return kept


        def run():
            return keep(maybe())
    """
    found = analyse_module(tmp_path, source)
    returns = found["items"].returns
    assert returns is not None
    assert returns.type == "list[~pkg.mod.Item]"
    assert [p.type for p in found["keep"].params] == ["~pkg.mod.Item | None"]
    either = found["either"].returns
    assert either is not None
    assert either.type == "~pkg.mod.Item | None"
