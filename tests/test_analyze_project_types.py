"""Types proven across a whole project (issue 16): calls, call sites, casts.

Each case is a small package on disk, analysed as ``aidoc generate`` does
(:func:`analyze_paths`, astroid oracle, then the project-wide pass).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from sphinxcontrib_aidoc.analyze import analyze_paths, analyze_source, clear_cache
from sphinxcontrib_aidoc.analyze._nodes import well_formed
from sphinxcontrib_aidoc.model import ObjectInfo
from sphinxcontrib_aidoc.quality._types import normalise


def _package(tmp_path: Path, files: dict[str, str]) -> dict[str, ObjectInfo]:
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "__init__.py").write_text("")
    for name, source in files.items():
        (root / name).write_text(textwrap.dedent(source))
    clear_cache()
    return {i.qualname: i for i in analyze_paths([root])}


def test_return_types_resolve_through_calls_across_modules(tmp_path: Path) -> None:
    infos = _package(
        tmp_path,
        {
            "low.py": """
                def base(flag):
                    if flag:
                        return "yes"
                    return "no"

                def middle(flag):
                    return base(flag)
            """,
            "high.py": """
                from .low import middle

                def top(flag):
                    value = middle(flag)
                    return value

                def recursive(n):
                    if n <= 0:
                        return 0
                    return recursive(n - 1)
            """,
        },
    )
    # middle -> base is one module; top -> middle -> base crosses modules
    assert infos["pkg.high.top"].returns is not None
    assert infos["pkg.high.top"].returns.type == "str"
    assert infos["pkg.high.top"].returns.evidence == "inference"
    recursive = infos["pkg.high.recursive"].returns
    assert recursive is not None
    assert recursive.type == "int"


def test_an_unknown_branch_keeps_the_return_type_unknown(tmp_path: Path) -> None:
    infos = _package(
        tmp_path,
        {
            "mod.py": """
                def known():
                    return 1

                def mixed(thing):
                    if thing:
                        return known()
                    return thing.anything()
            """
        },
    )
    returns = infos["pkg.mod.mixed"].returns
    assert returns is not None
    assert returns.type is None


def test_a_method_call_on_self_counts_every_override(tmp_path: Path) -> None:
    infos = _package(
        tmp_path,
        {
            "shapes.py": """
                class Base:
                    def name(self):
                        raise NotImplementedError

                    def label(self):
                        return self.name()

                class Text(Base):
                    def name(self):
                        return "text"

                class Number(Base):
                    def name(self):
                        return 1
            """
        },
    )
    # Base.name only raises; the overrides give str and int: both count
    label = infos["pkg.shapes.Base.label"].returns
    assert label is not None
    assert label.type == "int | str"


def test_a_none_check_that_exits_drops_none(tmp_path: Path) -> None:
    infos = _package(
        tmp_path,
        {
            "find.py": """
                def lookup(key):
                    if key:
                        return "found"
                    return None

                def require(key):
                    found = lookup(key)
                    if found is None:
                        raise KeyError(key)
                    return found

                def maybe(key):
                    found = lookup(key)
                    return found
            """
        },
    )
    assert infos["pkg.find.require"].returns.type == "str"  # type: ignore[union-attr]
    assert infos["pkg.find.maybe"].returns.type == "str | None"  # type: ignore[union-attr]


def test_parameters_are_typed_when_every_call_site_agrees(tmp_path: Path) -> None:
    infos = _package(
        tmp_path,
        {
            "api.py": """
                def greet(name, times):
                    return name * times

                def shout(text):
                    return text.upper()

                def callback(value):
                    return value

                def run():
                    greet("ada", 2)
                    greet(name="bob", times=3)
                    shout("a")
                    shout(1)
                    register(callback)
                    callback("x")

                def register(func):
                    return func
            """,
            "test_api.py": """
                from pkg.api import greet

                def test_greet():
                    greet("eve", 1)
            """,
        },
    )
    greet = {p.name: p for p in infos["pkg.api.greet"].params}
    assert greet["name"].type == "str"
    assert greet["name"].evidence == "call sites"
    assert greet["times"].type == "int"
    # the sites disagree: the union of what they pass
    shout = {p.name: p.type for p in infos["pkg.api.shout"].params}
    assert shout == {"text": "int | str"}
    # passed as a value: callers unseen, so nothing is claimed
    callback = {p.name: p.type for p in infos["pkg.api.callback"].params}
    assert callback == {"value": None}
    # an argument of unknown type proves nothing
    register = {p.name: p.type for p in infos["pkg.api.register"].params}
    assert register == {"func": None}


def test_a_method_called_on_an_unknown_object_counts_for_every_method_of_its_name(
    tmp_path: Path,
) -> None:
    infos = _package(
        tmp_path,
        {
            "obj.py": """
                class Box:
                    def put(self, item):
                        return item

                    def fill(self):
                        self.put("a")

                class Crate:
                    def put(self, item, where):
                        return item, where

                    def write(self, text):
                        return text

                def use(box, out):
                    box.put(1)  # which class? any project ``put`` it fits
                    out.write("x")  # a name files have too: left open
                    Crate().put(b"", 2)
            """
        },
    )
    # ``box.put(1)`` may reach ``Box.put`` or not, and passes an ``int`` that
    # the one call known to reach it (``self.put("a")``) does not: unknown.
    put = {p.name: p.type for p in infos["pkg.obj.Box.put"].params}
    assert put == {"self": None, "item": None}
    crate = {p.name: p.type for p in infos["pkg.obj.Crate.put"].params}
    assert crate == {"self": None, "item": "bytes", "where": "int"}
    write = {p.name: p.type for p in infos["pkg.obj.Crate.write"].params}
    assert write == {"self": None, "text": None}


def test_a_parameter_passed_straight_on_carries_its_call_sites(
    tmp_path: Path,
) -> None:
    infos = _package(
        tmp_path,
        {
            "flow.py": """
                class Context:
                    pass

                def show(ctx, depth):
                    render(ctx)
                    if depth:
                        show(ctx, depth - 1)  # a cycle: typed by what enters it

                def render(ctx):
                    return ctx

                def main():
                    show(Context(), 3)

                def loose(value):
                    shout(value)

                def shout(text):
                    return text
            """,
            "test_flow.py": """
                from pkg.flow import loose

                def test_loose(fixture):
                    loose(fixture)  # unknown: nothing flows on from it
            """,
        },
    )
    render = {p.name: p for p in infos["pkg.flow.render"].params}
    assert render["ctx"].type == "~pkg.flow.Context"
    assert render["ctx"].evidence == "call sites"
    show = {p.name: p.type for p in infos["pkg.flow.show"].params}
    # ``depth - 1`` of an int is an int: the cycle confirms what enters it
    assert show == {"ctx": "~pkg.flow.Context", "depth": "int"}
    shout = {p.name: p.type for p in infos["pkg.flow.shout"].params}
    assert shout == {"text": None}


def test_sibling_classes_passed_together_state_their_base(tmp_path: Path) -> None:
    infos = _package(
        tmp_path,
        {
            "zoo.py": """
                class Animal:
                    def __init__(self):
                        self.fed = False

                class Cat(Animal):
                    pass

                class Dog(Animal):
                    pass

                def pet(animal):
                    return animal

                def feed(animal):
                    return animal

                def run():
                    pet(Cat())
                    pet(Dog())
                    feed(Animal())
                    feed(Cat())
            """
        },
    )
    # siblings: every value passed is an Animal, the class the project names
    assert infos["pkg.zoo.pet"].params[0].type == "~pkg.zoo.Animal"
    # a class and its subclass: every value passed is an Animal
    assert infos["pkg.zoo.feed"].params[0].type == "~pkg.zoo.Animal"


def test_classes_are_module_qualified_and_read_back(tmp_path: Path) -> None:
    infos = _package(
        tmp_path,
        {
            "items.py": """
                class Item:
                    pass

                def make():
                    return Item()

                def many(names):
                    return [Item() for name in names]
            """
        },
    )
    assert infos["pkg.items.make"].returns.type == "~pkg.items.Item"  # type: ignore[union-attr]
    many = infos["pkg.items.many"].returns.type  # type: ignore[union-attr]
    assert many == "list[~pkg.items.Item]"
    assert well_formed(many)
    # the evaluator reads a qualified class as its class name
    assert normalise(many) == normalise("list[Item]")


def test_typing_cast_states_the_type_the_code_writes() -> None:
    infos = analyze_source(
        textwrap.dedent(
            """
            import typing as t

            def first(values):
                return t.cast("str", values[0])
            """
        ),
        module="m",
        engine="ast",
    )
    first = next(i for i in infos if i.name == "first")
    assert first.returns is not None
    assert first.returns.type == "str"


def test_locals_bound_several_times_give_the_union(tmp_path: Path) -> None:
    infos = _package(
        tmp_path,
        {
            "pick.py": """
                def word():
                    return "w"

                def pick(flag):
                    if flag:
                        result = word()
                    else:
                        result = 0
                    return result

                def rebound(value):
                    if not value:
                        value = word()
                    return value

                def looped(items):
                    result = word()
                    for result in items:
                        pass
                    return result
            """
        },
    )
    assert infos["pkg.pick.pick"].returns.type == "int | str"  # type: ignore[union-attr]
    # a rebound parameter may still hold what was passed (unknown)
    assert infos["pkg.pick.rebound"].returns.type is None  # type: ignore[union-attr]
    # a loop binds it too (to what *items* holds): nothing claimed
    assert infos["pkg.pick.looped"].returns.type is None  # type: ignore[union-attr]


def test_tuples_and_comprehensions_get_element_types_from_calls(
    tmp_path: Path,
) -> None:
    infos = _package(
        tmp_path,
        {
            "parts.py": """
                def head(text):
                    return "h"

                def count(text):
                    return 3

                def split(text):
                    return head(text), count(text)

                def heads(texts):
                    return [head(t) for t in texts]
            """
        },
    )
    split = infos["pkg.parts.split"].returns
    assert split is not None
    assert split.type == "tuple[str, int]"
    heads = infos["pkg.parts.heads"].returns
    assert heads is not None
    assert heads.type == "list[str]"


def test_instance_attributes_are_typed_from_every_assignment(tmp_path: Path) -> None:
    source = """
        class Command:
            def __init__(self, name):
                self.name = name

            def label(self):
                return self.name

        def build():
            return Command("x")
    """
    infos = _package(tmp_path, {"cmd.py": source})
    # Command("x") is the only call: name is a str, and so is self.name
    init = {p.name: p for p in infos["pkg.cmd.Command.__init__"].params}
    assert init["name"].type == "str"
    assert init["name"].evidence == "call sites"
    assert infos["pkg.cmd.Command.label"].returns.type == "str"  # type: ignore[union-attr]
    # an assignment to the attribute of another object: the name is open
    other = tmp_path / "other"
    other.mkdir()
    infos = _package(
        other,
        {"cmd.py": source + "\n        def rename(cmd):\n            cmd.name = 1\n"},
    )
    assert infos["pkg.cmd.Command.label"].returns.type is None  # type: ignore[union-attr]


def test_a_builtin_with_a_fixed_result_types_a_call(tmp_path: Path) -> None:
    infos = _package(
        tmp_path,
        {
            "sizes.py": """
                def size(value):
                    n = len(value)
                    return n
            """
        },
    )
    assert infos["pkg.sizes.size"].returns.type == "int"  # type: ignore[union-attr]


def test_calls_a_test_expects_to_fail_are_no_call_sites(tmp_path: Path) -> None:
    infos = _package(
        tmp_path,
        {
            "names.py": """
                def greet(name):
                    return name

                def outer(items):
                    def each(item):
                        return greet("b"), item  # in a nested function: seen
                    return each
            """,
            "test_names.py": """
                import pytest
                from pkg.names import greet, outer

                def test_greet():
                    greet("ada")
                    with pytest.raises(TypeError):
                        greet(None)  # rejected: not what it takes

                def test_outer():
                    outer([1])
            """,
        },
    )
    assert infos["pkg.names.greet"].params[0].type == "str"
    assert infos["pkg.names.outer"].params[0].type == "list[int]"


def test_a_class_held_in_a_class_attribute_builds_its_instances(
    tmp_path: Path,
) -> None:
    infos = _package(
        tmp_path,
        {
            "cmd.py": """
                class Context:
                    def __init__(self, command):
                        self.command = command

                class Command:
                    context_class = Context

                    def make_context(self):
                        ctx = self.context_class(self)
                        self.parse(ctx)

                    def parse(self, ctx):
                        return ctx

                class Other:
                    factory = Context

                    def build(self):
                        self.factory = dict  # rebound on an instance: any class
                        self.use(self.factory(self))

                    def use(self, made):
                        return made
            """
        },
    )
    parse = {p.name: p.type for p in infos["pkg.cmd.Command.parse"].params}
    assert parse == {"self": None, "ctx": "~pkg.cmd.Context"}
    use = {p.name: p.type for p in infos["pkg.cmd.Other.use"].params}
    assert use == {"self": None, "made": None}


def _with_tests(tmp_path: Path, library: str, tests: str) -> dict[str, ObjectInfo]:
    root = tmp_path / "pkg"
    root.mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "bar.py").write_text(textwrap.dedent(library))
    suite = tmp_path / "tests"
    suite.mkdir()
    (suite / "test_bar.py").write_text(textwrap.dedent(tests))
    clear_cache()
    return {i.qualname: i for i in analyze_paths([root], call_sites=[suite])}


def test_what_tests_write_to_attributes_is_not_the_librarys_doing(
    tmp_path: Path,
) -> None:
    library = """
        class Bar:
            def __init__(self):
                self.label = "plain"

        def label_of(bar):
            return bar.label

        def shown():
            return label_of(Bar())
    """
    tests = """
        from pkg.bar import Bar

        def test_anything():
            bar = Bar()
            for key, value in {"label": 3}.items():
                setattr(bar, key, value)
            bar.label = None
    """
    infos = _with_tests(tmp_path, library, tests)
    assert infos["pkg.bar.label_of"].returns.type == "str"
    # The same computed setattr in the library itself: nothing is known.
    dynamic = (
        library
        + """
        def configure(bar, key, value):
            setattr(bar, key, value)
    """
    )
    infos = _with_tests(tmp_path / "again", dynamic, "")
    assert infos["pkg.bar.label_of"].returns.type is None
