"""Provider settings from the environment, clients, and secret hygiene.

Settings are read once, when a provider is built. The API key is held in a
:class:`Secret`, whose ``repr`` and ``str`` are redacted, which refuses to
pickle, and which scrubs itself out of any text passed through
:meth:`Secret.scrub`. The ``openai`` package (a third of a second to import)
is imported only when a client is built or one of its errors described.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import openai

#: API version used when ``OPENAI_API_VERSION`` is not set (GA, supports
#: structured outputs).
DEFAULT_AZURE_API_VERSION = "2024-10-21"
#: Token scope of keyless (Microsoft Entra ID) access to Azure OpenAI.
AZURE_SCOPE = "https://cognitiveservices.azure.com/.default"
_ERROR_MAX = 300

#: Builds an async client for a request timeout (inside the batch's loop).
ClientFactory = Callable[[float], "openai.AsyncOpenAI"]
#: Builds the synchronous client of the batch API (files and batches).
BatchClientFactory = Callable[[], "openai.OpenAI"]
#: Seconds a batch API call (upload, create, retrieve, download) may take.
BATCH_API_TIMEOUT = 120.0


class Secret:
    """A credential that does not show itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def __repr__(self) -> str:
        return "Secret('***')" if self._value else "Secret('')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> NoReturn:
        msg = "credentials are not pickled"
        raise TypeError(msg)

    def reveal(self) -> str:
        """Return the value (only for the client that needs it)."""
        return self._value

    def scrub(self, text: str) -> str:
        """Return *text* with every occurrence of the value replaced by ``***``."""
        if len(self._value) >= 4 and self._value in text:
            return text.replace(self._value, "***")
        return text


def azure_identity_available() -> bool:
    """Whether ``azure-identity`` is importable (keyless Azure access)."""
    try:
        importlib.import_module("azure.identity")
    except ImportError:
        return False
    return True


def _bearer_token_provider() -> Callable[[], str]:
    identity: Any = importlib.import_module("azure.identity")
    provider: Callable[[], str] = identity.get_bearer_token_provider(
        identity.DefaultAzureCredential(), AZURE_SCOPE
    )
    return provider


@dataclass(frozen=True)
class AzureSettings:
    """Where and how to reach one Azure OpenAI deployment."""

    endpoint: str
    deployment: str
    api_version: str = DEFAULT_AZURE_API_VERSION
    api_key: Secret = field(default_factory=lambda: Secret(""))
    #: Entra ID token provider (keyless); used when there is no key.
    token_provider: Callable[[], str] | None = field(default=None, repr=False)

    @property
    def auth(self) -> str:
        """``"api-key"`` or ``"entra-id"``."""
        return "api-key" if self.api_key else "entra-id"

    @classmethod
    def from_env(
        cls, deployment: str = "", environ: Mapping[str, str] | None = None
    ) -> tuple[AzureSettings | None, list[str]]:
        """Read the settings; return them, or None and the missing variables.

        *deployment* (``aidoc_azure_deployment``) wins over
        ``$AZURE_OPENAI_DEPLOYMENT``. Without ``$AZURE_OPENAI_API_KEY`` the
        settings use ``DefaultAzureCredential`` when ``azure-identity`` is
        installed.
        """
        env = os.environ if environ is None else environ
        endpoint = env.get("AZURE_OPENAI_ENDPOINT", "").strip()
        key = env.get("AZURE_OPENAI_API_KEY", "").strip()
        deployment = (
            deployment.strip() or env.get("AZURE_OPENAI_DEPLOYMENT", "").strip()
        )
        missing = []
        if not endpoint:
            missing.append("AZURE_OPENAI_ENDPOINT")
        if not key and not azure_identity_available():
            missing.append("AZURE_OPENAI_API_KEY (or install azure-identity)")
        if not deployment:
            missing.append("AZURE_OPENAI_DEPLOYMENT (or aidoc_azure_deployment)")
        if missing:
            return None, missing
        if urlsplit(endpoint).scheme not in ("http", "https"):
            return None, ["AZURE_OPENAI_ENDPOINT (an https:// URL)"]
        version = env.get("OPENAI_API_VERSION", "").strip() or DEFAULT_AZURE_API_VERSION
        settings = cls(
            endpoint=endpoint,
            deployment=deployment,
            api_version=version,
            api_key=Secret(key),
            token_provider=None if key else _bearer_token_provider(),
        )
        return settings, []

    def client_factory(self) -> ClientFactory:
        """Return a function building ``AsyncAzureOpenAI`` with retries off."""

        def build(timeout: float) -> openai.AsyncOpenAI:
            import openai  # noqa: PLC0415 - only a network provider needs it

            return openai.AsyncAzureOpenAI(
                azure_endpoint=self.endpoint,
                azure_deployment=self.deployment,
                api_version=self.api_version,
                api_key=self.api_key.reveal() or None,
                azure_ad_token_provider=None if self.api_key else self.token_provider,
                max_retries=0,
                timeout=timeout,
            )

        return build

    def batch_client_factory(self) -> BatchClientFactory:
        """Return a function building ``AzureOpenAI`` for the batch API.

        No deployment in the client: files and batches live under
        ``/openai/``; each line of a job names the deployment as its model.
        """

        def build() -> openai.OpenAI:
            import openai  # noqa: PLC0415 - only a network provider needs it

            return openai.AzureOpenAI(
                azure_endpoint=self.endpoint,
                api_version=self.api_version,
                api_key=self.api_key.reveal() or None,
                azure_ad_token_provider=None if self.api_key else self.token_provider,
                max_retries=2,
                timeout=BATCH_API_TIMEOUT,
            )

        return build


