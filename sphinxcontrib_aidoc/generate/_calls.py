"""One chat-completions request and what its outcome means.

:func:`call_once` makes a single request for one object or a pack of small
ones (the client's own retries are off) and classifies the result as an
:class:`Attempt`: which outcome to record, whether it is worth retrying and
after how long the server asked to wait, whether it is fatal for the whole
build (bad key, unknown deployment), whether the answer was cut at the
token limit, and, on success, the sanitized draft of each object whose
answer was valid (and why each other object's was not).

The body is read raw (``with_raw_response``) and validated by
:func:`~sphinxcontrib_aidoc.generate.answer.read_body`, so whatever bytes
come back (an HTML page, ``[]``, ``message: null``...) become an
``invalid`` attempt with the reason, never an exception. Any other
exception of the client becomes an ``error`` attempt: nothing a server does
escapes this function.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import openai

from sphinxcontrib_aidoc.generate._client import Secret, error_text, retry_after
from sphinxcontrib_aidoc.generate.answer import (
    InvalidAnswer,
    parse_pack,
    read_body,
    response_format,
)
from sphinxcontrib_aidoc.generate.sanitize import sanitize_draft

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sphinxcontrib_aidoc.model import Draft, ObjectInfo
#: Statuses retried besides 5xx (timeout, conflict, rate limit).
RETRY_STATUS = frozenset({408, 409, 429})
#: Statuses that no later request can fix (key, permission, deployment).
FATAL_STATUS = frozenset({401, 403, 404})
_CODE_PREFIX = re.compile(r"^(HTTP \d+: )Error code: \d+ - ")


@dataclass(slots=True)
class Attempt:
    """The outcome of one request (for one object or a pack of them).

    ``outcome`` is ``ok`` when at least one object got a valid answer;
    ``drafts`` holds them (sanitized) by qualname, ``bad`` the reason of
    each other object of an ``ok`` request.
    """

    outcome: str
    error: str = ""
    tokens_in: int = 0
    tokens_out: int = 0
    latency_ms: float = 0.0
    retry: bool = False
    #: Seconds the server asked to wait (Retry-After), if it did.
    wait: float | None = None
    fatal: bool = False
    #: The answer was cut at ``max_completion_tokens``.
    cut: bool = False
    drafts: dict[str, Draft] = field(default_factory=dict)
    bad: dict[str, str] = field(default_factory=dict)
    #: Markup neutralised in each draft, by qualname.
    neutralised: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Target:
    """Who is called and how: names for drafts, the secret to scrub."""

    provider: str
    model: str
    timeout: float
    secret: Secret


def request_body(
    model: str, messages: list[dict[str, str]], max_tokens: int
) -> dict[str, Any]:
    """Return the body of a chat-completions request (also a batch line's)."""
    return {
        "model": model,
        "messages": messages,
        "response_format": response_format(),
        "max_completion_tokens": max_tokens,
    }


async def call_once(
    client: openai.AsyncOpenAI,
    infos: Sequence[ObjectInfo],
    messages: list[dict[str, str]],
    target: Target,
    max_tokens: int,
) -> Attempt:
    """Send one request for *infos* and classify what came back."""
    try:
        raw = await asyncio.wait_for(
            client.chat.completions.with_raw_response.create(
                **cast("Any", request_body(target.model, messages, max_tokens))
            ),
            # The client enforces the timeout per read; this bounds the whole.
            timeout=target.timeout + 1.0,
        )
    except openai.RateLimitError as exc:
        wait = retry_after(exc.response.headers)
        after = f", retry after {wait:g} s" if wait is not None else ""
        return Attempt(
            "throttled", error=f"rate limited: HTTP 429{after}", retry=True, wait=wait
        )
    except (openai.APITimeoutError, asyncio.TimeoutError):
        return Attempt(
            "timeout", error=f"timed out after {target.timeout:g} s", retry=True
        )
    except openai.APIConnectionError as exc:
        return Attempt("error", error=_error(exc, target), retry=True)
    except openai.APIStatusError as exc:
        return _status_error(exc, target)
    except openai.OpenAIError as exc:
        return Attempt("error", error=_error(exc, target))
    except Exception as exc:  # noqa: BLE001 (nothing a server sends may end a build)
        return Attempt("error", error=f"client error: {_error(exc, target)}")
    try:
        text = raw.http_response.text
    except Exception as exc:  # noqa: BLE001 (an undecodable body is an answer too)
        return Attempt("invalid", error=f"invalid answer: unreadable body ({exc})")
    return read_completion(text, infos, target)


def _status_error(exc: openai.APIStatusError, target: Target) -> Attempt:
    status = exc.status_code
    if exc.code == "content_filter":
        return Attempt("refused", error=f"content filter (HTTP {status})")
    error = _error(exc, target)
    if status in RETRY_STATUS or status >= 500:
        wait = retry_after(exc.response.headers)
        return Attempt("error", error=error, retry=True, wait=wait)
    return Attempt("error", error=error, fatal=status in FATAL_STATUS)


def _error(exc: BaseException, target: Target) -> str:
    return _CODE_PREFIX.sub(r"\1", error_text(exc, target.secret))


def read_completion(text: str, infos: Sequence[ObjectInfo], target: Target) -> Attempt:
    """Turn a raw body into an ``ok`` attempt with sanitized drafts, or not."""
    try:
        completion = read_body(text)
    except InvalidAnswer as exc:
        return Attempt(
            "invalid",
            error=f"invalid answer: {target.secret.scrub(exc.reason)}",
            tokens_in=exc.tokens_in,
            tokens_out=exc.tokens_out,
        )
    usage = completion.usage
    result = Attempt(
        "invalid",
        tokens_in=usage.prompt_tokens if usage else 0,
        tokens_out=usage.completion_tokens if usage else 0,
    )
    choice = completion.choices[0]
    if choice.finish_reason == "content_filter":
        result.outcome, result.error = "refused", "content filter"
        return result
    if choice.message.refusal:
        result.outcome, result.error = "refused", "the model refused"
        return result
    if choice.finish_reason == "length":
        result.cut = True
        result.error = "invalid answer: cut at the token limit"
        return result
    try:
        answers = parse_pack(
            choice.message.content, infos, provider=target.provider, model=target.model
        )
    except InvalidAnswer as exc:
        result.error = f"invalid answer: {target.secret.scrub(exc.reason)}"
        return result
    for qualname, answer in answers.items():
        if isinstance(answer, InvalidAnswer):
            result.bad[qualname] = (
                f"invalid answer: {target.secret.scrub(answer.reason)}"
            )
            continue
        draft, neutralised = sanitize_draft(answer)
        if not draft.summary:
            result.bad[qualname] = "invalid answer: empty summary after sanitizing"
            continue
        result.drafts[qualname] = draft
        if neutralised:
            result.neutralised[qualname] = neutralised
    if result.drafts:
        result.outcome = "ok"
    else:
        result.error = next(iter(result.bad.values()), "invalid answer")
    return result
