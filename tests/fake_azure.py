"""A fake Azure OpenAI (and OpenAI-compatible) chat-completions server.

Standard library only: a :class:`http.server.ThreadingHTTPServer` on
127.0.0.1, port 0, in a background thread. Routes:

* ``POST /openai/deployments/{deployment}/chat/completions?api-version=...``
  (Azure; auth by the ``api-key`` header or an Entra ``Bearer`` token);
* ``POST /v1/chat/completions`` (OpenAI-compatible; ``Bearer`` key).

A wrong key gives 401, an unknown deployment 404. Otherwise the answer is a
chat.completion whose content is a JSON answer (``{"answers": [...]}``, one
entry per object of the request) built from the facts in the prompt (each
line after ``Facts (JSON):``), with obviously fake prose ("Fake summary for
get_area.") and a ``usage`` block.

Faults are scripted with :meth:`FakeAzure.script`, for every request, a
qualname, chosen request numbers, or the first *n* matches. Outcomes:
``429`` (with ``Retry-After``/``retry-after-ms``), ``500`` (any ``status``),
``hang``, ``malformed``, ``content_filter``, ``prompt_filter`` (HTTP 400),
``refusal``, ``length``, ``huge`` (a 200 KB answer), ``hostile`` (reST and
HTML injection), ``unknown_param``, ``answer`` (what the ``edit`` option,
``edit(facts, answer) -> answer``, makes of the default answer); odd
bodies with status 200 (see :data:`ODD_BODIES`: a body that is not JSON, an HTML page from a proxy, an
empty body, ``[]``, ``choices: []``, ``message: null``, a ``content`` that
is not a string, a body cut in half, an answer of the wrong schema);
``overbill`` (usage multiplied by ``factor``); ``latency`` adds delay to
matching requests. ``FakeAzure(bill_factor=k)`` over-bills every answer.
A fault scripted for a qualname in a request for several objects spoils
that object's entry only (``unknown_param``, ``wrong_schema``, ``hostile``,
``huge``) or the whole request (the others).
:meth:`FakeAzure.rate_limit` makes the server enforce a request rate over a
sliding window, answering 429 with ``Retry-After`` beyond it;
:meth:`FakeAzure.token_limit` does the same for tokens counted the way
Azure OpenAI admits a request: the prompt estimated at 4 characters a
token plus the ``max_completion_tokens`` asked for (``admitted_tokens``
sums them; ``billed_in``/``billed_out`` sum the usage billed).

The batch API (:mod:`tests.fake_batch`): ``POST files`` (multipart, purpose
``batch``), ``POST batches``, ``GET batches/{id}`` (each retrieve moves a
job on: validating, in_progress, completed, or ``failed``/``expired`` as
scripted with :meth:`FakeAzure.batch_fate`), ``GET files/{id}/content``,
under ``/openai/`` (Azure) and ``/v1/`` (OpenAI).

Tests get a running server from the :func:`fake_azure` fixture (which also
sets the ``AZURE_OPENAI_*``, ``OPENAI_API_VERSION`` and ``OPENAI_*``
variables); benchmarks use ``with FakeAzure(...) as server:``.
"""

from __future__ import annotations

import collections
import json
import math
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, final
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.fake_batch import BatchJobs, route_batch

FACTS_MARKER = "Facts (JSON):"
OUTCOMES = (
    "ok",
    "429",
    "500",
    "hang",
    "malformed",
    "content_filter",
    "prompt_filter",
    "refusal",
    "length",
    "huge",
    "hostile",
    "unknown_param",
    "not_json",
    "html",
    "empty_body",
    "json_list",
    "no_choices",
    "null_message",
    "content_not_string",
    "truncated",
    "wrong_schema",
    "overbill",
    "answer",
)
#: Faults answered with status 200 and a body a real server should not send.
ODD_BODIES = (
    "not_json",
    "html",
    "empty_body",
    "json_list",
    "no_choices",
    "null_message",
    "content_not_string",
    "truncated",
    "wrong_schema",
    "huge",
)
_PROXY_PAGE = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    "<body><h1>Bad Gateway</h1><p>The proxy got no answer.</p></body></html>"
)
_AZURE_PATH = re.compile(r"^/openai/deployments/([^/]+)/chat/completions$")

