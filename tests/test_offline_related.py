"""An offline draft reads the whole batch, not only what the cache lacked.

The offline wording of a method reads its class (``return self.size`` is
"the *size* the object was created with" when ``__init__`` stores its
``size`` parameter there). In a rebuild where only what the project pass
proves of the method changed (another module now writes ``size``), the
class's draft comes from the cache while the method is drafted again: the
method's text must be the one a fresh build writes.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from sphinxcontrib_aidoc.analyze import analyze_source
from sphinxcontrib_aidoc.diagnostics import ListReporter
from sphinxcontrib_aidoc.generate import Generator, OfflineProvider
from sphinxcontrib_aidoc.model import ObjectInfo, Value
from sphinxcontrib_aidoc.store import Store

SOURCE = """
class Box:
    def __init__(self, size):
        self.size = size

    def area(self):
        return self.size
"""


def _proven(info: ObjectInfo) -> ObjectInfo:
    """*info* as the project pass states it once another module writes ``size``."""
    if info.qualname != "m.Box.area":
        return info
    return dataclasses.replace(info, returns=Value(type="int", inferred=True))


def _summaries(store: Store, *, proven: bool) -> dict[str, str | None]:
    infos = analyze_source(SOURCE, module="m")
    if proven:
        infos = [_proven(i) for i in infos]
    generator = Generator(
        provider=OfflineProvider(), reporter=ListReporter(), cache=store
    )
    return {q: d.returns or d.summary for q, d in generator.drafts(infos).items()}


def test_a_method_drafted_again_reads_its_cached_class(tmp_path: Path) -> None:
    with Store.open(tmp_path / "fresh.db") as store:
        fresh = _summaries(store, proven=True)["m.Box.area"]
    assert fresh is not None
    assert "*size* the object was created with" in fresh
    with Store.open(tmp_path / "rebuilt.db") as store:
        _summaries(store, proven=False)
        rebuilt = _summaries(store, proven=True)["m.Box.area"]
    assert rebuilt == fresh


def test_a_changed_class_writes_its_methods_again(tmp_path: Path) -> None:
    """The cached method text must not keep a parameter the class dropped."""
    renamed = SOURCE.replace(
        "def __init__(self, size):\n        self.size = size",
        "def __init__(self, width):\n        self.size = width * 2",
    )
    with Store.open(tmp_path / "a.db") as store:
        _summaries(store, proven=False)
        infos = analyze_source(renamed, module="m")
        generator = Generator(
            provider=OfflineProvider(), reporter=ListReporter(), cache=store
        )
        area = generator.drafts(infos)["m.Box.area"]
    assert area.source != "cache"
    assert "*size* the object was created with" not in (area.returns or "")
