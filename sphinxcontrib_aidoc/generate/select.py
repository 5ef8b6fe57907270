"""Pick the prose provider from the settings and the environment."""

from __future__ import annotations

import os

from sphinxcontrib_aidoc.config import AidocConfig
from sphinxcontrib_aidoc.diagnostics import Diagnostic, Reporter
from sphinxcontrib_aidoc.generate import OfflineProvider, Provider

AZURE_VARS = ("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY")


def azure_configured() -> bool:
    """Whether the Azure OpenAI environment variables are set."""
    return all(os.environ.get(name) for name in AZURE_VARS)


def select_provider(config: AidocConfig, reporter: Reporter) -> Provider:
    """Return the provider *config* asks for, or the offline fallback.

    Only the offline provider ships in this release; asking for a network
    provider reports a ``provider`` diagnostic and falls back offline.
    """
    if config.provider in ("azure", "openai"):
        reporter.report(
            Diagnostic(
                "provider",
                f"provider {config.provider!r} is not available in this "
                "version; writing docstrings with the offline fallback",
            )
        )
    return OfflineProvider()
