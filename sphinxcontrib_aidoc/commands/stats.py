"""``aidoc stats``: usage and health of builds, read from the database.

Per build and per month: time by stage, objects analysed (or served from
the analysis table), docstrings generated and served from the generation
cache, provider requests, tokens, estimated cost and failed requests by
kind. ``--format json`` prints one JSON object for dashboards.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from sphinxcontrib_aidoc.commands._conf import (
    ConfError,
    add_conf_option,
    add_db_option,
    load_settings,
    require_db,
    usage_error,
)

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.store import Usage


def register(commands: Any) -> None:  # noqa: ANN401 (argparse's private subparsers type)
    """Add the ``stats`` subcommand."""
    stats = commands.add_parser(
        "stats",
        help="usage and health of builds: time, objects, requests, tokens, cost",
        description="Print, per build and per month, the time by stage, the "
        "objects analysed and drafted, the generation cache hit rate, provider "
        "requests, tokens, estimated cost and failed requests by kind.",
    )
    stats.add_argument(
        "--last",
        type=int,
        default=20,
        metavar="N",
        help="builds listed one by one (default 20; 0 for all); months count "
        "every build",
    )
    stats.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default) or one JSON object",
    )
    add_db_option(stats)
    add_conf_option(stats)
    stats.set_defaults(func=cmd_stats)


def cmd_stats(args: argparse.Namespace) -> int:
    """Run ``aidoc stats``."""
    from sphinxcontrib_aidoc.store import STAGES, Store, StoreError, by_month

    try:
        db = require_db(load_settings(args, discover=True), "stats", exists=True)
    except ConfError as exc:
        return usage_error(exc)
    if args.last < 0:
        sys.stderr.write("aidoc stats: --last must be 0 or more\n")
        return 2
    try:
        with Store.open(db, readonly=True) as store:
            every = store.usage()
            outside = store.outside_builds()
    except StoreError as exc:
        sys.stderr.write(f"aidoc stats: {exc}\n")
        return 2
    builds = every[-args.last :] if args.last else every
    months = by_month(every)
    if args.format == "json":
        data: dict[str, Any] = {
            "builds": [u.to_json() for u in builds],
            "months": [u.to_json() for u in months],
            "outside_builds": None,
        }
        if outside is not None:
            data["outside_builds"] = {
                **outside[0].to_json(),
                "batch_answers": outside[1],
            }
        sys.stdout.write(json.dumps(data, indent=2, sort_keys=True) + "\n")
        return 0
    if every:
        sys.stdout.write(render(builds, "build", STAGES))
        sys.stdout.write("\n")
        sys.stdout.write(render(months, "month", STAGES))
    else:
        sys.stdout.write("No builds recorded.\n")
    if outside is not None:
        sys.stdout.write("\n" + outside_line(*outside))
    return 0


def outside_line(usage: Usage, batch_answers: int) -> str:
    """One line for the calls made outside builds (CLI runs, batch collects)."""
    failures = ", ".join(f"{k} {v}" for k, v in sorted(usage.failures.items()))
    return (
        "Outside builds (aidoc generate, apply, batch collect): "
        f"{usage.requests:,} requests, {batch_answers:,} answers read from batch "
        f"jobs, {usage.generated:,} with prose, {usage.tokens_in:,} tokens in / "
        f"{usage.tokens_out:,} out, est. ${usage.cost:.4f}"
        f"{'; failed: ' + failures if failures else ''}\n"
    )


def render(usages: list[Usage], what: str, stages: tuple[str, ...]) -> str:
    """A plain-text table of *usages*, one row each."""
    head = [
        what,
        "builds" if what == "month" else "status",
        "time",
        *stages,
        "objects",
        "analysed",
        "kept",
        "generated",
        "cached",
        "hit rate",
        "requests",
        "tokens in",
        "tokens out",
        "cost",
        "failed requests",
    ]
    rows = [head]
    for usage in usages:
        rate = usage.hit_rate
        failures = ", ".join(f"{k} {v}" for k, v in sorted(usage.failures.items()))
        rows.append(
            [
                usage.label,
                str(usage.builds) if what == "month" else usage.status,
                _secs(usage.seconds),
                *(_secs(usage.stages.get(s)) for s in stages),
                str(usage.objects),
                str(usage.analysed),
                str(usage.analysis_kept),
                str(usage.generated),
                str(usage.cache_hits),
                "-" if rate is None else f"{rate:.0%}",
                str(usage.requests),
                str(usage.tokens_in),
                str(usage.tokens_out),
                f"{usage.cost:.4f}",
                failures or "-",
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = []
    for row in rows:
        cells = [
            cell.ljust(width) if i in (0, 1, len(head) - 1) else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def _secs(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}s"
