"""Project modules' trees: built whole before inference reaches them, reused.

Inference used to build the modules it followed imports into inside an
object's inference budget; a budget running out there left a half-built
tree (no brains: ``super()``, enums) that every later inference used, so
a module's records depended on the order modules were analysed in. Now
the modules a tree imports are built first, outside any budget.

Analysing ``api.py`` so builds ``models.py`` from its file (``from
shop.models import Item``); the analysis of ``models.py`` then takes that
tree instead of building the module a second time (on tomlkit, 11% of
the analysis child's instructions). Its records are the ones a fresh
build gives: what another module's build wrote into the tree is taken out
while it is analysed; a tree built half way, or from a text since edited,
is built again.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import astroid  # type: ignore[import-untyped]  # astroid ships no py.typed
import pytest
from astroid import nodes

from sphinxcontrib_aidoc.analyze import (
    ObjectInfo,
    analyze_file,
    analyze_paths,
    clear_cache,
    release_trees,
)
from tests.conftest import write_package


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A directory on ``sys.path`` (astroid finds imported modules there)."""
    monkeypatch.syspath_prepend(str(tmp_path))
    clear_cache()
    yield tmp_path
    clear_cache()


def _analyse(folder: Path, module: str) -> list[ObjectInfo]:
    return analyze_file(folder / f"{module}.py", module=f"{folder.name}.{module}")


def _fresh(folder: Path, module: str) -> list[ObjectInfo]:
    """The records of *module* from a tree built from its text alone."""
    astroid.MANAGER.astroid_cache.pop(f"{folder.name}.{module}", None)
    clear_cache()
    return _analyse(folder, module)


def _returns(infos: list[ObjectInfo], qualname: str) -> str | None:
    info = next(i for i in infos if i.qualname == qualname)
    return info.returns.type if info.returns else None


_MODELS = """
    class Item:
        def __init__(self, name: str, price: int) -> None:
            self.name = name
            self.price = price

        def label(self):
            return f"{self.name}: {self.price}"


    def cheapest(items: list[Item]):
        return min(items, key=lambda item: item.price)
    """


def test_a_module_an_import_built_is_analysed_from_that_tree(project: Path) -> None:
    folder = write_package(
        project,
        "wt_shop",
        {
            "models": _MODELS,
            "api": """
            from wt_shop.models import Item


            def make(name):
                return Item(name, 1)
            """,
        },
    )
    _analyse(folder, "api")
    imported = astroid.MANAGER.astroid_cache["wt_shop.models"]
    assert imported.file_bytes is None  # built by the import, from the file

    reused = _analyse(folder, "models")
    assert astroid.MANAGER.astroid_cache["wt_shop.models"] is imported
    assert _returns(reused, "wt_shop.models.Item.label") == "str"
    assert reused == _fresh(folder, "models")


def test_what_another_build_wrote_into_a_tree_is_not_its_code(project: Path) -> None:
    # ``term._read = _read`` in testing.py files that assignment under the
    # locals of term's tree (click's testing.py does this to termui's
    # ``_getchar``): from that tree, ``read()`` would call testing's
    # function too. The tree is analysed without it, then it is put back.
    folder = write_package(
        project,
        "wt_cli",
        {
            "_impl": """
            def read():
                return "x"
            """,
            "term": """
            import typing as t

            _read: t.Optional[t.Callable[[], str]] = None


            def read() -> str:
                global _read
                if _read is None:
                    from wt_cli._impl import read as f

                    _read = f
                return _read()
            """,
            "api": """
            from wt_cli.term import read


            def ask():
                return read()
            """,
            "testing": """
            from wt_cli import term


            def isolate():
                def _read():
                    return "fake"

                old = term._read
                term._read = _read
                return old
            """,
        },
    )
    _analyse(folder, "api")
    imported = astroid.MANAGER.astroid_cache["wt_cli.term"]
    _analyse(folder, "testing")
    assert any(n.root() is not imported for n in imported.locals["_read"])

    written = list(imported.locals["_read"])

    infos = _analyse(folder, "term")
    assert astroid.MANAGER.astroid_cache["wt_cli.term"] is imported  # not built again
    read = next(i for i in infos if i.qualname == "wt_cli.term.read")
    assert read.calls == ("wt_cli._impl.read",)
    assert imported.locals["_read"] == written  # back, for testing.py's inference
    assert infos == _fresh(folder, "term")


def test_attributes_another_module_sets_are_not_the_class_s_own(project: Path) -> None:
    # tomlkit's parser.py sets ``key.sep = ...`` on instances of items.py's
    # key classes: astroid files each under that class's instance
    # attributes. items.py's analysis reads its own code only.
    folder = write_package(
        project,
        "wt_keys",
        {
            "items": """
            class Key:
                def __init__(self, name: str) -> None:
                    self.name = name

                def separator(self):
                    return self.sep if hasattr(self, "sep") else None
            """,
            "parser": """
            from wt_keys.items import Key


            def parse(text):
                key = Key(text)
                key.sep = 3
                return key
            """,
            "api": """
            from wt_keys.parser import parse


            def load(text):
                return parse(text)
            """,
        },
    )
    _analyse(folder, "api")
    imported = astroid.MANAGER.astroid_cache["wt_keys.items"]
    key = imported.body[0]
    assert [n.root().name for n in key.instance_attrs["sep"]] == ["wt_keys.parser"]

    infos = _analyse(folder, "items")
    assert astroid.MANAGER.astroid_cache["wt_keys.items"] is imported
    assert "sep" in key.instance_attrs  # put back
    assert infos == _fresh(folder, "items")
    assert _returns(infos, "wt_keys.items.Key.separator") != "int | None"


