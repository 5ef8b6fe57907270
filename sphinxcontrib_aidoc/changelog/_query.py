"""Which changes a changelog shows: history, ``since`` baselines, filters."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Protocol

from sphinxcontrib_aidoc.changelog._compare import compare
from sphinxcontrib_aidoc.model import CHANGE_KINDS, ChangeEvent, ObjectSnapshot

_ORDER = {kind: index for index, kind in enumerate(CHANGE_KINDS)}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}([T ][\d:.]+)?(Z|[+-]\d{2}:?\d{2})?")
_HEX = re.compile(r"[0-9a-fA-F]{4,64}")


class SinceError(ValueError):
    """A ``since`` value that matches no recorded build; says what it tried."""


class ChangeSource(Protocol):
    """What the changelog reads (the store implements it)."""

    def builds(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Build rows, newest first."""

    def snapshot(self, build_id: int) -> list[ObjectSnapshot]:
        """The objects a build recorded."""

    def changes(self, *, include_build: int | None = None) -> list[ChangeEvent]:
        """Recorded changes of ``ok`` builds (and of *include_build*)."""


@dataclass(frozen=True, slots=True)
class BuildInfo:
    """One row of the ``builds`` table, as the changelog needs it."""

    id: int
    started_at: str = ""
    project: str = ""
    release: str = ""
    version: str = ""
    git_commit: str = ""
    status: str = "ok"

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> BuildInfo:
        """Build from a ``builds`` row."""
        return cls(
            id=int(row["id"]),
            started_at=str(row.get("started_at") or ""),
            project=str(row.get("project") or ""),
            release=str(row.get("release") or ""),
            version=str(row.get("version") or ""),
            git_commit=str(row.get("git_commit") or ""),
            status=str(row.get("status") or ""),
        )


@dataclass(frozen=True, slots=True)
class Query:
    """Filters of a changelog (directive options, CLI flags).

    ``module`` is a dotted prefix; ``kinds`` a subset of
    :data:`~sphinxcontrib_aidoc.model.CHANGE_KINDS` (empty: all); ``limit``
    keeps the newest changes; ``since`` is a release, an ISO date, a commit
    prefix or a git ref.
    """

    module: str = ""
    since: str = ""
    limit: int | None = None
    kinds: frozenset[str] = frozenset()
    breaking_only: bool = False

    def matches(self, event: ChangeEvent) -> bool:
        """Whether *event* passes the module, kinds and breaking filters."""
        if self.breaking_only and not event.breaking:
            return False
        if self.kinds and event.kind not in self.kinds:
            return False
        prefix = self.module
        return (
            not prefix
            or event.qualname == prefix
            or event.qualname.startswith(prefix + ".")
        )


@dataclass(frozen=True, slots=True)
class Changelog:
    """The changes to show, newest build first, plus what they are relative to.

    With a ``since`` query, ``events`` are the difference between the
    snapshots of ``baseline`` and ``head``; otherwise they are the recorded
    history (each build against the previous successful one).
    """

    project: str
    events: tuple[ChangeEvent, ...]
    head: BuildInfo | None = None
    baseline: BuildInfo | None = None
    query: Query = field(default_factory=Query)

    @property
    def breaking(self) -> tuple[ChangeEvent, ...]:
        """The breaking changes among :attr:`events`."""
        return tuple(e for e in self.events if e.breaking)


def select(
    source: ChangeSource,
    query: Query,
    *,
    current_build: int | None = None,
    rev_parse: Callable[[str], str] | None = None,
) -> Changelog:
    """Return the changelog *query* asks of *source*.

    Args:
        source: The store.
        query: Filters and the ``since`` reference.
        current_build: The running build (its changes count although its
            status is not ``ok`` yet); None outside a build.
        rev_parse: Turns a git ref into a commit (``""`` when unknown).

    Raises:
        SinceError: ``query.since`` matches no build.
    """
    builds = [
        BuildInfo.from_row(row)
        for row in source.builds()
        if row.get("status") == "ok" or row.get("id") == current_build
    ]
    head = builds[0] if builds else None
    project = head.project if head else ""
    if query.since:
        if head is None:
            msg = f"no build matches {query.since!r}: the database has no builds"
            raise SinceError(msg)
        baseline = resolve_since(builds, query.since, rev_parse)
        events = [
            _attribute(e, head, baseline.id)
            for e in compare(source.snapshot(baseline.id), source.snapshot(head.id))
        ]
    else:
        baseline = None
        events = source.changes(include_build=current_build)
    chosen = sorted((e for e in events if query.matches(e)), key=sort_key)
    if query.limit is not None:
        chosen = chosen[: max(query.limit, 0)]
    return Changelog(project, tuple(chosen), head, baseline, query)


