"""A ``-E`` rebuild with a warm database scores nothing again (issue 14).

The scores of the last build are kept in the database beside the analyses,
under what each depends on (the docstring shown, its module's analysis key,
the style and weights); a fresh environment reads them instead of running
the evaluator over every object, and shows the same quality table.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from typing import Any

import pytest

from sphinxcontrib_aidoc.quality import DocstringEvaluator
from tests.conftest import ROOTS


@pytest.fixture
def evaluations(monkeypatch) -> list[str]:
    """The qualname of every object the real evaluator scores, in order."""
    seen: list[str] = []
    evaluate = DocstringEvaluator.evaluate

    def counted(self: DocstringEvaluator, info: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(info.qualname)
        return evaluate(self, info, *args, **kwargs)

    monkeypatch.setattr(DocstringEvaluator, "evaluate", counted)
    return seen


def _report(app: Any) -> str:
    return (app.outdir / "report.html").read_text(encoding="utf-8")


def test_fresh_environment_reads_the_scores_kept_in_the_database(build, evaluations):
    first = build("quality", srcname="warm")
    scored = len(evaluations)
    assert scored >= 30  # every documented object of the root
    table = _report(first)
    evaluations.clear()
    again = build("quality", srcname="warm", freshenv=True)
    assert evaluations == []
    assert _report(again) == table


def test_a_damaged_score_row_is_scored_again_with_the_same_table(build, evaluations):
    first = build("quality", srcname="damaged")
    table = _report(first)
    scored = len(evaluations)
    db = sqlite3.connect(first.srcdir / "_aidoc" / "aidoc.db")
    with db:
        changed = db.execute(
            "UPDATE analysis SET payload = '{not json' WHERE key = 'scores:last-build'"
        ).rowcount
    db.close()
    assert changed == 1
    evaluations.clear()
    again = build("quality", srcname="damaged", freshenv=True)
    assert len(evaluations) == scored
    assert _report(again) == table
    evaluations.clear()
    build("quality", srcname="damaged", freshenv=True)
    assert evaluations == []  # the row was written again


#: Modules a rebuild whose analyses and scores are all kept has no use
#: for: the evaluator and its rules, the module walker of the project
#: pass, the network providers' settings, and astroid.
_NOT_NEEDED_WARM = (
    "sphinxcontrib_aidoc.quality._evaluator",
    "sphinxcontrib_aidoc.analyze._module_walks",
    "sphinxcontrib_aidoc.generate._client",
    "astroid",
    "openai",
)


def test_a_warm_fresh_environment_loads_neither_evaluator_nor_analyser(tmp_path):
    """Its score table is the same, read from the database (issue 14: ``-E`` cost)."""
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-quality", srcdir)
    probe = (
        "import sys\n"
        "from sphinx.cmd.build import main\n"
        "code = main(['-q', *sys.argv[1:]])\n"
        f"print(' '.join(m for m in {_NOT_NEEDED_WARM!r} if m in sys.modules))\n"
        "sys.exit(code)\n"
    )
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "OPENAI_"))
    }

    def sphinx_build(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", probe, *args, str(srcdir), str(tmp_path / "out")],
            capture_output=True,
            text=True,
            env=env,
            cwd=srcdir,
            check=False,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""

    first = sphinx_build()
    assert "sphinxcontrib_aidoc.quality._evaluator" in first.split()  # it scored
    table = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert sphinx_build("-E") == ""
    assert (tmp_path / "out" / "report.html").read_text(encoding="utf-8") == table
