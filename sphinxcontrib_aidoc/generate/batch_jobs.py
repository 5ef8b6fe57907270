"""Large first runs through the provider's batch API (Azure OpenAI, OpenAI).

Not to be confused with :mod:`._batch`, the bookkeeping of one
``draft_many`` call. A *batch job* here is the provider's asynchronous
interface: a JSONL file of chat-completions requests uploaded with
``files.create(purpose="batch")``, run by ``batches.create(...,
completion_window="24h")`` within a day at about half the price and on a
quota of its own, checked with ``batches.retrieve`` and read back with
``files.content``.

:class:`BatchStep` is what a build does with it. Before asking for objects
directly it looks for them in live jobs recorded in the database: a job
that has ended is read into the cache (each answer validated and sanitized
like a direct one, under its object's cache key); objects of a job still
running are written offline for this build, and never asked for again
(directly or in another job) while it lives. When more objects than
``aidoc_batch_threshold`` are left, they are submitted as a new job (one
request per object, its ``custom_id`` the cache key), the job id and the
objects are recorded, and the build writes them offline and says so (a
``batch`` warning). A later build, or ``aidoc batch collect``, picks the
answers up. Builds with a token or money budget never use batch jobs (a
job's cost is known only when it ends).
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, cast

from sphinxcontrib_aidoc.diagnostics import Diagnostic, Reporter
from sphinxcontrib_aidoc.generate import CacheProtocol
from sphinxcontrib_aidoc.generate._calls import Attempt, read_completion, request_body
from sphinxcontrib_aidoc.generate._share import holder_id
from sphinxcontrib_aidoc.generate.prompt import PromptTooLarge, build_messages
from sphinxcontrib_aidoc.generate.sizing import completion_tokens
from sphinxcontrib_aidoc.generate.usage import CallRecord
from sphinxcontrib_aidoc.model import Draft, ObjectInfo

if TYPE_CHECKING:
    import openai

    from sphinxcontrib_aidoc.generate._engine import ChatProvider

__all__ = ["TERMINAL", "BatchStep", "Collected", "ItemRow", "JobRow", "JobStore"]

#: Statuses after which a job runs no more.
TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})
#: Seconds the leases taken while a job is submitted last.
LEASE_TTL_S = 300.0
#: Share of the listed token prices a batch job is billed (Azure OpenAI and
#: OpenAI both bill batch tokens at half the price of direct requests).
BATCH_PRICE = 0.5


class JobRow(Protocol):
    """A recorded job, as the database returns it."""

    @property
    def id(self) -> str:
        """The provider's batch id."""

    @property
    def provider(self) -> str:
        """Provider name."""

    @property
    def model(self) -> str:
        """Model or deployment."""


class ItemRow(Protocol):
    """One object of a recorded job."""

    @property
    def custom_id(self) -> str:
        """Its ``custom_id`` in the job."""

    @property
    def key(self) -> str:
        """Its cache key."""

    @property
    def qualname(self) -> str:
        """Its qualified name."""

    @property
    def info(self) -> dict[str, Any]:
        """Its analysis record (``ObjectInfo.to_json``)."""


#: (custom_id, cache key, qualname, analysis record) of one object of a job.
NewItem = tuple[str, str, str, dict[str, Any]]


class JobStore(CacheProtocol, Protocol):
    """The generation cache plus the ``batch_*`` methods (the Store has both)."""

    def batch_job_add(
        self,
        job_id: str,
        *,
        provider: str,
        model: str,
        prompt_version: str,
        input_file_id: str,
        status: str,
        items: Sequence[NewItem],
    ) -> None:
        """Record a submitted job."""

    def batch_jobs(self, *, live: bool = False) -> Sequence[JobRow]:
        """Return the recorded jobs."""

    def batch_items(self, job_id: str) -> Sequence[ItemRow]:
        """Return a job's objects."""

    def batch_live_keys(self, keys: Sequence[str]) -> dict[str, str]:
        """Return the live job of each key one asks for."""

    def batch_job_checked(
        self,
        job_id: str,
        status: str,
        *,
        output_file_id: str | None = None,
        error_file_id: str | None = None,
    ) -> None:
        """Record a job's status."""

    def batch_job_collected(
        self, job_id: str, *, cached: Sequence[str], failed: dict[str, str]
    ) -> None:
        """Mark a job collected."""


