"""``aidoc cache``: inspect, clear, export and import the generation cache.

Export and import use JSON lines, so a team or a CI job can share a cache
without sharing the database file (which also holds build history).
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from sphinxcontrib_aidoc.commands._conf import (
    ConfError,
    add_conf_option,
    add_db_option,
    load_settings,
    require_db,
    usage_error,
)

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.store import Store


def register(commands: Any) -> None:  # noqa: ANN401 (argparse's private subparsers type)
    """Add the ``cache`` subcommand and its actions."""
    cache = commands.add_parser(
        "cache",
        help="inspect, clear, export or import the generation cache",
        description="Work on the generation cache of an aidoc database.",
    )
    actions = cache.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True

    stats = actions.add_parser("stats", help="entries, hits and size")
    stats.add_argument("--json", action="store_true", help="print JSON")
    clear = actions.add_parser("clear", help="delete cached drafts")
    clear.add_argument("--provider", help="only this provider's drafts")
    export = actions.add_parser("export", help="write the cache as JSON lines")
    export.add_argument(
        "--output", "-o", default="-", help="file to write ('-': stdout)"
    )
    load = actions.add_parser("import", help="read a cache exported as JSON lines")
    load.add_argument("input", help="file to read ('-': stdin)")
    for action in (stats, clear, export, load):
        add_db_option(action)
        add_conf_option(action)
    cache.set_defaults(func=cmd_cache)


def cmd_cache(args: argparse.Namespace) -> int:
    """Run one ``aidoc cache`` action."""
    from sphinxcontrib_aidoc.store import Store, StoreError

    try:
        settings = load_settings(args, discover=True)
        db = require_db(settings, "cache", exists=args.action != "import")
    except ConfError as exc:
        return usage_error(exc)
    try:
        store = Store.open(db, readonly=args.action in ("stats", "export"))
    except StoreError as exc:
        sys.stderr.write(f"aidoc: {exc}\n")
        return 2
    with store:
        if args.action == "stats":
            _stats(store, as_json=args.json)
        elif args.action == "clear":
            deleted = store.cache_clear(provider=args.provider)
            sys.stderr.write(f"aidoc: deleted {deleted} cached draft(s)\n")
        elif args.action == "export":
            with ExitStack() as stack:
                out = _open(stack, args.output, "w", sys.stdout)
                count = store.cache_export(out)
            sys.stderr.write(f"aidoc: exported {count} cached draft(s)\n")
        else:
            with ExitStack() as stack:
                source = _open(stack, args.input, "r", sys.stdin)
                imported, skipped = store.cache_import(source)
            sys.stderr.write(
                f"aidoc: imported {imported} cached draft(s), skipped {skipped} "
                "invalid line(s)\n"
            )
    return 0


def _open(stack: ExitStack, name: str, mode: str, default: TextIO) -> TextIO:
    if name == "-":
        return default
    return cast("TextIO", stack.enter_context(Path(name).open(mode, encoding="utf-8")))


def _stats(store: Store, *, as_json: bool) -> None:
    stats = store.cache_stats()
    if as_json:
        sys.stdout.write(json.dumps(stats, sort_keys=True) + "\n")
        return
    lines = [
        f"entries: {stats['entries']:,}",
        f"hits:    {stats['hits']:,}",
        f"size:    {stats['size_bytes']:,} bytes",
        f"oldest:  {stats['oldest'] or '-'}",
        f"newest:  {stats['newest'] or '-'}",
    ]
    lines.extend(
        f"  {g['provider']}/{g['model'] or '-'}: {g['entries']:,} entries, "
        f"{g['hits'] or 0:,} hits"
        for g in stats["by_provider"]
    )
    sys.stdout.write("\n".join(lines) + "\n")
