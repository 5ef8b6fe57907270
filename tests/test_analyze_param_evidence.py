"""Parameter types from call sites (issue 16): cycles, receivers, closures.

Each case is a small package on disk, analysed as ``aidoc generate`` does
(:func:`analyze_paths`, astroid oracle, then the project-wide pass), and
asserts the type stated for a parameter without a default.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import analyse_module


def _params(tmp_path: Path, source: str, qualname: str) -> dict[str, str | None]:
    return {p.name: p.type for p in analyse_module(tmp_path, source)[qualname].params}


def test_a_cycle_through_a_derived_value_is_typed_by_what_enters_it(
    tmp_path: Path,
) -> None:
    source = """
        class Node:
            def child(self):
                return Node()

        def walk(node, depth):
            if depth:
                below = node.child()
                walk(below, depth - 1)

        def main():
            walk(Node(), 3)
    """
    assert _params(tmp_path, source, "walk") == {
        "node": "~pkg.mod.Node",
        "depth": "int",
    }


def test_a_cycle_with_a_value_of_unknown_type_stays_untyped(tmp_path: Path) -> None:
    source = """
        class Node:
            def child(self):
                return Node()

        def walk(node, depth):
            if depth:
                walk(node.payload, depth - 1)

        def main():
            walk(Node(), 3)
    """
    assert _params(tmp_path, source, "walk") == {"node": None, "depth": "int"}


def test_an_unpacking_call_on_a_proven_receiver_leaves_other_classes_alone(
    tmp_path: Path,
) -> None:
    # ``ctx.run(len, **options)`` cannot be mapped to parameters, so the
    # method it reaches is open; once ``ctx`` is proven a ``Ctx`` (by the
    # call sites of ``go``), that is ``Ctx.run`` only, not ``Job.run``.
    source = """
        class Job:
            def run(self, n):
                return n

        class Ctx:
            def run(self, f, **options):
                return f

        def go(ctx, options):
            return ctx.run(len, **options)

        def main():
            go(Ctx(), {})
            return Job().run(3)
    """
    assert _params(tmp_path, source, "Job.run") == {"self": None, "n": "int"}


def test_an_unpacking_call_on_an_unknown_receiver_opens_only_methods_it_fits(
    tmp_path: Path,
) -> None:
    # ``other.run(1, 2, **options)`` on an object of unknown class cannot
    # reach ``Runner.run`` (it takes one argument, not two): ``job`` keeps
    # the type its one call site passes. ``other.run(**options)`` fits,
    # and may pass anything by name: there ``job`` stays open.
    # ``other.run(1, **options)`` passes ``1`` to ``job`` if it reaches
    # ``Runner.run`` (a name in ``options`` cannot bind it again): an ``int``
    # no known call passes, so ``job`` is open; ``other.run(Job(), **options)``
    # agrees with the known call.
    source = """
        class Job:
            pass

        class Runner:
            def run(self, job):
                return job

        def main():
            Runner().run(Job())

        def relay(other, options):
            other.run(1, 2, **options)
    """
    assert _params(tmp_path, source, "Runner.run")["job"] == "~pkg.mod.Job"
    fitting = (
        source
        + """
        def forward(other, options):
            other.run(**options)
    """
    )
    (tmp_path / "fits").mkdir()
    assert _params(tmp_path / "fits", fitting, "Runner.run")["job"] is None
    named = (
        source
        + """
        def forward(other, options):
            other.run(1, **options)
    """
    )
    (tmp_path / "named").mkdir()
    assert _params(tmp_path / "named", named, "Runner.run")["job"] is None
    agreeing = named.replace("other.run(1, **options)", "other.run(Job(), **options)")
    (tmp_path / "agreeing").mkdir()
    found = _params(tmp_path / "agreeing", agreeing, "Runner.run")["job"]
    assert found == "~pkg.mod.Job"


def test_a_receiver_of_several_project_classes_reaches_each_method(
    tmp_path: Path,
) -> None:
    # ``write`` is a name files and streams have too: called on an object
    # of unknown class it leaves every project ``write`` open.
    source = """
        class Cat:
            def write(self, text):
                return text

        class Dog:
            def write(self, text):
                return text

        def main(flag):
            pet = Cat() if flag else Dog()
            pet.write("woof")
    """
    assert _params(tmp_path, source, "Cat.write") == {"self": None, "text": "str"}


def test_calling_an_instance_reaches_its_call_method(tmp_path: Path) -> None:
    source = """
        class Greeter:
            def __call__(self, name):
                return name

        class Party:
            def __init__(self):
                self.greeter = Greeter()

            def open(self):
                return self.greeter("guest")

        def main():
            greet = Greeter()
            return greet("host")
    """
    assert _params(tmp_path, source, "Greeter.__call__") == {
        "self": None,
        "name": "str",
    }


def test_a_nested_function_reads_the_parameter_it_closes_over(
    tmp_path: Path,
) -> None:
    source = """
        class Sink:
            def write(self, value):
                return value

        def outer(sink):
            def inner():
                sink.write(1)

            inner()

        def main():
            outer(Sink())
    """
    assert _params(tmp_path, source, "Sink.write") == {"self": None, "value": "int"}


def test_a_parameter_the_enclosing_function_rebinds_is_not_read_through(
    tmp_path: Path,
) -> None:
    source = """
        import io

        class Sink:
            def write(self, value):
                return value

        def outer(sink):
            def inner():
                sink.write(1)

            inner()
            sink = io.StringIO()
            inner()

        def main():
            outer(Sink())
    """
    assert _params(tmp_path, source, "Sink.write") == {"self": None, "value": None}


def test_a_type_is_check_narrows_the_argument_a_call_passes(tmp_path: Path) -> None:
    source = """
        class Data:
            def __init__(self):
                self.payload = b"x"

        class Other:
            def __init__(self):
                self.payload = 1

        def send(data):
            return data

        def dispatch(event):
            if type(event) is Data:
                send(event.payload)
            elif type(event) is not Other:
                send(b"")

        def main():
            dispatch(Data())
            dispatch(Other())
    """
    assert _params(tmp_path, source, "send") == {"data": "bytes"}


def _with_tests(
    tmp_path: Path, library: str, tests: dict[str, str], qualname: str
) -> dict[str, str | None]:
    infos = analyse_module(tmp_path, library, tests)
    return {p.name: p.type for p in infos[qualname].params}


_SINK = """
    class Sink:
        def write(self, text):
            return text
