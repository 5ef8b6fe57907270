"""What a chat-completions server sends back, as strict pydantic models.

Two layers, both validated by pydantic (a dependency of ``openai``):

* :class:`Completion`, the envelope: a JSON object with at least one choice,
  whose ``message`` is an object and whose ``content`` is a string or null,
  and an optional ``usage``. Extra fields are ignored (servers add their
  own). :func:`read_body` reads the raw HTTP body into it and turns every
  other shape (not JSON, an HTML page from a proxy, an empty body, ``[]``,
  ``choices: []``, ``message: null``, a ``content`` that is not a string, a
  body cut short) into an :class:`InvalidAnswer` naming what was wrong,
  keeping the token usage the body reported so it is still paid for.
* :class:`PackAnswer`, the model's JSON in ``content``: one
  :class:`ObjectAnswer` per object of the request (a request asks for one
  object or for several small ones of a module), each exactly the fields of
  the schema, strictly typed (no coercion, no extra fields). The request's
  ``response_format`` is generated from this same model
  (:func:`response_format`), so what is asked for and what is accepted
  cannot drift apart. :func:`parse_pack` validates each object's answer on
  its own: one bad answer fails its object only.

Why not the client's ``chat.completions.parse()``: it builds the envelope
with ``construct`` (no validation), so ``choices: []`` or ``message: null``
surface as ``IndexError``/``AttributeError`` deep in the client, and a body
that is not JSON raises before any answer can be recorded. Reading the raw
body (``with_raw_response``) and validating both layers here gives every
odd body a precise, recorded reason, while the schema stays the one pydantic
generates.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sphinxcontrib_aidoc.model import CLASS_KINDS, Draft, ObjectInfo

#: Answers longer than this are rejected unread (a runaway model).
MAX_ANSWER_CHARS = 20_000
#: Bodies longer than this are rejected unread.
MAX_BODY_CHARS = 200_000


class InvalidAnswer(ValueError):  # noqa: N818 (the name the API promises)
    """A model answer that cannot be used; the message says why."""

    def __init__(self, reason: str, *, tokens_in: int = 0, tokens_out: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        #: Usage the body reported, when it reported one (billed anyway).
        self.tokens_in = tokens_in
        self.tokens_out = tokens_out


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ParamAnswer(_Strict):
    """The model's words on one parameter."""

    name: str
    description: str


class RaiseAnswer(_Strict):
    """The model's condition for one exception."""

    name: str
    condition: str


class Answer(_Strict):
    """The JSON answer the model must give (the structured-output schema)."""

    summary: str
    description: str
    params: list[ParamAnswer]
    returns: str
    yields: str
    raises: list[RaiseAnswer]


class ObjectAnswer(_Strict):
    """The answer for one object of a request, named by its qualname."""

    object: str
    summary: str
    description: str
    params: list[ParamAnswer]
    returns: str
    yields: str
    raises: list[RaiseAnswer]


class PackAnswer(_Strict):
    """The JSON answer the model must give: one entry per object asked for."""

    answers: list[ObjectAnswer]


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Usage(_Lenient):
    """Token counts a server reports (missing counts are 0)."""

    prompt_tokens: int = Field(default=0, ge=0, strict=True)
    completion_tokens: int = Field(default=0, ge=0, strict=True)


class Message(_Lenient):
    """The assistant message of a choice."""

    content: str | None = Field(default=None, strict=True)
    refusal: str | None = Field(default=None, strict=True)


class Choice(_Lenient):
    """One choice of a completion."""

    message: Message
    finish_reason: str | None = None


class Completion(_Lenient):
    """The envelope of a chat completion (only what aidoc reads)."""

    choices: list[Choice] = Field(min_length=1)
    usage: Usage | None = None


def answer_schema() -> dict[str, Any]:
    """Return the JSON schema of :class:`PackAnswer` for strict structured output.

    Every object lists all its properties as required and forbids others
    (what ``strict: true`` demands); pydantic's titles are left out.
    """
    schema: dict[str, Any] = _strip_titles(PackAnswer.model_json_schema())
    return schema


