from __future__ import annotations

import re
import shutil
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sphinx

from sphinxcontrib_aidoc.analyze import analyze_paths, clear_cache
from sphinxcontrib_aidoc.model import ObjectInfo

pytest_plugins = ["sphinx.testing.fixtures"]
collect_ignore = ["roots"]

ROOTS = Path(__file__).parent / "roots"
#: Whether builds write objects after reading (``deferred.can_defer``): only
#: Sphinx 9 keeps autodoc's annotations per document; under Sphinx 8 the
#: build waits for the analyses where a page first needs them.
DEFERS = sphinx.version_info >= (9,)
#: Tests of writing objects after reading, which Sphinx 8 never does.
needs_deferral = pytest.mark.skipif(
    not DEFERS, reason="Sphinx 8: objects are never written after reading"
)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@pytest.fixture(autouse=True)
def _forget_test_packages() -> Iterator[None]:
    """Unload the test roots' packages after each test.

    Test roots are copied to a new srcdir per test; a package imported from
    an earlier copy must not shadow the next one.
    """
    before = set(sys.modules)
    yield
    for name in set(sys.modules) - before:
        if name.split(".")[0].endswith("_pkg"):
            del sys.modules[name]


@pytest.fixture
def build(make_app, tmp_path):
    """Return ``build(testroot, builder="html", srcname=None, **kwargs)``.

    It copies ``tests/roots/test-<testroot>`` to a fresh directory under
    ``tmp_path`` (once per *srcname*), builds it with a real Sphinx
    application and returns the application. Each test gets its own copy, so
    ``_aidoc/aidoc.db`` never leaks between tests; build the same *srcname*
    twice to test caching and history.
    """

    def _build(testroot, builder="html", srcname=None, **kwargs):
        srcdir = tmp_path / (srcname or testroot)
        if not srcdir.exists():
            shutil.copytree(ROOTS / f"test-{testroot}", srcdir)
        app = make_app(builder, srcdir=srcdir, **kwargs)
        app.build()
        return app

    return _build