"""


def test_a_test_parameter_holds_what_its_fixture_returns(tmp_path: Path) -> None:
    tests = {
        "conftest.py": """
            import pytest
            from pkg.mod import Sink

            @pytest.fixture
            def sink():
                return Sink()
        """,
        "test_sink.py": """
            def test_write(sink):
                sink.write("text")
        """,
    }
    found = _with_tests(tmp_path, _SINK, tests, "Sink.write")
    assert found == {"self": None, "text": "str"}


def test_a_parametrized_name_is_not_the_fixture(tmp_path: Path) -> None:
    tests = {
        "conftest.py": """
            import pytest
            from pkg.mod import Sink

            @pytest.fixture
            def sink():
                return Sink()
        """,
        "test_sink.py": """
            import io
            import pytest

            @pytest.mark.parametrize("sink", [io.StringIO()])
            def test_write(sink):
                sink.write("text")
        """,
    }
    found = _with_tests(tmp_path, _SINK, tests, "Sink.write")
    assert found == {"self": None, "text": None}


def test_a_call_that_unpacks_passes_what_it_names(tmp_path: Path) -> None:
    source = """
        def label(text, width, **style):
            return text

        def main(style, rest):
            label("title", *rest)
            label("name", **style)
    """
    # ``width`` may come from ``*rest`` or ``**style``: not known
    assert _params(tmp_path, source, "label") == {
        "text": "str",
        "width": None,
        "style": None,
    }


def test_names_a_tuple_assignment_binds_take_their_part(tmp_path: Path) -> None:
    source = """
        def split(line):
            return line

        def count(n):
            return n

        def pair():
            return ("key", 1)

        def main():
            name, size = pair()
            split(name)
            for label, number in [("a", 2)]:
                count(number)
            count(size)
    """
    assert _params(tmp_path, source, "split") == {"line": "str"}
    (tmp_path / "again").mkdir()
    assert _params(tmp_path / "again", source, "count") == {"n": "int"}


def test_a_call_on_an_unknown_object_passing_another_type_leaves_it_open(
    tmp_path: Path,
) -> None:
    # ``thing.load("raw")`` on an object of unknown class may reach
    # ``Cache.load`` or ``Bucket.load``: it passes a ``str`` that no call
    # known to reach ``Cache.load`` passes, so ``Cache.load``'s parameter
    # is not "Bucket | str" but unknown. ``Bucket.load`` has no other call:
    # what the only call passes stands.
    source = """
        class Bucket:
            def load(self, data):
                return data

        class Cache:
            def load(self, bucket):
                return bucket

        def main():
            Cache().load(Bucket())

        def read(thing):
            return thing.load("raw")
    """
    assert _params(tmp_path, source, "Cache.load")["bucket"] is None
    (tmp_path / "b").mkdir()
    assert _params(tmp_path / "b", source, "Bucket.load")["data"] == "str"
    # a guess that agrees with the known calls adds nothing and blocks nothing
    agreeing = source.replace('thing.load("raw")', "thing.load(Bucket())")
    (tmp_path / "c").mkdir()
    assert _params(tmp_path / "c", agreeing, "Cache.load")["bucket"] == (
        "~pkg.mod.Bucket"
    )
