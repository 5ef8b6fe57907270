"""Return types the project-wide pass proves through more rules (issue 16).

Each case is a small package on disk, analysed as ``aidoc generate`` does
(:func:`analyze_paths`: astroid oracle, then the project-wide pass); the
assertions read the return type a user would see in the docstring.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import returned_types as _returns


def test_attributes_of_classes_with_closed_standard_library_bases(
    tmp_path: Path,
) -> None:
    found = _returns(
        tmp_path,
        """
        import textwrap
        import typing as t
        from collections.abc import Mapping
        from datetime import date

        V = t.TypeVar("V")


        class Token(str):
            def __init__(self, raw=""):
                self._raw = raw

            def source(self):
                return self._raw


        class Day(date):
            def __init__(self, year, month, day, raw=""):
                self._raw = raw

            def source(self):
                return self._raw


        class Bag(t.Generic[V]):
            def __init__(self, label=""):
                self._label = label

            def label(self):
                return self._label


        class Failure(Exception):
            def __init__(self, note=""):
                self.note = note

            def detail(self):
                return self.note


        class Wrapper(textwrap.TextWrapper):
            def __init__(self, marker=""):
                super().__init__()
                self.marker = marker

            def mark(self):
                return self.marker


        class Ages(Mapping):
            def __init__(self, get=""):
                self.get = get

            def getter(self):
                return self.get


        def build():
            return [
                Token("a"), Day(2020, 1, 2, "x"), Bag("b"), Failure("c"),
                Wrapper("d"), Ages("e"),
            ]
        """,
    )
    # str, datetime.date, typing.Generic, Exception add no ``_raw``/``note``
    assert found["Token.source"] == "str"
    assert found["Day.source"] == "str"
    assert found["Bag.label"] == "str"
    assert found["Failure.detail"] == "str"
    # a standard-library class written in Python may set any attribute
    assert found["Wrapper.mark"] is None
    # a closed base that has the attribute (``Mapping.get``) keeps it unknown
    assert found["Ages.getter"] is None


def test_iterators_reductions_and_container_methods(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        def upper_names(value):
            text = str(value)
            return tuple(n.upper() for n in text.split())

        def numbered(value):
            text = str(value)
            return list(enumerate(text.split(",")))

        def pairs(value):
            text = str(value)
            return list(zip(text.split(), text.splitlines()))

        def backwards(value):
            text = str(value)
            return list(reversed(text.split()))

        def longest(value):
            text = str(value)
            return max(len(w) for w in text.split())

        def widest(value, n):
            text = str(value)
            return max(len(text), 3)

        def first_or_none(value):
            text = str(value)
            return min(text.split(), default=None)

        def entries(value):
            text = str(value)
            counts = {w: len(w) for w in text.split()}
            return sorted(counts.items())

        def lookup(value):
            text = str(value)
            counts = {w: len(w) for w in text.split()}
            return counts.get("a")

        def lookup_or_zero(value):
            text = str(value)
            counts = {w: len(w) for w in text.split()}
            return counts.get("a", 0.5)

        def last(value):
            text = str(value)
            return text.split().pop()

        def unknown_items(things):
            return list(enumerate(things))

        def unknown_extreme(a, b):
            return max(len(a), b)
        """,
    )
    assert found["upper_names"] == "tuple[str, ...]"
    assert found["numbered"] == "list[tuple[int, str]]"
    assert found["pairs"] == "list[tuple[str, str]]"
    assert found["backwards"] == "list[str]"
    assert found["longest"] == "int"
    assert found["widest"] == "int"
    assert found["first_or_none"] == "str | None"
    assert found["entries"] == "list[tuple[str, int]]"
    assert found["lookup"] == "int | None"
    assert found["lookup_or_zero"] == "float | int"
    assert found["last"] == "str"
    # an iterable or a value not proven: nothing is claimed
    assert found["unknown_items"] in (None, "list")
    assert found["unknown_extreme"] is None


