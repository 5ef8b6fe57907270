"""``aidoc db``: maintenance of the database file (``prune``)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from sphinxcontrib_aidoc.commands._conf import (
    ConfError,
    add_conf_option,
    add_db_option,
    load_settings,
    require_db,
    usage_error,
)


def register(commands: Any) -> None:  # noqa: ANN401 (argparse's private subparsers type)
    """Add the ``db`` subcommand and its actions."""
    db = commands.add_parser(
        "db",
        help="maintain the database file (prune old history)",
        description="Maintain an aidoc database.",
    )
    actions = db.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    prune = actions.add_parser(
        "prune",
        help="keep the last N builds of history; drop what only older ones used",
        description="Keep the N newest successful builds (and the builds their "
        "changelog is measured against); delete older builds, their objects, "
        "changes and calls, unused docstring texts and cache rows no kept build "
        "used; then VACUUM the file.",
    )
    prune.add_argument(
        "--keep",
        type=int,
        metavar="N",
        help="builds to keep (default: aidoc_history_keep)",
    )
    prune.add_argument(
        "--no-vacuum", action="store_true", help="do not rewrite the file"
    )
    prune.add_argument("--json", action="store_true", help="print JSON")
    add_db_option(prune)
    add_conf_option(prune)
    db.set_defaults(func=cmd_db)


def cmd_db(args: argparse.Namespace) -> int:
    """Run ``aidoc db prune``."""
    from sphinxcontrib_aidoc.store import Store, StoreError

    try:
        settings = load_settings(args, discover=True)
        db = require_db(settings, "db prune", exists=True)
    except ConfError as exc:
        return usage_error(exc)
    keep = args.keep if args.keep is not None else settings.config.history_keep
    if keep is None or keep < 1:
        sys.stderr.write(
            "aidoc db prune: give --keep N (1 or more), or set aidoc_history_keep\n"
        )
        return 2
    try:
        with Store.open(db, create=False) as store:
            report = store.prune(keep, vacuum=not args.no_vacuum)
    except StoreError as exc:
        sys.stderr.write(f"aidoc db prune: {exc}\n")
        return 2
    if args.json:
        data = {
            "kept": report.kept,
            "baselines": report.baselines,
            "removed": report.removed,
            "bytes_before": report.bytes_before,
            "bytes_after": report.bytes_after,
            "vacuumed": report.vacuumed,
        }
        sys.stdout.write(json.dumps(data, sort_keys=True) + "\n")
        return 0
    sys.stdout.write(
        f"kept {report.kept} build(s) and {report.baselines} baseline(s); removed "
        f"{report.builds} build(s), {report.objects} object row(s), "
        f"{report.changes} change(s), {report.calls} call(s), "
        f"{report.docstrings} docstring text(s), {report.cache} cache row(s)\n"
        f"file: {report.bytes_before:,} -> {report.bytes_after:,} bytes "
        f"({report.freed:,} freed{', vacuumed' if report.vacuumed else ''})\n"
    )
    return 0
