"""Cost of the model context (``generate/context.py``) on a real project.

Analyses a package (by default this repository's own ``sphinxcontrib_aidoc``,
with its ``tests`` folder as the tests to search), then builds the request
of every undocumented-or-not routine and class twice: without the context
and with it. Prints objects, files searched, the time per object of the
context (first request of a file parses it; the rest reuse the parse), the
share of requests that got a context, how many items of each kind, and the
mean context size in characters.

Run: ``.venv/bin/python benchmarks/bench_context.py [PACKAGE_DIR]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from sphinxcontrib_aidoc.analyze import analyze_paths
from sphinxcontrib_aidoc.generate.context import CONTEXT_MARKER, context_text
from sphinxcontrib_aidoc.generate.prompt import build_messages

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", nargs="?", default=str(ROOT / "sphinxcontrib_aidoc"))
    parser.add_argument("--budget", type=int, default=3000)
    args = parser.parse_args()
    package = Path(args.package).resolve()
    files = sorted(package.rglob("*.py"))
    infos = [i for i in analyze_paths(files) if i.module.split(".")[0] == package.name]
    print(f"project: {package} ({len(files)} files, {len(infos)} objects)")

    started = time.perf_counter()
    for info in infos:
        build_messages(info, max_prompt_tokens=args.budget)
    with_context = time.perf_counter() - started
    started = time.perf_counter()
    blocks = [context_text(info, 3_000) for info in infos]
    warm = time.perf_counter() - started

    sizes = [len(b) for b in blocks if b]
    kinds = {"Module": 0, "Class": 0, "It calls": 0, "Called in": 0}
    for block in blocks:
        for line in block.splitlines():
            for kind in kinds:
                kinds[kind] += line.startswith(f"- {kind}")
    sent = sum(
        CONTEXT_MARKER in build_messages(i, max_prompt_tokens=args.budget)[1]["content"]
        for i in infos
    )
    n = max(1, len(infos))
    print(f"build_messages with context, cold: {with_context / n * 1000:.2f} ms/object")
    print(f"context_text alone, warm:          {warm / n * 1000:.2f} ms/object")
    print(f"requests with a context at {args.budget} tokens: {sent}/{len(infos)}")
    print("items: " + ", ".join(f"{k}: {v}" for k, v in kinds.items()))
    if sizes:
        print(
            f"context size: mean {statistics.mean(sizes):.0f} chars, max {max(sizes)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
