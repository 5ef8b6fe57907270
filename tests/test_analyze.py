"""The analysis stage: real astroid on inline sources and files in tmp_path."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from sphinxcontrib_aidoc.analyze import (
    analyze_file,
    analyze_paths,
    analyze_source,
    clear_cache,
    find_object,
    module_name_for,
)
from sphinxcontrib_aidoc.diagnostics import ListReporter
from sphinxcontrib_aidoc.model import ObjectInfo, Param, Returns, Yields

#: Generous, so a slow machine building astroid's view of the stdlib for the
#: first time never trips the budget (one test trips it on purpose).
TIMEOUT = 30.0


def analyse(source: str, module: str = "m", **kwargs) -> dict[str, ObjectInfo]:
    kwargs.setdefault("infer_timeout", TIMEOUT)
    infos = analyze_source(textwrap.dedent(source), module=module, **kwargs)
    return {i.local_name: i for i in infos}


def param(info: ObjectInfo, name: str) -> Param:
    return next(p for p in info.params if p.name == name)


# --- kinds -----------------------------------------------------------------

KINDS_SOURCE = '''
import functools

def function(a):
    """A function."""

def _private():
    pass

async def coroutine():
    return 1

def generator():
    yield 1

async def agen():
    yield "x"

class Base:
    """A class."""

    def method(self):
        def nested():  # not an object
            pass
        class Local:  # not an object either
            pass
        return nested

    @staticmethod
    def static(x):
        return x

    @classmethod
    def create(cls):
        return cls()

    @property
    def value(self) -> int:
        """The value."""
        return self._value

    @value.setter
    def value(self, new):
        self._value = new

    @value.deleter
    def value(self):
        del self._value

    @functools.cached_property
    def cached(self):
        return [1, 2]

    async def fetch(self):
        return "x"

    class Inner:
        def inner_method(self):
            pass

class Failure(ValueError):
    pass

class DeepFailure(Failure):
    pass
'''


def test_every_kind_is_found_once():
    infos = analyze_source(KINDS_SOURCE, module="pkg.mod", infer_timeout=TIMEOUT)
    kinds = {i.local_name: i.kind for i in infos}
    assert kinds == {
        "function": "function",
        "_private": "function",
        "coroutine": "function",
        "generator": "function",
        "agen": "function",
        "Base": "class",
        "Base.method": "method",
        "Base.static": "staticmethod",
        "Base.create": "classmethod",
        "Base.value": "property",
        "Base.cached": "property",
        "Base.fetch": "method",
        "Base.Inner": "class",
        "Base.Inner.inner_method": "method",
        "Failure": "exception",
        "DeepFailure": "exception",
    }
    assert [i.lineno for i in infos] == sorted(i.lineno for i in infos)
    assert all(i.qualname == f"pkg.mod.{i.local_name}" for i in infos)
    assert all(i.module == "pkg.mod" for i in infos)
    assert find_object(infos, "pkg.mod.Base.Inner").kind == "class"
    assert find_object(infos, "pkg.mod.Base.method.nested") is None
    assert find_object(infos, "pkg.mod.nope") is None
    assert not find_object(infos, "pkg.mod._private").is_public


def test_flags_lines_and_docstrings():
    objs = analyse(KINDS_SOURCE)
    assert objs["coroutine"].is_async and objs["Base.fetch"].is_async
    assert not objs["function"].is_async
    assert objs["agen"].is_async and objs["agen"].is_generator
    assert objs["generator"].is_generator and not objs["function"].is_generator
    prop = objs["Base.value"]
    lines = textwrap.dedent(KINDS_SOURCE).splitlines()
    assert lines[prop.lineno - 1].strip() == "def value(self) -> int:"
    assert lines[prop.end_lineno - 1].strip() == "return self._value"
    assert prop.decorators == ("property",)
    assert prop.docstring == "The value."
    assert "setter" in prop.source and "deleter" in prop.source
    assert objs["Base.cached"].decorators == ("functools.cached_property",)
    assert objs["function"].docstring == "A function."
    assert objs["_private"].docstring is None
    assert objs["Failure"].bases == ("ValueError",)
    assert objs["DeepFailure"].bases == ("Failure",)


def test_exception_kind_without_inference():
    objs = analyse(
        """
        from not_installed import ParseError, Base

        class BadInput(ParseError):
            pass

        class Plain(Base):
            pass

        class Warned(UserWarning):
            pass
        """
    )
    assert objs["BadInput"].kind == "exception"
    assert objs["Plain"].kind == "class"
    assert objs["Warned"].kind == "exception"


def test_property_signature_and_returns():
    objs = analyse(KINDS_SOURCE)
    assert objs["Base.value"].signature == "() -> int"
    assert objs["Base.value"].returns == Returns("int", inferred=False)
    assert objs["Base.cached"].signature == "()"
    assert objs["Base.cached"].returns == Returns("list[int]", inferred=True)
    assert [p.name for p in objs["Base.value"].documented_params] == []


def test_decorated_lineno_is_the_def_line_and_decorators_are_dotted():
    objs = analyse(
        """
        import functools

        @functools.lru_cache(maxsize=None)
        @app.route("/x")
        def view():
            return 1
        """
    )
    assert objs["view"].lineno == 6
    assert objs["view"].decorators == ("functools.lru_cache", "app.route")
    assert objs["view"].source.startswith("@functools.lru_cache(maxsize=None)\n")


def test_overloads_and_redefinitions():
    objs = analyse(
        """
        from typing import overload

        @overload
        def f(x: int) -> int: ...
        @overload
        def f(x: str) -> str: ...
        def f(x):
            return x

        try:
            from fast import g
        except ImportError:
            def g():
                return 1
        """
    )
    assert objs["f"].signature == "(x)"
    assert objs["f"].lineno == 8
    assert objs["g"].returns == Returns("int", inferred=True)


# --- signatures and parameters ----------------------------------------------


def test_signature_markers_defaults_and_annotations():
    objs = analyse(
        """
        def f(a, b: int, /, c: str = 'x', *args: int, d, e=None, **kw) -> "str":
            pass

        def g(a, *, b=1):
            pass

        def h(a, /):
            pass
        """
    )
    assert objs["f"].signature == (
        "(a, b: int, /, c: str = 'x', *args: int, d, e=None, **kw) -> str"
    )
    assert objs["g"].signature == "(a, *, b=1)"
    assert objs["h"].signature == "(a, /)"
    assert [(p.name, p.kind) for p in objs["f"].params] == [
        ("a", "positional_only"),
        ("b", "positional_only"),
        ("c", "positional_or_keyword"),
        ("args", "var_positional"),
        ("d", "keyword_only"),
        ("e", "keyword_only"),
        ("kw", "var_keyword"),
    ]
    f = objs["f"]
    assert param(f, "b") == Param("b", "positional_only", "int", None, False)
    assert param(f, "c") == Param("c", "positional_or_keyword", "str", "'x'", False)
    assert param(f, "args").type == "int"
    assert param(f, "e").default == "None"
    assert param(f, "e").type is None
    assert param(f, "d").required and not param(f, "kw").required


def test_method_signatures_keep_self_and_class_signature_drops_it():
    objs = analyse(
        """
        class C:
            def __init__(self, a: int, b="x"):
                self.a = a

            def m(self, x):
                pass

            @classmethod
            def make(cls, y=2.5):
                return cls(1)

        class Plain:
            pass

        class Child(C):
            pass

        class Star:
            def __init__(*args, **kwargs):
                pass
        """
    )
    assert objs["C"].signature == "(a: int, b='x')"
    assert [p.name for p in objs["C"].params] == ["self", "a", "b"]
    assert [p.name for p in objs["C"].documented_params] == ["a", "b"]
    assert param(objs["C"], "b") == Param("b", type="str", default="'x'", inferred=True)
    assert objs["C"].returns is None and objs["C.__init__"].returns is None
    assert objs["C.m"].signature == "(self, x)"
    assert param(objs["C.m"], "self").type is None
    assert objs["C.make"].signature == "(cls, y=2.5)"
    assert param(objs["C.make"], "y").type == "float"
    assert objs["Plain"].signature == "()" and objs["Plain"].params == ()
    assert objs["Child"].signature == "(a: int, b='x')"
    assert objs["Star"].signature == "(*args, **kwargs)"


def test_dataclass_params_come_from_the_generated_init():
    objs = analyse(
        """
        import dataclasses

        @dataclasses.dataclass
        class Point:
            x: int
            label: str = "origin"
            tags: list[str] = dataclasses.field(default_factory=list)
        """
    )
    assert objs["Point"].signature == (
        "(x: int, label: str = 'origin', tags: list[str] = <factory>)"
    )
    assert param(objs["Point"], "label").default == "'origin'"
    assert param(objs["Point"], "tags").default == "<factory>"


def test_inferred_parameter_types():
    objs = analyse(
        """
        LIMIT = 10

        def f(n=1, ratio=0.5, name="a", raw=b"", flag=True, items=[],
              table={}, pair=(), uniq=set(), neg=-1, limit=LIMIT, unknown=None,
              path=None, seq=None, plain=object()):
            if isinstance(path, (str, bytes)):
                pass
            seq.append(1)
            for _ in plain:
                pass
        """
    )
    f = objs["f"]
    # A default is evidence, not the type: scalars and named scalar
    # constants count; container placeholders, None, sentinels and what the
    # body narrows a parameter to (isinstance, .append) do not.
    expected = {
        "n": "int",
        "ratio": "float",
        "name": "str",
        "raw": "bytes",
        "flag": "bool",
        "items": None,
        "table": None,
        "pair": None,
        "uniq": None,
        "neg": "int",
        "limit": "int",
        "unknown": None,
        "path": None,
        "seq": None,
        "plain": None,
    }
    assert {p.name: p.type for p in f.params} == expected
    assert all(p.inferred == (p.type is not None) for p in f.params)


# --- returns and yields ------------------------------------------------------


def test_returns_inferred_and_annotated():
    objs = analyse(
        """
        class Item:
            name = "x"

        def f(x=1):
            return x + 1

        def g(flag):
            if flag:
                return "a"
            return None

        def names(items):
            return [a.name for a in items]

        def nothing(x):
            print(x)

        def maybe(flag):
            if flag:
                return 1

        def annotated(x) -> "list[str]":
            return x

        def mixed(flag):
            if flag:
                return 1
            return {"a": [1, 2]}

        def unknown(obj):
            return obj.attribute

        def partly(obj):
            if obj:
                return 1
            return obj.attribute

        def instance():
            return Item()

        def calls_annotated():
            return annotated(1)

        def stub():
            raise NotImplementedError

        def tuple_():
            return 1, "a", None
        """
    )
    assert objs["f"].returns == Returns("int", inferred=True)
    assert param(objs["f"], "x") == Param("x", type="int", default="1", inferred=True)
    assert objs["g"].returns == Returns("str | None", inferred=True)
    assert objs["names"].returns == Returns("list", inferred=True)
    assert objs["nothing"].returns == Returns("None", inferred=True)
    assert objs["maybe"].returns == Returns("int | None", inferred=True)
    assert objs["annotated"].returns == Returns("list[str]", inferred=False)
    assert objs["mixed"].returns.type == "dict[str, list[int]] | int"
    assert objs["unknown"].returns == Returns(None, inferred=True)
    assert objs["partly"].returns == Returns(None, inferred=True)
    assert objs["instance"].returns == Returns("~m.Item", inferred=True)
    assert objs["calls_annotated"].returns == Returns("list[str]", inferred=True)
    assert objs["stub"].returns == Returns(None, inferred=True)
    assert objs["tuple_"].returns.type == "tuple[int, str, None]"


def test_generators_yield_annotated_and_inferred():
    objs = analyse(
        """
        from collections.abc import Iterator, Generator, AsyncIterator

        def plain():
            yield 1
            yield "a"

        def annotated() -> Iterator[int]:
            yield compute()

        def full() -> Generator[str, None, bool]:
            yield "a"
            return True

        def returning():
            yield 1
            return "done"

        def delegating():
            yield from [1, 2, 3]
            yield from range(3)

        def opaque(source):
            yield from source

        def bare():
            yield

        async def agen() -> AsyncIterator[bytes]:
            yield b""

        async def agen_inferred():
            yield 1.5
        """
    )
    assert objs["plain"].yields == Yields("int | str", inferred=True)
    assert objs["plain"].returns is None
    assert objs["annotated"].yields == Yields("int", inferred=False)
    assert objs["annotated"].returns is None
    assert objs["full"].yields == Yields("str", inferred=False)
    assert objs["full"].returns == Returns("bool", inferred=False)
    assert objs["returning"].returns == Returns("str", inferred=True)
    assert objs["delegating"].yields == Yields("int", inferred=True)
    assert objs["opaque"].yields == Yields(None, inferred=True)
    assert objs["opaque"].is_generator
    assert objs["bare"].yields == Yields("None", inferred=True)
    assert objs["agen"].yields == Yields("bytes", inferred=False)
    assert objs["agen"].is_async and objs["agen"].returns is None
    assert objs["agen_inferred"].yields == Yields("float", inferred=True)


def test_async_functions_return_the_awaited_type():
    objs = analyse(
        """
        async def annotated() -> int:
            return 1

        async def inferred():
            return "x"

        async def waits():
            return await annotated()

        async def waits_inferred():
            return await inferred()

        def no_wait():
            return annotated()
        """
    )
    assert objs["annotated"].returns == Returns("int", inferred=False)
    assert objs["inferred"].returns == Returns("str", inferred=True)
    assert objs["waits"].returns == Returns("int", inferred=True)
    assert objs["waits_inferred"].returns == Returns("str", inferred=True)
    # Calling a coroutine function without awaiting gives a coroutine.
    assert objs["no_wait"].returns == Returns(None, inferred=True)
    assert not objs["no_wait"].is_async
    assert all(objs[n].is_async for n in objs if n != "no_wait")


def test_falling_off_the_end_adds_none():
    objs = analyse(
        """
        def both(flag):
            if flag:
                return 1
            else:
                return 2

        def loop():
            while True:
                return "x"

        def broken_loop():
            while True:
                break
            return 1

        def guarded(x):
            try:
                return int(x)
            except ValueError:
                raise TypeError("no")

        def matched(x):
            match x:
                case 1:
                    return 1
                case _:
                    return 2

        def partial_match(x):
            match x:
                case 1:
                    return 1
        """
    )
    assert objs["both"].returns.type == "int"
    assert objs["loop"].returns.type == "str"
    assert objs["broken_loop"].returns.type == "int"
    assert objs["guarded"].returns.type == "int"
    assert objs["guarded"].raises == ("TypeError",)
    assert objs["matched"].returns.type == "int"
    assert objs["partial_match"].returns.type == "int | None"


def test_returns_from_syntax_and_builtins():
    objs = analyse(
        """
        def size(items):
            return len(items)

        def less(a, b):
            return a < b

        def negate(x):
            return not x

        def fmt(x):
            return "%s!" % x

        def order(x):
            return sorted(x)

        def shadowed(x):
            len = lambda v: v
            return len(x)
        """
    )
    assert objs["size"].returns == Returns("int", inferred=True)
    assert objs["less"].returns == Returns("bool", inferred=True)
    assert objs["negate"].returns == Returns("bool", inferred=True)
    assert objs["fmt"].returns == Returns("str", inferred=True)
    assert objs["order"].returns == Returns("list", inferred=True)
    assert objs["shadowed"].returns == Returns(None, inferred=True)


# --- raises, calls, deprecation --------------------------------------------


def test_raises():
    objs = analyse(
        """
        import errors

        def f(x):
            if x:
                raise ValueError("bad")
            if x > 1:
                raise KeyError
            try:
                pass
            except OSError as e:
                raise RuntimeError("wrapped") from e
            except (TypeError, errors.ParseError):
                raise
            except LookupError as err:
                raise err
            raise ValueError("again")

        def nested():
            def inner():
                raise KeyError
            return inner

        def instance():
            err = TypeError("x")
            raise err

        def factory():
            raise make_error()

        def make_error():
            return IndexError("x")
        """
    )
    assert objs["f"].raises == (
        "ValueError",
        "KeyError",
        "RuntimeError",
        "TypeError",
        "errors.ParseError",
        "LookupError",
    )
    assert objs["nested"].raises == ()
    assert objs["instance"].raises == ("TypeError",)
    assert objs["factory"].raises == ("IndexError",)


def test_calls_between_functions():
    objs = analyse(
        """
        import os.path

        def helper():
            return 1

        class Thing:
            def run(self):
                return helper()

        def main():
            helper()
            t = Thing()
            t.run()
            len([])
            os.path.join("a", "b")
            return [helper() for _ in range(2)]
        """,
        module="pkg.mod",
    )
    calls = objs["main"].calls
    assert calls == tuple(sorted(calls))
    assert [c for c in calls if c.startswith("pkg.")] == [
        "pkg.mod.Thing",
        "pkg.mod.Thing.run",
        "pkg.mod.helper",
    ]
    # Calls into other packages are named as written, not inferred into
    # (os.py's platform switch would give posixpath.join or ntpath.join);
    # builtins are left out.
    assert [c for c in calls if not c.startswith("pkg.")] == ["os.path.join"]
    assert objs["Thing.run"].calls == ("pkg.mod.helper",)
    assert objs["helper"].calls == ()


def test_deprecated():
    objs = analyse(
        '''
        import warnings
        from typing_extensions import deprecated

        def a():
            warnings.warn("old", DeprecationWarning, stacklevel=2)

        def b():
            warnings.warn("old", category=PendingDeprecationWarning)

        def c():
            warnings.warn("soon", FutureWarning)

        @deprecated("use c")
        def d():
            pass

        def e():
            """Do things.

            .. deprecated:: 2.0
               Use :func:`c`.
            """

        def f():
            warnings.warn("just a warning", UserWarning)

        class Old:
            def __init__(self):
                warnings.warn("Old is old", DeprecationWarning)
        '''
    )
    assert {k: v.deprecated for k, v in objs.items()} == {
        "a": True,
        "b": True,
        "c": True,
        "d": True,
        "e": True,
        "f": False,
        "Old": True,
        "Old.__init__": True,
    }


# --- shape: complexity, nesting, source hash --------------------------------


def test_complexity_and_nesting():
    objs = analyse(
        """
        def f(items, flag):
            assert items
            total = 0
            for item in items:                       # +1
                if item > 0 and flag:                # +1 if, +1 and
                    total += 1
                elif item < 0 or flag or total:      # +1 elif, +2 or
                    total -= 1
                else:
                    while total:                     # +1
                        total -= 1
            try:
                pass
            except ValueError:                       # +1
                pass
            except TypeError:                        # +1
                pass
            evens = [i for i in items if i % 2]      # +1 for, +1 if
            sign = 1 if total else -1                # +1
            return evens, sign                       # assert +1, base 1

        def flat():
            return 1

        def matcher(x):
            match x:
                case 1:
                    return "one"
                case _:
                    with open(x) as fh:
                        return fh
        """
    )
    assert objs["f"].complexity == 14
    assert objs["f"].nesting == 3
    assert objs["flat"].complexity == 1 and objs["flat"].nesting == 0
    assert objs["matcher"].complexity == 3
    assert objs["matcher"].nesting == 2


HASH_BASE = '''
class Widget:
    """Original."""

    def draw(self, canvas):
        """Draw it."""
        return canvas.paint(self)
'''


def test_source_hash_ignores_docstrings_but_not_code():
    base = analyse(HASH_BASE)
    doc_edit = analyse(
        HASH_BASE.replace(
            '"""Draw it."""', '"""Draw it.\n\n        Longer now.\n        """'
        )
    )
    class_doc_edit = analyse(HASH_BASE.replace("Original.", "Rewritten."))
    code_edit = analyse(HASH_BASE.replace("canvas.paint(self)", "canvas.fill(self)"))
    trailing = analyse(HASH_BASE.replace("(self, canvas):", "(self, canvas):   "))
    for name in ("Widget", "Widget.draw"):
        assert len(base[name].source_hash) == 64
        assert doc_edit[name].source_hash == base[name].source_hash
        assert class_doc_edit[name].source_hash == base[name].source_hash
        assert trailing[name].source_hash == base[name].source_hash
        assert code_edit[name].source_hash != base[name].source_hash
    assert doc_edit["Widget.draw"].docstring == "Draw it.\n\nLonger now."
    assert base["Widget.draw"].source.startswith("def draw(self, canvas):")


def test_source_hash_handles_line_endings_and_non_ascii():
    lf = analyse("def f(x):\n    return x\n")["f"].source_hash
    assert analyse("def f(x):\r\n    return x\r\n")["f"].source_hash == lf
    one_line = 'def f(): "Café au lait."; return "naïve"\n'
    base = analyse(one_line)["f"]
    assert base.docstring == "Café au lait."
    assert analyse(one_line.replace("Café au lait.", "Tea."))["f"].source_hash == (
        base.source_hash
    )
    assert analyse(one_line.replace("naïve", "naive"))["f"].source_hash != (
        base.source_hash
    )


# --- robustness ---------------------------------------------------------------


def test_syntax_error_gives_a_parse_diagnostic():
    reporter = ListReporter()
    infos = analyze_source(
        "def f(:\n    pass\n", module="m", file="bad.py", reporter=reporter
    )
    assert infos == []
    [diag] = reporter.diagnostics
    assert diag.subtype == "parse"
    assert diag.message.startswith("cannot parse bad.py: ")
    assert diag.message.endswith("(line 1)")
    assert diag.location == "bad.py:1"


#: Each name doubles the list before it: inferring the last one builds a
#: list of 2**22 elements unless the budget stops it.
PATHOLOGICAL = "\n".join(
    ["a0 = [1, 'a']"]
    + [f"a{i} = a{i - 1} + a{i - 1}" for i in range(1, 23)]
    + ["def explode():", "    return a22"]
)


def test_pathological_inference_gives_up_after_its_steps():
    reporter = ListReporter()
    [info] = analyze_source(
        PATHOLOGICAL,
        module="patho",
        file="patho.py",
        reporter=reporter,
        infer_timeout=600,
        infer_steps=50,
    )
    assert info.returns == Returns(None, inferred=True)
    [diag] = reporter.diagnostics
    assert diag.subtype == "infer"
    assert diag.message == (
        "inference gave up on patho.explode after 50 steps (aidoc_infer_steps)"
    )
    assert diag.location == f"patho.py:{info.lineno}"
    assert not diag.transient  # decided by the code alone: results may be kept


def test_steps_not_time_decide_what_inference_finds():
    # Same code, same step budget: the same records, however long each
    # step takes (a loaded machine). Only the wall-clock net would differ.
    source = (
        "def pick(flag):\n"
        "    if flag:\n"
        "        return [1, 2]\n"
        "    return [3]\n"
        "def outer():\n"
        "    return pick(True)\n"
    )
    runs = []
    for _ in range(3):
        clear_cache()
        reporter = ListReporter()
        runs.append(
            (
                analyze_source(source, module="m", reporter=reporter, infer_steps=40),
                reporter.diagnostics,
            )
        )
    assert runs[0] == runs[1] == runs[2]
    infos, _ = runs[0]
    assert {i.qualname: i.returns.type for i in infos if i.returns} == {
        "m.pick": "list[int]",
        "m.outer": "list[int]",
    }


def test_the_wall_clock_net_gives_a_transient_diagnostic():
    reporter = ListReporter()
    [info] = analyze_source(
        PATHOLOGICAL,
        module="patho",
        file="patho.py",
        reporter=reporter,
        infer_timeout=0.001,
    )
    assert info.returns == Returns(None, inferred=True)
    [diag] = reporter.diagnostics
    assert diag.subtype == "infer"
    assert diag.message == (
        "inference of patho.explode timed out after 0.001s (aidoc_infer_timeout);"
        " the result is not kept and is analysed again next time"
    )
    assert diag.transient


def test_deep_expression_does_not_crash():
    # Too deep for astroid's recursive inference: a RecursionError inside.
    source = "def f(x=1):\n    return " + " + ".join(["x"] * 400) + "\n"
    reporter = ListReporter()
    [info] = analyze_source(source, module="m", reporter=reporter)
    assert info.returns is not None
    # Far too deep even to build a tree: a parse diagnostic, no exception.
    deeper = "def g():\n    return " + "(" * 5000 + ")" * 5000 + "\n"
    assert analyze_source(deeper, module="m", reporter=reporter) == []
    assert reporter.diagnostics[-1].subtype == "parse"


# --- files and paths --------------------------------------------------------


def make_package(root: Path) -> None:
    (root / "pkg" / "sub").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("def top():\n    return 1\n")
    (root / "pkg" / "sub" / "__init__.py").write_text("")
    (root / "pkg" / "sub" / "mod.py").write_text(
        "from ..helpers import helper\n\ndef use():\n    return helper()\n"
    )
    (root / "pkg" / "helpers.py").write_text("def helper() -> str:\n    return 'x'\n")
    # An absolute import of a package that is not on sys.path.
    (root / "pkg" / "absolute.py").write_text(
        "from pkg.helpers import helper\n\ndef use_abs():\n    return helper()\n"
    )
    for skipped in (".hidden", "__pycache__", ".venv", "build"):
        (root / "pkg" / skipped).mkdir()
        (root / "pkg" / skipped / "junk.py").write_text("def junk():\n    pass\n")


def test_analyze_paths_names_modules_from_packages(tmp_path):
    make_package(tmp_path)
    (tmp_path / "script.py").write_text("def main():\n    pass\n")
    infos = analyze_paths(
        [tmp_path / "pkg", tmp_path / "script.py"], infer_timeout=TIMEOUT
    )
    assert [i.qualname for i in infos] == [
        "pkg.top",
        "pkg.absolute.use_abs",
        "pkg.helpers.helper",
        "pkg.sub.mod.use",
        "script.main",
    ]
    assert [i.file for i in infos] == sorted(i.file for i in infos)
    use = find_object(infos, "pkg.sub.mod.use")
    assert Path(use.file) == (tmp_path / "pkg" / "sub" / "mod.py").resolve()
    assert use.returns == Returns("str", inferred=True)
    assert use.calls == ("pkg.helpers.helper",)
    # Every file is parsed before any is analysed: absolute imports resolve.
    use_abs = find_object(infos, "pkg.absolute.use_abs")
    assert use_abs.returns == Returns("str", inferred=True)
    assert use_abs.calls == ("pkg.helpers.helper",)


def test_module_name_for(tmp_path):
    make_package(tmp_path)
    assert module_name_for(tmp_path / "pkg" / "sub" / "mod.py") == "pkg.sub.mod"
    assert module_name_for(tmp_path / "pkg" / "__init__.py") == "pkg"
    assert module_name_for(tmp_path / "pkg" / "sub") == "pkg.sub"
    (tmp_path / "loose.py").write_text("")
    assert module_name_for(str(tmp_path / "loose.py")) == "loose"


def test_analyze_file_caches_until_the_file_changes(tmp_path):
    clear_cache()
    path = tmp_path / "mod.py"
    path.write_text("def f():\n    return 1\n")
    first = analyze_file(path)
    assert first[0].qualname == "mod.f"
    assert analyze_file(path) == first
    assert analyze_file(path, module="other")[0].qualname == "other.f"
    path.write_text("def f():\n    return 'changed'\n")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert analyze_file(path)[0].returns == Returns("str", inferred=True)
    clear_cache()


def test_bad_files_give_parse_diagnostics(tmp_path):
    reporter = ListReporter()
    broken = tmp_path / "broken.py"
    broken.write_text("def f(:\n")
    undecodable = tmp_path / "latin.py"
    undecodable.write_bytes(b"x = '\xff\xfe'\n")
    missing = tmp_path / "missing.py"
    assert analyze_paths([broken, undecodable, missing], reporter=reporter) == []
    assert [d.subtype for d in reporter.diagnostics] == ["parse"] * 3
    # Diagnostics of a cached file are reported again.
    again = ListReporter()
    assert analyze_file(broken, reporter=again) == []
    assert again.diagnostics == [
        d for d in reporter.diagnostics if d.location.startswith(str(broken))
    ]
    assert again.diagnostics[0].message.endswith("invalid syntax (line 1)")
    # A file that vanished is not cached: the diagnostic comes every time.
    for _ in range(2):
        gone = ListReporter()
        assert analyze_file(missing, reporter=gone) == []
        [diag] = gone.diagnostics
        assert diag.subtype == "parse"
        assert diag.message.startswith(f"cannot read {missing}: ")
        assert diag.location == str(missing)


def test_source_encoding_declarations_are_honoured(tmp_path):
    path = tmp_path / "legacy.py"
    path.write_bytes(
        b"# -*- coding: latin-1 -*-\ndef f():\n    'Caf\xe9.'\n    return 1\n"
    )
    reporter = ListReporter()
    [info] = analyze_file(path, reporter=reporter, infer_timeout=TIMEOUT)
    assert info.docstring == "Caf\u00e9."
    assert reporter.diagnostics == []


@pytest.mark.parametrize(
    "source",
    ["", "x = 1\n", "# only a comment\n", '"""Module doc."""\n'],
)
def test_modules_without_objects(source):
    reporter = ListReporter()
    assert analyze_source(source, module="m", reporter=reporter) == []
    assert reporter.diagnostics == []


def test_records_round_trip_through_json():
    for info in analyze_source(KINDS_SOURCE, module="pkg.mod"):
        again = ObjectInfo.from_json(info.to_json())
        assert again == ObjectInfo.from_json(again.to_json())
        assert again.qualname == info.qualname and again.params == info.params


def test_a_methods_bound_parameter_is_not_documented_whatever_its_name():
    # click's ``Context.forward(__self, __cmd, *args, **kwargs)``
    objs = analyse(
        """
        class Context:
            def forward(__self, cmd, *args, **kwargs):
                return __self.invoke(cmd, *args, **kwargs)

            @classmethod
            def make(klass, name):
                return klass()

            @staticmethod
            def plain(value, other):
                return value

            def star(*args):
                return args
        """
    )
    assert [p.name for p in objs["Context.forward"].documented_params] == [
        "cmd",
        "args",
        "kwargs",
    ]
    assert [p.name for p in objs["Context.make"].documented_params] == ["name"]
    assert [p.name for p in objs["Context.plain"].documented_params] == [
        "value",
        "other",
    ]
    assert [p.name for p in objs["Context.star"].documented_params] == ["args"]
