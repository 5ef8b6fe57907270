"""Generate prose for objects: cache first, then the provider, then offline.

The :class:`Generator` takes a batch of :class:`ObjectInfo` and returns one
:class:`Draft` per object. It never raises for provider trouble (even a
provider that raises): whatever a provider could not write is written by
the deterministic offline fallback, and only answers of the configured
provider are cached, each the moment it is validated (a fallback is never
stored under a paid provider's key).

With a network provider and a cache that supports leases (the store), the
generator takes a lease on every key it is about to ask for, so a second
build on the same database does not ask for them again: it waits for the
first build's answers (reading them from the cache as they arrive) and
writes offline what the first build could not get (see
:mod:`~sphinxcontrib_aidoc.generate._share`).
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from sphinxcontrib_aidoc.diagnostics import Diagnostic, Reporter
from sphinxcontrib_aidoc.model import CLASS_KINDS, Draft, ObjectInfo

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.generate._share import Share
    from sphinxcontrib_aidoc.generate.batch_jobs import BatchStep

# The drafting modules (offline wording, facts, answer checks, the quality
# evaluator under them) are imported where they are used: a build that
# drafts nothing (a no-change rebuild) only needs the classes below.

#: Version of the prompts and answer checks; bumping it invalidates the
#: cached answers of every model (which users paid for): bump it only when
#: what a model is asked changes.
PROMPT_VERSION = "3"
#: Version of the offline wording; bumping it invalidates offline drafts only.
OFFLINE_VERSION = "5"


class CacheProtocol(Protocol):
    """What the generator needs from a cache (the Store implements it)."""

    def cache_get_many(self, keys: Sequence[str]) -> dict[str, Draft]:
        """Return the cached drafts among *keys*."""

    def cache_put(
        self,
        key: str,
        draft: Draft,
        *,
        qualname: str,
        provider: str,
        model: str,
        prompt_version: str,
    ) -> None:
        """Store one draft."""


#: Called by a provider as each object of a batch is done (draft or None).
OnDone = Callable[[ObjectInfo, "Draft | None"], None]
#: Receives a status line while a batch waits (a Retry-After, a hung server).
Notify = Callable[[str], None]


class Progress(Protocol):
    """Receives the progress of the provider part of a batch."""

    def start(self, total: int) -> None:
        """A batch of *total* objects goes to the provider."""

    def advance(self, qualname: str) -> None:
        """One object is done (written or left to the fallback)."""

    def finish(self) -> None:
        """The batch is over."""

    # A progress may also have ``note(text)``: it then shows the status
    # lines of a waiting batch (see :data:`Notify`).


class Provider(Protocol):
    """Writes prose for a batch of objects.

    A provider other than ``offline`` writes plain text: the styles escape
    it for reST when they render it (``sphinxcontrib_aidoc.styles.escape``).
    """

    #: Short provider name ("offline", "azure", "openai"), part of cache keys.
    name: str
    #: Model or deployment, part of cache keys ("" for offline).
    model: str

    def draft_many(
        self,
        infos: Sequence[ObjectInfo],
        *,
        reporter: Reporter,
        on_done: OnDone | None = None,
        notify: Notify | None = None,
    ) -> dict[str, Draft]:
        """Return drafts by qualname; objects left out fall back offline.

        *on_done* is called as each object is done, so that paid drafts are
        cached at once and progress is shown while the batch runs; *notify*
        receives status lines while the batch waits.
        """


class OfflineProvider:
    """The deterministic, name-and-structure based fallback."""

    name = "offline"
    model = ""

    def __init__(self) -> None:
        #: The whole batch being drafted (set by :meth:`Generator.drafts`):
        #: the wording reads an object's class and overrides there, also
        #: when their own drafts came from the cache.
        self.related: Mapping[str, ObjectInfo] = {}
        #: Drafts of this batch made ahead (:meth:`Generator.draft_ahead`),
        #: by qualname: given instead of wording them again.
        self.ahead: Mapping[str, Draft] = {}

    def draft_many(
        self,
        infos: Sequence[ObjectInfo],
        *,
        reporter: Reporter,
        on_done: OnDone | None = None,
        notify: Notify | None = None,
    ) -> dict[str, Draft]:
        """Return an offline draft for every object."""
        del reporter, notify
        from sphinxcontrib_aidoc.generate._classes import SUBCLASSES  # noqa: PLC0415
        from sphinxcontrib_aidoc.generate.offline import offline_draft  # noqa: PLC0415

        drafts = {}
        related = {**self.related, **{info.qualname: info for info in infos}}
        try:
            for info in infos:
                draft = self.ahead.get(info.qualname)
                if draft is None:
                    draft = offline_draft(info, related)
                drafts[info.qualname] = draft
                if on_done is not None:
                    on_done(info, draft)
        finally:
            SUBCLASSES.release()
            self.ahead = {}  # (this batch's)
        return drafts


def _with_owner(key: str, batch: Mapping[str, ObjectInfo], qualname: str) -> str:
    """*key* bound to the source of *qualname*'s class record in *batch*, if any."""
    parent = batch.get(qualname.rpartition(".")[0])
    if parent is None or parent.kind not in CLASS_KINDS:
        return key
    return hashlib.sha256(f"{key}|{parent.source_hash}".encode()).hexdigest()


