"""Tokens per object and wall time against a server that counts tokens like Azure.

The fake server enforces ``--rpm`` requests and ``--tpm`` tokens a minute
over sliding ``--window`` second windows and counts a request's tokens the
way Azure OpenAI admits it: the prompt estimate plus the
``max_completion_tokens`` asked for, never given back. ``--count``
undocumented functions (the module of ``bench_throughput.py``) are drafted
through the ``Generator`` and a real SQLite cache, once per setting of
``aidoc_objects_per_request`` given with ``--pack``.

Printed per run: tokens admitted, billed and asked for per object, requests,
429s the server sent (our pacing's: target 0), wall time, the bound
the least time any client needs against this server (its sliding window
admits at most its share of tokens and requests per window, whole requests,
the first window's at once; or ``requests * latency / concurrency``) and
their ratio (target <= 1.1), and admitted tokens / tpm for reference. ``--baseline REF`` runs the
same measurement on the code of git revision REF (exported with ``git
archive`` under ``benchmarks/_work/``) first and prints the per-object
change (target: admitted tokens per object at least 40 % lower).

``--scale k`` multiplies both limits by *k* (the arithmetic is the same,
the run *k* times shorter). The issue's setting is ``--rpm 180 --tpm 30000
--count 500`` (about 25 minutes before, 10 after); the default is that
setting at ``--scale 10``.

Run: ``.venv/bin/python benchmarks/bench_tokens.py --baseline main``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "_work"


def measure(args: argparse.Namespace, pack: int) -> dict[str, float]:
    """Draft the module once with *pack* objects per request; return figures."""
    import sphinxcontrib_aidoc  # noqa: F401, PLC0415 (before bench_throughput's sys.path)
    from benchmarks.bench_throughput import analyse, module_source  # noqa: PLC0415
    from sphinxcontrib_aidoc.config import AidocConfig  # noqa: PLC0415
    from sphinxcontrib_aidoc.diagnostics import ListReporter  # noqa: PLC0415
    from sphinxcontrib_aidoc.generate import Generator  # noqa: PLC0415
    from sphinxcontrib_aidoc.generate.select import select_provider  # noqa: PLC0415
    from sphinxcontrib_aidoc.store import Store  # noqa: PLC0415
    from tests.fake_azure import FakeAzure  # noqa: PLC0415
    from tests.fake_azure import admitted as admitted_tokens  # noqa: PLC0415

    rpm, tpm = args.rpm * args.scale, args.tpm * args.scale
    infos = analyse(module_source(args.count))
    with (
        FakeAzure(latency_ms=args.latency) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        server.rate_limit(rpm, window_s=args.window)
        server.token_limit(tpm, window_s=args.window)
        config = AidocConfig.from_mapping(
            {
                "provider": "azure",
                "concurrency": args.concurrency,
                "requests_per_minute": rpm,
                "tokens_per_minute": tpm,
                "objects_per_request": pack,
                "provider_deadline": 7200,
            }
        )
        env = {
            "AZURE_OPENAI_ENDPOINT": server.endpoint,
            "AZURE_OPENAI_API_KEY": server.api_key,
            "AZURE_OPENAI_DEPLOYMENT": server.deployment,
        }
        provider = select_provider(config, ListReporter(), environ=env)
        store = Store.open(Path(tmp) / "aidoc.db")
        generator = Generator(
            provider=provider,
            reporter=ListReporter(),
            cache=None if args.no_cache else store,
        )
        started = time.perf_counter()
        drafts = generator.drafts(infos)
        wall = time.perf_counter() - started
        store.close()
        limiter = getattr(provider, "limiter", None)
        hold = (
            limiter.held / limiter.answered
            if limiter is not None and getattr(limiter, "answered", 0)
            else 0.0
        )
        requests = server.request_count
        admitted = server.admitted_tokens
        # The least time any client needs against this server: a sliding
        # window admits at most its share (of tokens and of requests) per
        # window, so requests go in whole windows, the first at once.
        sizes = [
            admitted_tokens(body)
            for entry, body in zip(server.log, server.received, strict=True)
            if entry.outcome != "429"
        ]
        windows = _windows(sizes, tpm * args.window / 60, rpm * args.window / 60)
        bound = max(
            (windows - 1) * args.window + args.latency / 1000,
            requests * args.latency / 1000 / args.concurrency,
        )
        steady = admitted * 60 / tpm  # the same tokens at the steady rate
        n = len(infos)
        return {
            "objects": n,
            "llm": sum(d.source == "llm" for d in drafts.values()),
            "requests": requests,
            "throttled": server.counts["429"],
            "admitted_per_object": admitted / n,
            "billed_per_object": (server.billed_in + server.billed_out) / n,
            "asked_per_object": sum(
                body.get("max_completion_tokens", 0)
                for entry, body in zip(server.log, server.received, strict=True)
                if entry.outcome != "429"
            )
            / n,
            "wall_s": wall,
            "bound_s": bound,
            "steady_s": steady,
            "hold_s": hold,
        }


def _windows(sizes: list[int], tokens: float, requests: float) -> int:
    """Return the windows needed to admit *sizes* in order, whole requests each."""
    count, used, sent = 1, 0, 0
    for size in sizes:
        if used + size > tokens or sent + 1 > requests:
            count, used, sent = count + 1, 0, 0
        used, sent = used + size, sent + 1
    return count


def show(label: str, figures: dict[str, float], args_window: float = 10.0) -> None:
    """Print one run's figures."""
    print(f"\n{label}")
    print(
        f"  objects {figures['objects']:.0f}, from the provider {figures['llm']:.0f}, "
        f"requests {figures['requests']:.0f}"
    )
    print(f"  tokens admitted per object   {figures['admitted_per_object']:8.1f}")
    print(f"  tokens billed per object     {figures['billed_per_object']:8.1f}")
    print(f"  completion asked per object  {figures['asked_per_object']:8.1f}")
    print(f"  429s from the server         {figures['throttled']:8.0f}  (target 0)")
    print(f"  wall time                    {figures['wall_s']:8.1f} s")
    print(
        f"  bound                        {figures['bound_s']:8.1f} s"
        "  (whole windows of the server's share)"
    )
    print(f"  tokens / tpm                 {figures['steady_s']:8.1f} s")
    print(
        f"  wall / bound                 {figures['wall_s'] / figures['bound_s']:8.3f}"
        "  (target <= 1.1)"
    )
    if figures.get("hold_s"):
        # Tokens stay booked until the request was surely admitted: each
        # window's share is reused after window + hold, not window.
        slowdown = 1.02 * (args_window + figures["hold_s"]) / args_window
        print(
            f"  mean hold (let out -> answer) {figures['hold_s']:7.2f} s"
            f"  (pacer's own bound: {slowdown:.3f} x)"
        )


