"""Analysis records of every test root and the demo, frozen as golden files.

The records both engines give for each package of ``tests/roots`` and for
``demo_project/inventory`` are kept in ``tests/golden/analysis/``. A change
to the analysis that changes a record fails here, so each difference is
either a regression or a fix to explain (and re-freeze)::

    AIDOC_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden_analysis.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sphinxcontrib_aidoc.analyze import ENGINES, analyze_paths, clear_cache
from sphinxcontrib_aidoc.diagnostics import ListReporter
from tests.conftest import ROOTS

REPO = ROOTS.parents[1]
GOLDEN = Path(__file__).parent / "golden" / "analysis"
#: name -> the packages and modules analysed together
CORPORA: dict[str, list[Path]] = {
    root.name.removeprefix("test-"): sorted(
        p
        for p in root.iterdir()
        if (p / "__init__.py").is_file() or (p.suffix == ".py" and p.name != "conf.py")
    )
    for root in sorted(ROOTS.glob("test-*"))
}
CORPORA = {name: paths for name, paths in CORPORA.items() if paths}
CORPORA["demo"] = [REPO / "demo_project" / "inventory"]


def _records(paths: list[Path], engine: str) -> dict[str, object]:
    clear_cache()
    reporter = ListReporter()
    infos = analyze_paths(paths, reporter=reporter, engine=engine)  # type: ignore[arg-type]
    base = paths[0].parent

    def local(path: str) -> str:
        return Path(path).relative_to(base).as_posix() if path else path

    return {
        "objects": [
            {**info.to_json(), "file": local(info.file), "source": info.source}
            for info in infos
        ],
        "diagnostics": [
            [d.subtype, d.message.replace(str(base) + os.sep, ""), local(d.location)]
            for d in reporter.diagnostics
        ],
    }


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", sorted(CORPORA))
def test_analysis_records_equal_the_golden_files(name: str, engine: str) -> None:
    found = _records(CORPORA[name], engine)
    golden = GOLDEN / f"{name}.{engine}.json"
    text = json.dumps(found, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if os.environ.get("AIDOC_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert found["diagnostics"] == expected["diagnostics"]
    by_name = {o["qualname"]: o for o in expected["objects"]}
    for record in found["objects"]:  # one object at a time: readable diffs
        assert record == by_name.get(record["qualname"]), record["qualname"]
    assert [o["qualname"] for o in found["objects"]] == [
        o["qualname"] for o in expected["objects"]
    ]
