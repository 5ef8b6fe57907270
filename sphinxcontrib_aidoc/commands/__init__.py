"""Subcommands of ``aidoc``, one module each, each with ``register()``."""
