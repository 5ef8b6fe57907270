"""The request a provider sends for one object, and how its answer is read.

:func:`build_messages` gives the model what analysis established (name,
kind, signature, parameters with types and defaults, return and yield
types, raised exceptions, decorators, calls) plus the source, cut to the
prompt's token budget. The answer must be JSON matching
:data:`ANSWER_SCHEMA`; providers request it with a strict ``json_schema``
``response_format`` (:func:`response_format`).

:func:`parse_answer` trusts none of it: it raises :class:`InvalidAnswer`
for text that is not JSON, does not match the schema, has an empty summary,
or describes a parameter the function does not have (the whole answer is
rejected: a model that invents parameters has misread the code). Exceptions
the analysis did not find are dropped silently and the rest of the answer is
kept: analysis decides *which* exceptions are documented, the model only
words *when*. Changing anything here that changes answers means bumping
:data:`~sphinxcontrib_aidoc.generate.PROMPT_VERSION`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from sphinxcontrib_aidoc.generate.limits import estimate_tokens
from sphinxcontrib_aidoc.model import Draft, ObjectInfo

#: Largest answer a request may produce (``max_completion_tokens``).
MAX_COMPLETION_TOKENS = 800
#: Answers longer than this are rejected unread (a runaway model).
MAX_ANSWER_CHARS = 20_000
#: The line before the facts JSON in the user message (the fake server and
#: other tools find the facts by it).
FACTS_MARKER = "Facts (JSON):"
_MAX_CALLS = 30
_MAX_SIGNATURE_LINES = 30

_STRING = {"type": "string"}
ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "summary": _STRING,
        "description": _STRING,
        "params": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": _STRING, "description": _STRING},
                "required": ["name", "description"],
                "additionalProperties": False,
            },
        },
        "returns": _STRING,
        "yields": _STRING,
        "raises": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": _STRING, "condition": _STRING},
                "required": ["name", "condition"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["summary", "description", "params", "returns", "yields", "raises"],
    "additionalProperties": False,
}

SYSTEM_PROMPT = """\
You write the prose of Python docstrings. The facts come from static analysis \
of the code and are authoritative; the source shows what the code does.
Answer with one JSON object that matches the response schema:
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
roles, code fences, headings or field lists. The tool renders the docstring \
in {style} style and adds names, types and sections itself."""


class InvalidAnswer(ValueError):  # noqa: N818 (the name the API promises)
    """A model answer that cannot be used; the message says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def response_format() -> dict[str, Any]:
    """Return the strict structured-output ``response_format`` of requests."""
    return {
        "type": "json_schema",
        "json_schema": {
            "name": "docstring_prose",
            "strict": True,
            "schema": ANSWER_SCHEMA,
        },
    }


def facts(info: ObjectInfo) -> dict[str, Any]:
    """Return what analysis knows about *info*, as sent to the model."""
    data: dict[str, Any] = {
        "qualname": info.qualname,
        "kind": info.kind,
        "signature": info.signature,
        "async": info.is_async,
        "decorators": list(info.decorators),
        "params": [
            {"name": p.name, "kind": p.kind, "type": p.type, "default": p.default}
            for p in info.documented_params
        ],
        "returns": info.returns.type if info.returns else None,
        "yields": info.yields.type if info.yields else None,
        "raises": list(info.raises),
        "calls": list(info.calls[:_MAX_CALLS]),
    }
    if info.bases:
        data["bases"] = list(info.bases)
    if info.deprecated:
        data["deprecated"] = True
    return data


def build_messages(
    info: ObjectInfo, *, style: str, max_prompt_tokens: int
) -> list[dict[str, str]]:
    """Return the chat messages asking for the prose of *info*.

    The instructions and the facts are always sent; the source gets whatever
    is left of *max_prompt_tokens* (estimated at 4 characters a token), cut
    by :func:`cut_source`. Facts that do not fit are shortened step by step
    (long texts such as a 400 KB default value first, then the calls, then
    parameters past the first ones), so the prompt stays within the budget
    whatever the source holds, unless the instructions alone exceed it.
    """
    system = SYSTEM_PROMPT.format(style=style)
    budget = max_prompt_tokens * 4 - len(system) - 64
    head = ""
    for known in _shrinking_facts(facts(info)):
        head = (
            f"Write the docstring prose for this Python {info.kind}.\n\n"
            f"{FACTS_MARKER}\n{json.dumps(known, ensure_ascii=False)}\n"
        )
        if len(head) <= budget:
            break
    room = budget - len(head)
    source = cut_source(info.source.strip("\n"), room) if info.source else ""
    user = head + (f"\nSource:\n```python\n{source}\n```\n" if source else "")
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


#: Longest text of one fact at each shrinking step (characters).
_FACT_TEXT_LIMITS = (400, 120, 40)
_FEW_PARAMS = 12