@dataclass(slots=True)
class Collected:
    """What checking one job gave."""

    job_id: str
    status: str
    #: Drafts read into the cache, by cache key.
    drafts: dict[str, Draft] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    error: str = ""

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form ``aidoc batch collect`` prints."""
        return {
            "id": self.job_id,
            "status": self.status,
            "cached": len(self.drafts),
            "failed": len(self.failed),
            "error": self.error,
        }


class BatchStep:
    """Batch jobs for one provider and one database (see the module docstring).

    Args:
        provider: The chat provider; its ``batch_client`` reaches the API.
        store: The database recording jobs and caching answers.
        reporter: Receives ``batch`` diagnostics.
    """

    def __init__(
        self, provider: ChatProvider, store: JobStore, reporter: Reporter
    ) -> None:
        self.provider = provider
        self.store = store
        self.reporter = reporter
        self._client: openai.OpenAI | None = None
        #: Jobs checked by this step (each once per build).
        self.checked: dict[str, Collected] = {}

    @property
    def client(self) -> openai.OpenAI:
        """The batch API client (built on first use)."""
        if self._client is None:
            factory = self.provider.batch_client
            if factory is None:
                msg = f"{self.provider.label} has no batch API"
                raise RuntimeError(msg)
            self._client = factory()
        return self._client

    def close(self) -> None:
        """Close the client, if one was built."""
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- a build -------------------------------------------------------
    def run(
        self, infos: Sequence[ObjectInfo], keys: dict[str, str]
    ) -> tuple[dict[str, Draft], set[str]]:
        """Collect, wait for or submit *infos*; return drafts and deferred names.

        Returns:
            The drafts read from ended jobs (by qualname), and the qualnames
            written offline in this build because a job asks for them.
        """
        wanted = [keys[i.qualname] for i in infos]
        live = self.store.batch_live_keys(wanted)
        by_key: dict[str, Draft] = {}
        for job_id in dict.fromkeys(live.values()):
            if job_id not in self.checked:
                self.checked[job_id] = self.check(job_id)
            by_key.update(self.checked[job_id].drafts)
        got = {
            i.qualname: by_key[keys[i.qualname]]
            for i in infos
            if keys[i.qualname] in by_key
        }
        waiting = self.store.batch_live_keys(wanted) if live else {}
        deferred = {i.qualname for i in infos if keys[i.qualname] in waiting}
        self._report_waiting(waiting)
        rest = [
            i for i in infos if i.qualname not in got and i.qualname not in deferred
        ]
        threshold = self.provider.config.batch_threshold
        if threshold is None or len(rest) <= threshold:
            return got, deferred
        if self.provider.budget.limited:
            self._report(
                f"{len(rest)} objects exceed aidoc_batch_threshold={threshold}, "
                "but a token or money budget is set and a batch job's cost is "
                "known only when it ends; asking for them directly"
            )
            return got, deferred
        # Another build on this database may be submitting the same objects:
        # submit only what this build holds leases on (see ._share).
        lease = getattr(self.store, "lease_acquire", None)
        holder = holder_id()
        wanted_keys = [keys[i.qualname] for i in rest]
        held = (
            lease(wanted_keys, holder=holder, ttl=LEASE_TTL_S)
            if callable(lease)
            else set(wanted_keys)
        )
        others = [i for i in rest if keys[i.qualname] not in held]
        if others:  # another build is submitting them: never asked twice
            deferred.update(i.qualname for i in others)
            self._report(
                f"{len(others)} object(s) are being submitted to a batch job by "
                "another build on this database; written offline in this build"
            )
        try:
            mine = [i for i in rest if keys[i.qualname] in held]
            if len(mine) <= threshold:
                return got, deferred
            job_id = self.submit(mine, keys)
        finally:
            release = getattr(self.store, "lease_release", None)
            if callable(lease) and callable(release):
                release(list(held), holder=holder)
        if job_id:
            deferred.update(i.qualname for i in mine)
            self._report(
                f"{len(mine)} object(s) submitted to {self.provider.label} batch job "
                f"{job_id} (answers within 24 h); written offline in this build; a "
                "later build or 'aidoc batch collect' picks the answers up"
            )
        return got, deferred

    def _report_waiting(self, waiting: dict[str, str]) -> None:
        counts: dict[str, int] = {}
        for job_id in waiting.values():
            counts[job_id] = counts.get(job_id, 0) + 1
        for job_id, count in counts.items():
            status = self.checked[job_id].status if job_id in self.checked else "?"
            self._report(
                f"{count} object(s) wait for batch job {job_id} (status {status}); "
                "written offline in this build; a later build or 'aidoc batch "
                "collect' picks the answers up"
            )

    def _report(self, message: str) -> None:
        self.reporter.report(Diagnostic("batch", message))

    # -- submit ----------------------------------------------------------
    def submit(self, infos: Sequence[ObjectInfo], keys: dict[str, str]) -> str:
        """Upload and start one job for *infos*; return its id ("" if it failed)."""
        from sphinxcontrib_aidoc.generate import PROMPT_VERSION  # noqa: PLC0415

        provider = self.provider
        lines: list[str] = []
        items: list[NewItem] = []
        for info in infos:
            key = keys[info.qualname]
            if any(item[1] == key for item in items):
                continue  # one object under two names: asked once
            try:
                messages = build_messages(
                    info, max_prompt_tokens=provider.config.max_prompt_tokens
                )
            except PromptTooLarge:
                continue  # written offline, as a direct request would be
            body = request_body(provider.model, messages, completion_tokens(info))
            lines.append(
                json.dumps(
                    {
                        "custom_id": key,
                        "method": "POST",
                        "url": provider.batch_endpoint,
                        "body": body,
                    },
                    ensure_ascii=False,
                )
            )
            items.append((key, key, info.qualname, info.to_json()))
        if not items:
            return ""
        data = ("\n".join(lines) + "\n").encode("utf-8")
        try:
            upload = self.client.files.create(
                file=("aidoc-batch.jsonl", io.BytesIO(data)), purpose="batch"
            )
            job = self.client.batches.create(
                input_file_id=upload.id,
                endpoint=cast("Any", provider.batch_endpoint),
                completion_window="24h",
            )
        except Exception as exc:  # noqa: BLE001 (the build goes on without a job)
            self._report(
                f"could not submit a batch job to {provider.label} "
                f"({self._describe(exc)}); asking for the objects directly"
            )
            return ""
        self.store.batch_job_add(
            job.id,
            provider=provider.name,
            model=provider.model,
            prompt_version=PROMPT_VERSION,
            input_file_id=upload.id,
            status=job.status,
            items=items,
        )
        return job.id

    # -- check and collect ----------------------------------------------
    def collect_all(self) -> list[Collected]:
        """Check every live job of this provider and model; collect the ended ones."""
        return [
            self.check(job.id)
            for job in self.store.batch_jobs(live=True)
            if (job.provider, job.model) == (self.provider.name, self.provider.model)
        ]

    def refresh(self, job_id: str) -> tuple[str, Any]:
        """Ask the provider for *job_id*; record and return its status (and job)."""
        try:
            job = self.client.batches.retrieve(job_id)
        except Exception as exc:  # noqa: BLE001 (a job we cannot see stays live)
            error = self._describe(exc)
            self._report(f"could not check batch job {job_id} ({error})")
            return "unknown: " + error, None
        self.store.batch_job_checked(
            job_id,
            job.status,
            output_file_id=job.output_file_id,
            error_file_id=job.error_file_id,
        )
        return job.status, job

    def check(self, job_id: str) -> Collected:
        """Ask for *job_id*'s status; read its answers into the cache if it ended."""
        status, job = self.refresh(job_id)
        if job is None:
            return Collected(job_id, "unknown", error=status.partition(": ")[2])
        result = Collected(job_id, status)
        if status not in TERMINAL:
            return result
        try:
            output = self._lines(job.output_file_id)
            errors = self._lines(job.error_file_id)
        except Exception as exc:  # noqa: BLE001 (read again by a later check)
            result.error = self._describe(exc)
            self._report(f"could not read batch job {job_id}'s files ({result.error})")
            return result
        self._collect(result, output, errors)
        return result

    def _lines(self, file_id: str | None) -> list[dict[str, Any]]:
        if not file_id:
            return []
        text = self.client.files.content(file_id).text
        found = []
        for line in text.splitlines():
            try:
                data = json.loads(line)
            except ValueError:
                continue
            if isinstance(data, dict):
                found.append(data)
        return found

    def _collect(
        self,
        result: Collected,
        output: list[dict[str, Any]],
        errors: list[dict[str, Any]],
    ) -> None:
        from sphinxcontrib_aidoc.generate import PROMPT_VERSION  # noqa: PLC0415

        provider = self.provider
        items = {item.custom_id: item for item in self.store.batch_items(result.job_id)}
        for line in [*output, *errors]:
            custom_id = str(line.get("custom_id", ""))
            item = items.get(custom_id)
            if item is None or custom_id in result.failed or item.key in result.drafts:
                continue
            error = self._line_error(line)
            if error:
                result.failed[custom_id] = error
                continue
            info = ObjectInfo.from_json(item.info)
            body = json.dumps(line["response"]["body"])
            attempt = read_completion(body, [info], provider.request_target)
            cost = BATCH_PRICE * provider.budget.cost(
                attempt.tokens_in, attempt.tokens_out
            )
            provider.usage.tokens_in += attempt.tokens_in
            provider.usage.tokens_out += attempt.tokens_out
            provider.usage.cost += cost
            draft = attempt.drafts.get(info.qualname)
            self._record(item.qualname, attempt, cost, ok=draft is not None)
            if draft is None:
                result.failed[custom_id] = attempt.error or "invalid answer"
                continue
            self.store.cache_put(
                item.key,
                draft,
                qualname=item.qualname,
                provider=provider.name,
                model=provider.model,
                prompt_version=PROMPT_VERSION,
            )
            result.drafts[item.key] = draft
        for custom_id, item in items.items():
            if custom_id not in result.failed and item.key not in result.drafts:
                result.failed[custom_id] = f"no answer (job {result.status})"
        self.store.batch_job_collected(
            result.job_id,
            cached=[c for c, i in items.items() if i.key in result.drafts],
            failed=result.failed,
        )

    def _record(
        self, qualname: str, attempt: Attempt, cost: float, *, ok: bool
    ) -> None:
        """Log one answer of a job in ``calls`` (``via`` ``batch``), if logging."""
        provider = self.provider
        if provider.recorder is None:
            return
        record = CallRecord(
            qualname=qualname,
            provider=provider.name,
            model=provider.model,
            outcome="ok" if ok else "invalid",
            tokens_in=attempt.tokens_in,
            tokens_out=attempt.tokens_out,
            cost=cost,
            error="" if ok else self._describe_text(attempt.error or "invalid answer"),
            via="batch",
        )
        try:
            record.send(provider.recorder)
        except Exception as exc:  # noqa: BLE001 (a log must not stop collecting)
            self._report(f"could not log a batch answer ({self._describe(exc)})")

    @staticmethod
    def _line_error(line: dict[str, Any]) -> str:
        error = line.get("error")
        if isinstance(error, dict):
            return f"{error.get('code', 'error')}: {error.get('message', '')}"
        response = line.get("response")
        if not isinstance(response, dict) or not isinstance(response.get("body"), dict):
            return "no response"
        status = response.get("status_code")
        if status != 200:
            return f"HTTP {status}"
        return ""

    def _describe(self, exc: Exception) -> str:
        from sphinxcontrib_aidoc.generate._client import error_text  # noqa: PLC0415

        return error_text(exc, self.provider.request_target.secret)

    def _describe_text(self, text: str) -> str:
        return self.provider.request_target.secret.scrub(text)
