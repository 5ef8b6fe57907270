"""``aidoc batch``: the provider batch jobs of large first runs.

``aidoc batch status`` prints every job recorded in the database (asking the
provider for the status of the live ones); ``aidoc batch collect`` reads the
answers of ended jobs into the cache, so the next build uses them. Both
need the provider's environment variables, like a build (see
:mod:`~sphinxcontrib_aidoc.generate.batch_jobs`).
"""

from __future__ import annotations

import argparse
import functools
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
    """Add the ``batch`` subcommand and its actions."""
    batch = commands.add_parser(
        "batch",
        help="check or collect the provider batch jobs of large runs",
        description=(
            "Work on the batch jobs a build submitted (aidoc_batch_threshold): "
            "'status' lists them, 'collect' reads the answers of ended jobs "
            "into the cache."
        ),
    )
    actions = batch.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    status = actions.add_parser("status", help="list the jobs and their status")
    collect = actions.add_parser("collect", help="cache the answers of ended jobs")
    for action in (status, collect):
        add_db_option(action)
        add_conf_option(action)
    batch.set_defaults(func=cmd_batch)


def cmd_batch(args: argparse.Namespace) -> int:
    """Run one ``aidoc batch`` action; JSON to stdout."""
    from sphinxcontrib_aidoc.diagnostics import StderrReporter
    from sphinxcontrib_aidoc.generate.batch_jobs import TERMINAL, BatchStep
    from sphinxcontrib_aidoc.generate.select import select_provider
    from sphinxcontrib_aidoc.store import Store, StoreError

    try:
        settings = load_settings(args, discover=True)
        db = require_db(settings, "batch", exists=True)
    except ConfError as exc:
        return usage_error(exc)
    reporter = StderrReporter()
    try:
        store = Store.open(db)
    except StoreError as exc:
        sys.stderr.write(f"aidoc: {exc}\n")
        return 2
    with store:
        # Answers read from jobs are logged in ``calls`` (via ``batch``).
        recorder = functools.partial(store.record_call, None)
        provider = select_provider(settings.config, reporter, recorder)
        if getattr(provider, "batch_client", None) is None:
            sys.stderr.write(
                "aidoc: batch jobs need the Azure OpenAI or OpenAI provider and its "
                "environment variables (aidoc_provider is "
                f"{settings.config.provider!r}, which gave {provider.name!r})\n"
            )
            return 2
        step = BatchStep(provider, store, reporter)  # type: ignore[arg-type]  # checked above
        try:
            if args.action == "collect":
                done = [c.to_json() for c in step.collect_all()]
                cached = sum(int(c["cached"]) for c in done)
                usage = step.provider.usage
                sys.stderr.write(
                    f"aidoc: {cached} answer(s) cached from {len(done)} job(s), "
                    f"{usage.tokens_in:,} tokens in / {usage.tokens_out:,} out, "
                    f"est. ${usage.cost:.3f} at the batch price\n"
                )
                sys.stdout.write(json.dumps({"jobs": done}, indent=2) + "\n")
                return 0
            for job in store.batch_jobs(live=True):
                if (job.provider, job.model) == (provider.name, provider.model) and (
                    job.status not in TERMINAL
                ):
                    step.refresh(job.id)
            jobs = [job.to_json() for job in store.batch_jobs()]
            sys.stdout.write(json.dumps({"jobs": jobs}, indent=2) + "\n")
        finally:
            step.close()
    return 0
