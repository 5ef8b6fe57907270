"""The ``aidoc`` command line: the same core as the Sphinx extension.

Each subcommand lives in :mod:`sphinxcontrib_aidoc.commands` and registers
itself with ``register(subparsers)``. Exit codes: 0 ok, 1 a gate failed, 2
usage or unusable input.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence

from sphinxcontrib_aidoc import __version__

#: Modules whose ``register(subparsers)`` adds a subcommand, in help order.
COMMANDS = (
    "sphinxcontrib_aidoc.commands.generate",
    "sphinxcontrib_aidoc.commands.changelog",
    "sphinxcontrib_aidoc.commands.report",
    "sphinxcontrib_aidoc.commands.cache",
    "sphinxcontrib_aidoc.commands.batch",
    "sphinxcontrib_aidoc.commands.apply",
    "sphinxcontrib_aidoc.commands.review",
    "sphinxcontrib_aidoc.commands.history",
    "sphinxcontrib_aidoc.commands.db",
    "sphinxcontrib_aidoc.commands.stats",
)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``aidoc`` (also used by the docs test)."""
    parser = argparse.ArgumentParser(
        prog="aidoc",
        description="Generate, score and track Python API docstrings.",
    )
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    for name in COMMANDS:
        importlib.import_module(name).register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``aidoc``; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code
