"""``aidoc changelog``: print the API changelog that builds recorded.

``--fail-on-breaking --since REF`` makes it a semver check for CI: exit
status 1 when a breaking change happened since REF, 0 otherwise.
"""

from __future__ import annotations

import argparse
import functools
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
from sphinxcontrib_aidoc.model import CHANGE_KINDS

FORMATS = ("md", "rst", "json", "atom")


def register(commands: Any) -> None:  # noqa: ANN401 (argparse's private subparsers type)
    """Add the ``changelog`` subcommand."""
    cmd = commands.add_parser(
        "changelog",
        help="print the API changelog recorded by builds",
        description="Print the API changes that Sphinx builds with aidoc recorded "
        "in the database: every build against the previous one, or, with "
        "--since, the difference between a baseline build and the latest one.",
    )
    add_db_option(cmd)
    add_conf_option(cmd)
    cmd.add_argument("--format", choices=FORMATS, default="md", help="default: md")
    cmd.add_argument(
        "--since",
        metavar="REF",
        help="a release, an ISO date, a commit prefix or a git ref: show the "
        "difference between that build and the latest one",
    )
    cmd.add_argument(
        "--breaking-only", action="store_true", help="only breaking changes"
    )
    cmd.add_argument("--module", default="", help="only objects under this dotted name")
    cmd.add_argument(
        "--kinds",
        default="",
        help=f"comma-separated change kinds ({', '.join(CHANGE_KINDS)})",
    )
    cmd.add_argument("--limit", type=int, metavar="N", help="at most N changes")
    cmd.add_argument(
        "--fail-on-breaking",
        action="store_true",
        help="exit with status 1 when a breaking change exists since --since",
    )
    cmd.set_defaults(func=cmd_changelog)


def cmd_changelog(args: argparse.Namespace) -> int:
    """``aidoc changelog``: select, render, and gate on breaking changes."""
    from sphinxcontrib_aidoc.changelog import Query, SinceError, select
    from sphinxcontrib_aidoc.changelog.render import (
        to_atom,
        to_json,
        to_markdown,
        to_rst,
    )
    from sphinxcontrib_aidoc.store import Store, StoreError, rev_parse

    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in CHANGE_KINDS]
    problem = ""
    if unknown:
        problem = f"unknown change kind(s): {', '.join(unknown)}"
    elif args.limit is not None and args.limit < 0:
        problem = "--limit must be 0 or more"
    elif args.fail_on_breaking and not args.since:
        problem = "--fail-on-breaking needs --since REF (the last release)"
    if problem:
        sys.stderr.write(f"aidoc changelog: {problem}\n")
        return 2
    query = Query(
        module=args.module,
        since=args.since or "",
        limit=args.limit,
        kinds=frozenset(kinds),
        breaking_only=args.breaking_only,
    )
    try:
        db = require_db(load_settings(args, discover=True), "changelog")
    except ConfError as exc:
        return usage_error(exc)
    try:
        with Store.open(db, readonly=True) as store:
            log = select(
                store,
                query,
                rev_parse=functools.partial(rev_parse, db.resolve().parent),
            )
    except (StoreError, SinceError) as exc:
        sys.stderr.write(f"aidoc changelog: {exc}\n")
        return 2
    if args.format == "json":
        sys.stdout.write(to_json(log))
    elif args.format == "atom":
        sys.stdout.write(to_atom(log))
    elif args.format == "rst":
        sys.stdout.write(to_rst(log))
    else:
        sys.stdout.write(to_markdown(log))
    if args.fail_on_breaking and log.breaking:
        sys.stderr.write(
            f"aidoc changelog: {len(log.breaking)} breaking change(s) since "
            f"{args.since}\n"
        )
        return 1
    return 0