def _strip_titles(node: Any) -> Any:  # noqa: ANN401 (JSON)
    if isinstance(node, dict):
        return {
            key: _strip_titles(value)
            for key, value in node.items()
            if not (key == "title" and isinstance(value, str))
        }
    if isinstance(node, list):
        return [_strip_titles(item) for item in node]
    return node


def response_format() -> dict[str, Any]:
    """Return the strict structured-output ``response_format`` of requests."""
    return {
        "type": "json_schema",
        "json_schema": {
            "name": "docstring_prose",
            "strict": True,
            "schema": answer_schema(),
        },
    }


def read_body(text: str) -> Completion:
    """Validate a raw completion body.

    Raises:
        InvalidAnswer: The body is not a completion; ``tokens_in`` and
            ``tokens_out`` carry the usage it reported, if any.
    """
    stripped = text.strip()
    if not stripped:
        raise InvalidAnswer("empty body")
    if len(stripped) > MAX_BODY_CHARS:
        msg = f"body too long ({len(stripped):,} characters)"
        raise InvalidAnswer(msg)
    if stripped.startswith("<"):
        raise InvalidAnswer("the server sent an HTML page, not JSON (a proxy?)")
    try:
        data = json.loads(stripped)
    except ValueError as exc:
        msg = f"body is not JSON ({exc.__class__.__name__} at char {_pos(exc)})"
        raise InvalidAnswer(msg) from None
    if not isinstance(data, dict):
        msg = f"body is a JSON {type(data).__name__}, not a completion object"
        raise InvalidAnswer(msg)
    usage = _usage(data.get("usage"))
    try:
        return Completion.model_validate(data)
    except ValidationError as exc:
        msg = f"not a completion ({describe(exc)})"
        raise InvalidAnswer(msg, tokens_in=usage[0], tokens_out=usage[1]) from None


def _usage(value: object) -> tuple[int, int]:
    try:
        usage = Usage.model_validate(value)
    except ValidationError:
        return 0, 0
    return usage.prompt_tokens, usage.completion_tokens


def describe(exc: ValidationError) -> str:
    """Return the first problems pydantic found, as ``where: what`` parts."""
    parts = []
    for error in exc.errors(include_url=False)[:3]:
        where = ".".join(str(p) for p in error["loc"]) or "body"
        parts.append(f"{where}: {error['msg']}")
    more = exc.error_count() - len(parts)
    return "; ".join(parts) + (f"; {more} more" if more > 0 else "")


def parse_answer(
    text: str | None, info: ObjectInfo, *, provider: str = "", model: str = ""
) -> Draft:
    """Read a model answer for *info* into a :class:`Draft` (not yet sanitized).

    Raises:
        InvalidAnswer: The text is empty, too long or not JSON, does not
            match :class:`Answer`, has an empty summary, or describes
            parameters *info* does not have.
    """
    data = _load_json(text, MAX_ANSWER_CHARS)
    if not isinstance(data, dict):
        msg = f"schema mismatch: expected an object, got {type(data).__name__}"
        raise InvalidAnswer(msg)
    try:
        answer = Answer.model_validate(data)
    except ValidationError as exc:
        msg = f"schema mismatch: {describe(exc)}"
        raise InvalidAnswer(msg) from None
    return _draft(answer, info, provider, model)


def _load_json(text: str | None, limit: int) -> object:
    """The JSON value of a model's *text*, or why it is unusable."""
    if not text or not text.strip():
        raise InvalidAnswer("empty answer")
    if len(text) > limit:
        msg = f"answer too long ({len(text):,} characters)"
        raise InvalidAnswer(msg)
    try:
        return json.loads(text)
    except ValueError as exc:
        msg = f"answer is not JSON ({exc.__class__.__name__} at char {_pos(exc)})"
        raise InvalidAnswer(msg) from None


