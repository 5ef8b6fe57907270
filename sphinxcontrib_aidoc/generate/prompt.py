"""The request a provider sends for one object, and how its answer is read.

:func:`build_messages` gives the model what analysis established (name,
kind, signature, parameters with types and defaults, return and yield
types, raised exceptions, decorators, calls) plus the source, cut to the
prompt's token budget. The answer must be JSON matching
:class:`~sphinxcontrib_aidoc.generate.answer.Answer`; providers request it
with a strict ``json_schema`` ``response_format`` generated from that model,
and :func:`~sphinxcontrib_aidoc.generate.answer.parse_answer` validates it.

Every part of the request is bounded: each fact string (a default value, a
signature, a decorator) is clipped, the list of calls is dropped first when
the facts do not fit, and the source gets what is left. Whatever the code
holds (a 400 KB default string, a 10,000-line function), the messages fit
``max_prompt_tokens`` (estimated at 4 characters a token). Changing anything
here that changes answers means bumping
:data:`~sphinxcontrib_aidoc.generate.PROMPT_VERSION`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sphinxcontrib_aidoc.generate.answer import (
    MAX_ANSWER_CHARS,
    InvalidAnswer,
    answer_schema,
    parse_answer,
    response_format,
)
from sphinxcontrib_aidoc.generate.context import (
    MAX_CONTEXT_CHARS,
    context_text,
    retry_note,
)
from sphinxcontrib_aidoc.generate.facts import (
    MAX_FACT_CHARS,
    clip,
    facts,
)
from sphinxcontrib_aidoc.generate.limits import estimate_tokens
from sphinxcontrib_aidoc.model import ObjectInfo

__all__ = [
    "ANSWER_SCHEMA",
    "FACTS_MARKER",
    "MAX_ANSWER_CHARS",
    "MAX_COMPLETION_TOKENS",
    "InvalidAnswer",
    "PromptTooLarge",
    "build_messages",
    "build_pack",
    "cut_source",
    "facts",
    "parse_answer",
    "prompt_tokens",
    "response_format",
    "worst_case_tokens",
]

#: Largest answer a request may produce (``max_completion_tokens``).
MAX_COMPLETION_TOKENS = 800
#: The JSON schema of answers (generated from the pydantic model).
ANSWER_SCHEMA: dict[str, Any] = answer_schema()
#: The line before the facts JSON in the user message (the fake server and
#: other tools find the facts by it).
FACTS_MARKER = "Facts (JSON):"
_MAX_SIGNATURE_LINES = 30

SYSTEM_PROMPT = """\
You write the prose of Python docstrings. The facts come from static analysis \
of the code and are authoritative; the source shows what the code does.
Answer with JSON matching the response schema: in "answers", one entry per \
object shown, with:
- object: its qualname from the facts.
- summary: one sentence in the imperative mood ("Return ...", "Compute ..."), \
at most 20 words, ending with a period.
- description: up to three short sentences on behaviour, side effects and \
edge cases, or "" when the summary says it all.
- params: one entry for each parameter in the facts, with exactly that name \
(no * or **), saying what it means (not its type). Never add parameters.
- returns: what the returned value means, or "" when nothing is returned.
- yields: what a generator yields, or "" when it is not a generator.
- raises: for each exception in the facts, the condition that raises it.
Write plain text only: no reStructuredText, Markdown or HTML, no directives, \
roles, code fences, headings or field lists. The tool adds names, types and \
sections itself."""


class PromptTooLarge(ValueError):  # noqa: N818 (reads as a condition)
    """The instructions and facts alone exceed ``max_prompt_tokens``."""

    def __init__(self, needed: int) -> None:
        super().__init__(f"the instructions and facts need about {needed:,} tokens")
        self.needed = needed


def build_messages(info: ObjectInfo, *, max_prompt_tokens: int) -> list[dict[str, str]]:
    """Return the chat messages asking for the prose of *info*.

    The instructions and the facts are always sent (the list of calls is
    dropped first when even they do not fit, then the parameters are cut,
    then the signature);
    the source gets whatever is left of *max_prompt_tokens* (estimated at 4
    characters a token), cut by :func:`cut_source`. The result never
    exceeds *max_prompt_tokens* by :func:`prompt_tokens`.

    Raises:
        PromptTooLarge: Even the instructions and the bare facts do not fit
            (the object is then written offline, unasked).
    """
    system = SYSTEM_PROMPT
    known = facts(info)
    limit = max_prompt_tokens * 4 - len(system) - 64
    head = _head(info, known)
    for shrink in (_drop_calls, _halve_params, _short_signature):
        if len(head) <= limit:
            break
        while len(head) > limit and shrink(known):
            head = _head(info, known)
    if len(head) > limit:
        needed = (len(system) + len(head) + 64 + 3) // 4
        raise PromptTooLarge(needed)
    room = limit - len(head)
    source = cut_source(info.source.strip("\n"), room - 32) if info.source else ""
    user = head + (f"\nSource:\n```python\n{source}\n```\n" if source else "")
    # What a reader would also look at, in what the source leaves (so it is
    # what goes first when the budget is short; see generate/context.py).
    user += context_text(info, min(MAX_CONTEXT_CHARS, limit - len(user)))
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def build_pack(
    infos: list[ObjectInfo], *, max_prompt_tokens: int
) -> list[dict[str, str]]:
    """Return the chat messages asking for the prose of all *infos* at once.

    The system message (instructions, unchanged across requests) comes
    first, so providers that cache prompt prefixes reuse it; each object's
    part is the user message :func:`build_messages` gives for it alone,
    headed ``Object i of n``. One object gives exactly
    :func:`build_messages`' request.

    Raises:
        PromptTooLarge: An object's instructions and facts do not fit.
    """
    parts = [
        build_messages(info, max_prompt_tokens=max_prompt_tokens) for info in infos
    ]
    if len(parts) == 1:
        return parts[0]
    user = "\n".join(
        f"Object {number} of {len(parts)}:\n{messages[1]['content']}"
        for number, messages in enumerate(parts, 1)
    )
    return [parts[0][0], {"role": "user", "content": user}]


def _head(info: ObjectInfo, known: dict[str, Any]) -> str:
    return (
        f"Write the docstring prose for this Python {info.kind}.\n\n"
        f"{FACTS_MARKER}\n{json.dumps(known, ensure_ascii=False)}\n"
    ) + retry_note(info)


def _drop_calls(known: dict[str, Any]) -> bool:
    if not known["calls"]:
        return False
    known["calls"] = []
    return True


def _short_signature(known: dict[str, Any]) -> bool:
    if len(known["signature"]) <= MAX_FACT_CHARS:
        return False
    known["signature"] = clip(known["signature"], MAX_FACT_CHARS)
    return True


def _halve_params(known: dict[str, Any]) -> bool:
    params = known["params"]
    if len(params) <= 1:
        return False
    known["params"] = params[: len(params) // 2]
    return True


def prompt_tokens(messages: list[dict[str, str]]) -> int:
    """Return the estimated prompt tokens of *messages*."""
    return sum(estimate_tokens(m["content"]) + 4 for m in messages)


def worst_case_tokens(messages: list[dict[str, str]]) -> int:
    """Return the most prompt tokens *messages* can be billed as.

    Byte-level BPE tokenizers (every OpenAI model's) never make more tokens
    than UTF-8 bytes, and a chat message adds a few tokens of framing.
    """
    framing = 4 * len(messages) + 3
    return framing + sum(len(m["content"].encode("utf-8")) for m in messages)


_PRIORITY = (
    re.compile(r"(return|raise|yield|assert)\b"),
    re.compile(r"(if|elif|else|try|except|finally|with|for|while|match|case|async)\b"),
)


def cut_source(source: str, max_chars: int) -> str:
    """Return *source* within *max_chars*, keeping what explains it best.

    The signature (decorators through the line ending the ``def``/``class``
    header) is always kept. Then, while room is left, lines are kept by
    priority: ``return``/``raise``/``yield``/``assert`` first, then
    conditions, loops and ``try``/``with``, then the rest, earlier lines
    first. Left-out runs of lines show as one ``...`` line.
    """
    if len(source) <= max_chars:
        return source
    if max_chars <= 0:
        return ""
    lines = source.splitlines()
    header = _signature_end(lines)
    keep = set(range(header))
    used = sum(len(lines[i]) + 1 for i in keep)
    if used > max_chars:
        return source[:max_chars].rstrip() + "\n..."
    ranked = sorted(
        (_rank(lines[i]), i)
        for i in range(header, len(lines))
        if lines[i].strip() and not lines[i].lstrip().startswith("#")
    )
    for _, index in ranked:
        cost = len(lines[index]) + 8  # the line and, at worst, one "..." line
        if used + cost <= max_chars:
            keep.add(index)
            used += cost
    out: list[str] = []
    for index, line in enumerate(lines):
        if index in keep:
            out.append(line)
        elif out and out[-1].strip() != "...":
            indent = len(line) - len(line.lstrip())
            out.append(" " * indent + "...")
    return "\n".join(out)


def _rank(line: str) -> int:
    stripped = line.lstrip()
    for rank, pattern in enumerate(_PRIORITY):
        if pattern.match(stripped):
            return rank
    return len(_PRIORITY)


def _signature_end(lines: list[str]) -> int:
    """Return the index after the last line of the def/class header."""
    depth = 0
    started = False
    for index, line in enumerate(lines[:_MAX_SIGNATURE_LINES]):
        code = line.split("#", 1)[0].rstrip()
        stripped = code.lstrip()
        if not started:
            if stripped.startswith("@"):
                continue
            started = True
        depth += sum(code.count(c) for c in "([{") - sum(code.count(c) for c in ")]}")
        if depth <= 0 and code.endswith(":"):
            return index + 1
    return min(len(lines), 1)