def test_an_empty_container_takes_the_other_values_type(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        def words(value, flag):
            if flag:
                return []
            return str(value).split()

        def pieces(value, flag):
            return str(value).split() if flag else []

        def or_empty(value, flag):
            found = str(value).split() if flag else None
            return found or []

        def rebound(value, flag):
            out = []
            if flag:
                out = str(value).split()
            out.append("x")
            return out

        def rebound_other(value, flag):
            out = []
            if flag:
                out = str(value).split()
            out.append(3)
            return out

        def passed_on(value, flag, fill):
            out = []
            if flag:
                out = str(value).split()
            fill(out)
            return out

        def pair_or_empty(value, flag):
            text = str(value)
            return (text, text) if flag else ()

        def only_empty(flag):
            if flag:
                return []
            return list()


        class Names:
            def __init__(self, value=None):
                self.names = str(value).split() if value else []

            def all(self):
                return self.names


        class Filled:
            def __init__(self, value=None):
                self.names = str(value).split() if value else []
                self.extra = []
                if value:
                    self.extra = str(value).split()

            def add(self, item):
                self.extra.append(item)

            def all(self):
                return self.extra


        def build():
            return Names("a b"), Names(), Filled("c"), Filled()
        """,
    )
    assert found["words"] == "list[str]"
    assert found["pieces"] == "list[str]"
    assert found["or_empty"] == "list[str]"
    assert found["rebound"] == "list[str]"
    assert found["Names.all"] == "list[str]"
    # something else is added, or may be: no element type is claimed
    assert found["rebound_other"] in (None, "list")
    assert found["passed_on"] in (None, "list")
    assert found["Filled.all"] in (None, "list")
    # an empty tuple is no ``tuple[str, str]``; nothing but empty: unknown
    assert found["pair_or_empty"] in (None, "tuple")
    assert found["only_empty"] in (None, "list")


def test_classes_built_through_new_decorators_and_locals(tmp_path: Path) -> None:
    # list comprehensions: the per-module analysis says ``list``; the pass
    # types the elements by what calling each class builds
    found = _returns(
        tmp_path,
        """
        import dataclasses
        import functools


        class Number(int):
            def __new__(cls, value, raw):
                return int.__new__(cls, value)

            def __init__(self, value, raw):
                self.raw = raw


        class Odd(int):
            def __new__(cls, value):
                if value:
                    return int.__new__(cls, value)
                return value


        @dataclasses.dataclass
        class Point:
            x: int = 0


        @functools.total_ordering
        class Rank:
            def __init__(self, n=0):
                self.n = n


        def registered(cls):
            return object


        @registered
        class Hidden:
            pass


        class Text(str):
            def __new__(cls, value):
                return super().__new__(cls, value)

            @classmethod
            def of(cls, value):
                return cls(value)


        def numbers(values):
            return [Number(v, "") for v in values]

        def odds(values):
            return [Odd(v) for v in values]

        def points(n):
            return [Point() for _ in range(n)]

        def ranks(n):
            return [Rank() for _ in range(n)]

        def hidden(n):
            return [Hidden() for _ in range(n)]

        def texts(values):
            return [Text.of(v) for v in values]

        def either(flag, n):
            factory = Point if flag else Rank
            return [factory() for _ in range(n)]

        def unknown_factory(flag, other, n):
            factory = Point if flag else other
            return [factory() for _ in range(n)]
        """,
    )
    assert found["numbers"] == "list[~pkg.mod.Number]"
    assert found["points"] == "list[~pkg.mod.Point]"
    assert found["ranks"] == "list[~pkg.mod.Rank]"
    assert found["texts"] == "list[~pkg.mod.Text]"
    assert found["either"] == "list[~pkg.mod.Point | ~pkg.mod.Rank]"
    # a ``__new__`` that may return something else, a decorator that may
    # return anything, a local that may hold anything: no element type
    assert found["odds"] == "list"
    assert found["hidden"] == "list"
    assert found["unknown_factory"] == "list"


def test_an_abstract_method_returns_what_its_overrides_return(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        class Shape:
            def name(self):
                raise NotImplementedError

            def area(self):
                raise NotImplementedError("subclasses compute it")

            def sides(self):
                raise NotImplementedError

            def check(self):
                raise ValueError("never valid")


        class Square(Shape):
            def __init__(self, size=1):
                self.size = size

            def name(self):
                return "square"

            def area(self):
                return len(self.name()) * 2

            def sides(self, known):
                return known

            def check(self):
                return True


        class Circle(Shape):
            def name(self):
                return "circle"

            def area(self):
                return 3.14


        class Plain:
            def name(self):
                raise NotImplementedError
        """,
    )
    assert found["Shape.name"] == "str"
    assert found["Shape.area"] == "float | int"
    # an override of unknown type, or no override at all: nothing is claimed;
    # a method raising something else never returns
    assert found["Shape.sides"] is None
    assert found["Shape.check"] != "bool"
    assert found["Plain.name"] is None


def test_the_count_enumerate_gives_is_an_int(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        def positions(things):
            return [i for i, _ in enumerate(things)]

        def from_one(things):
            return [i for i, _ in enumerate(things, start=1)]

        def from_unknown(things, first):
            return [i for i, _ in enumerate(things, first)]

        def shadowed(things, enumerate):
            return [i for i, _ in enumerate(things)]
        """,
    )
    assert found["positions"] == "list[int]"
    assert found["from_one"] == "list[int]"
    # a start of unknown type, or a name that is not the builtin
    assert found["from_unknown"] == "list"
    assert found["shadowed"] == "list"


def test_in_place_operators_of_project_classes(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        class Buffer:
            def __init__(self):
                self.data = bytearray()

            def __iadd__(self, more):
                self.data += more
                return self


        class Maybe:
            def __iadd__(self, more):
                if more:
                    return self
                return NotImplemented


        def filled(chunks):
            buf = Buffer()
            for chunk in chunks:
                buf += chunk
            return [buf]

        def maybe(chunks):
            value = Maybe()
            for chunk in chunks:
                value += chunk
            return [value]
        """,
    )
    assert found["filled"] == "list[~pkg.mod.Buffer]"
    # ``__iadd__`` may give ``NotImplemented`` (then ``__add__``...): unknown
    assert found["maybe"] == "list"