def _takes_notify(provider: Provider) -> bool:
    """Whether *provider* accepts ``notify`` (providers written before it do not)."""
    try:
        parameters = inspect.signature(provider.draft_many).parameters
    except (TypeError, ValueError):
        return False
    return "notify" in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
    )


def version_of(provider: str) -> str:
    """The version of what *provider*'s drafts depend on (wording or prompt)."""
    return OFFLINE_VERSION if provider == "offline" else PROMPT_VERSION


def cache_key(info: ObjectInfo, *, provider: str, model: str) -> str:
    """Return the cache key: sha256 of everything the answer depends on.

    That is what the request shows of the object (the facts of the prompt,
    and the hash of its source with docstrings left out), who answers
    (provider and model) and :data:`PROMPT_VERSION` (the instructions, the
    answer's schema and its checks; :data:`OFFLINE_VERSION`, the wording, for
    the offline provider, with the callee docstring its text quotes). The
    docstring style is not part of it: the answer is prose only, and the
    style is applied when the draft is rendered, so switching
    ``aidoc_style`` asks for nothing again.
    """
    from sphinxcontrib_aidoc.generate._related import borrowed  # noqa: PLC0415
    from sphinxcontrib_aidoc.generate.facts import facts  # noqa: PLC0415

    payload = {
        "facts": facts(info),
        "source_hash": info.source_hash,
        "provider": provider,
        "model": model,
        "prompt_version": version_of(provider),
    }
    if provider == "offline":
        # The offline text quotes a callee's docstring (a thin wrapper): a
        # changed docstring re-draws it. The model's key never has it.
        payload["borrowed"] = borrowed(info)
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class GenerationStats:
    """Counters of one generator's work."""

    generated: int = 0
    cache_hits: int = 0
    fallbacks: int = 0
    #: Objects asked again because their first answer was rejected.
    retried: int = 0
    #: Objects whose second answer was rejected too (written offline).
    rejected: int = 0

    def add(self, other: GenerationStats) -> None:
        """Add *other*'s counters to these."""
        self.generated += other.generated
        self.cache_hits += other.cache_hits
        self.fallbacks += other.fallbacks
        self.retried += other.retried
        self.rejected += other.rejected


