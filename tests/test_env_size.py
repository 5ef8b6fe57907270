"""What aidoc keeps in the pickled environment holds each text once."""

from __future__ import annotations

import pickle

from sphinxcontrib_aidoc.model import ObjectSnapshot
from sphinxcontrib_aidoc.sphinxext.domain import aidoc_domain


def test_snapshots_pickle_each_shared_text_once_and_load_equal(build):
    app = build("missing")
    domain = aidoc_domain(app.env)
    snapshots = list(domain.all_objects().values())
    assert len(snapshots) > 5
    files = {s.file for s in snapshots}
    assert len(files) == 1  # every object of the root is in shapes.py
    (file,) = files
    assert domain.recorded_objects  # the same snapshots again
    kept = {k: domain.data[k] for k in ("objects", "recorded_objects")}
    data = pickle.dumps(kept, pickle.HIGHEST_PROTOCOL)
    assert data.count(file.encode()) == 1
    assert data.count(b"function") == 1
    loaded = pickle.loads(data)
    again = sorted(
        (s for page in loaded["objects"].values() for s in page.values()),
        key=lambda s: s.qualname,
    )
    assert again == sorted(snapshots, key=lambda s: s.qualname)
    assert [s.target for s in again] == [
        s.target for s in sorted(snapshots, key=lambda s: s.qualname)
    ]  # (not compared by ==)
    assert len({id(s.module) for s in again}) == 1  # shared once loaded


def test_a_snapshot_round_trips_with_every_field():
    snapshot = ObjectSnapshot(
        qualname="pkg.f",
        module="pkg",
        kind="function",
        signature="(a: int) -> int",
        docstring_hash="abc",
        generated=True,
        source="llm",
        summary="Do it.",
        docname="api",
        file="/src/pkg/__init__.py",
        lineno=3,
        deprecated=True,
        docstring="Do it.\n\nLonger.",
        target="pkg._impl.f",
        writer="azure/gpt",
    )
    loaded = pickle.loads(pickle.dumps(snapshot, pickle.HIGHEST_PROTOCOL))
    assert loaded == snapshot
    assert (loaded.target, loaded.writer) == ("pkg._impl.f", "azure/gpt")
