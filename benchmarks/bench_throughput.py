"""Throughput of the Azure provider against a rate-limited fake server.

1,000 undocumented functions (a generated module, analysed with astroid) are
drafted by ``AzureProvider`` through the ``Generator`` and a real SQLite
cache (``sphinxcontrib_aidoc.store.Store``). The fake server answers after
300 ms and enforces 1,200 requests a minute over a sliding 10 s window (200
requests per window, as Azure evaluates its limits over short windows),
answering 429 beyond it. The client paces at ``requests_per_minute=1200``
with 16 workers.

Printed: wall time, the lower bound ``max(N / rate, N * latency /
concurrency)``, their ratio (target <= 1.2), the number of 429s the server
sent (target 0); then a rebuild (target 0 requests) and a rebuild after one
function's body changed (target 1 request).

Run: ``.venv/bin/python benchmarks/bench_throughput.py`` (about a minute).
``--no-pacing`` runs the same batch without client pacing, to show the 429s
the limiter avoids.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sphinxcontrib_aidoc.analyze import analyze_source
from sphinxcontrib_aidoc.config import AidocConfig
from sphinxcontrib_aidoc.diagnostics import ListReporter
from sphinxcontrib_aidoc.generate import Generator
from sphinxcontrib_aidoc.generate.providers import AzureProvider
from sphinxcontrib_aidoc.generate.select import (
    describe_provider,
    select_provider,
)
from sphinxcontrib_aidoc.model import ObjectInfo
from sphinxcontrib_aidoc.plan import decide
from sphinxcontrib_aidoc.store import Store
from tests.fake_azure import FakeAzure

N = 1000
LATENCY_MS = 300.0
RPM = 1200
WINDOW_S = 10.0
CONCURRENCY = 16


def module_source(count: int, changed: int | None = None) -> str:
    """Return a module of *count* undocumented functions."""
    parts = ["from __future__ import annotations\n"]
    for i in range(count):
        body = (
            "    return total * factor" if i != changed else "    return total + factor"
        )
        parts.append(
            f"\ndef compute_value_{i:04d}(items: list[int], factor: float = 1.5)"
            " -> float:\n"
            "    if not items:\n"
            "        raise ValueError('items must not be empty')\n"
            "    total = sum(items)\n"
            f"{body}\n"
        )
    return "".join(parts)


def analyse(source: str) -> list[ObjectInfo]:
    infos = analyze_source(source, module="bench_mod", file="bench_mod.py")
    return [i for i in infos if decide(i, AidocConfig())]


def make_provider(server: FakeAzure, *, pacing: bool) -> AzureProvider:
    config = AidocConfig.from_mapping(
        {
            "provider": "azure",
            "concurrency": CONCURRENCY,
            "requests_per_minute": RPM if pacing else None,
            "max_retries": 4,
        }
    )
    env = {
        "AZURE_OPENAI_ENDPOINT": server.endpoint,
        "AZURE_OPENAI_API_KEY": server.api_key,
        "AZURE_OPENAI_DEPLOYMENT": server.deployment,
    }
    provider = select_provider(config, ListReporter(), environ=env)
    assert isinstance(provider, AzureProvider)
    return provider


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=N)
    parser.add_argument("--no-pacing", action="store_true")
    parser.add_argument(
        "--window", type=float, default=WINDOW_S, help="server window in seconds"
    )
    args = parser.parse_args()

    started = time.perf_counter()
    infos = analyse(module_source(args.count))
    print(f"analysed {len(infos)} functions in {time.perf_counter() - started:.1f} s")

    with (
        FakeAzure(latency_ms=LATENCY_MS) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        server.rate_limit(RPM, window_s=args.window)
        print(
            f"server: {RPM} rpm over {args.window:g} s windows, {LATENCY_MS:g} ms latency"
        )
        provider = make_provider(server, pacing=not args.no_pacing)
        print(describe_provider(provider))
        reporter = ListReporter()
        store = Store.open(Path(tmp) / "aidoc.db")
        generator = Generator(provider=provider, reporter=reporter, cache=store)

        started = time.perf_counter()
        drafts = generator.drafts(infos)
        wall = time.perf_counter() - started
        bound = max(len(infos) / RPM * 60, len(infos) * LATENCY_MS / 1000 / CONCURRENCY)
        llm = sum(d.source == "llm" for d in drafts.values())
        print(f"\nfirst build: {len(drafts)} drafts, {llm} from the provider")
        print(f"  provider wall time   {provider.usage.wall_s:7.2f} s")
        print(f"  total (with cache)   {wall:7.2f} s")
        print(
            f"  lower bound          {bound:7.2f} s  = max(N/rate, N*latency/concurrency)"
        )
        print(
            f"  ratio                {provider.usage.wall_s / bound:7.3f}  (target <= 1.2)"
        )
        print(f"  429s from the server {server.counts['429']:7d}  (target 0)")
        print(f"  requests             {server.request_count:7d}")
        print(f"  max in flight        {server.max_in_flight:7d}")
        print(f"  diagnostics          {len(reporter.diagnostics):7d}")
        print(f"  {provider.summary_line(generator.stats)}")

        before = server.request_count
        again = Generator(
            provider=make_provider(server, pacing=True),
            reporter=ListReporter(),
            cache=store,
        )
        started = time.perf_counter()
        cached = again.drafts(analyse(module_source(args.count)))
        print(
            f"\nrebuild: {server.request_count - before} requests (target 0), "
            f"{again.stats.cache_hits} from cache, {time.perf_counter() - started:.2f} s"
        )

        before = server.request_count
        changed = Generator(
            provider=make_provider(server, pacing=True),
            reporter=ListReporter(),
            cache=store,
        )
        started = time.perf_counter()
        changed.drafts(analyse(module_source(args.count, changed=7)))
        print(
            f"one body changed: {server.request_count - before} request(s) (target 1), "
            f"{changed.stats.cache_hits} from cache, "
            f"{time.perf_counter() - started:.2f} s"
        )
        store.close()
        assert len(cached) == len(infos)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
