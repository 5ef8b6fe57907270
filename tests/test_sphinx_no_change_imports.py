"""A rebuild loads only what it uses.

Sphinx reads no document in a rebuild with nothing changed, so nothing is
analysed, drafted or scored: the analyser (astroid), the provider clients
(openai, pydantic), the drafting, scoring and planning modules and
sqlite-utils (the build is recorded with plain sqlite3) must not be
imported, as ``sphinx-build`` runs it (a fresh process each time; this
test's own process has them all loaded). A ``-E`` rebuild whose analyses
and scores the database keeps reads every document, but loads neither the
analyser nor the evaluator.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOTS = Path(__file__).parent / "roots"

#: Modules only drafting, analysing or scoring needs.
DRAFTING = (
    "astroid",
    "openai",
    "pydantic",
    "sphinxcontrib_aidoc.generate.offline",
    "sphinxcontrib_aidoc.generate.facts",
    "sphinxcontrib_aidoc.generate.providers",
    # Scoring, planning, rendering and walking source: only for pages read.
    "sphinxcontrib_aidoc.quality",
    "sphinxcontrib_aidoc.plan",
    "sphinxcontrib_aidoc.styles",
    "sphinxcontrib_aidoc.analyze._walk",
    "sphinxcontrib_aidoc.analyze._project",
    # The database of an unchanged build is read and written with sqlite3.
    "sqlite_utils",
)

_RUN = (
    "import json, sys\n"
    "from sphinx.cmd.build import main\n"
    "rc = main(sys.argv[1:])\n"
    "print(json.dumps({'rc': rc, 'modules': sorted(sys.modules)}))\n"
)


def _sphinx_build(srcdir: Path, outdir: Path, *options: str) -> tuple[int, set[str]]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "OPENAI_"))
    }
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _RUN,
            "-q",
            "-b",
            "html",
            *options,
            str(srcdir),
            str(outdir),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=srcdir,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["rc"], set(result["modules"])


def _copy(tmp_path: Path, root: str) -> tuple[Path, Path]:
    """A copy of ``tests/roots/test-<root>`` under *tmp_path*, and an output folder."""
    srcdir = tmp_path / root
    shutil.copytree(ROOTS / f"test-{root}", srcdir)
    return srcdir, tmp_path / "out"


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(
        name
        for name in names
        if name in modules or any(m.startswith(f"{name}.") for m in modules)
    )


def test_a_rebuild_with_nothing_changed_loads_no_drafting_module(tmp_path):
    srcdir, outdir = _copy(tmp_path, "search")
    first_rc, first = _sphinx_build(srcdir, outdir)
    assert first_rc == 0
    # The first build drafts (analysis runs in worker processes), so it
    # loads the drafting modules: the list names real modules.
    assert "sphinxcontrib_aidoc.generate.offline" in first
    assert "sphinxcontrib_aidoc.generate.facts" in first
    assert {"sqlite_utils", "sphinxcontrib_aidoc.quality"} <= first
    rc, modules = _sphinx_build(srcdir, outdir)
    assert rc == 0
    assert _loaded(modules, DRAFTING) == []
    assert (outdir / "aidoc-changelog.html").is_file()
    assert (outdir / "aidoc-search.html").is_file()


def test_after_another_directory_recorded_only_one_rebuild_records_again(tmp_path):
    """Two build directories on one database (``html`` and ``dirhtml``, say).

    After a build of the other directory, a rebuild of the first with
    nothing changed records its objects again (its environment names a
    snapshot that is not the last build's) and, reading no page, leaves
    that environment unsaved. The database remembers what it recorded, so
    the rebuilds after it take the quick path again.
    """
    srcdir, outdir = _copy(tmp_path, "search")
    assert _sphinx_build(srcdir, outdir)[0] == 0
    assert _sphinx_build(srcdir, tmp_path / "other")[0] == 0
    rc, modules = _sphinx_build(srcdir, outdir)
    assert rc == 0
    assert "sqlite_utils" in modules  # recorded again
    for _ in range(2):
        rc, modules = _sphinx_build(srcdir, outdir)
        assert rc == 0
        assert _loaded(modules, DRAFTING) == []


#: Modules a rebuild whose analyses and scores are all kept has no use
#: for: the evaluator and its rules, the module walker of the project
#: pass, the network providers' settings, and astroid.
NOT_NEEDED_WARM = (
    "sphinxcontrib_aidoc.quality._evaluator",
    "sphinxcontrib_aidoc.analyze._module_walks",
    "sphinxcontrib_aidoc.generate._client",
    "astroid",
    "openai",
)


def test_a_warm_fresh_environment_loads_neither_evaluator_nor_analyser(tmp_path):
    """Its score table is the same, read from the database (issue 14: ``-E`` cost)."""
    srcdir, outdir = _copy(tmp_path, "quality")
    first_rc, first = _sphinx_build(srcdir, outdir)
    assert first_rc == 0
    assert "sphinxcontrib_aidoc.quality._evaluator" in first  # it scored
    table = (outdir / "report.html").read_text(encoding="utf-8")
    rc, modules = _sphinx_build(srcdir, outdir, "-E")
    assert rc == 0
    assert _loaded(modules, NOT_NEEDED_WARM) == []
    assert (outdir / "report.html").read_text(encoding="utf-8") == table