def test_a_tree_built_half_way_is_built_again(project: Path) -> None:
    # astroid caches a tree before its transforms run: a build stopped in
    # one (an inference budget spent) leaves a tree without the brains'
    # work, here ``super()`` inferred as a bare ``super`` instance.
    folder = write_package(
        project,
        "wt_errors",
        {
            "errors": """
            class Base(ValueError):
                def __init__(self, line: int) -> None:
                    super().__init__(f"line {line}")


            class Mixed(Base):
                def __init__(self, line: int) -> None:
                    super().__init__(line)
            """,
            "api": """
            from wt_errors.errors import Mixed


            def fail(line):
                raise Mixed(line)
            """,
        },
    )

    def stop(node: nodes.ClassDef) -> None:
        raise RuntimeError("stopped in a transform")

    def in_errors(node: nodes.ClassDef) -> bool:
        return node.root().name == "wt_errors.errors" and node.name == "Base"

    astroid.MANAGER.register_transform(nodes.ClassDef, stop, in_errors)
    try:
        _analyse(folder, "api")
    finally:
        astroid.MANAGER.unregister_transform(nodes.ClassDef, stop, in_errors)
    assert "wt_errors.errors" in astroid.MANAGER.astroid_cache  # cached half-built

    infos = _analyse(folder, "errors")
    mixed = next(i for i in infos if i.qualname == "wt_errors.errors.Mixed.__init__")
    assert mixed.calls == ("wt_errors.errors.Base.__init__",)
    assert infos == _fresh(folder, "errors")


def test_a_file_edited_since_the_import_is_built_from_its_new_text(
    project: Path,
) -> None:
    folder = write_package(
        project,
        "wt_edit",
        {
            "models": _MODELS,
            "api": """
            from wt_edit.models import Item


            def make(name):
                return Item(name, 1)
            """,
        },
    )
    _analyse(folder, "api")
    edited = (
        textwrap.dedent(_MODELS) + "\n\ndef total(items: list[Item]):\n    return 0\n"
    )
    (folder / "models.py").write_text(edited)

    infos = _analyse(folder, "models")
    assert _returns(infos, "wt_edit.models.total") == "int"


_ORDER_SCRIPT = """
import json, sys
sys.path.insert(0, sys.argv[1])
from sphinxcontrib_aidoc.analyze import analyze_file
found = {}
for name in sys.argv[2].split(","):
    infos = analyze_file(
        f"{sys.argv[1]}/wt_order/{name}.py", module=f"wt_order.{name}", infer_steps=40
    )
    found.update({i.qualname: i.to_json() for i in infos})
print(json.dumps(found, sort_keys=True))
"""


def test_records_do_not_depend_on_the_order_modules_are_analysed_in(
    tmp_path: Path,
) -> None:
    # Analysed first, api.py made astroid build errors.py inside the budget
    # of ``fail``'s inference, which ran out in the enum brain's look at
    # ``Base``'s ancestors: ``fail`` then called nothing it could name.
    write_package(
        tmp_path,
        "wt_order",
        {
            "errors": """
            import enum


            class Level(enum.Enum):
                LOW = 1
                HIGH = 2


            class Base(ValueError):
                def __init__(self, line: int) -> None:
                    super().__init__(f"line {line}")
                    self.level = Level.LOW


            class Mixed(Base):
                def __init__(self, line: int) -> None:
                    super().__init__(line)
            """,
            "api": """
            from wt_order.errors import Mixed


            def fail(line):
                raise Mixed(line)
            """,
        },
    )
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", _ORDER_SCRIPT, str(tmp_path), order],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for order in ("api,errors", "errors,api")
    ]
    assert runs[0]["wt_order.api.fail"]["calls"] == ["wt_order.errors.Mixed"]
    assert runs[0] == runs[1]


def test_a_package_found_again_after_its_trees_are_released(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Analysed by file while not importable (as ``aidoc report`` reads a
    # tree), the package's imports resolve through its cached trees; once
    # released, they go through astroid's lookups, which had remembered
    # that the package could not be found. Every later import of it failed
    # (the build then analysed a copy on ``sys.path``): inherited methods
    # were no longer found, and their calls went missing from the pages.
    source = {
        "items": """
        class Item:
            def as_string(self) -> str:
                return ""
        """,
        "document": """
        from wt_rel.items import Item


        class Document(Item):
            def render(self):
                return self.as_string()
        """,
    }
    first = write_package(tmp_path / "first", "wt_rel", source)
    clear_cache()
    analyze_paths([first])
    assert release_trees({"wt_rel"}) > 0

    again = write_package(tmp_path / "again", "wt_rel", source)
    monkeypatch.syspath_prepend(str(again.parent))
    clear_cache()
    infos = analyze_file(again / "document.py", module="wt_rel.document")
    render = next(i for i in infos if i.qualname == "wt_rel.document.Document.render")
    assert render.calls == ("wt_rel.items.Item.as_string",)
    release_trees({"wt_rel"})
