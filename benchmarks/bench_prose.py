"""Offline prose read against the code: a labelled sample of generated docstrings.

Issue 11 ("Offline prose from facts, not names"). Real libraries are
analysed with every docstring stripped (``prose_corpus.py``) and the offline
provider writes each public object's docstring (Google style). A fixed-seed
sample of objects (chosen by name, not by text, so a better generator keeps
the same sample) is classified against the rubric in
``benchmarks/rubric/prose.md``:

* ``correct``: correct and informative;
* ``vague``: vague but harmless;
* ``misleading``: states something the code does not back, or reads wrong.

A person reads each sampled docstring against its source and records the
class in ``benchmarks/data/prose_labels.json``, keyed by ``lib:qualname``
with the hash of the text judged: when the generated text changes, the
label no longer applies and the sample is reported as unlabelled (``--show
unlabelled`` prints those with their source, for reading).

Printed: counts per class, overall and per library; the share of summaries
that restate the name, by the evaluator's own detector (finding ``AID401``
of :class:`~sphinxcontrib_aidoc.quality.DocstringEvaluator`), over the
sample and over every generated docstring of the libraries; how many
generated docstrings have no summary (the offline wording writes none when
only the name and the signature are known, rather than restate them), over
the sample and over all; and the targets (misleading <= 3 %, restating
<= 15 %).

Run: ``.venv/bin/python benchmarks/bench_prose.py [--show unlabelled|all]
[--json]`` (about a minute; the first run downloads the sdists into
``benchmarks/_work/``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from prose_corpus import Item, load, text_hash

from sphinxcontrib_aidoc.quality import DocstringEvaluator

LABELS = HERE / "data" / "prose_labels.json"
#: The libraries sampled, and how many objects from each.
SAMPLE = {"tomlkit": 30, "click": 30, "h11": 20, "bidict": 20, "itsdangerous": 20}
SEED = 11
CLASSES = ("correct", "vague", "misleading")
TARGET_MISLEADING = 0.03
TARGET_RESTATING = 0.15

_RESTATES = DocstringEvaluator(select=["AID401"])
_SECTIONS = frozenset({"Args:", "Returns:", "Yields:", "Raises:", "Attributes:"})


def restates(item: Item) -> bool:
    """Whether the evaluator finds the generated summary restating the name."""
    score = _RESTATES.evaluate(item.stripped, item.generated, generated=True)
    return any(f.code == "AID401" for f in score.findings)


def has_summary(item: Item) -> bool:
    """Whether the generated docstring starts with a summary line."""
    first = item.generated.strip().partition("\n")[0].strip()
    return bool(first) and first not in _SECTIONS


def sample(items: list[Item], size: int) -> list[Item]:
    """*size* objects of one library, chosen by name with a fixed seed."""
    ordered = sorted(items, key=lambda i: i.key)
    rng = random.Random(f"{SEED}:{ordered[0].lib if ordered else ''}")
    return sorted(rng.sample(ordered, min(size, len(ordered))), key=lambda i: i.key)


def read_labels() -> dict[str, dict[str, str]]:
    """``{lib:qualname: {"hash", "label", "note"}}`` from the labels file."""
    if not LABELS.exists():
        return {}
    data: dict[str, dict[str, str]] = json.loads(LABELS.read_text("utf-8"))
    return data


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100 * part / whole:.1f} %" if whole else "0/0"


def _show(item: Item, label: dict[str, str] | None) -> None:
    print(f"=== {item.key} [{item.info.kind}] {text_hash(item.generated)}")
    if label:
        print(f"label: {label['label']} ({label.get('note', '')})")
    print(item.stripped.source)
    print("--- generated")
    print(item.generated)
    print()


def main() -> None:
    """Load, sample, match labels and print the counts."""
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--show", choices=("unlabelled", "all"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    labels = read_labels()
    counts: dict[str, Counter[str]] = {}
    restating = Counter[str]()
    summaries = Counter[str]()
    everything = Counter[str]()
    unlabelled: list[str] = []
    for lib, size in SAMPLE.items():
        items = load(lib)
        everything["objects"] += len(items)
        everything["summaries"] += sum(has_summary(i) for i in items)
        everything["restating"] += sum(restates(i) for i in items)
        per = counts.setdefault(lib, Counter())
        for item in sample(items, size):
            label = labels.get(item.key)
            if label and label["hash"] != text_hash(item.generated):
                label = None
            per["sampled"] += 1
            summaries[lib] += has_summary(item)
            restating[lib] += restates(item)
            if label is None:
                per["unlabelled"] += 1
                unlabelled.append(item.key)
            else:
                per[label["label"]] += 1
            if args.show == "all" or (args.show == "unlabelled" and label is None):
                _show(item, label)
    total = sum(counts.values(), Counter[str]())
    report = {
        "per_library": {lib: dict(c) for lib, c in counts.items()},
        "total": dict(total),
        "restating_sample": [sum(restating.values()), sum(summaries.values())],
        "restating_all": [everything["restating"], everything["summaries"]],
        "no_summary_sample": sum(c["sampled"] for c in counts.values())
        - sum(summaries.values()),
        "no_summary_all": everything["objects"] - everything["summaries"],
        "objects_all": everything["objects"],
        "unlabelled": unlabelled,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{'library':<14}{'sampled':>8}" + "".join(f"{c:>12}" for c in CLASSES))
    for lib, per in [*counts.items(), ("total", total)]:
        cells = "".join(f"{per[c]:>12}" for c in CLASSES)
        extra = f"  ({per['unlabelled']} unlabelled)" if per["unlabelled"] else ""
        print(f"{lib:<14}{per['sampled']:>8}{cells}{extra}")
    labelled = sum(total[c] for c in CLASSES)
    for name in CLASSES:
        print(f"{name}: {_share(total[name], labelled)} of labelled samples")
    print(
        "restating the name (AID401), sample: "
        + _share(sum(restating.values()), sum(summaries.values()))
        + " of summaries"
    )
    print(
        "restating the name (AID401), all generated: "
        + _share(everything["restating"], everything["summaries"])
        + f" of summaries ({everything['objects']} objects,"
        f" {everything['objects'] - everything['summaries']} without a summary)"
    )
    sampled = sum(c["sampled"] for c in counts.values())
    print(
        "no summary (nothing known beyond the name and signature), sample: "
        + _share(sampled - sum(summaries.values()), sampled)
        + ", all generated: "
        + _share(everything["objects"] - everything["summaries"], everything["objects"])
    )
    misleading = total["misleading"] / labelled if labelled else 1.0
    share = everything["restating"] / max(everything["summaries"], 1)
    print(
        f"targets: misleading <= {TARGET_MISLEADING:.0%}:"
        f" {'met' if misleading <= TARGET_MISLEADING else 'NOT met'};"
        f" restating <= {TARGET_RESTATING:.0%}:"
        f" {'met' if share <= TARGET_RESTATING else 'NOT met'}"
    )
    if unlabelled:
        print(f"unlabelled ({len(unlabelled)}): " + " ".join(unlabelled))


if __name__ == "__main__":
    main()
