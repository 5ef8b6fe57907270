"""Honest types, proven further (issue 16).

Outer-only containers, call sites in a project's tests, and the rules that
add element and return types.

Each case analyses a small source or package as a build or ``aidoc
generate`` does, and checks the type a reader is shown.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from sphinxcontrib_aidoc.analyze import analyze_paths, analyze_source, clear_cache
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
    assert "    list: The names found. Its element types are not known." in google
    numpy = "\n".join(get_style("numpy").render(info, draft))
    assert "list\n    The names found. Its element types are not known." in numpy
    bare = "\n".join(get_style("rest").render(info, Draft(summary="The names.")))
    assert ":returns: Its element types are not known.\n:rtype: list" in bare


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
    # pkg_size's parameter is unknown, so the one real call proves nothing
    assert infos["pkg.mod.size"].params[0].type is None