HOSTILE_TEXT = (
    ".. raw:: html\n\n   <script>alert(1)</script>\n\n"
    "<img src=x onerror=alert(1)>\n\n"
    ".. include:: /etc/passwd\n\n"
    ".. |sub| replace:: injected\n\n"
    "Use |sub| and :raw-html:`<b>bold</b>` here.\n\n"
    "Injected Section\n================\n\n"
    ":param evil: injected field\n\n"
    "click javascript:alert(1)"
)


@dataclass
class Rule:
    """One scripted fault."""

    fault: str
    qualname: str | None = None
    requests: frozenset[int] | None = None
    times: int | None = None
    options: dict[str, Any] = field(default_factory=dict)
    used: int = 0

    def matches(self, number: int, qualname: str) -> bool:
        if self.times is not None and self.used >= self.times:
            return False
        if self.qualname is not None and self.qualname != qualname:
            return False
        return self.requests is None or number in self.requests


@dataclass(frozen=True)
class Received:
    """One request as the server saw it (never the key)."""

    number: int
    at: float
    path: str
    qualname: str
    outcome: str
    auth: str
    api_version: str
    #: Every object the request asked for (``qualname`` is the first).
    qualnames: tuple[str, ...] = ()


@final
class FakeAzure:
    """The fake server; see the module docstring."""

    def __init__(
        self,
        *,
        api_key: str = "fake-azure-key-7c1e5b0d9a",
        deployment: str = "fake-gpt",
        latency_ms: float = 0.0,
        usage: tuple[int, int] | None = None,
        bill_factor: float = 1.0,
    ) -> None:
        self.api_key = api_key
        self.deployment = deployment
        self.latency_ms = latency_ms
        #: The clock of the rate and token windows (tests may speed it up).
        self.clock: Callable[[], float] = time.monotonic
        #: Fixed (prompt, completion) token counts to report; None: estimate.
        self.usage = usage
        #: Every answer reports this many times the tokens it used.
        self.bill_factor = bill_factor
        self.rules: list[Rule] = []
        self.counts: collections.Counter[str] = collections.Counter()
        self.received: list[dict[str, Any]] = []
        self.log: list[Received] = []
        self.max_in_flight = 0
        self._in_flight = 0
        self._rpm: float | None = None
        self._window_s = 60.0
        self._window: collections.deque[float] = collections.deque()
        self._tpm: float | None = None
        self._token_window_s = 60.0
        self._token_log: collections.deque[tuple[float, int]] = collections.deque()
        #: Tokens counted against the limit when requests were admitted.
        self.admitted_tokens = 0
        #: Usage billed in answers (chat completions and batch lines).
        self.billed_in = 0
        self.billed_out = 0
        #: The batch API's files and jobs.
        self.batches = BatchJobs(self)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.endpoint = ""

    def __repr__(self) -> str:
        return f"FakeAzure(endpoint={self.endpoint!r}, deployment={self.deployment!r})"

    # -- control -------------------------------------------------------
    def start(self) -> FakeAzure:
        handler = type("Handler", (_Handler,), {"fake": self})
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.block_on_close = False
        # A client that gives up (a killed build) is not the server's error.
        httpd.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
        httpd.daemon_threads = True
        self._httpd = httpd
        self.endpoint = f"http://127.0.0.1:{httpd.server_address[1]}/"
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> FakeAzure:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def script(
        self,
        fault: str,
        *,
        qualname: str | None = None,
        requests: int | list[int] | range | None = None,
        times: int | None = None,
        **options: Any,
    ) -> Rule:
        """Add a fault for matching requests (all by default); return its rule.

        *requests* are 1-based request numbers; *times* caps how often the
        rule applies. Options: ``retry_after`` (s) and ``retry_after_ms``
        for 429, ``status`` and ``message`` for 500, ``seconds`` for hang,
        ``ms`` for latency, ``factor`` for overbill, ``edit`` for answer.
        """
        if fault not in (*OUTCOMES, "latency"):
            msg = f"unknown fault {fault!r}"
            raise ValueError(msg)
        if isinstance(requests, int):
            requests = [requests]
        rule = Rule(
            fault,
            qualname=qualname,
            requests=frozenset(requests) if requests is not None else None,
            times=times,
            options=options,
        )
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear_script(self) -> None:
        with self._lock:
            self.rules.clear()

    def rate_limit(self, rpm: float | None, *, window_s: float = 60.0) -> None:
        """Enforce *rpm* over any *window_s* seconds (``rpm * window_s / 60``)."""
        with self._lock:
            self._rpm = rpm
            self._window_s = window_s
            self._window.clear()

    def token_limit(self, tpm: float | None, *, window_s: float = 60.0) -> None:
        """Enforce *tpm* tokens over any *window_s* seconds, counted like Azure.

        A request counts its prompt (message texts, 4 characters a token,
        rounded up) plus its ``max_completion_tokens`` (or ``max_tokens``)
        when admitted; nothing is given back when the answer is shorter.
        """
        with self._lock:
            self._tpm = tpm
            self._token_window_s = window_s
            self._token_log.clear()

    def batch_fate(self, fate: str, *, after: int = 2) -> None:
        """Make the next batch jobs end *fate* after *after* retrieves."""
        self.batches.fate(fate, after=after)

    @property
    def request_count(self) -> int:
        return len(self.log)

    @property
    def asked(self) -> list[str]:
        """Every object asked for, request after request (a pack counts each)."""
        return [q for r in self.log for q in (r.qualnames or (r.qualname,))]

    def requests_for(self, qualname: str) -> list[Received]:
        return [r for r in self.log if qualname in (r.qualnames or (r.qualname,))]

    # -- handling ------------------------------------------------------
    def _plan(
        self, qualnames: tuple[str, ...], tokens: int = 0
    ) -> tuple[int, str, dict[str, Any], float]:
        """Number the request and choose its outcome, options and latency.

        ``options["target"]`` names the object a fault scripted for a
        qualname is aimed at (None: all of them).
        """
        with self._lock:
            number = len(self.log) + 1
            latency = self.latency_ms
            fault, options = "ok", {}
            for rule in self.rules:
                hit = next(
                    (q for q in qualnames or ("",) if rule.matches(number, q)), None
                )
                if hit is None:
                    continue
                if rule.fault == "latency":
                    rule.used += 1
                    latency += float(rule.options.get("ms", 0))
                elif fault == "ok":
                    rule.used += 1
                    fault = rule.fault
                    options = {**rule.options, "target": rule.qualname}
            now = self.clock()
            if fault == "ok" and self._rpm is not None:
                wait = self._over_limit(now)
                if wait is not None:
                    fault, options = "429", {"retry_after_ms": wait * 1000}
                    self.counts["rate_limited"] += 1
            if fault == "ok" and self._tpm is not None:
                wait = self._over_token_limit(now, tokens)
                if wait is not None:
                    if self._rpm is not None and self._window:
                        self._window.pop()  # the request was not admitted
                    fault, options = "429", {"retry_after_ms": wait * 1000}
                    self.counts["token_limited"] += 1
            if fault == "ok":
                self.admitted_tokens += tokens
            return number, fault, options, latency

    def _over_token_limit(self, now: float, tokens: int) -> float | None:
        assert self._tpm is not None
        allowed = self._tpm * self._token_window_s / 60
        log = self._token_log
        while log and log[0][0] <= now - self._token_window_s:
            log.popleft()
        used = sum(t for _, t in log)
        if used + tokens > allowed:
            freed, wait = used, self._token_window_s
            for started, counted in log:
                freed -= counted
                wait = started + self._token_window_s - now
                if freed + tokens <= allowed:
                    break
            return max(0.001, wait)
        log.append((now, tokens))
        return None

    def _over_limit(self, now: float) -> float | None:
        assert self._rpm is not None
        allowed = max(1, math.floor(self._rpm * self._window_s / 60))
        while self._window and self._window[0] <= now - self._window_s:
            self._window.popleft()
        if len(self._window) >= allowed:
            return self._window[0] + self._window_s - now
        self._window.append(now)
        return None

    def _note(self, received: Received, body: dict[str, Any]) -> None:
        with self._lock:
            self.log.append(received)
            self.received.append(body)
            self.counts[received.outcome] += 1

    def _enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def sleep(self, seconds: float) -> None:
        self._stop.wait(seconds)