class Generator:
    """Cache, provider and fallback, in that order, for batches of objects."""

    def __init__(
        self,
        *,
        provider: Provider,
        reporter: Reporter,
        cache: CacheProtocol | None = None,
    ) -> None:
        self.provider = provider
        self.reporter = reporter
        self.cache = cache
        self.stats = GenerationStats()
        self._jobs: BatchStep | None = None
        #: Offline drafts made ahead, each with the batch it was made for.
        self._ahead: list[tuple[dict[str, ObjectInfo], dict[str, Draft]]] = []

    def draft_ahead(
        self, infos: Iterable[ObjectInfo], until: Callable[[], bool]
    ) -> dict[str, Draft]:
        """Word *infos* offline now, for a later :meth:`drafts` of the same batch.

        For a build waiting for its analyses: the batch it will draft once
        they are back is worded meanwhile, from the records it has so far.
        :meth:`drafts` gives these drafts (through the offline provider, so
        they are counted and cached as drafts made then) only when its
        batch is the same objects with equal records: the wording reads the
        object's class and overrides in the batch. Nothing with another
        provider. Stops as soon as *until* says so; returns the drafts
        worded, by qualname.
        """
        if not isinstance(self.provider, OfflineProvider):
            return {}
        from sphinxcontrib_aidoc.generate._classes import SUBCLASSES  # noqa: PLC0415
        from sphinxcontrib_aidoc.generate.offline import offline_draft  # noqa: PLC0415

        batch = {info.qualname: info for info in infos}
        made: dict[str, Draft] = {}
        self._ahead.append((batch, made))
        try:
            for qualname, info in batch.items():
                if until():
                    break
                made[qualname] = offline_draft(info, batch)
        finally:
            SUBCLASSES.release()
        return made

    def drop_ahead(self) -> None:
        """Forget the drafts made ahead that no batch took."""
        self._ahead.clear()

    def _made_ahead(self, batch: Mapping[str, ObjectInfo]) -> dict[str, Draft]:
        """The drafts :meth:`draft_ahead` made for *batch* (taken once), or {}."""
        for number, (known, made) in enumerate(self._ahead):
            # (in order: the wording may look for a class in the batch's order)
            if list(known) == list(batch) and known == batch:
                del self._ahead[number]
                return made
        return {}

    def close(self) -> None:
        """Close the batch API client, if batch jobs built one."""
        if self._jobs is not None:
            self._jobs.close()

    def key(self, info: ObjectInfo) -> str:
        """Return the cache key of *info* for this generator."""
        return cache_key(info, provider=self.provider.name, model=self.provider.model)

    def _cache_get(self, keys: Sequence[str]) -> dict[str, Draft]:
        if self.cache is None:
            return {}
        try:
            return self.cache.cache_get_many(keys)
        except Exception as exc:  # noqa: BLE001 (any failure of the cache backend)
            self._cache_failed(exc)
            return {}

    def _cache_put(self, key: str, info: ObjectInfo, draft: Draft) -> None:
        if self.cache is None:
            return
        try:
            self.cache.cache_put(
                key,
                draft,
                qualname=info.qualname,
                provider=self.provider.name,
                model=self.provider.model,
                prompt_version=version_of(self.provider.name),
            )
        except Exception as exc:  # noqa: BLE001 (any failure of the cache backend)
            self._cache_failed(exc)

    def _cache_failed(self, exc: Exception) -> None:
        """Stop using a cache that fails; the build goes on without it."""
        self.cache = None
        self.reporter.report(
            Diagnostic(
                "cache",
                f"the generation cache failed ({type(exc).__name__}: {exc}); "
                "going on without it, so drafts of this run are not cached",
            )
        )

    def drafts(
        self, infos: Iterable[ObjectInfo], *, progress: Progress | None = None
    ) -> dict[str, Draft]:
        """Return one draft per object, by qualname (cache, provider, offline).

        Only the provider's own answers are cached: a fallback written
        because the provider failed is never stored under the provider's key,
        so the next build asks again for exactly what failed.
        """
        todo = {info.qualname: info for info in infos}
        keys = {qualname: self.key(info) for qualname, info in todo.items()}
        if self.provider.name == "offline":
            # The offline wording reads an object's class too (the parameter
            # ``__init__`` stores in the attribute a method returns): a
            # changed class writes its methods again.
            keys = {q: _with_owner(k, todo, q) for q, k in keys.items()}
        result: dict[str, Draft] = {}
        if self.cache is not None and keys:
            cached = self._cache_get(sorted(set(keys.values())))
            for qualname, key in keys.items():
                if key in cached:
                    result[qualname] = cached[key].with_source("cache")
                    self.stats.cache_hits += 1
        missing = [info for q, info in todo.items() if q not in result]
        if not missing:
            return result
        if isinstance(self.provider, OfflineProvider):
            self.provider.related = todo
            self.provider.ahead = self._made_ahead(todo)
        fresh, deferred = self._batch_jobs(missing, keys)
        asked = [
            i for i in missing if i.qualname not in fresh and i.qualname not in deferred
        ]
        from sphinxcontrib_aidoc.generate._classes import SUBCLASSES  # noqa: PLC0415
        from sphinxcontrib_aidoc.generate._share import Share  # noqa: PLC0415
        from sphinxcontrib_aidoc.generate.offline import offline_draft  # noqa: PLC0415

        share = Share.start(self, asked, keys) if asked else None
        mine = share.mine if share is not None else asked
        fresh.update(self._ask(mine, keys, progress, share) if mine else {})
        if share is not None:
            fresh.update(share.collect(self, progress))
            self.stats.cache_hits += share.received
        try:
            for info in missing:
                draft = fresh.get(info.qualname)
                if draft is None:
                    result[info.qualname] = offline_draft(info, todo)
                    self.stats.fallbacks += 1
                else:
                    result[info.qualname] = draft
                    if draft.source != "cache":
                        self.stats.generated += 1
        finally:
            SUBCLASSES.release()  # the batch's records are not kept alive
        return result

    def _batch_jobs(
        self, missing: list[ObjectInfo], keys: dict[str, str]
    ) -> tuple[dict[str, Draft], set[str]]:
        """Answers of the provider's batch jobs, and the objects they defer.

        See :mod:`~sphinxcontrib_aidoc.generate.batch_jobs`; nothing happens
        without a provider with a batch API and a database recording jobs.
        """
        if getattr(self.provider, "batch_client", None) is None or not hasattr(
            self.cache, "batch_live_keys"
        ):
            return {}, set()
        if self._jobs is None:
            from sphinxcontrib_aidoc.generate.batch_jobs import (  # noqa: PLC0415
                BatchStep,
            )

            self._jobs = BatchStep(self.provider, self.cache, self.reporter)  # type: ignore[arg-type]  # checked above
        try:
            return self._jobs.run(missing, keys)
        except Exception as exc:  # noqa: BLE001 (jobs must not end a build)
            self.reporter.report(
                Diagnostic(
                    "batch",
                    f"batch jobs failed ({type(exc).__name__}: {exc}); asking for "
                    "the objects directly",
                )
            )
            return {}, set()

    def _ask(
        self,
        infos: list[ObjectInfo],
        keys: dict[str, str],
        progress: Progress | None,
        share: Share | None,
    ) -> dict[str, Draft]:
        """Run the provider on *infos*; a provider that raises loses nothing.

        A model's answer that restates the name or contradicts the facts
        (:func:`~.review_answers.answer_problem`) is not used: the object
        is asked once more, with the reason in the request; a second such
        answer leaves the object to the offline fallback, with an
        ``aidoc.rejected`` warning. Only accepted answers are cached.
        """
        from sphinxcontrib_aidoc.generate.context import AskAgain  # noqa: PLC0415
        from sphinxcontrib_aidoc.generate.review_answers import (  # noqa: PLC0415
            answer_problem,
        )

        if progress is not None:
            progress.start(len(infos))
        review = self.provider.name != "offline"
        got: dict[str, Draft] = {}
        seen: set[str] = set()
        again: dict[str, str] = {}
        asked_again: set[str] = set()
        # Reported in this thread once the provider is done (it may call
        # ``on_done`` from another).
        rejected: list[Diagnostic] = []

        def on_done(info: ObjectInfo, draft: Draft | None) -> None:
            seen.add(info.qualname)
            key = keys[info.qualname]
            problem = answer_problem(info, draft) if review and draft else ""
            if problem and info.qualname not in asked_again:
                again[info.qualname] = problem  # keeps its lease: asked again
                return
            if problem:
                self.stats.rejected += 1
                rejected.append(
                    Diagnostic(
                        "rejected",
                        f"the answers for {info.qualname} were rejected twice "
                        f"(first: {again[info.qualname]}; then: {problem}); "
                        "using the offline text",
                        f"{info.file}:{info.lineno}" if info.file else "",
                    )
                )
            elif draft is not None:
                # Cache each paid draft the moment it arrives: a build that
                # stops half-way has still paid for, and kept, the first half.
                self._cache_put(key, info, draft)
                got[info.qualname] = draft
            if share is not None:
                share.release(key)
            if progress is not None:
                progress.advance(info.qualname)

        try:
            with share.renewing() if share is not None else contextlib.nullcontext():
                self._call(infos, on_done, progress, seen)
                if again:
                    self.stats.retried += len(again)
                    asked_again.update(again)
                    retry = [
                        AskAgain.of(i, again[i.qualname])
                        for i in infos
                        if i.qualname in again
                    ]
                    self._call(retry, on_done, progress, seen)
        except Exception as exc:  # noqa: BLE001 (a provider must not end a build)
            self.reporter.report(
                Diagnostic(
                    "provider",
                    f"the {self.provider.name} provider failed "
                    f"({type(exc).__name__}: {exc}); {len(infos) - len(got)} "
                    "object(s) written offline",
                )
            )
        finally:
            if share is not None:
                share.release_all()
            if progress is not None:
                progress.finish()
            for diagnostic in rejected:
                self.reporter.report(diagnostic)
        return got

    def _call(
        self,
        infos: Sequence[ObjectInfo],
        on_done: OnDone,
        progress: Progress | None,
        seen: set[str],
    ) -> None:
        """Ask the provider for *infos*; drafts it returns unannounced count too."""
        note = getattr(progress, "note", None)
        extra = (
            {"notify": note} if callable(note) and _takes_notify(self.provider) else {}
        )
        seen.difference_update(info.qualname for info in infos)
        drafts = self.provider.draft_many(
            infos, reporter=self.reporter, on_done=on_done, **extra
        )
        for info in infos:
            if info.qualname not in seen:
                on_done(info, drafts.get(info.qualname))
