"""Subcommands of ``aidoc``, one module each, each with ``register()``.

``aidoc`` imports every command module to build its parser, so a module's
top level imports only what ``register()`` needs (argparse, :mod:`config`,
:mod:`model`). The engines a command runs (astroid, openai, sqlite-utils,
the quality checks) are imported inside its ``cmd_*`` function: ``aidoc
report`` never pays for openai or sqlite-utils, and with its default engine
not for astroid either (``tests/test_report_cli.py`` checks this).
"""