def parse_pack(
    text: str | None,
    infos: Sequence[ObjectInfo],
    *,
    provider: str = "",
    model: str = "",
) -> dict[str, Draft | InvalidAnswer]:
    """Read the answer to a request for *infos*: a draft or a reason per object.

    Each entry of ``answers`` is validated on its own (:class:`ObjectAnswer`
    and the checks of :func:`parse_answer`), so one bad entry fails only its
    object; an object without an entry fails with "no answer".

    Raises:
        InvalidAnswer: The text as a whole is unusable (empty, too long, not
            JSON, not an object with an ``answers`` list): every object failed.
    """
    data = _load_json(text, MAX_ANSWER_CHARS * max(1, len(infos)))
    entries = data.get("answers") if isinstance(data, dict) else None
    if not isinstance(entries, list) or (isinstance(data, dict) and len(data) != 1):
        got = type(data).__name__ if not isinstance(data, dict) else sorted(data)
        msg = f"schema mismatch: expected an object with only 'answers', got {got}"
        raise InvalidAnswer(msg)
    by_name = {info.qualname: info for info in infos}
    result: dict[str, Draft | InvalidAnswer] = {}
    for entry in entries:
        name = entry.get("object") if isinstance(entry, dict) else None
        info = by_name.get(name) if isinstance(name, str) else None
        if info is None:
            if len(infos) == 1 and not isinstance(name, str):
                info = infos[0]  # its only entry names no object: say what is wrong
            else:
                continue
        if info.qualname in result:
            continue
        result[info.qualname] = _entry(entry, info, provider, model)
    for info in infos:
        result.setdefault(info.qualname, InvalidAnswer("no answer for this object"))
    return result


def _entry(
    entry: object, info: ObjectInfo, provider: str, model: str
) -> Draft | InvalidAnswer:
    if not isinstance(entry, dict):
        msg = f"schema mismatch: expected an object, got {type(entry).__name__}"
        return InvalidAnswer(msg)
    try:
        answer = ObjectAnswer.model_validate(entry)
    except ValidationError as exc:
        return InvalidAnswer(f"schema mismatch: {describe(exc)}")
    if len(json.dumps(entry)) > MAX_ANSWER_CHARS:
        return InvalidAnswer("answer too long")
    try:
        return _draft(answer, info, provider, model)
    except InvalidAnswer as exc:
        return exc


def _draft(
    answer: Answer | ObjectAnswer, info: ObjectInfo, provider: str, model: str
) -> Draft:
    summary = answer.summary.strip()
    if not summary:
        raise InvalidAnswer("empty summary")
    return Draft(
        summary=summary,
        description=answer.description.strip(),
        params=_params(answer.params, info),
        returns="" if info.kind in CLASS_KINDS else answer.returns.strip(),
        yields=answer.yields.strip() if info.is_generator else "",
        raises=_raises(answer.raises, info),
        source="llm",
        provider=provider,
        model=model,
    )


def _pos(exc: ValueError) -> int:
    return int(getattr(exc, "pos", 0) or 0)


def _params(
    entries: list[ParamAnswer], info: ObjectInfo
) -> tuple[tuple[str, str], ...]:
    known = [p.name for p in info.params]
    texts: dict[str, str] = {}
    unknown: list[str] = []
    for entry in entries:
        name = entry.name.strip().lstrip("*")
        if name not in known:
            unknown.append(entry.name.strip()[:40] or "''")
            continue
        if name in ("self", "cls") and info.kind != "function":
            continue
        text = entry.description.strip()
        if text:
            texts.setdefault(name, text)
    if unknown:
        msg = f"parameters not in the signature: {', '.join(unknown[:5])}"
        raise InvalidAnswer(msg)
    return tuple((name, texts[name]) for name in known if name in texts)


def _raises(
    entries: list[RaiseAnswer], info: ObjectInfo
) -> tuple[tuple[str, str], ...]:
    by_name: dict[str, str] = {}
    for name in info.raises:
        by_name.setdefault(name, name)
        by_name.setdefault(name.rpartition(".")[2], name)
    texts: dict[str, str] = {}
    for entry in entries:
        name = entry.name.strip()
        real = by_name.get(name) or by_name.get(name.rpartition(".")[2])
        text = entry.condition.strip()
        if real is not None and text:
            texts.setdefault(real, text)
    return tuple((name, texts[name]) for name in info.raises if name in texts)
