"""Honest types, proven further (issue 16).

Outer-only containers, call sites in a project's tests, and the rules that
add element and return types.

Each case analyses a small source or package as a build or ``aidoc
generate`` does, and checks the type a reader is shown.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from sphinxcontrib_aidoc.analyze import analyze_paths, analyze_source, clear_cache
from sphinxcontrib_aidoc.cli import main
from sphinxcontrib_aidoc.model import Draft, ObjectInfo, Returns
from sphinxcontrib_aidoc.styles import get_style


def _objects(source: str) -> dict[str, ObjectInfo]:
    infos = analyze_source(textwrap.dedent(source), module="m")
    return {i.qualname: i for i in infos}


def _package(
    tmp_path: Path, files: dict[str, str], tests: dict[str, str] | None = None
) -> dict[str, ObjectInfo]:
    root = tmp_path / "pkg"
    root.mkdir(parents=True)
    (root / "__init__.py").write_text("")
    for name, source in files.items():
        (root / name).write_text(textwrap.dedent(source))
    sites: list[Path] = []
    if tests is not None:
        folder = tmp_path / "tests"
        folder.mkdir()
        for name, source in tests.items():
            (folder / name).write_text(textwrap.dedent(source))
        sites.append(folder)
    clear_cache()
    return {i.qualname: i for i in analyze_paths([root], call_sites=sites)}


def _returns(info: ObjectInfo) -> str | None:
    return info.returns.type if info.returns else None


# -- outer type only --------------------------------------------------------------
def test_a_container_of_unknown_elements_is_said_to_be_one() -> None:
    info = _objects(
        """
        def names(source):
            return list(source)
        """
    )["m.names"]
    assert info.returns == Returns("list", inferred=True)
    assert info.returns is not None
    assert info.returns.outer_only
    assert info.returns.to_json()["outer_only"] is True
    draft = Draft(summary="The names.", returns="The names found.")
    google = "\n".join(get_style("google").render(info, draft))
    assert "    list: The names found. What the ``list`` holds is not known." in google
    numpy = "\n".join(get_style("numpy").render(info, draft))
    assert "list\n    The names found. What the ``list`` holds is not known." in numpy
    bare = "\n".join(get_style("rest").render(info, Draft(summary="The names.")))
    assert ":returns: What the ``list`` holds is not known.\n:rtype: list" in bare


def test_an_annotated_or_complete_container_says_nothing_more() -> None:
    infos = _objects(
        """
        def annotated(source) -> list:
            return list(source)

        def words():
            return ["a", "b"]
        """
    )
    annotated, words = infos["m.annotated"], infos["m.words"]
    assert annotated.returns is not None
    assert not annotated.returns.outer_only  # the author's promise, not ours
    assert "outer_only" not in annotated.returns.to_json()
    assert _returns(words) == "list[str]"
    assert words.returns is not None
    assert not words.returns.outer_only
    text = get_style("google").render(words, Draft(summary="Words."))
    assert "not known" not in "\n".join(text)


# -- call sites in the project's tests ------------------------------------------
def test_the_projects_tests_type_parameters_every_call_agrees_on(
    tmp_path: Path,
) -> None:
    files = {
        "mod.py": """
            def shout(text, times):
                return text * times

            def spread(items):
                return items
        """
    }
    tests = {
        "test_mod.py": """
            from pkg.mod import shout, spread

            def test_shout():
                assert shout("hi", 2) == "hihi"
                assert shout(text="yo", times=3)

            def test_spread():
                assert spread([1]) == [1]
                assert spread("ab") == "ab"
        """
    }
    without = _package(tmp_path / "a", files)
    assert [p.type for p in without["pkg.mod.shout"].params] == [None, None]
    infos = _package(tmp_path / "b", files, tests)
    shout = infos["pkg.mod.shout"]
    assert [(p.name, p.type, p.evidence) for p in shout.params] == [
        ("text", "str", "call sites"),
        ("times", "int", "call sites"),
    ]
    # the tests pass a list and a str: the union, as every call agrees
    spread = infos["pkg.mod.spread"].params[0]
    assert spread.type == "list[int] | str"
    assert not any(i.qualname.startswith("test_mod") for i in infos.values())


def test_a_test_that_passes_a_function_along_leaves_it_untyped(tmp_path: Path) -> None:
    infos = _package(
        tmp_path,
        {"mod.py": "def handle(event):\n    return event\n"},
        {
            "test_mod.py": """
                from pkg.mod import handle

                def test_handle(register):
                    assert handle("start")
                    register(handle)  # called later with anything
            """
        },
    )
    assert infos["pkg.mod.handle"].params[0].type is None


def test_a_closure_name_in_a_test_is_not_the_module_level_function(
    tmp_path: Path,
) -> None:
    infos = _package(
        tmp_path,
        {"mod.py": "def size(value):\n    return value\n"},
        {
            "test_mod.py": """
                from pkg.mod import size

                def test_size(factory):
                    size = factory()

                    def inner():
                        return size(1.5)  # the local, not pkg.mod.size

                    assert inner()
                    assert pkg_size("x")

                def pkg_size(value):
                    return size(value)
            """
        },
    )
    # The one real call passes what the tests pass the helper pkg_size (a
    # string): the closure's call of a float is not counted.
    assert infos["pkg.mod.size"].params[0].type == "str"


# -- return types the project pass adds ------------------------------------------
def test_standard_calls_and_str_methods_give_their_documented_types(
    tmp_path: Path,
) -> None:
    infos = _package(
        tmp_path,
        {
            "mod.py": """
                import os
                from os.path import join

                def label(name):
                    return name

                def shout():
                    return label("x").upper()

                def where(folder):
                    return os.path.join(folder, "conf.py")

                def under():
                    return join(label("a"), "b")

                def parts():
                    return label("a,b").split(",")

                def exists(path):
                    return os.path.isfile(path)

                def unknown(value):
                    return value.strip()  # bytes or str: not claimed

                def call():
                    return label("x")
            """
        },
        {"test_mod.py": "from pkg.mod import label\n\ndef test():\n    label('y')\n"},
    )
    assert _returns(infos["pkg.mod.shout"]) == "str"
    assert _returns(infos["pkg.mod.under"]) == "str"
    assert _returns(infos["pkg.mod.parts"]) == "list[str]"
    assert _returns(infos["pkg.mod.exists"]) == "bool"
    # the folder's type is unknown, but the str "conf.py" rules out the
    # stub's bytes overload (str and bytes do not mix)
    assert _returns(infos["pkg.mod.where"]) == "str"
    assert _returns(infos["pkg.mod.unknown"]) is None


def test_a_shadowing_project_module_is_not_the_standard_one(tmp_path: Path) -> None:
    infos = _package(
        tmp_path,
        {
            "json.py": "def dumps(value):\n    return value\n",
            "mod.py": """
                from . import json

                def text(value):
                    return json.dumps(value)
            """,
        },
    )
    assert _returns(infos["pkg.mod.text"]) is None


def test_boolean_operations_displays_and_built_containers(tmp_path: Path) -> None:
    infos = _package(
        tmp_path,
        {
            "mod.py": """
                def name(flag):
                    if flag:
                        return None
                    return "n"

                def or_default(flag):
                    return name(flag) or "default"

                def first(text, other):
                    return text or other

                def use():
                    return first(name(True), "b")

                def pair_list(flag):
                    return [name(flag), "x"]

                def mapping():
                    return {"a": name(True) or "", "b": "c"}

                def by_key(keys):
                    return {k: len(k) for k in keys}

                def collected(flags):
                    found = []
                    for flag in flags:
                        found.append(or_default(flag))
                    return found
            """
        },
    )
    # ``or`` gives None only from its last operand
    assert _returns(infos["pkg.mod.or_default"]) == "str"
    # typed from its one call site: ``text`` may be None, ``other`` is not
    assert [p.type for p in infos["pkg.mod.first"].params] == ["str | None", "str"]
    assert _returns(infos["pkg.mod.first"]) == "str"
    assert _returns(infos["pkg.mod.pair_list"]) == "list[str | None]"
    assert _returns(infos["pkg.mod.mapping"]) == "dict[str, str]"
    assert _returns(infos["pkg.mod.collected"]) == "list[str]"
    # the key's type is unknown: the dict is only outer-proven
    by_key = infos["pkg.mod.by_key"].returns
    assert by_key is None or by_key.type is None or by_key.outer_only


def test_a_class_named_only_as_a_type_keeps_its_call_sites(tmp_path: Path) -> None:
    files = {
        "mod.py": """
            class Token:
                def __init__(self, text):
                    self.text = text

            def read(source):
                return Token(source.strip() if source else "")

            def is_token(value):
                return isinstance(value, (Token, str))

            def check(value):
                try:
                    return Token("a")
                except Token:
                    return None
        """
    }
    infos = _package(tmp_path, files)
    assert infos["pkg.mod.Token.__init__"].params[1].type is None  # source unknown
    infos = _package(
        tmp_path / "b",
        {
            "mod.py": """
                class Token:
                    def __init__(self, text):
                        self.text = text

                def make():
                    return Token("a")

                def is_token(value):
                    return isinstance(value, Token)
            """
        },
    )
    init = infos["pkg.mod.Token.__init__"]
    assert [(p.name, p.type) for p in init.params] == [("self", None), ("text", "str")]
    token = infos["pkg.mod.Token"].documented_params
    assert [(p.name, p.type) for p in token] == [("text", "str")]


def test_a_class_passed_as_a_value_is_not_typed_from_its_calls(tmp_path: Path) -> None:
    infos = _package(
        tmp_path,
        {
            "mod.py": """
                class Token:
                    def __init__(self, text):
                        self.text = text

                def make():
                    return Token("a")

                def factory():
                    return build(Token)

                def build(cls):
                    return cls
            """
        },
    )
    assert infos["pkg.mod.Token.__init__"].params[1].type is None


def test_calls_through_a_package_that_only_re_exports(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "__init__.py").write_text("from .core import size\n")
    (root / "core.py").write_text("def size(text):\n    return len(text)\n")
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_core.py").write_text(
        "import lib\n\ndef test_size():\n    assert lib.size('abc') == 3\n"
    )
    clear_cache()
    infos = {i.qualname: i for i in analyze_paths([root], call_sites=[tests])}
    assert infos["lib.core.size"].params[0].type == "str"


def test_items_and_slices_of_proven_builtin_values(tmp_path: Path) -> None:
    # the values come from parameters typed by their one call site: only
    # the project pass knows them
    infos = _package(
        tmp_path,
        {
            "mod.py": """
                def first(row):
                    return row[0]

                def last(row):
                    return row[-1]

                def rest(text):
                    return text[1:]

                def byte(data):
                    return data[0]

                def chunk(data):
                    return data[1:]

                def word(words):
                    return words[0]

                def lookup(table):
                    return table["a"]

                def many(row):
                    return row[0]

                def use(flag):
                    first((1, "a"))
                    last((1, "a"))
                    rest("abc")
                    byte(b"x")
                    chunk(b"xy")
                    word(["a", "b"])
                    lookup({"a": 1})
                    many((1, "a") if flag else ["b"])
            """
        },
    )
    assert _returns(infos["pkg.mod.first"]) == "int"
    assert _returns(infos["pkg.mod.last"]) == "str"
    assert _returns(infos["pkg.mod.rest"]) == "str"
    assert _returns(infos["pkg.mod.byte"]) == "int"
    assert _returns(infos["pkg.mod.chunk"]) == "bytes"
    assert _returns(infos["pkg.mod.word"]) == "str"
    assert _returns(infos["pkg.mod.lookup"]) == "int"
    assert _returns(infos["pkg.mod.many"]) == "int | str"


def test_callers_types_are_not_stated_for_a_parameter_the_body_converts(
    tmp_path: Path,
) -> None:
    infos = _package(
        tmp_path,
        {
            "mod.py": """
                def number(raw):
                    return int(raw)

                def either(value):
                    if isinstance(value, bytes):
                        return value.decode()
                    return value

                def plain(text):
                    return text

                def use():
                    return number("3"), either("x"), plain("y")
            """
        },
    )
    # number() takes what int() takes; either() tests for more than str
    assert infos["pkg.mod.number"].params[0].type is None
    assert infos["pkg.mod.either"].params[0].type is None
    plain = infos["pkg.mod.plain"]
    assert plain.params[0].type == "str"
    text = "\n".join(get_style("google").render(plain, Draft(summary="Plain.")))
    assert "text (str): Every call in the project passes a ``str``." in text


def test_a_call_site_type_names_a_class_by_its_last_name(tmp_path: Path) -> None:
    infos = _package(
        tmp_path,
        {
            "mod.py": """
                class Item:
                    pass

                def keep(item):
                    return item

                def use():
                    return keep(Item())
            """
        },
    )
    keep = infos["pkg.mod.keep"]
    assert keep.params[0].type == "~pkg.mod.Item"
    draft = Draft(summary="Keep it.", params=(("item", "What to keep"),))
    text = "\n".join(get_style("numpy").render(keep, draft))
    assert "What to keep. Every call in the project passes an ``Item``." in text


def test_builtin_collections_of_proven_iterables(tmp_path: Path) -> None:
    infos = _package(
        tmp_path,
        {
            "mod.py": """
                def names(table):
                    return sorted(table)

                def letters(text):
                    lowered = text.lower()
                    return set(lowered)

                def values(row):
                    return list(row.split())

                def frozen(items, key):
                    return tuple(items)

                def use(flag):
                    names({"b": 1, "a": 2})
                    letters("abc")
                    values("a b")
                    frozen(None if flag else [1], "k")
            """
        },
    )
    assert _returns(infos["pkg.mod.names"]) == "list[str]"
    assert _returns(infos["pkg.mod.letters"]) == "set[str]"
    assert _returns(infos["pkg.mod.values"]) == "list[str]"
    # items may be None, which is not iterable: nothing claimed beyond the outer type
    frozen = infos["pkg.mod.frozen"].returns
    assert frozen is None or frozen.type is None or frozen.outer_only


def test_generate_reads_the_tests_given_as_call_sites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "shop"
    root.mkdir()
    (root / "__init__.py").write_text("")
    (root / "price.py").write_text("def with_tax(amount):\n    return amount\n")
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_price.py").write_text(
        "from shop.price import with_tax\n\n"
        "def test_with_tax():\n    assert with_tax(2.5) == 2.5\n"
    )
    clear_cache()
    args = ["generate", str(root), "--json", "--provider", "none"]
    assert main([*args, "--call-sites", str(tests)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["qualname"] for r in records] == ["shop.price.with_tax"]  # no tests
    (record,) = records
    assert record["params"][0]["type"] == "float"
    assert record["params"][0]["evidence"] == "call sites"
    assert "Every call in the project passes a ``float``." in record["docstring"]
    clear_cache()
    assert main(args) == 0
    (plain,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert plain["params"][0]["type"] is None
    assert main([*args, "--call-sites", str(tmp_path / "nope")]) == 2


def test_loop_and_comprehension_variables_hold_the_iterables_items(
    tmp_path: Path,
) -> None:
    infos = _package(
        tmp_path,
        {
            "mod.py": """
                def longest(words):
                    best = ""
                    for word in words:
                        if len(word) > len(best):
                            best = word
                    return best

                def upper(words):
                    return [w.upper() for w in words]

                def last_key(table):
                    key = None
                    for key in table:
                        pass
                    return key

                def pairs(table):
                    for item in table.items():
                        return item
                    return None

                def use():
                    longest(["a", "bb"])
                    upper(("a", "b"))
                    last_key({"a": 1})
                    pairs({"a": 1})
            """
        },
    )
    assert _returns(infos["pkg.mod.longest"]) == "str"
    assert _returns(infos["pkg.mod.upper"]) == "list[str]"
    assert _returns(infos["pkg.mod.last_key"]) == "str | None"
    # the items of a proven dict's items() are its (key, value) pairs
    assert _returns(infos["pkg.mod.pairs"]) == "tuple[str, int] | None"