def facts_of(body: dict[str, Any]) -> dict[str, Any]:
    """Return the facts JSON of a request body's first object (``{}`` if absent)."""
    found = all_facts(body)
    return found[0] if found else {}


def all_facts(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the facts JSON of every object a request body asks for."""
    found: list[dict[str, Any]] = []
    for message in body.get("messages", []):
        content = message.get("content") or ""
        if not isinstance(content, str) or message.get("role") != "user":
            continue
        for part in content.split(FACTS_MARKER)[1:]:
            lines = part.strip().splitlines()
            try:
                data = json.loads(lines[0]) if lines else None
            except ValueError:
                data = None
            found.append(data if isinstance(data, dict) else {})
    return found


def admitted(body: dict[str, Any]) -> int:
    """Return the tokens Azure counts when admitting *body*.

    The messages' text at 4 characters a token (rounded up), plus the
    completion tokens asked for.
    """
    chars = sum(
        len(m.get("content") or "")
        for m in body.get("messages", [])
        if isinstance(m, dict) and isinstance(m.get("content") or "", str)
    )
    asked = body.get("max_completion_tokens") or body.get("max_tokens") or 0
    return math.ceil(chars / 4) + (int(asked) if isinstance(asked, int) else 0)


def fake_answer(facts: dict[str, Any]) -> dict[str, Any]:
    """Return a schema-valid answer naming the facts' parameters."""
    name = str(facts.get("qualname", "object")).rpartition(".")[2]
    return {
        "summary": f"Fake summary for {name}.",
        "description": f"Fake description of {name}.",
        "params": [
            {"name": p["name"], "description": f"Fake description of {p['name']}."}
            for p in facts.get("params", [])
        ],
        "returns": f"Fake return value of {name}." if facts.get("returns") else "",
        "yields": f"Fake value yielded by {name}." if facts.get("yields") else "",
        "raises": [
            {"name": r, "condition": f"Fake condition for {r}."}
            for r in facts.get("raises", [])
        ],
    }


def _content(
    fault: str,
    facts: list[dict[str, Any]],
    target: str | None = None,
    *,
    single: bool = False,
    edit: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]] | None = None,
) -> str | None:
    if single:  # a request of aidoc before PROMPT_VERSION 3 (benchmark baselines)
        answer = fake_answer(facts[0] if facts else {})
        _spoil(fault, answer)
        if fault == "answer" and edit is not None:
            answer = edit(facts[0] if facts else {}, answer)
        return json.dumps(answer)
    if fault == "malformed":
        return '{"answers": [{"summary": "Fake summary", "params": [unterminated'
    if fault in ("content_filter", "refusal"):
        return None
    entries = []
    for known in facts or [{}]:
        answer = {"object": known.get("qualname", ""), **fake_answer(known)}
        if target is None or target == known.get("qualname"):
            _spoil(fault, answer)
            if fault == "answer" and edit is not None:
                answer = {"object": answer["object"], **edit(known, answer)}
        entries.append(answer)
    text = json.dumps({"answers": entries})
    if fault == "length":
        return text[:40]
    return text


