"""``aidoc history``: export and import the build history as JSON lines.

The history (successful builds, their API snapshots and changes) is what
the changelog is made of. Exported after a build and imported before the
next one, it survives fresh CI checkouts and Read the Docs builds; kept in
the repository, it diffs line by line (see ``docs/history.rst``).
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TextIO, cast

from sphinxcontrib_aidoc.commands._conf import (
    ConfError,
    add_conf_option,
    add_db_option,
    load_settings,
    require_db,
    usage_error,
)


def register(commands: Any) -> None:  # noqa: ANN401 (argparse's private subparsers type)
    """Add the ``history`` subcommand and its actions."""
    history = commands.add_parser(
        "history",
        help="export or import the build history (changelog) as JSON lines",
        description="Move the build history that the API changelog is made of "
        "between databases, as diff-friendly JSON lines.",
    )
    actions = history.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    export = actions.add_parser("export", help="write the history as JSON lines")
    export.add_argument(
        "--output", "-o", default="-", help="file to write ('-': stdout)"
    )
    load = actions.add_parser(
        "import", help="add the builds of an exported history to the database"
    )
    load.add_argument("input", help="file to read ('-': stdin)")
    load.add_argument(
        "--missing-ok",
        action="store_true",
        help="a missing input file is not an error (first CI run)",
    )
    for action in (export, load):
        add_db_option(action)
        add_conf_option(action)
    history.set_defaults(func=cmd_history)


def cmd_history(args: argparse.Namespace) -> int:
    """Run ``aidoc history export`` or ``aidoc history import``."""
    from sphinxcontrib_aidoc.store import Store, StoreError

    try:
        settings = load_settings(args, discover=True)
        db = require_db(settings, "history", exists=args.action == "export")
    except ConfError as exc:
        return usage_error(exc)
    if args.action == "import" and args.input != "-" and not Path(args.input).is_file():
        if args.missing_ok:
            sys.stderr.write(f"aidoc: no history at {args.input}; nothing imported\n")
            return 0
        sys.stderr.write(f"aidoc: no such file: {args.input}\n")
        return 2
    try:
        with Store.open(db, readonly=args.action == "export") as store:
            if args.action == "export":
                with ExitStack() as stack:
                    out = _open(stack, args.output, "w", sys.stdout)
                    lines = store.history_export(out)
                sys.stderr.write(f"aidoc: exported {lines} history line(s)\n")
                return 0
            with ExitStack() as stack:
                source = _open(stack, args.input, "r", sys.stdin)
                result = store.history_import(source)
    except StoreError as exc:
        sys.stderr.write(f"aidoc history: {exc}\n")
        return 2
    sys.stderr.write(
        f"aidoc: imported {result.builds} build(s) ({result.objects} object "
        f"snapshot(s), {result.changes} change(s)); {result.skipped} already "
        "present\n"
    )
    return 0


def _open(stack: ExitStack, name: str, mode: str, default: TextIO) -> TextIO:
    if name == "-":
        return default
    return cast(
        "TextIO",
        stack.enter_context(Path(name).open(mode, encoding="utf-8", newline="\n")),
    )
