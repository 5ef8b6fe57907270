"""How well the sized completion limit fits answers written by people.

For every public function and method with a docstring in the packages
given (default: this package and the installed ``sphinx`` and ``docutils``,
nothing to download), the human docstring is turned into the answer a model
gives (``{"object", "summary", "description", "params", "returns",
"yields", "raises"}``, the description cut to three sentences as the prompt
asks, only the parameters and exceptions analysis found) and its tokens
estimated at 4 characters a token. Printed: how that need compares with
:func:`~sphinxcontrib_aidoc.generate.sizing.completion_tokens` (the
median, 95th and 99th percentile and largest need/limit ratio, the share
of answers that would be cut and asked again) and the tokens asked before
(a fixed 800) and now, per object.

Run: ``.venv/bin/python benchmarks/bench_sizing.py [PACKAGE_DIR ...]``.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sphinxcontrib_aidoc.analyze import analyze_paths
from sphinxcontrib_aidoc.diagnostics import ListReporter
from sphinxcontrib_aidoc.generate.sizing import completion_tokens
from sphinxcontrib_aidoc.styles import parse_docstring

_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def complete(info, text: str) -> bool:  # noqa: ANN001 (a script)
    """Whether *text* describes every parameter analysis found (like an answer)."""
    named = {name.lstrip("*") for name, _, _ in parse_docstring(text).params}
    wanted = {p.name for p in info.documented_params}
    return bool(wanted) and wanted <= named


def need(info, text: str) -> int:  # noqa: ANN001 (a script)
    """Return the estimated completion tokens of the answer *text* gives."""
    parsed = parse_docstring(text)
    documented = {p.name for p in info.documented_params}
    description = " ".join(_SENTENCE.split(" ".join(parsed.description.split()))[:3])
    answer = {
        "object": info.qualname,
        "summary": " ".join(parsed.summary.split()),
        "description": description,
        "params": [
            {"name": name, "description": " ".join(desc.split())}
            for name, _, desc in parsed.params
            if name.lstrip("*") in documented
        ],
        "returns": " ".join(parsed.returns[1].split()) if parsed.returns else "",
        "yields": " ".join(parsed.yields[1].split()) if parsed.yields else "",
        "raises": [
            {"name": name, "condition": " ".join(cond.split())}
            for name, cond in parsed.raises
            if any(name.rpartition(".")[2] == r.rpartition(".")[2] for r in info.raises)
        ],
    }
    return math.ceil(len(json.dumps(answer, ensure_ascii=False)) / 4)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    import docutils  # noqa: PLC0415
    import sphinx  # noqa: PLC0415

    paths = args.paths or [
        str(ROOT / "sphinxcontrib_aidoc"),
        str(Path(sphinx.__file__).parent),
        str(Path(docutils.__file__).parent),
    ]
    ratios: list[float] = []
    full: list[float] = []
    asked: list[int] = []
    for path in paths:
        infos = [
            i
            for i in analyze_paths([path], reporter=ListReporter())
            if i.is_public and i.has_docstring and i.kind != "module"
        ]
        for info in infos:
            limit = completion_tokens(info)
            ratio = need(info, info.docstring or "") / limit
            ratios.append(ratio)
            if complete(info, info.docstring or ""):
                full.append(ratio)
            asked.append(limit)
        print(f"{path}: {len(infos)} documented public objects")
    for label, values in (("all", ratios), ("every parameter described", full)):
        values.sort()
        cut = sum(r > 1 for r in values)

        def pct(p: float, values: list[float] = values) -> float:
            return values[min(len(values) - 1, int(p * len(values)))]

        print(f"\n{label}: {len(values)} objects")
        print(f"  need / limit, median         {statistics.median(values):8.2f}")
        print(f"  need / limit, 95th pct       {pct(0.95):8.2f}")
        print(f"  need / limit, 99th pct       {pct(0.99):8.2f}")
        print(f"  need / limit, largest        {values[-1]:8.2f}")
        print(f"  answers cut (asked again)    {cut:8d}  ({cut / len(values):.2%})")
    print(
        f"\ncompletion asked per object  before 800.0, now {statistics.mean(asked):.1f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