def baseline(ref: str, argv: list[str]) -> dict[str, float]:
    """Run the measurement on the code of git revision *ref*."""
    target = WORK / f"baseline-{ref.replace('/', '_')}"
    if not target.exists():
        target.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "archive", ref, "sphinxcontrib_aidoc"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        ).stdout
        with tempfile.TemporaryFile() as tmp:
            tmp.write(archive)
            tmp.seek(0)
            with tarfile.open(fileobj=tmp) as tar:
                tar.extractall(target, filter="data")
    run = subprocess.run(
        [
            sys.executable,
            __file__,
            *argv,
            "--code",
            str(target),
            "--json",
            "--pack",
            "1",
        ],
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": ""},
    )
    if run.returncode:
        raise SystemExit(run.stderr)
    out = run.stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--rpm", type=float, default=180)
    parser.add_argument("--tpm", type=float, default=30_000)
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--window", type=float, default=10.0)
    parser.add_argument("--latency", type=float, default=300.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--pack", type=int, action="append")
    parser.add_argument("--baseline", default="")
    parser.add_argument(
        "--no-cache", action="store_true", help="draft without the SQLite cache"
    )
    parser.add_argument("--code", default="", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    argv = sys.argv[1:]
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.code:
        sys.path.insert(0, args.code)
    packs = args.pack or [1, 4]
    if args.json:
        print(json.dumps(measure(args, packs[0])))
        return 0
    print(
        f"server: {args.rpm * args.scale:g} rpm, {args.tpm * args.scale:g} tpm over "
        f"{args.window:g} s windows (Azure's count: prompt estimate + "
        f"max_completion_tokens), {args.latency:g} ms latency; "
        f"client: concurrency {args.concurrency}, pacing at the same limits"
    )
    before = None
    if args.baseline:
        keep = [
            f"--{name}={getattr(args, name)}"
            for name in ("count", "rpm", "tpm", "scale", "window", "latency")
        ] + [f"--concurrency={args.concurrency}"]
        before = baseline(args.baseline, keep)
        show(f"before ({args.baseline}, one object a request)", before)
    for pack in packs:
        after = measure(args, pack)
        show(f"now, aidoc_objects_per_request={pack}", after, args.window)
        if before is not None:
            change = 1 - after["admitted_per_object"] / before["admitted_per_object"]
            print(f"  admitted per object vs before  {-change:+8.1%}  (target <= -40%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
