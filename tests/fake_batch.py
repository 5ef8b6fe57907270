"""The batch API of the fake Azure OpenAI server (see :mod:`tests.fake_azure`).

In memory: ``POST files`` takes a multipart upload (``purpose=batch``) of a
JSONL file, ``POST batches`` starts a job over it, ``GET batches/{id}``
returns the job and moves it one step on (``validating``, ``in_progress``,
then after a scripted number of retrieves ``completed``, ``failed`` or
``expired``), and ``GET files/{id}/content`` returns a file. A completed job
answers every line as the chat endpoint would (and bills it); an expired
one answers the first half and reports the rest as ``batch_expired`` in its
error file; a failed one answers nothing. Lines of a qualname in
:attr:`BatchJobs.fail_qualnames` come back as error lines.
"""

from __future__ import annotations

import collections
import email.parser
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.fake_azure import FakeAzure

FATES = ("completed", "failed", "expired")
_ENDPOINTS = ("/chat/completions", "/v1/chat/completions")


@dataclass
class Job:
    """One batch job."""

    id: str
    input_file_id: str
    endpoint: str
    completion_window: str
    fate: str
    after: int
    status: str = "validating"
    polls: int = 0
    created_at: int = field(default_factory=lambda: int(time.time()))
    output_file_id: str | None = None
    error_file_id: str | None = None
    errors: list[dict[str, str]] = field(default_factory=list)
    total: int = 0
    completed: int = 0
    failed: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "batch",
            "endpoint": self.endpoint,
            "input_file_id": self.input_file_id,
            "completion_window": self.completion_window,
            "status": self.status,
            "created_at": self.created_at,
            "output_file_id": self.output_file_id,
            "error_file_id": self.error_file_id,
            "errors": {"object": "list", "data": self.errors} if self.errors else None,
            "request_counts": {
                "total": self.total,
                "completed": self.completed,
                "failed": self.failed,
            },
        }


