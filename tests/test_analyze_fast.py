"""The fast (``ast``) engine agrees with the astroid engine.

For every object both engines report, every field that needs no inference
is equal, and where the astroid engine inferred a type the fast engine
either says the same or None: it knows less, it never says otherwise.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sphinxcontrib_aidoc.analyze import analyze_file, analyze_paths, analyze_source
from sphinxcontrib_aidoc.diagnostics import ListReporter
from sphinxcontrib_aidoc.model import ObjectInfo
from tests.conftest import ROOTS

DEMO = Path(__file__).parent.parent / "demo_project" / "inventory"
#: Generous: the astroid side must not run out of time on a slow machine.
TIMEOUT = 30.0
#: Fields the fast engine must get exactly right.
EXACT = (
    "qualname",
    "module",
    "kind",
    "file",
    "lineno",
    "end_lineno",
    "decorators",
    "docstring",
    "is_async",
    "source",
    "source_hash",
    "deprecated",
    "bases",
    "complexity",
    "nesting",
    "raises",
)

FEATURES = '''
"""A module with one of everything."""

import abc
import dataclasses
import functools
import warnings
from collections.abc import AsyncIterator, Generator, Iterator
from dataclasses import KW_ONLY, InitVar, dataclass, field
from typing import ClassVar, overload


def plain(a, b: int, c=1, d: "str" = "x", *args: int, e, f=(1,), **kw) -> bool:
    """Plain."""
    if isinstance(a, (list, tuple)) and a or b:
        return True
    return False


def positional(a, /, b=2.5, *, c=-1, d=not True, e=2 ** 8, f=[1, 2]):
    return [a, b]


def literal_returns(flag):
    if flag:
        return {"a": 1}
    elif flag is None:
        return None


def no_return(items):
    items.append(1)


def always_raises(x):
    raise ValueError(x)


def stub():
    """Only a docstring."""


def ellipsis_stub(x: int) -> str: ...


def inferred_only(x):
    return len(x)


def tuple_return():
    return 1, "a", [1.5], (), {1, 2}


def gen() -> Iterator[int]:
    yield 1


def full_gen() -> Generator[str, None, int]:
    yield "a"
    return 3


def literal_gen():
    yield "a"
    yield from [1, 2]
    yield


def unknown_gen(items):
    yield from items


async def coroutine(x: int) -> int:
    return x


async def agen() -> AsyncIterator[bytes]:
    yield b""


def raising(path):
    try:
        open(path)
    except (OSError, ValueError) as err:
        if path:
            raise
        raise err from None
    except KeyError:
        raise RuntimeError("x") from None
    finally:
        pass
    raise errors.NotFound(path)


def looping(n):
    while True:
        for i in range(n):
            if i > 2:
                break
        else:
            continue
        match n:
            case 1 | 2:
                return "small"
            case _:
                return "big"


def comprehension(rows):
    return [r for r in rows if r if not r] + [x for x in rows]


def warns():
    warnings.warn("old", DeprecationWarning, stacklevel=2)


@functools.lru_cache(maxsize=None)
def cached(x):
    def nested():
        return 1

    class Local:
        pass

    return nested


@overload
def over(x: int) -> int: ...
@overload
def over(x: str) -> str: ...
def over(x):
    """.. deprecated:: 1.0"""
    return x


if True:
    def in_if():
        pass
else:
    def in_if():
        return 1

try:
    import json
except ImportError:
    def fallback():
        pass

with open(__file__) as handle:
    def in_with():
        pass


class Base:
    """A base.

    Attributes:
        value: A value.
    """

    value: int = 0
    LIMIT: ClassVar[int] = 3

    def __init__(self, value: int = 0) -> None:
        """Make one."""
        if value < 0:
            raise ValueError(value)
        self.value = value

    def method(self, other: "Base") -> "Base":
        return other

    @staticmethod
    def static(x):
        return x

    @classmethod
    def create(cls):
        return cls()

    def __init_subclass__(cls, **kwargs):
        pass

    @property
    def prop(self) -> int:
        """The prop."""
        return self.value

    @prop.setter
    def prop(self, new: int) -> None:
        self.value = new

    @functools.cached_property
    def cached(self):
        return [1, 2]

    @abc.abstractmethod
    def abstract(self):
        pass

    class Inner:
        def inner(self):
            "One-line docstring."

        class Deeper(Exception):
            pass


class Child(Base):
    pass


class GrandChild(Child):
    def __init__(self, x, *rest):
        super().__init__()


class Mixed(Base, dict):
    pass


class FromDict(dict):
    pass


class NoBase:
    pass


class Explicit(object):
    pass


class Failure(ValueError):
    """A failure."""


class DeepFailure(Failure):
    pass


class CustomError(Exception):
    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        warnings.warn("CustomError is old", category=FutureWarning)


class NamedLikeOne(SomeExternalError):
    pass


class Alert(UserWarning):
    pass


class Nested(Base.Inner.Deeper):
    pass


class Unknown(external.Base):
    def method(self):
        return 1


@dataclass
class Point:
    """A point."""

    x: float
    y: float = 0.0
    tags: list = field(default_factory=list)
    label: "str" = field(default="p")
    hidden: int = field(init=False)
    scale: InitVar[float] = 1.0
    COUNT: ClassVar[int] = 0
    _: KW_ONLY
    z: int = 0


@dataclasses.dataclass(kw_only=True)
class Keywords:
    a: int
    b: str = "b"
    c: int = field(default=1, kw_only=False)


@dataclass
class Point3(Point):
    w: int = 1


@dataclass(init=False)
class NoInit:
    a: int


@dataclass(frozen=True)
class OwnInit:
    a: int

    def __init__(self, a: str) -> None:
        object.__setattr__(self, "a", int(a))


@functools.total_ordering
class Decorated:
    """.. deprecated:: 2.0 use Other."""

    def __eq__(self, other):
        return NotImplemented

    def __lt__(self, other):
        return NotImplemented
'''


def _by_name(infos: list[ObjectInfo]) -> dict[tuple[str, str], ObjectInfo]:
    return {(i.file, i.qualname): i for i in infos}


def assert_agrees(slow: ObjectInfo, fast: ObjectInfo) -> None:
    """Fail unless *fast* (ast engine) agrees with *slow* (astroid engine)."""
    where = slow.qualname
    for name in EXACT:
        assert getattr(fast, name) == getattr(slow, name), (where, name)
    assert fast.calls == (), where
    if fast.signature != slow.signature:
        # Only a class whose base only inference finds has no signature.
        assert fast.kind in ("class", "exception"), where
        assert fast.signature == "" and fast.params == (), where
    else:
        assert len(fast.params) == len(slow.params), where
        for mine, theirs in zip(fast.params, slow.params, strict=True):
            assert mine.name == theirs.name and mine.kind == theirs.kind, where
            assert mine.default == theirs.default, (where, mine.name)
            if theirs.inferred:
                assert mine.type in (None, theirs.type), (where, mine.name)
                assert mine.inferred == (mine.type is not None), (where, mine.name)
            else:
                assert mine == theirs, (where, mine.name)
    for value in ("returns", "yields"):
        mine, theirs = getattr(fast, value), getattr(slow, value)
        assert (mine is None) == (theirs is None), (where, value)
        if mine is None or theirs is None:
            continue
        if theirs.inferred:
            assert mine.inferred, (where, value)
            assert mine.type in (None, theirs.type), (where, value)
        else:
            assert mine == theirs, (where, value)


def _compare(paths: list[Path]) -> int:
    """Analyse *paths* with both engines; return how many objects agree."""
    slow_reporter, fast_reporter = ListReporter(), ListReporter()
    slow = _by_name(analyze_paths(paths, infer_timeout=TIMEOUT, reporter=slow_reporter))
    fast = _by_name(analyze_paths(paths, engine="ast", reporter=fast_reporter))
    assert fast.keys() == slow.keys()
    for key, info in slow.items():
        assert_agrees(info, fast[key])
    # How deep an engine can walk is its own limit, not a difference in
    # what the code says: astroid reports the code it had to cut out.
    parse = [
        d
        for d in slow_reporter.diagnostics
        if d.subtype == "parse" and "nested too deeply" not in d.message
    ]
    assert fast_reporter.diagnostics == parse
    return len(slow)


@pytest.mark.parametrize(
    "root",
    [*sorted(p for p in ROOTS.glob("test-*") if any(p.rglob("*_pkg/*.py"))), DEMO],
    ids=lambda p: p.name,
)
def test_engines_agree_on_the_test_projects(root):
    assert _compare([root]) > 0


def test_engines_agree_on_every_feature(tmp_path):
    (tmp_path / "features.py").write_text(FEATURES, encoding="utf-8")
    assert _compare([tmp_path]) > 60


def fast(source: str) -> dict[str, ObjectInfo]:
    infos = analyze_source(textwrap.dedent(source), module="m", engine="ast")
    return {i.local_name: i for i in infos}


def test_fast_engine_types_literals_and_leaves_the_rest_unknown():
    infos = fast(FEATURES)
    assert infos["literal_returns"].returns.type == "dict[str, int] | None"
    assert infos["no_return"].returns.type == "None"
    assert infos["always_raises"].returns.type == "NoReturn"
    assert infos["stub"].returns.type is None
    assert infos["inferred_only"].returns.type is None  # len(): inference
    assert infos["tuple_return"].returns.type == (
        "tuple[int, str, list[float], tuple, set[int]]"
    )
    assert infos["literal_gen"].yields.type == "int | str | None"
    assert infos["unknown_gen"].yields.type is None
    assert infos["full_gen"].returns.type == "int"
    positional = {p.name: p for p in infos["positional"].params}
    assert positional["b"].type == "float" and positional["b"].inferred
    assert positional["d"].type == "bool"
    assert positional["e"].type is None  # 2 ** 8 needs evaluating
    assert positional["f"].type is None  # a list default: any sequence may do
    # ``.append()`` on a parameter narrows it; it is not its type.
    assert [p.type for p in infos["no_return"].params] == [None]


def test_fast_engine_writes_defaults_as_astroid_does():
    infos = fast(FEATURES)
    assert infos["plain"].signature == (
        "(a, b: int, c=1, d: str = 'x', *args: int, e, f=(1, ), **kw) -> bool"
    )
    assert infos["positional"].signature == (
        "(a, /, b=2.5, *, c=-1, d=not True, e=2**8, f=[1, 2])"
    )


def test_fast_engine_classes_by_syntax():
    infos = fast(FEATURES)
    kinds = {name: infos[name].kind for name in infos if "." not in name}
    assert kinds["Failure"] == kinds["DeepFailure"] == "exception"
    assert kinds["NamedLikeOne"] == kinds["Alert"] == "exception"
    assert kinds["Nested"] == "exception"  # Base.Inner.Deeper(Exception)
    assert kinds["Unknown"] == kinds["NoBase"] == "class"
    assert infos["Child"].signature == "(value: int = 0)"  # Base.__init__
    assert infos["Mixed"].signature == "(value: int = 0)"
    assert infos["NoBase"].signature == infos["Explicit"].signature == "()"
    assert infos["FromDict"].signature == ""  # a builtin's __init__: unknown
    assert infos["Unknown"].signature == "" and infos["Unknown"].params == ()
    assert infos["Unknown"].bases == ("external.Base",)
    assert infos["CustomError"].deprecated
    assert infos["Point"].signature == (
        "(x: float, y: float = 0.0, tags: list = <factory>, label: str = 'p', "
        "scale: float = 1.0, z: int = 0)"
    )
    assert infos["Keywords"].signature == "(c: int = 1, *, a: int, b: str = 'b')"
    assert infos["Point3"].signature.endswith("z: int = 0, w: int = 1)")
    assert infos["NoInit"].signature == "()"
    assert infos["OwnInit"].signature == "(a: str)"
    assert infos["Decorated"].deprecated


def test_fast_engine_leaves_calls_and_inferred_raises_to_astroid():
    source = """
    class Thing:
        def error(self):
            return ValueError("x")

        def fail(self):
            raise self.error()

        def run(self):
            return self.fail()
    """
    slow = {
        i.local_name: i
        for i in analyze_source(textwrap.dedent(source), module="m", engine="astroid")
    }
    quick = fast(source)
    assert slow["Thing.fail"].raises == ("ValueError",)
    assert quick["Thing.fail"].raises == ()
    assert slow["Thing.run"].calls == ("m.Thing.fail",)
    assert quick["Thing.run"].calls == ()


@pytest.mark.parametrize(
    "source",
    [
        "def f(:\n    pass\n",
        "x = (\n",
        "def f():\n  return 1\n return 2\n",
        "def f(x: int  # type: int\n): pass\n",
        "a = 1\x00\n",
    ],
)
def test_parse_diagnostics_are_the_same(source):
    slow, quick = ListReporter(), ListReporter()
    slow_infos = analyze_source(source, module="m", file="x.py", reporter=slow)
    quick_infos = analyze_source(
        source, module="m", file="x.py", reporter=quick, engine="ast"
    )
    assert [i.qualname for i in quick_infos] == [i.qualname for i in slow_infos]
    assert quick.diagnostics == slow.diagnostics


def test_each_engine_has_its_own_cache_entry(tmp_path):
    path = tmp_path / "mod.py"
    path.write_text("def a():\n    return b()\n\ndef b():\n    return 1\n")
    assert analyze_file(path, engine="ast")[0].calls == ()
    assert analyze_file(path)[0].calls == ("mod.b",)
    assert analyze_file(path, engine="ast")[0].calls == ()


def test_unknown_engine_is_a_programmer_error():
    with pytest.raises(ValueError, match="unknown analysis engine"):
        analyze_source("x = 1\n", module="m", engine="jedi")  # type: ignore[arg-type]


def test_fast_engine_never_imports_astroid():
    code = (
        "import sys\n"
        "sys.modules['astroid'] = None\n"
        "from sphinxcontrib_aidoc.analyze import analyze_source\n"
        "assert analyze_source('def f():\\n    return 1\\n', module='m', "
        "engine='ast')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
