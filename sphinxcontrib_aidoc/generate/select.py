"""Pick the prose provider from the settings and the environment.

``aidoc_provider``:

* ``"offline"``: never call a network provider.
* ``"auto"`` (default): Azure OpenAI when ``$AZURE_OPENAI_ENDPOINT``, a key
  (``$AZURE_OPENAI_API_KEY``, or ``azure-identity`` installed for keyless
  access) and a deployment (``aidoc_azure_deployment`` or
  ``$AZURE_OPENAI_DEPLOYMENT``) are all set; otherwise offline. When the
  endpoint is set but something else is missing, a ``provider`` diagnostic
  names what.
* ``"azure"`` / ``"openai"``: that provider; when its variables are missing
  a ``provider`` diagnostic names them (names only, never values) and the
  build goes on offline.

The network providers (and the ``openai`` package under them), and the
reading of their settings, are imported only when one is asked for, so an
offline build or ``aidoc generate --provider none`` never loads them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sphinxcontrib_aidoc.config import AidocConfig
from sphinxcontrib_aidoc.diagnostics import Diagnostic, Reporter
from sphinxcontrib_aidoc.generate import OfflineProvider, Provider

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.generate.usage import Recorder

__all__ = ["azure_configured", "describe_provider", "select_provider"]


def azure_configured(
    config: AidocConfig | None = None, environ: Mapping[str, str] | None = None
) -> bool:
    """Whether ``auto`` would pick Azure OpenAI."""
    from sphinxcontrib_aidoc.generate._client import (  # noqa: PLC0415 - see above
        azure_identity_available,
    )

    env = os.environ if environ is None else environ
    deployment = (config.azure_deployment if config else "") or env.get(
        "AZURE_OPENAI_DEPLOYMENT", ""
    )
    return bool(
        env.get("AZURE_OPENAI_ENDPOINT")
        and (env.get("AZURE_OPENAI_API_KEY") or azure_identity_available())
        and deployment.strip()
    )


def select_provider(
    config: AidocConfig,
    reporter: Reporter,
    recorder: Recorder | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    **options: Any,  # noqa: ANN401 (limiter, budget, backoff: see ChatProvider)
) -> Provider:
    """Return the provider *config* asks for, or the offline fallback.

    Args:
        config: The settings (provider, deployment, model, limits).
        reporter: Receives ``provider`` diagnostics about missing settings.
        recorder: Receives one row per provider request (see
            :class:`~sphinxcontrib_aidoc.generate.usage.Recorder`).
        environ: Environment to read (default: ``os.environ``).
        **options: Passed to the provider (``limiter``, ``budget``,
            ``backoff_base``, ``backoff_cap``, ``rng``).
    """
    env = os.environ if environ is None else environ
    choice = config.provider
    if choice == "offline":
        return OfflineProvider()
    if choice == "auto" and not env.get("AZURE_OPENAI_ENDPOINT", "").strip():
        return OfflineProvider()
    from sphinxcontrib_aidoc.generate._client import (  # noqa: PLC0415 - see above
        AzureSettings,
        OpenAISettings,
    )

    if choice == "openai":
        openai_settings, missing = OpenAISettings.from_env(config.model, env)
        if openai_settings is not None:
            from sphinxcontrib_aidoc.generate.providers import (  # noqa: PLC0415 - see above
                OpenAIProvider,
            )

            return OpenAIProvider(config, openai_settings, recorder=recorder, **options)
        _report_missing(reporter, "openai", missing)
        return OfflineProvider()
    settings, missing = AzureSettings.from_env(config.azure_deployment, env)
    if settings is not None:
        from sphinxcontrib_aidoc.generate.providers import (  # noqa: PLC0415 - see above
            AzureProvider,
        )

        return AzureProvider(config, settings, recorder=recorder, **options)
    _report_missing(reporter, "azure", missing, auto=choice == "auto")
    return OfflineProvider()


def _report_missing(
    reporter: Reporter, provider: str, missing: list[str], *, auto: bool = False
) -> None:
    if auto:
        asked = "aidoc_provider='auto' found AZURE_OPENAI_ENDPOINT, but not"
    else:
        asked = f"aidoc_provider={provider!r} needs settings that are not set:"
    reporter.report(
        Diagnostic(
            "provider",
            f"{asked} {', '.join(missing)}; writing docstrings with the offline "
            "fallback",
        )
    )


def describe_provider(provider: Provider) -> str:
    """Return the build-start line naming the provider (never a secret).

    For example ``aidoc: using Azure OpenAI deployment 'x' at https://host/``.
    """
    describe = getattr(provider, "describe", None)
    if callable(describe):
        return str(describe())
    if provider.name == "offline":
        return "aidoc: using the offline provider (no network calls)"
    return f"aidoc: using provider {provider.name!r}"