def _shrinking_facts(known: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """*known*, then smaller and smaller versions of it."""
    yield known
    for limit in _FACT_TEXT_LIMITS:
        known = _cut_texts(known, limit)
        yield known
    known = {**known, "calls": [], "decorators": []}
    yield known
    known = {**known, "params": known["params"][:_FEW_PARAMS], "bases": []}
    yield known


def _cut_texts(value: Any, limit: int) -> Any:  # noqa: ANN401
    """*value* with every string longer than *limit* cut (marked with "...")."""
    if isinstance(value, str):
        return value if len(value) <= limit else value[: limit - 3] + "..."
    if isinstance(value, list):
        return [_cut_texts(v, limit) for v in value]
    if isinstance(value, dict):
        return {k: _cut_texts(v, limit) for k, v in value.items()}
    return value


def prompt_tokens(messages: list[dict[str, str]]) -> int:
    """Return the estimated prompt tokens of *messages*."""
    return sum(estimate_tokens(m["content"]) + 4 for m in messages)


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


def parse_answer(
    text: str | None, info: ObjectInfo, *, provider: str = "", model: str = ""
) -> Draft:
    """Read a model answer for *info* into a :class:`Draft` (not yet sanitized).

    Raises:
        InvalidAnswer: The text is empty, too long or not JSON, does not
            match :data:`ANSWER_SCHEMA`, has an empty summary, or describes
            parameters *info* does not have.
    """
    if not text or not text.strip():
        raise InvalidAnswer("empty answer")
    if len(text) > MAX_ANSWER_CHARS:
        msg = f"answer too long ({len(text):,} characters)"
        raise InvalidAnswer(msg)
    try:
        data = json.loads(text)
    except ValueError as exc:
        msg = f"answer is not JSON ({exc.__class__.__name__} at char {_pos(exc)})"
        raise InvalidAnswer(msg) from None
    _check_schema(data)
    summary = data["summary"].strip()
    if not summary:
        raise InvalidAnswer("empty summary")
    return Draft(
        summary=summary,
        description=data["description"].strip(),
        params=_params(data["params"], info),
        returns="" if info.kind in ("class", "exception") else data["returns"].strip(),
        yields=data["yields"].strip() if info.is_generator else "",
        raises=_raises(data["raises"], info),
        source="llm",
        provider=provider,
        model=model,
    )


def _pos(exc: ValueError) -> int:
    return int(getattr(exc, "pos", 0) or 0)


def _check_schema(data: object) -> None:
    if not isinstance(data, dict):
        msg = f"schema mismatch: expected an object, got {type(data).__name__}"
        raise InvalidAnswer(msg)
    expected = set(ANSWER_SCHEMA["required"])
    if set(data) != expected:
        missing = sorted(expected - set(data))
        extra = sorted(set(data) - expected)
        parts = [f"missing {', '.join(missing)}"] if missing else []
        parts += [f"unexpected {', '.join(extra[:5])}"] if extra else []
        msg = f"schema mismatch: {'; '.join(parts)}"
        raise InvalidAnswer(msg)
    for key in ("summary", "description", "returns", "yields"):
        if not isinstance(data[key], str):
            msg = f"schema mismatch: {key} is not a string"
            raise InvalidAnswer(msg)
    for key, fields in (
        ("params", ("name", "description")),
        ("raises", ("name", "condition")),
    ):
        entries = data[key]
        if not isinstance(entries, list) or not all(
            isinstance(e, dict)
            and set(e) == set(fields)
            and all(isinstance(e[f], str) for f in fields)
            for e in entries
        ):
            msg = f"schema mismatch: {key} must be a list of {{{', '.join(fields)}}}"
            raise InvalidAnswer(msg)


def _params(
    entries: list[dict[str, str]], info: ObjectInfo
) -> tuple[tuple[str, str], ...]:
    known = [p.name for p in info.params]
    texts: dict[str, str] = {}
    unknown: list[str] = []
    for entry in entries:
        name = entry["name"].strip().lstrip("*")
        if name not in known:
            unknown.append(entry["name"].strip()[:40] or "''")
            continue
        if name in ("self", "cls") and info.kind != "function":
            continue
        text = entry["description"].strip()
        if text:
            texts.setdefault(name, text)
    if unknown:
        msg = f"parameters not in the signature: {', '.join(unknown[:5])}"
        raise InvalidAnswer(msg)
    return tuple((name, texts[name]) for name in known if name in texts)


def _raises(
    entries: list[dict[str, str]], info: ObjectInfo
) -> tuple[tuple[str, str], ...]:
    by_name: dict[str, str] = {}
    for name in info.raises:
        by_name.setdefault(name, name)
        by_name.setdefault(name.rpartition(".")[2], name)
    texts: dict[str, str] = {}
    for entry in entries:
        name = entry["name"].strip()
        real = by_name.get(name) or by_name.get(name.rpartition(".")[2])
        text = entry["condition"].strip()
        if real is not None and text:
            texts.setdefault(real, text)
    return tuple((name, texts[name]) for name in info.raises if name in texts)
