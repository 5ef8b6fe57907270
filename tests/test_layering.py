"""The layering rules: one table, in docs/contributing.rst, checked for every unit.

A unit is a top-level module or package of ``sphinxcontrib_aidoc``. For each
one the table says what it may import and which libraries importing it
never loads. The core (everything outside ``sphinxext``, ``cli``,
``__main__`` and ``commands``) never loads Sphinx or docutils either.
"""

from __future__ import annotations

import ast
import csv
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "sphinxcontrib_aidoc"
PAGE = ROOT / "docs" / "contributing.rst"
GLUE = frozenset({"sphinxext", "cli", "commands", "__main__"})
#: What no core unit loads, whatever its row says.
NO_SPHINX = ("sphinx", "docutils")


def _table() -> dict[str, tuple[frozenset[str], tuple[str, ...]]]:
    """``{unit: (may import, never loads)}`` from the page's csv-table."""
    text = PAGE.read_text(encoding="utf-8")
    block = text.split(".. csv-table:: Units, what each owns", 1)[1]
    lines: list[str] = []
    for line in block.splitlines()[1:]:
        if line.strip() and not line.startswith("   "):
            break
        if line.strip() and not line.strip().startswith(":"):
            lines.append(line)
    rows = csv.reader(
        textwrap.dedent("\n".join(lines)).splitlines(), skipinitialspace=True
    )
    return {
        unit: (frozenset(may.split()), tuple(never.split()))
        for unit, _owns, may, never in rows
    }


TABLE = _table()


def _units() -> dict[str, list[Path]]:
    """Every unit of the package and its source files."""
    units: dict[str, list[Path]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        top = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        units.setdefault(top, []).append(path)
    return units


UNITS = _units()
CORE = sorted(set(UNITS) - GLUE)


def _module_name(path: Path) -> str:
    parts = ("sphinxcontrib_aidoc", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts).removesuffix(".__init__")


def _imports(
    source: str, module: str, *, package: bool = False
) -> tuple[set[str], set[str]]:
    """The units and the libraries *source* (the code of *module*) imports.

    Units: anywhere (top level, functions, ``TYPE_CHECKING``). Libraries:
    top-level names, outside ``if TYPE_CHECKING:`` blocks.
    """
    here = module.split(".") if package else module.split(".")[:-1]
    units: set[str] = set()
    libraries: set[str] = set()

    def visit(node: ast.AST, typing_only: bool) -> None:
        names: list[str] = []
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            typing_only = True
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = here[: len(here) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            names = [f"{base}.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] != "sphinxcontrib_aidoc":
                if not typing_only:
                    libraries.add(parts[0])
                continue
            units.add(parts[1] if len(parts) > 1 and parts[1] in UNITS else "__init__")
        for child in ast.iter_child_nodes(node):
            visit(child, typing_only)

    visit(ast.parse(source), False)
    return units, libraries


def _forbidden(unit: str) -> tuple[str, ...]:
    return TABLE[unit][1] + (NO_SPHINX if unit in CORE else ())


def test_the_table_has_one_row_per_unit():
    assert sorted(TABLE) == sorted(UNITS)
    for unit, (may, _never) in TABLE.items():
        assert may <= set(UNITS), unit


def test_the_core_imports_no_glue_and_no_cycle():
    core = set(CORE)
    for unit in CORE:
        may = TABLE[unit][0]
        # The package's setup() is Sphinx's entry point: it imports the glue.
        assert may - {"sphinxext"} <= core if unit == "__init__" else may <= core
    done: set[str] = set()

    def visit(unit: str, path: tuple[str, ...]) -> None:
        assert unit not in path, " -> ".join((*path, unit))
        if unit not in done:
            for other in sorted(TABLE[unit][0] & core):
                visit(other, (*path, unit))
            done.add(unit)

    for unit in CORE:
        visit(unit, ())


@pytest.mark.parametrize("unit", sorted(UNITS))
def test_unit_imports_only_what_the_table_allows(unit):
    """Only allowed units; in the core, no forbidden library, even lazily."""
    allowed = TABLE[unit][0] | {unit}
    forbidden = set(_forbidden(unit)) if unit in CORE else set()
    for path in UNITS[unit]:
        source = path.read_text(encoding="utf-8")
        module = _module_name(path)
        units, libraries = _imports(source, module, package=path.name == "__init__.py")
        where = path.relative_to(ROOT)
        assert units <= allowed, f"{where} imports {sorted(units - allowed)}"
        assert not libraries & forbidden, f"{where} imports {libraries & forbidden}"


@pytest.mark.parametrize("unit", [u for u in sorted(UNITS) if _forbidden(u)])
def test_importing_unit_loads_none_of_what_the_table_forbids(unit):
    forbidden = _forbidden(unit)
    modules = [_module_name(path) for path in UNITS[unit]]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(' '.join(m for m in {forbidden!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"importing {unit} loads {result.stdout}"


def test_the_import_finder_sees_every_kind_of_import():
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from sphinxcontrib_aidoc.store import Store\n"
        "    import docutils.nodes\n"
        "from ..model import ObjectInfo\n"
        "from . import _nodes\n"
        "def f():\n"
        "    import sphinxcontrib_aidoc.sphinxext.runtime, sphinx.util\n"
        "    from sphinxcontrib_aidoc import __version__, quality\n"
    )
    units, libraries = _imports(source, "sphinxcontrib_aidoc.analyze.probe")
    assert units == {"store", "model", "analyze", "sphinxext", "__init__", "quality"}
    assert libraries == {"typing", "sphinx"}
