"""The snapshot an environment's objects were last recorded under, kept when Sphinx does not save it.

The environment remembers the database snapshot its objects were stored
under (``AidocDomain.recorded``), so a rebuild with nothing changed only
points its build row at that snapshot. When that stamp is no longer the
last build's (the database was replaced or started afresh, or another
build directory recorded in between), the rebuild records its objects
again; but a rebuild that reads no page leaves the environment unsaved,
so without this every later such rebuild would record them again too.

The database keeps, per doctree directory, the stamp the environment holds
and the one its objects were last recorded under: a rebuild whose
environment still holds the first uses the second. An environment put
back from elsewhere holds another stamp and takes the slow path once.
"""

from __future__ import annotations

import contextlib
import json
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.store import StoreError

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.store import Store

_KEY = "restamped:"

Stamp = tuple[int, str]


def restamped(store: Store, doctreedir: str, held: Stamp | None) -> Stamp | None:
    """The stamp the objects of an environment holding *held* were last recorded under."""
    if not held:
        return None
    try:
        payload = store.analysis_get(_KEY + doctreedir)
    except StoreError:
        return None
    if payload is None:
        return None
    try:
        data = json.loads(payload)
        if list(data["held"]) != list(held):
            return None
        owner, started = data["recorded"]
        return int(owner), str(started)
    except (ValueError, KeyError, TypeError):
        return None


def restamp(store: Store, doctreedir: str, held: Stamp | None, recorded: Stamp) -> None:
    """Remember that an environment holding *held* was recorded under *recorded*."""
    if not held:
        return  # a first build: Sphinx saves its environment
    with contextlib.suppress(StoreError):  # a store that cannot write: recorded again
        store.analysis_put(
            _KEY + doctreedir,
            module="",
            file=f"{doctreedir}#restamped",
            payload=json.dumps({"held": list(held), "recorded": list(recorded)}),
        )