@dataclass(frozen=True)
class OpenAISettings:
    """Where and how to reach OpenAI or an OpenAI-compatible server."""

    model: str
    base_url: str = ""
    api_key: Secret = field(default_factory=lambda: Secret(""))

    @classmethod
    def from_env(
        cls, model: str, environ: Mapping[str, str] | None = None
    ) -> tuple[OpenAISettings | None, list[str]]:
        """Read ``$OPENAI_API_KEY`` and ``$OPENAI_BASE_URL`` (optional)."""
        env = os.environ if environ is None else environ
        key = env.get("OPENAI_API_KEY", "").strip()
        missing = [] if key else ["OPENAI_API_KEY"]
        if not model.strip():
            missing.append("aidoc_model")
        if missing:
            return None, missing
        base_url = env.get("OPENAI_BASE_URL", "").strip()
        return cls(model=model.strip(), base_url=base_url, api_key=Secret(key)), []

    def client_factory(self) -> ClientFactory:
        """Return a function building ``AsyncOpenAI`` with retries off."""

        def build(timeout: float) -> openai.AsyncOpenAI:
            import openai  # noqa: PLC0415 - only a network provider needs it

            return openai.AsyncOpenAI(
                api_key=self.api_key.reveal(),
                base_url=self.base_url or None,
                max_retries=0,
                timeout=timeout,
            )

        return build

    def batch_client_factory(self) -> BatchClientFactory:
        """Return a function building ``OpenAI`` for the batch API."""

        def build() -> openai.OpenAI:
            import openai  # noqa: PLC0415 - only a network provider needs it

            return openai.OpenAI(
                api_key=self.api_key.reveal(),
                base_url=self.base_url or None,
                max_retries=2,
                timeout=BATCH_API_TIMEOUT,
            )

        return build


def endpoint_origin(url: str) -> str:
    """Return ``scheme://host[:port]/`` of *url* (no credentials, no path)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}/" if host else "(no endpoint)"


def retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Return the seconds ``retry-after-ms`` or ``Retry-After`` ask for."""
    if not headers:
        return None
    milliseconds = headers.get("retry-after-ms")
    if milliseconds:
        try:
            return max(0.0, float(milliseconds) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def error_text(exc: BaseException, secret: Secret) -> str:
    """Return a one-line description of a client error, without *secret*."""
    import openai  # noqa: PLC0415 - only a network provider needs it

    if isinstance(exc, openai.APIStatusError):
        text = f"HTTP {exc.status_code}: {exc.message}"
    else:
        text = f"{exc.__class__.__name__}: {exc}"
    text = " ".join(secret.scrub(text).split())
    return text if len(text) <= _ERROR_MAX else text[: _ERROR_MAX - 1] + "\u2026"