def _spoil(fault: str, answer: dict[str, Any]) -> None:
    if fault == "huge":
        answer["description"] = "Fake filler. " * 16_000
    elif fault == "hostile":
        answer["summary"] = "Fake summary. <img src=x onerror=alert(1)> |sub|"
        answer["description"] = HOSTILE_TEXT
        for param in answer["params"]:
            param["description"] = ".. raw:: html\n\n   <script>alert(2)</script>"
    elif fault == "unknown_param":
        answer["params"].append({"name": "not_a_param", "description": "Invented."})
    elif fault == "wrong_schema":
        answer["summary"] = ["Fake summary in a list."]
        answer["extra"] = True


def odd_body(fault: str, completion: dict[str, Any]) -> tuple[bytes, str] | None:
    """Return the raw body and content type of an odd-body fault, else None."""
    if fault == "not_json":
        return b'{"id": "chatcmpl-fake", "choices": [{"index": 0, "mess', "json"
    if fault == "html":
        return _PROXY_PAGE.encode(), "text/html"
    if fault == "empty_body":
        return b"", "json"
    if fault == "json_list":
        return b"[]", "json"
    if fault == "truncated":
        data = json.dumps(completion).encode()
        return data[: len(data) // 2], "json"
    body = json.loads(json.dumps(completion))
    if fault == "no_choices":
        body["choices"] = []
    elif fault == "null_message":
        body["choices"][0]["message"] = None
    elif fault == "content_not_string":
        body["choices"][0]["message"]["content"] = {"summary": "Not a string."}
    else:
        return None
    return json.dumps(body).encode(), "json"


def chat_completion(
    fake: FakeAzure,
    body: dict[str, Any],
    facts: list[dict[str, Any]],
    fault: str = "ok",
    options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the chat.completion answering *body*, and bill its usage."""
    options = options or {}
    schema = (body.get("response_format") or {}).get("json_schema") or {}
    single = "answers" not in (schema.get("schema") or {}).get("properties", {})
    content = _content(
        fault, facts, options.get("target"), single=single, edit=options.get("edit")
    )
    finish = {"content_filter": "content_filter", "length": "length"}.get(fault, "stop")
    reply: dict[str, Any] = {"role": "assistant", "content": content}
    if fault == "refusal":
        reply["refusal"] = "I'm sorry, I can't help with that."
    prompt_text = "".join(str(m.get("content", "")) for m in body.get("messages", []))
    tokens_in, tokens_out = fake.usage or (
        max(1, len(prompt_text) // 4),
        max(1, len(content or "") // 4),
    )
    factor = fake.bill_factor * (
        float(options.get("factor", 10)) if fault == "overbill" else 1.0
    )
    tokens_in, tokens_out = round(tokens_in * factor), round(tokens_out * factor)
    with fake._lock:
        fake.billed_in += tokens_in
        fake.billed_out += tokens_out
    return {
        "id": f"chatcmpl-fake-{len(fake.log)}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", fake.deployment),
        "choices": [
            {
                "index": 0,
                "message": reply,
                "finish_reason": finish,
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": tokens_in,
            "completion_tokens": tokens_out,
            "total_tokens": tokens_in + tokens_out,
        },
    }


class _Handler(BaseHTTPRequestHandler):
    fake: FakeAzure
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet (and never print headers)."""

    def do_POST(self) -> None:
        self.fake._enter()
        try:
            self._post()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            self.fake._leave()

    def do_GET(self) -> None:
        try:
            self._batch_route(b"")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _batch_route(self, raw: bytes) -> bool:
        """Answer a batch API request; False if the path is not one."""
        url = urlsplit(self.path)
        if not url.path.startswith(
            ("/openai/files", "/openai/batches", "/v1/files", "/v1/batches")
        ):
            if self.command == "GET":
                self._finish(404, {"error": {"code": "404", "message": "Not found"}})
            return False
        if self._auth(url.path.startswith("/openai/")) == "wrong":
            self._finish(401, {"error": {"code": "401", "message": "Access denied."}})
            return True
        status, payload = route_batch(
            self.fake.batches,
            self.command,
            url.path,
            raw,
            self.headers.get("Content-Type", ""),
        )
        if isinstance(payload, bytes):
            self._send(status, payload, "json")
        else:
            self._finish(status, payload)
        return True

    def _post(self) -> None:
        fake = self.fake
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        if self._batch_route(raw):
            return
        api_version = parse_qs(url.query).get("api-version", [""])[0]
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        facts = all_facts(body)
        qualnames = tuple(str(f.get("qualname", "")) for f in facts)
        qualname = qualnames[0] if qualnames else ""
        azure = _AZURE_PATH.match(url.path)
        auth = self._auth(azure is not None)
        if azure is None and url.path != "/v1/chat/completions":
            self._finish(404, {"error": {"code": "404", "message": "Not found"}})
            return
        if auth == "wrong":
            self._record(qualname, "401", url.path, auth, api_version, body)
            self._finish(
                401,
                {"error": {"code": "401", "message": "Access denied: invalid key."}},
            )
            return
        if azure is not None and azure.group(1) != fake.deployment:
            self._record(qualname, "404", url.path, auth, api_version, body)
            self._finish(
                404,
                {
                    "error": {
                        "code": "DeploymentNotFound",
                        "message": "No such deployment.",
                    }
                },
            )
            return
        number, fault, options, latency = fake._plan(qualnames, admitted(body))
        self._record(
            qualname, fault, url.path, auth, api_version, body, number, qualnames
        )
        fake.sleep(latency / 1000)
        self._respond(fault, options, facts, body)

    def _auth(self, azure: bool) -> str:
        key = self.fake.api_key
        bearer = self.headers.get("Authorization", "")
        if azure and self.headers.get("api-key") is not None:
            return "api-key" if self.headers.get("api-key") == key else "wrong"
        if bearer.startswith("Bearer "):
            token = bearer[7:]
            if token == key or (azure and token.startswith("entra-")):
                return "bearer"
        return "wrong"

    def _record(
        self,
        qualname: str,
        outcome: str,
        path: str,
        auth: str,
        api_version: str,
        body: dict[str, Any],
        number: int = 0,
        qualnames: tuple[str, ...] = (),
    ) -> None:
        received = Received(
            number or len(self.fake.log) + 1,
            time.monotonic(),
            path,
            qualname,
            outcome,
            auth,
            api_version,
            qualnames,
        )
        self.fake._note(received, body)

    def _respond(
        self,
        fault: str,
        options: dict[str, Any],
        facts: list[dict[str, Any]],
        body: dict[str, Any],
    ) -> None:
        fake = self.fake
        if fault == "429":
            headers = {}
            if "retry_after_ms" in options:
                ms = float(options["retry_after_ms"])
                headers["retry-after-ms"] = f"{ms:.0f}"
                headers["Retry-After"] = str(max(1, math.ceil(ms / 1000)))
            elif options.get("retry_after") is not None:
                headers["Retry-After"] = str(options["retry_after"])
            self._finish(
                429,
                {
                    "error": {
                        "code": "429",
                        "message": "Rate limit exceeded. Try later.",
                    }
                },
                headers,
            )
            return
        if fault == "500":
            status = int(options.get("status", 500))
            message = str(options.get("message", "The server had an error."))
            self._finish(
                status, {"error": {"code": "server_error", "message": message}}
            )
            return
        if fault == "prompt_filter":
            self._finish(
                400,
                {
                    "error": {
                        "code": "content_filter",
                        "message": "The prompt was filtered.",
                    }
                },
            )
            return
        if fault == "hang":
            fake.sleep(float(options.get("seconds", 10)))
            self.close_connection = True
            return
        completion = chat_completion(fake, body, facts, fault, options)
        odd = odd_body(fault, completion)
        if odd is None:
            self._finish(200, completion)
        else:
            self._send(200, odd[0], odd[1])

    def _finish(
        self,
        status: int,
        payload: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        self._send(status, json.dumps(payload).encode("utf-8"), "json", headers)

    def _send(
        self,
        status: int,
        data: bytes,
        kind: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header(
            "Content-Type", "text/html" if kind == "text/html" else "application/json"
        )
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()


@pytest.fixture
def fake_azure(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAzure]:
    """A running :class:`FakeAzure`, with the provider variables pointing at it."""
    with FakeAzure() as server:
        monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", server.endpoint)
        monkeypatch.setenv("AZURE_OPENAI_API_KEY", server.api_key)
        monkeypatch.setenv("AZURE_OPENAI_DEPLOYMENT", server.deployment)
        monkeypatch.setenv("OPENAI_API_VERSION", "2024-10-21")
        monkeypatch.setenv("OPENAI_BASE_URL", server.endpoint + "v1")
        monkeypatch.setenv("OPENAI_API_KEY", server.api_key)
        monkeypatch.delenv("AZURE_OPENAI_AD_TOKEN", raising=False)
        yield server