def test_module_values_and_path_conversions_of_the_standard_library(
    tmp_path: Path,
) -> None:
    found = _returns(
        tmp_path,
        """
        import os
        import sys


        def words():
            return [w for w in os.environ["WORDS"].split()]

        def separators():
            return [os.sep, os.linesep]

        def arguments():
            return [a.upper() for a in sys.argv]

        def decoded(paths):
            return [os.fsdecode(p) for p in paths]

        def encoded(paths):
            return [os.fsencode(p) for p in paths]

        def shadowed(os):
            return [os.environ["X"]]
        """,
    )
    assert found["words"] == "list[str]"
    assert found["separators"] == "list[str]"
    assert found["arguments"] == "list[str]"
    assert found["decoded"] == "list[str]"
    assert found["encoded"] == "list[bytes]"
    assert found["shadowed"] == "list"  # a parameter named ``os``


def test_a_method_returning_only_an_empty_list_takes_its_overrides_type(
    tmp_path: Path,
) -> None:
    found = _returns(
        tmp_path,
        """
        class Source:
            def names(self):
                return []

            def pairs(self):
                return []

            def sizes(self):
                return []


        class Files(Source):
            def names(self):
                return [str(n) for n in range(3)]

            def pairs(self):
                return {"a": 1}

            def sizes(self):
                return [len(n) for n in self.names()]


        class Sizes(Source):
            def sizes(self, other):
                return other


        class Lonely:
            def names(self):
                return []
        """,
    )
    assert found["Source.names"] == "list[str]"
    # an override of another kind, or of unknown type; no override: none
    assert found["Source.pairs"] == "list"
    assert found["Source.sizes"] == "list"
    assert found["Lonely.names"] == "list"


def test_a_call_passing_an_exact_builtin_reaches_one_isinstance_branch(
    tmp_path: Path,
) -> None:
    found = _returns(
        tmp_path,
        """
        class Item:
            pass


        class Flag(Item):
            pass


        class Number(Item):
            pass


        class Text(Item):
            pass


        def item(value):
            if isinstance(value, Item):
                return value
            if isinstance(value, bool):
                return Flag()
            elif isinstance(value, int):
                return Number()
            else:
                return Text()


        def late(value):
            if isinstance(value, int):
                value = value + 1
                return Number()
            return Text()


        def numbers(raw):
            return [item(int(raw))]

        def flags(raw):
            return [item(not raw)]

        def texts(raw):
            return [item(f"{raw}")]

        def anything(raw):
            return [item(raw)]

        def undecided(raw):
            return [late(int(raw))]
        """,
    )
    assert found["numbers"] == "list[~pkg.mod.Number]"
    assert found["flags"] == "list[~pkg.mod.Flag]"
    assert found["texts"] == "list[~pkg.mod.Text]"
    # a value of unknown class may take any branch
    assert found["anything"] == (
        "list[~pkg.mod.Flag | ~pkg.mod.Item | ~pkg.mod.Number | ~pkg.mod.Text]"
    )
    # a statement other than a test before the return: every branch counts
    assert found["undecided"] == "list[~pkg.mod.Number | ~pkg.mod.Text]"


def test_a_comparison_of_scalars_passes_an_exact_bool(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        class Item:
            pass


        class Flag(Item):
            pass


        class Text(Item):
            pass


        def item(value):
            if isinstance(value, Item):
                return value
            if isinstance(value, bool):
                return Flag()
            return Text()


        def boolean(raw):
            return [item(raw == "true")]

        def member(raw, names):
            return [item(raw in names)]

        def compared(raw, other):
            return [item(raw == other)]

        def use(thing):
            boolean("true")
            member("x", ["x"])
            compared("a", thing)
        """,
    )
    # ``raw`` is a ``str`` (its one call passes one): ``==`` gives a bool
    assert found["boolean"] == "list[~pkg.mod.Flag]"
    # ``in`` always gives a bool, whatever ``names`` holds
    assert found["member"] == "list[~pkg.mod.Flag]"
    # ``other`` may be anything, whose ``__eq__`` may answer anything
    assert found["compared"] == "list[~pkg.mod.Flag | ~pkg.mod.Item | ~pkg.mod.Text]"
