"""What astroid parses while aidoc infers: the project, not the standard library.

A first build's analysis used to parse every standard-library module the
project's code led astroid's inference into (``inspect``, ``gettext``,
``urllib.parse``...): about 40% of the analysis of click. Those modules are
now left unparsed; a project package with a standard-library name is still
read as the project.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import astroid  # type: ignore[import-untyped]  # astroid ships no py.typed

from sphinxcontrib_aidoc.analyze import analyze_paths, clear_cache
from tests.conftest import write_package


def test_inference_does_not_parse_the_standard_library(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        "shop",
        {
            "mod": """
            import inspect
            import textwrap


            def arity(func):
                sig = inspect.signature(func)
                return len(sig.parameters)


            def shout(text):
                return textwrap.fill(text).upper()
            """
        },
    )
    for name in ("inspect", "textwrap"):
        astroid.MANAGER.astroid_cache.pop(name, None)
    clear_cache()
    infos = {i.qualname: i for i in analyze_paths([package])}
    # The calls are still named as the code imports them.
    assert "inspect.signature" in infos["shop.mod.arity"].calls
    assert "textwrap.fill" in infos["shop.mod.shout"].calls
    assert "inspect" not in astroid.MANAGER.astroid_cache
    assert "textwrap" not in astroid.MANAGER.astroid_cache


def test_a_project_named_like_a_standard_module_is_still_read(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        "calendar",
        {
            "a": """
            class Thing:
                pass


            class Broken(ValueError):
                pass


            def fail():
                raise Broken("no")
            """,
            "b": """
            from calendar import a
            from calendar.a import fail


            def use():
                fail()


            def stamp():
                return a.Thing()
            """,
        },
    )
    clear_cache()
    infos = {i.qualname: i for i in analyze_paths([package])}
    assert infos["calendar.b.use"].calls == ("calendar.a.fail",)
    assert infos["calendar.b.stamp"].calls == ("calendar.a.Thing",)
    stamp = infos["calendar.b.stamp"].returns
    assert stamp is not None
    assert stamp.type == "~calendar.a.Thing"


def test_builtins_are_built_once_per_process() -> None:
    # In a fresh interpreter (this one has built them long ago): asking
    # astroid for ``builtins`` before its first builder made it build the
    # module twice by introspection, the second copy dropped (0.15-0.3 s
    # on the analysis child's path in every first build).
    script = textwrap.dedent(
        """
        import builtins
        from astroid import raw_building
        from sphinxcontrib_aidoc.analyze import _astroid_scope

        built = []
        inspect_build = raw_building.InspectBuilder.inspect_build

        def counted(self, module, *args, **kwargs):
            if module is builtins:
                built.append(module)
            return inspect_build(self, module, *args, **kwargs)

        raw_building.InspectBuilder.inspect_build = counted
        _astroid_scope.install()
        _astroid_scope.bootstrap()
        from astroid import MANAGER
        assert MANAGER.astroid_cache["builtins"].getattr("len")
        assert "typing" in MANAGER.astroid_cache
        print(len(built))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["1"]
