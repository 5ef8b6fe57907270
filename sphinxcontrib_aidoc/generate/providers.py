"""Network providers: Azure OpenAI and OpenAI-compatible chat completions.

Both write prose for a batch of objects with an asyncio batch of
``concurrency`` workers (run in a fresh event loop per
:meth:`~ChatProvider.draft_many`, so a synchronous caller in any thread can
use them). Every request goes through the same steps:

1. skip it when the circuit is open, the provider deadline has passed, or
   the build budget cannot afford its worst case (see
   :class:`~sphinxcontrib_aidoc.generate.limits.BuildBudget`);
2. wait for the :class:`~sphinxcontrib_aidoc.generate.limits.RateLimiter`;
3. call the API with the library's own retries off;
4. on 408/409/429/5xx, timeouts and connection errors, retry up to
   ``max_retries`` times: after ``Retry-After``/``retry-after-ms`` when the
   server sent one, else after an exponential backoff with full jitter;
   no single wait is longer than ``max_wait``, and a server asking for a
   longer one stops the provider for the build (the rest is offline);
5. validate the answer (:mod:`~sphinxcontrib_aidoc.generate.answer`) and
   sanitize it (:func:`~sphinxcontrib_aidoc.generate.sanitize.sanitize_draft`).

Every request is logged to the recorder as it ends (a build killed half-way
keeps its call log). Objects without an answer are left out of the result,
so the generator writes them offline and caches nothing for them. After
``circuit_breaker`` failed requests in a row (or at once, on 401/403/404)
the provider stops calling for the rest of the build. The whole provider
stage of a build ends at ``provider_deadline``: requests in flight are
abandoned and the rest is written offline. While nothing finishes, a status
line says what the batch waits for. The API key never leaves this module:
it is not in any repr, diagnostic or recorder row, and is scrubbed from the
error texts passed on.
"""

from __future__ import annotations

from typing import Any

from sphinxcontrib_aidoc.config import AidocConfig
from sphinxcontrib_aidoc.generate._client import (
    AzureSettings,
    OpenAISettings,
    endpoint_origin,
)
from sphinxcontrib_aidoc.generate._engine import HEARTBEAT_S, ChatProvider

__all__ = ["HEARTBEAT_S", "AzureProvider", "ChatProvider", "OpenAIProvider"]


class AzureProvider(ChatProvider):
    """Azure OpenAI chat completions (``AsyncAzureOpenAI``) for one deployment."""

    name = "azure"
    label = "Azure OpenAI"

    def __init__(
        self,
        config: AidocConfig,
        settings: AzureSettings,
        **options: Any,  # noqa: ANN401
    ) -> None:
        super().__init__(
            config,
            model=settings.deployment,
            client_factory=settings.client_factory(),
            secret=settings.api_key,
            **options,
        )
        self.settings = settings
        self.batch_client = settings.batch_client_factory()
        #: The ``endpoint`` of batch jobs (Azure names it without ``/v1``).
        self.batch_endpoint = "/chat/completions"

    def __repr__(self) -> str:
        return f"AzureProvider({self.settings!r})"

    def describe(self) -> str:
        """Return ``aidoc: using Azure OpenAI deployment 'x' at https://host/``."""
        return (
            f"aidoc: using Azure OpenAI deployment {self.model!r} at "
            f"{endpoint_origin(self.settings.endpoint)}"
        )


class OpenAIProvider(ChatProvider):
    """OpenAI or an OpenAI-compatible server (``AsyncOpenAI``)."""

    name = "openai"
    label = "OpenAI"

    def __init__(
        self,
        config: AidocConfig,
        settings: OpenAISettings,
        **options: Any,  # noqa: ANN401
    ) -> None:
        super().__init__(
            config,
            model=settings.model,
            client_factory=settings.client_factory(),
            secret=settings.api_key,
            **options,
        )
        self.settings = settings
        self.batch_client = settings.batch_client_factory()

    def __repr__(self) -> str:
        return f"OpenAIProvider({self.settings!r})"

    def describe(self) -> str:
        """Return ``aidoc: using OpenAI model 'x' at https://host/``."""
        return (
            f"aidoc: using OpenAI-compatible model {self.model!r} at "
            f"{endpoint_origin(self.settings.base_url or 'https://api.openai.com/')}"
        )
