"""The scores a forked copy makes while the pages are written (issue 14).

A build whose pages do not show the scores before they are written (the
search index, written last, reads them) scores in a forked copy of its
process while it writes; what the site shows and the database keeps is
what scoring in the build's process gives.
"""

from __future__ import annotations

import json
import os
import sys

import pytest

from sphinxcontrib_aidoc.apart import Apart
from sphinxcontrib_aidoc.search_index import read_records
from sphinxcontrib_aidoc.sphinxext import quality


@pytest.fixture(autouse=True)
def _forget_pkg():
    yield
    for name in [n for n in sys.modules if n.split(".")[0] == "search_pkg"]:
        del sys.modules[name]


def _scores(app) -> dict[str, float]:
    """The quality of every object of the built search index."""
    path = app.outdir / "_static" / "aidoc" / "index.json"
    records = read_records(json.loads(path.read_text(encoding="utf-8")))
    return {r["qualname"]: r["quality"] for r in records}


def _in_process(monkeypatch) -> None:
    monkeypatch.setattr(Apart, "start", classmethod(lambda cls, function: None))


def test_scores_made_apart_are_those_the_build_makes(build, monkeypatch, evaluations):
    monkeypatch.setattr(quality, "APART_FROM", 1)
    apart = build("search", srcname="apart")
    assert evaluations == []  # every object scored in the copy
    scores = _scores(apart)
    assert len(scores) >= 15
    assert None not in scores.values()
    _in_process(monkeypatch)
    own = build("search", srcname="own")
    assert sorted(evaluations) == sorted(scores)
    assert _scores(own) == scores
    # and the database kept them: a fresh environment scores nothing again
    evaluations.clear()
    again = build("search", srcname="apart", freshenv=True)
    assert evaluations == []
    assert _scores(again) == scores


def test_a_copy_that_dies_leaves_the_scoring_to_the_build(
    build, monkeypatch, evaluations
):
    with monkeypatch.context() as patched:
        _in_process(patched)
        scores = _scores(build("search", srcname="own"))
    evaluations.clear()
    monkeypatch.setattr(quality, "APART_FROM", 1)
    monkeypatch.setattr(quality, "_scores", lambda config, todo: os._exit(3))
    died = build("search", srcname="died")
    assert sorted(evaluations) == sorted(scores)
    assert _scores(died) == scores