def resolve_since(
    builds: Sequence[BuildInfo],
    ref: str,
    rev_parse: Callable[[str], str] | None = None,
) -> BuildInfo:
    """Return the baseline build that *ref* names among *builds* (newest first).

    The newest build may be the answer (``since`` the release being built
    gives no changes).

    In this order: the last build of release *ref*; for an ISO date, the last
    build started before it (or the first build, when none is older); the
    last build whose commit starts with *ref* (4 hex digits or more); the
    last build of the commit that *rev_parse* gives for *ref*.

    Raises:
        SinceError: Nothing matches.
    """
    ref = ref.strip()
    found = next((b for b in builds if b.release == ref), None)
    if found is None and _DATE.fullmatch(ref):
        found = _before_date(builds, ref)
    if found is None and _HEX.fullmatch(ref):
        prefix = ref.lower()
        found = next((b for b in builds if b.git_commit.startswith(prefix)), None)
    if found is None and rev_parse is not None:
        commit = rev_parse(ref)
        found = next((b for b in builds if commit and b.git_commit == commit), None)
    if found is None:
        msg = (
            f"no build matches {ref!r}: it is not a recorded release, an "
            "ISO date, or the commit of a recorded build"
        )
        raise SinceError(msg)
    return found


def sort_key(event: ChangeEvent) -> tuple[int, int, str]:
    """Newest build first, then :data:`CHANGE_KINDS` order, then qualname."""
    return (-event.build_id, _ORDER.get(event.kind, len(_ORDER)), event.qualname)


@dataclass(frozen=True, slots=True)
class ReleaseGroup:
    """The changes of one release, by kind (kinds in display order)."""

    release: str
    version: str
    builds: tuple[int, ...]
    time: str
    git_commit: str
    kinds: tuple[tuple[str, tuple[ChangeEvent, ...]], ...]

    @property
    def events(self) -> tuple[ChangeEvent, ...]:
        """Every change of the release."""
        return tuple(e for _, events in self.kinds for e in events)


def by_release(events: Iterable[ChangeEvent]) -> list[ReleaseGroup]:
    """Group *events* (newest first) by release, then by change kind."""
    groups: dict[str, list[ChangeEvent]] = {}
    for event in sorted(events, key=sort_key):
        groups.setdefault(event.release, []).append(event)
    result = []
    for release, members in groups.items():
        kinds: dict[str, list[ChangeEvent]] = {}
        for event in sorted(
            members, key=lambda e: (_ORDER.get(e.kind, 99), e.qualname)
        ):
            kinds.setdefault(event.kind, []).append(event)
        newest = members[0]
        result.append(
            ReleaseGroup(
                release=release,
                version=newest.version,
                builds=tuple(sorted({e.build_id for e in members}, reverse=True)),
                time=newest.time,
                git_commit=newest.git_commit,
                kinds=tuple((k, tuple(v)) for k, v in kinds.items()),
            )
        )
    return result


def by_build(
    events: Iterable[ChangeEvent],
) -> list[tuple[int, tuple[ChangeEvent, ...]]]:
    """Group *events* by build, newest build first."""
    groups: dict[int, list[ChangeEvent]] = {}
    for event in sorted(events, key=sort_key):
        groups.setdefault(event.build_id, []).append(event)
    return [(build_id, tuple(members)) for build_id, members in groups.items()]


def _attribute(event: ChangeEvent, head: BuildInfo, since: int) -> ChangeEvent:
    return replace(
        event,
        build_id=head.id,
        since_build_id=since,
        time=head.started_at,
        release=head.release,
        version=head.version,
        git_commit=head.git_commit,
    )


def _before_date(builds: Sequence[BuildInfo], ref: str) -> BuildInfo | None:
    try:
        moment = _parse_time(ref)
    except ValueError:
        return None
    older = [b for b in builds if b.started_at and _parse_time(b.started_at) < moment]
    if older:
        return older[0]
    return builds[-1] if builds else None


def _parse_time(text: str) -> datetime:
    value = text.strip().replace(" ", "T")
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment
