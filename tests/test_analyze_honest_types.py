"""Honest types: state only what the code proves (issue 16's rules).

Each case is a small fixture shaped like what real libraries do (click's
sentinels, tomlkit's enum defaults, contextlib managers), analysed as a
build does (astroid oracle) and, where syntax alone decides, without it.
"""

from __future__ import annotations

import textwrap

import pytest

from sphinxcontrib_aidoc.analyze import analyze_source
from sphinxcontrib_aidoc.model import ObjectInfo


def _objects(source: str, engine: str = "astroid") -> dict[str, ObjectInfo]:
    infos = analyze_source(textwrap.dedent(source), module="m", engine=engine)
    return {i.qualname.removeprefix("m."): i for i in infos}


def _types(info: ObjectInfo) -> dict[str, str | None]:
    return {p.name: p.type for p in info.params}


SENTINELS = """
    import enum

    MISSING = object()

    class _Unset:
        pass

    UNSET = _Unset()
    DEFAULT_TIMEOUT = 30.0

    class Color(enum.Enum):
        RED = 1
        BLUE = 2

    class Timeout:
        def __init__(self, seconds):
            self.seconds = seconds

    def connect(host=MISSING, port=UNSET, timeout=DEFAULT_TIMEOUT,
                color=Color.RED, limit=Timeout(5), tags=frozenset(), name=None):
        return host
"""


def test_a_sentinel_default_is_not_the_parameters_type():
    connect = _objects(SENTINELS)["connect"]
    assert _types(connect) == {
        "host": None,  # MISSING = object(): a marker, not a type
        "port": None,  # an instance of a private marker class
        "timeout": "float",  # a named constant of a number
        "color": "~m.Color",  # an enum member: its enum, not "RED"
        "limit": "~m.Timeout",  # an object built for the default (module-qualified)
        "tags": None,  # an empty container stands for any collection
        "name": None,  # None hides the real type
    }


def test_what_the_body_narrows_a_parameter_to_is_not_its_type():
    objs = _objects(
        """
        def encode(value, out):
            if isinstance(value, bytes):
                return value
            out.append(value)
            return str(value).encode()
        """
    )
    assert _types(objs["encode"]) == {"value": None, "out": None}


@pytest.mark.parametrize("engine", ["ast", "astroid"])
def test_a_context_manager_is_documented_as_one(engine):
    objs = _objects(
        """
        import contextlib

        @contextlib.contextmanager
        def opened(path):
            yield 42

        @contextlib.asynccontextmanager
        async def session():
            yield "s"

        def plain():
            yield 1
        """,
        engine,
    )
    opened = objs["opened"]
    assert opened.yields is None
    assert opened.returns is not None
    assert opened.returns.type == "contextlib.AbstractContextManager[int]"
    assert objs["session"].returns.type == (
        "contextlib.AbstractAsyncContextManager[str]"
    )
    assert objs["plain"].yields is not None
    assert objs["plain"].yields.type == "int"


@pytest.mark.parametrize("engine", ["ast", "astroid"])
def test_functions_that_always_raise_return_noreturn(engine):
    objs = _objects(
        """
        class Param:
            def fail(self, message):
                raise ValueError(message)

            def check(self, ok):
                if not ok:
                    raise ValueError("bad")
                raise TypeError("worse")

            def abstract(self):
                raise NotImplementedError

            def sometimes(self, ok):
                if ok:
                    return 1
                raise ValueError("no")
        """,
        engine,
    )
    assert objs["Param.fail"].returns.type == "NoReturn"
    assert objs["Param.check"].returns.type == "NoReturn"
    assert objs["Param.abstract"].returns.type is None  # a stub: unknown
    sometimes = objs["Param.sometimes"].returns.type
    assert sometimes in ("int", None)  # never NoReturn: one path returns


@pytest.mark.parametrize("engine", ["ast", "astroid"])
def test_special_methods_of_fixed_protocols(engine):
    objs = _objects(
        """
        class Bag:
            def __len__(self):
                return self.size

            def __str__(self):
                return self.render()

            def __bool__(self):
                return self.size

            def __contains__(self, item):
                return self.find(item)
        """,
        engine,
    )
    assert {
        name: objs[f"Bag.{name}"].returns.type
        for name in ("__len__", "__str__", "__bool__", "__contains__")
    } == {
        "__len__": "int",
        "__str__": "str",
        "__bool__": "bool",
        "__contains__": "bool",
    }


def test_no_stated_type_is_an_expression_that_is_not_a_type():
    # Inference can land on values; what is stated must read as a type.
    objs = _objects(
        """
        class Path:
            def __init__(self, kind):
                self.kind = kind

            def coerce(self, value, target=None):
                if target is None:
                    target = self.kind
                return target
        """
    )
    for info in objs.values():
        stated = [p.type for p in info.params if p.type]
        stated += [v.type for v in (info.returns, info.yields) if v and v.type]
        assert not [t for t in stated if "self." in t or "(" in t], stated


@pytest.mark.parametrize("engine", ["ast", "astroid"])
def test_containers_a_function_builds_have_element_types(engine):
    objs = _objects(
        """
        def names(rows):
            found = []
            for row in rows:
                found.append("x")
            found.extend(["y", "z"])
            return found

        def index():
            table = {}
            table["a"] = 1
            table["b"] = 2
            return table

        def leaked(sink):
            found = []
            sink(found)  # filled elsewhere: nothing is claimed
            found.append(1)
            return found

        def rebound(flag):
            found = []
            if flag:
                found = None
            return found

        def record():
            return {"name": "n", "size": 1}
        """,
        engine,
    )
    assert objs["names"].returns.type == "list[str]"
    assert objs["index"].returns.type == "dict[str, int]"
    assert objs["leaked"].returns.type in (None, "list")
    assert objs["rebound"].returns.type != "list[int]"
    assert objs["record"].returns.type == "dict[str, typing.Any]"


def test_augmented_additions_count_too():
    objs = _objects(
        """
        def mixed():
            found = []
            found.append("a")
            found += [1]
            return found
        """
    )
    assert objs["mixed"].returns.type == "list[int | str]"


def test_every_stated_type_says_what_proves_it():
    objs = _objects(
        """
        import contextlib

        def scale(factor=2.0, *, name: str = "x", other=None):
            return factor * 2

        def literal():
            return [1, 2]

        def fail():
            raise ValueError("no")

        @contextlib.contextmanager
        def managed():
            yield 1
        """
    )
    scale = objs["scale"]
    assert [(p.name, p.evidence) for p in scale.params] == [
        ("factor", "default"),
        ("name", "annotation"),
        ("other", ""),
    ]
    assert scale.returns.evidence == "inference"
    assert objs["literal"].returns.evidence == "inference"  # the oracle answered
    assert (
        _objects("def literal():\n    return [1, 2]\n", engine="ast")[
            "literal"
        ].returns.evidence
        == "syntax"
    )
    assert objs["fail"].returns.evidence == "rule"
    assert objs["managed"].returns.evidence == "rule"


@pytest.mark.parametrize("engine", ["ast", "astroid"])
def test_a_placeholder_body_says_nothing_of_what_overrides_return(engine):
    objs = _objects(
        """
        class Base:
            def get_metavar(self, param):
                pass

            def render(self):
                ...
        """,
        engine,
    )
    assert objs["Base.get_metavar"].returns.type is None  # not "None"
    assert objs["Base.render"].returns.type is None


def test_raise_of_a_cast_or_a_maybe_none_names_only_the_exception():
    # itsdangerous Serializer.loads: the last error of a loop, cast for mypy.
    objects = _objects(
        """
        import typing as t

        class BadSignature(Exception):
            pass

        def loads(keys, s):
            last_exception = None
            for k in keys:
                try:
                    return k(s)
                except BadSignature as err:
                    last_exception = err
            raise t.cast(BadSignature, last_exception)

        def reraise(keys):
            error = None
            for k in keys:
                try:
                    k()
                except BadSignature as err:
                    error = err
            raise error
        """
    )
    assert objects["loads"].raises == ("BadSignature",)
    assert "None" not in objects["reraise"].raises
