"""A ``-E`` rebuild with a warm database scores nothing again (issue 14).

The scores of the last build are kept in the database beside the analyses,
under what each depends on (the docstring shown, its module's analysis key,
the style and weights); a fresh environment reads them instead of running
the evaluator over every object, and shows the same quality table.
"""

from __future__ import annotations

import sqlite3
from typing import Any


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