def write_source(path: Path, source: str) -> None:
    """Write the dedented *source* to *path*, making its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source), encoding="utf-8")


def write_shapes_package(root: Path, name: str) -> Path:
    """Write ``root/src/<name>``: ``scale(size)``, which ``draw()`` calls with 3.

    And ``root/tests/test_shapes.py``, calling it with 4. Returns the
    package's folder (the project pass's small test package).
    """
    pkg = root / "src" / name
    write_source(pkg / "__init__.py", "")
    write_source(pkg / "shapes.py", "def scale(size):\n    print(size)\n")
    write_source(
        pkg / "drawing.py",
        f"from {name}.shapes import scale\n\n\ndef draw():\n    scale(3)\n",
    )
    write_source(
        root / "tests" / "test_shapes.py",
        f"from {name}.shapes import scale\n\n\ndef test_scale():\n    scale(4)\n",
    )
    return pkg


def shapes_payloads(pkg: Path) -> dict[str, tuple[str, str | None]]:
    """Each module of :func:`write_shapes_package`'s package, as its worker analyses it.

    Module to (file, payload), what the project pass is handed.
    """
    from sphinxcontrib_aidoc.analyze import persist

    name = pkg.name
    files = {
        name: pkg / "__init__.py",
        f"{name}.shapes": pkg / "shapes.py",
        f"{name}.drawing": pkg / "drawing.py",
    }
    return {
        module: (str(path), persist._analyse_payload(str(path), module, 30.0, 40)[0])
        for module, path in files.items()
    }


def write_package(root: Path, name: str, modules: dict[str, str]) -> Path:
    """Write the package *name* under *root*: ``__init__.py`` and *modules*.

    *modules* maps each module's name to its source (dedented). Returns the
    package's folder.
    """
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "__init__.py").write_text("")
    for module, text in modules.items():
        (folder / f"{module}.py").write_text(textwrap.dedent(text))
    return folder


def analyse_module(
    tmp_path: Path, source: str, tests: dict[str, str] | None = None
) -> dict[str, ObjectInfo]:
    """Analyse *source* as ``pkg/mod.py`` (with *tests* as call sites), by name.

    As ``aidoc generate`` does: the astroid analysis, then the project-wide
    pass; keys are qualnames without the ``pkg.mod.`` prefix.
    """
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "__init__.py").write_text("")
    (root / "mod.py").write_text(textwrap.dedent(source))
    sites = []
    if tests:
        suite = tmp_path / "tests"
        suite.mkdir()
        for name, text in tests.items():
            (suite / name).write_text(textwrap.dedent(text))
        sites.append(suite)
    clear_cache()
    return {
        i.qualname.removeprefix("pkg.mod."): i
        for i in analyze_paths([root], call_sites=sites)
    }


def returned_types(tmp_path: Path, source: str) -> dict[str, str | None]:
    """The stated return type of every function of a one-module package."""
    return {
        name: i.returns.type if i.returns else None
        for name, i in analyse_module(tmp_path, source).items()
        if i.kind != "class"
    }


def entry(text: str, name: str) -> str:
    """Return the text-builder entry whose signature line names *name*.

    The entry is the signature line plus every following line that is blank
    or indented deeper than it (its body, up to the next sibling).
    """
    lines = text.splitlines()
    for i, line in enumerate(lines):
        stripped = line.strip()
        words = stripped.split("(")[0].split()
        if not words or words[-1].rpartition(".")[2] != name.rpartition(".")[2]:
            continue
        prefixes = ("class ", "exception ", "async ", "property ", "classmethod ")
        if not stripped.startswith(prefixes) and "(" not in stripped:
            continue
        indent = len(line) - len(line.lstrip())
        body = [line]
        for following in lines[i + 1 :]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            body.append(following)
        return "\n".join(body)
    raise AssertionError(f"no entry for {name!r} in:\n{text}")


def described_params(html: str, anchor: str) -> list[str]:
    """The parameter names the HTML description of the object *anchor* lists.

    Those of its first "Parameters" field, as Sphinx's HTML writer renders
    it (each name in ``<strong>``).
    """
    start = html.index(f'id="{anchor}"')
    found = re.compile(
        r'Parameters<span class="colon">:</span></dt>\s*<dd[^>]*>(.*?)</dd>', re.DOTALL
    ).search(html, start)
    assert found is not None, f"no parameter list for {anchor}"
    return re.findall(r"<strong>([^<]+)</strong>", found.group(1))


def _project_handler(app, what, name, obj, options, lines) -> None:
    """A project's own ``autodoc-process-docstring`` handler (it reads the lines)."""


def wait_for_analyses(app) -> None:
    """Give *app* a project handler that runs after aidoc's: aidoc then waits.

    Such a handler must see the lines aidoc writes while the page is read,
    so the build waits for the analyses at the first page that shows
    objects, instead of writing those objects once every page is read.
    """
    app.connect("autodoc-process-docstring", _project_handler, priority=500)


#: Modules whose analysis :func:`slow_child` makes a second late.
_SLOW_MODULES: set[str] = set()


def _slow_analyse_payload(path, module, *args):
    """The analysis child's work on one module, late for :data:`_SLOW_MODULES`."""
    from sphinxcontrib_aidoc.analyze import persist

    if module in _SLOW_MODULES:
        time.sleep(1.0)
    return persist._ANALYSE_PAYLOAD(path, module, *args)


def slow_child(monkeypatch, module: str) -> None:
    """Make the analysis child spend a second more on *module*.

    It is then busy while the pages are read, as on a real library's first
    build.
    """
    from sphinxcontrib_aidoc.analyze import persist

    if persist._analyse_payload is not _slow_analyse_payload:
        monkeypatch.setattr(
            persist, "_ANALYSE_PAYLOAD", persist._analyse_payload, raising=False
        )
        monkeypatch.setattr(persist, "_analyse_payload", _slow_analyse_payload)
    monkeypatch.setattr(sys.modules[__name__], "_SLOW_MODULES", {module})


@pytest.fixture
def evaluations(monkeypatch) -> list[str]:
    """The qualname of every object the build's own process scores, in order."""
    from sphinxcontrib_aidoc.quality import DocstringEvaluator

    seen: list[str] = []
    evaluate = DocstringEvaluator.evaluate

    def counted(self: DocstringEvaluator, info: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(info.qualname)
        return evaluate(self, info, *args, **kwargs)

    monkeypatch.setattr(DocstringEvaluator, "evaluate", counted)
    return seen