class BatchJobs:
    """Files and jobs of the fake batch API."""

    def __init__(self, fake: FakeAzure) -> None:
        self.fake = fake
        self.files: dict[str, bytes] = {}
        self.jobs: dict[str, Job] = {}
        #: How often each custom_id was answered (and billed) by a job.
        self.billed: collections.Counter[str] = collections.Counter()
        #: Requests by kind: upload, create, retrieve, content.
        self.calls: collections.Counter[str] = collections.Counter()
        #: Lines for these qualnames come back as error lines.
        self.fail_qualnames: set[str] = set()
        self._fate = "completed"
        self._after = 2
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def fate(self, fate: str, *, after: int = 2) -> None:
        """Make the next jobs end *fate* after *after* retrieves."""
        if fate not in FATES:
            msg = f"unknown batch fate {fate!r}"
            raise ValueError(msg)
        self._fate, self._after = fate, after

    def _id(self, prefix: str) -> str:
        return f"{prefix}-fake-{next(self._ids):04d}"

    def upload(self, raw: bytes, content_type: str) -> tuple[int, dict[str, Any]]:
        self.calls["upload"] += 1
        message = email.parser.BytesParser().parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw
        )
        fields: dict[str, bytes] = {}
        filename = ""
        for part in message.walk():
            name = part.get_param("name", header="content-disposition")
            if isinstance(name, str):
                payload = part.get_payload(decode=True)
                fields[name] = payload if isinstance(payload, bytes) else b""
                filename = part.get_filename() or filename
        if fields.get("purpose") != b"batch" or "file" not in fields:
            return 400, _error("invalid_request", "purpose must be 'batch'")
        file_id = self._id("file")
        with self._lock:
            self.files[file_id] = fields["file"]
        return 200, _file(file_id, len(fields["file"]), filename, "batch")

    def create(self, raw: bytes) -> tuple[int, dict[str, Any]]:
        self.calls["create"] += 1
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return 400, _error("invalid_request", "body is not JSON")
        if body.get("input_file_id") not in self.files:
            return 404, _error("not_found", "no such input file")
        if (
            body.get("endpoint") not in _ENDPOINTS
            or body.get("completion_window") != "24h"
        ):
            return 400, _error("invalid_request", "bad endpoint or window")
        job = Job(
            self._id("batch"),
            body["input_file_id"],
            body["endpoint"],
            body["completion_window"],
            self._fate,
            self._after,
        )
        with self._lock:
            self.jobs[job.id] = job
        return 200, job.to_json()

    def retrieve(self, job_id: str) -> tuple[int, dict[str, Any]]:
        self.calls["retrieve"] += 1
        job = self.jobs.get(job_id)
        if job is None:
            return 404, _error("not_found", "no such batch")
        with self._lock:
            if job.status in ("validating", "in_progress"):
                job.polls += 1
                if job.polls >= job.after:
                    self._finish(job)
                else:
                    job.status = "in_progress"
        return 200, job.to_json()

    def content(self, file_id: str) -> tuple[int, dict[str, Any] | bytes]:
        self.calls["content"] += 1
        data = self.files.get(file_id)
        if data is None:
            return 404, _error("not_found", "no such file")
        return 200, data

    def _finish(self, job: Job) -> None:
        lines = [
            line for line in self.files[job.input_file_id].splitlines() if line.strip()
        ]
        job.total = len(lines)
        if job.fate == "failed":
            job.status = "failed"
            job.errors = [{"code": "invalid_request", "message": "scripted failure"}]
            return
        keep = len(lines) // 2 if job.fate == "expired" else len(lines)
        out: list[bytes] = []
        err: list[bytes] = []
        for index, line in enumerate(lines):
            request = json.loads(line)
            custom_id = str(request.get("custom_id", ""))
            if index >= keep:
                err.append(_error_line(custom_id, "batch_expired", "not done in time"))
                continue
            out_line = self._answer(custom_id, request.get("body") or {})
            (out if b'"status_code": 200' in out_line else err).append(out_line)
        job.completed, job.failed = len(out), len(err)
        if out:
            job.output_file_id = self._id("file")
            self.files[job.output_file_id] = b"\n".join(out) + b"\n"
        if err:
            job.error_file_id = self._id("file")
            self.files[job.error_file_id] = b"\n".join(err) + b"\n"
        job.status = "expired" if job.fate == "expired" else "completed"

    def _answer(self, custom_id: str, body: dict[str, Any]) -> bytes:
        from tests.fake_azure import all_facts, chat_completion

        facts = all_facts(body)
        if any(f.get("qualname") in self.fail_qualnames for f in facts):
            return json.dumps(
                {
                    "id": f"batch_req_{custom_id[:12]}",
                    "custom_id": custom_id,
                    "response": {
                        "status_code": 500,
                        "body": _error("server_error", "scripted line failure"),
                    },
                    "error": None,
                }
            ).encode()
        self.billed[custom_id] += 1
        completion = chat_completion(self.fake, body, facts)
        return json.dumps(
            {
                "id": f"batch_req_{custom_id[:12]}",
                "custom_id": custom_id,
                "response": {
                    "status_code": 200,
                    "request_id": custom_id[:8],
                    "body": completion,
                },
                "error": None,
            }
        ).encode()


def route_batch(
    jobs: BatchJobs, method: str, path: str, raw: bytes, content_type: str
) -> tuple[int, dict[str, Any] | bytes]:
    """Answer one batch API request (path without the query)."""
    parts = path.strip("/").split("/")[1:]  # drop "openai" or "v1"
    if method == "POST" and parts == ["files"]:
        return jobs.upload(raw, content_type)
    if method == "POST" and parts == ["batches"]:
        return jobs.create(raw)
    if method == "GET" and len(parts) == 2 and parts[0] == "batches":
        return jobs.retrieve(parts[1])
    if method == "GET" and len(parts) == 3 and parts[::2] == ["files", "content"]:
        return jobs.content(parts[1])
    return 404, _error("not_found", "no such route")


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def _error_line(custom_id: str, code: str, message: str) -> bytes:
    return json.dumps(
        {
            "id": f"batch_req_{custom_id[:12]}",
            "custom_id": custom_id,
            "response": None,
            "error": {"code": code, "message": message},
        }
    ).encode()


def _file(file_id: str, size: int, filename: str, purpose: str) -> dict[str, Any]:
    return {
        "id": file_id,
        "object": "file",
        "bytes": size,
        "created_at": int(time.time()),
        "filename": filename or "input.jsonl",
        "purpose": purpose,
        "status": "processed",
    }
