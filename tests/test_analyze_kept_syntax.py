"""The pass reads the syntax trees its worker's analyses parsed (``_kept_syntax``).

In the analysis child, each module's analysis parses the module's text;
the project pass behind it used to read and parse every file of the
package again. It now takes the tree the analysis kept when the file's
text is still the one parsed: the same records, one parse fewer per
module. A file edited in between is parsed again, as it is now.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sphinxcontrib_aidoc.analyze import (
    _kept_syntax,
    _package_pass,
    analyze_file,
    clear_cache,
    persist,
)
from tests.conftest import shapes_payloads, write_shapes_package, write_source


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``spkg``: ``scale(size)`` called by ``draw()`` with an int, and a test."""
    monkeypatch.syspath_prepend(str(tmp_path / "src"))
    pkg = write_shapes_package(tmp_path, "spkg")
    clear_cache()
    persist.drop_parsed()
    _kept_syntax.forget()
    yield pkg
    clear_cache()
    persist.drop_parsed()
    _kept_syntax.forget()


def _sites(pkg: Path) -> dict[str, str]:
    return {"test_shapes": str(pkg.parent.parent / "tests" / "test_shapes.py")}


def _parsed_files(monkeypatch: pytest.MonkeyPatch, pkg: Path) -> list[str]:
    """The project files parsed from now on (the pass's index parses them)."""
    names = {
        path.read_text(encoding="utf-8"): path.name
        for path in [*pkg.glob("*.py"), *pkg.parent.parent.glob("tests/*.py")]
        if path.stat().st_size  # (``__init__.py`` is empty: no records, not read)
    }
    files: list[str] = []
    parse: Callable[..., ast.Module] = ast.parse

    def counting(source: str, *args: object, **kwargs: object) -> ast.Module:
        if source in names:  # (not the snippets other readers parse)
            files.append(names[source])
        return parse(source, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counting)  # (the module _index reads)
    return files


def _scale(result: tuple[str, dict[str, str], str | None]) -> str | None:
    loaded = persist.load(result[0])
    assert loaded is not None
    scale = next(i for i in loaded[0] if i.name == "scale")
    return scale.params[0].type


def test_the_pass_reads_the_trees_its_worker_parsed(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    payloads = shapes_payloads(package)
    parsed = _parsed_files(monkeypatch, package)
    kept = _package_pass._typed_payloads(payloads, _sites(package), None)
    # Only the test (read for its calls, never analysed) is parsed again.
    assert parsed == ["test_shapes.py"]
    assert not _kept_syntax._KEPT  # the pass gave every tree up
    # The same records as a pass that parses every file itself.
    parsed.clear()
    fresh = _package_pass._typed_payloads(payloads, _sites(package), None)
    assert sorted(parsed) == ["drawing.py", "shapes.py", "test_shapes.py"]
    assert kept == fresh
    assert _scale(kept) == "int"  # scale(3) and scale(4)


def test_a_file_edited_after_its_analysis_is_read_as_it_is_now(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    payloads = shapes_payloads(package)
    write_source(
        package / "drawing.py",
        "from spkg.shapes import scale\n\n\ndef draw():\n    scale('3')\n",
    )
    parsed = _parsed_files(monkeypatch, package)
    edited = _package_pass._typed_payloads(payloads, _sites(package), None)
    assert sorted(parsed) == ["drawing.py", "test_shapes.py"]
    assert _scale(edited) == "int | str"  # the call as the file is now


def test_a_build_process_keeps_no_tree(package: Path) -> None:
    # Outside a worker's analysis (the build's own process), nothing is kept.
    analyze_file(package / "drawing.py", module="spkg.drawing")
    assert not _kept_syntax._KEPT
    persist._analyse_payload(str(package / "shapes.py"), "spkg.shapes", 30.0, 40)
    assert list(_kept_syntax._KEPT) == [str((package / "shapes.py").resolve())]
