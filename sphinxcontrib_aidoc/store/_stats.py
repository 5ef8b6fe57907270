"""Usage and health of builds, from the database (``aidoc stats``).

Each Sphinx build records, besides its counters, what it did in
``builds.usage_json`` (:meth:`StatsMixin.record_usage`): seconds by stage
and how many objects were analysed or served from the analysis table.
:meth:`StatsMixin.usage` reads them back per build, with the failed
requests of each build by outcome, and :func:`by_month` adds builds up.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sphinxcontrib_aidoc.store._base import StoreBase, dump_json

#: Stages a build times, in the order they run (see docs/stats.rst).
STAGES = ("scan", "analyse", "draft", "read", "write")


@dataclass(slots=True)
class Usage:
    """What one build (or a month of builds) did and cost."""

    label: str
    builds: int = 1
    status: str = ""
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    objects: int = 0
    analysed: int = 0
    analysis_kept: int = 0
    generated: int = 0
    cache_hits: int = 0
    requests: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost: float = 0.0
    failures: dict[str, int] = field(default_factory=dict)

    @property
    def hit_rate(self) -> float | None:
        """Share of generated docstrings served by the generation cache."""
        drafted = self.generated + self.cache_hits
        return self.cache_hits / drafted if drafted else None

    def add(self, other: Usage) -> None:
        """Add *other*'s figures to these (a month's total)."""
        self.builds += other.builds
        self.seconds += other.seconds
        for name, seconds in other.stages.items():
            self.stages[name] = self.stages.get(name, 0.0) + seconds
        for name in (
            "objects",
            "analysed",
            "analysis_kept",
            "generated",
            "cache_hits",
            "requests",
            "tokens_in",
            "tokens_out",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.cost += other.cost
        for outcome, count in other.failures.items():
            self.failures[outcome] = self.failures.get(outcome, 0) + count

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (``aidoc stats --format json``)."""
        return {
            "label": self.label,
            "builds": self.builds,
            "status": self.status,
            "seconds": round(self.seconds, 3),
            "stages": {k: round(v, 3) for k, v in self.stages.items()},
            "objects": self.objects,
            "analysed": self.analysed,
            "analysis_kept": self.analysis_kept,
            "generated": self.generated,
            "cache_hits": self.cache_hits,
            "cache_hit_rate": self.hit_rate,
            "requests": self.requests,
            "tokens_in": self.tokens_in,
            "tokens_out": self.tokens_out,
            "cost": round(self.cost, 6),
            "failures": dict(sorted(self.failures.items())),
        }


class StatsMixin(StoreBase):
    """The usage methods of :class:`~sphinxcontrib_aidoc.store.Store`."""

    def record_usage(
        self,
        build_id: int,
        *,
        seconds: float,
        stages: Mapping[str, float],
        analysed: int,
        analysis_kept: int,
    ) -> None:
        """Keep what build *build_id* did besides its counters.

        Args:
            build_id: The build.
            seconds: Its wall-clock duration.
            stages: Seconds spent by stage (names from :data:`STAGES`).
            analysed: Objects whose analysis ran in this build.
            analysis_kept: Objects whose analysis came from the database.
        """
        usage = {
            "seconds": round(float(seconds), 3),
            "stages": {k: round(float(v), 3) for k, v in stages.items()},
            "analysed": int(analysed),
            "analysis_kept": int(analysis_kept),
        }
        with self._transaction():
            self.conn.execute(
                "UPDATE builds SET usage_json = ? WHERE id = ?",
                [dump_json(usage), build_id],
            )

    def usage(self, last: int | None = None) -> list[Usage]:
        """Return the usage of the newest *last* builds (all: None), oldest first."""
        rows = self._rows(
            "SELECT * FROM builds ORDER BY id DESC LIMIT ?",
            [-1 if last is None else last],
        )
        if not rows:
            return []
        oldest = min(int(r["id"]) for r in rows)
        failures: dict[int, dict[str, int]] = {}
        for row in self._rows(
            "SELECT build_id, outcome, count(*) AS n FROM calls"
            " WHERE build_id >= ? AND outcome != 'ok' GROUP BY build_id, outcome",
            [oldest],
        ):
            failures.setdefault(int(row["build_id"]), {})[row["outcome"]] = int(
                row["n"]
            )
        return [
            _build_usage(row, failures.get(int(row["id"]), {}))
            for row in reversed(rows)
        ]

    def outside_builds(self) -> tuple[Usage, int] | None:
        """What was asked outside Sphinx builds, and answers read from batch jobs.

        Calls logged with no build (``aidoc generate``, ``aidoc apply``,
        ``aidoc batch collect``) added up: requests (``via`` ``request``),
        answers that gave prose, tokens, estimated cost and failures by
        outcome; the second item counts the answers read from batch jobs.
        None when there is no such call.
        """
        usage = Usage(label="outside builds", builds=0)
        batch_answers = 0
        for row in self._rows(
            "SELECT outcome, via, count(*) AS n, sum(tokens_in) AS tin,"
            " sum(tokens_out) AS tout, sum(cost) AS cost FROM calls"
            " WHERE build_id IS NULL GROUP BY outcome, via",
            [],
        ):
            count = int(row["n"])
            if row["via"] == "batch":
                batch_answers += count
            else:
                usage.requests += count
            if row["outcome"] == "ok":
                usage.generated += count
            else:
                usage.failures[row["outcome"]] = (
                    usage.failures.get(row["outcome"], 0) + count
                )
            usage.tokens_in += int(row["tin"] or 0)
            usage.tokens_out += int(row["tout"] or 0)
            usage.cost += float(row["cost"] or 0.0)
        if not usage.requests and not batch_answers:
            return None
        return usage, batch_answers


def by_month(usages: Iterable[Usage]) -> list[Usage]:
    """Add builds up by the month they started in (``YYYY-MM``), oldest first."""
    months: dict[str, Usage] = {}
    for usage in usages:
        month = usage.label.partition(" ")[2][:7]
        total = months.get(month)
        if total is None:
            months[month] = total = Usage(month, builds=0)
        total.add(usage)
    return [months[m] for m in sorted(months)]


def _build_usage(row: Mapping[str, Any], failures: dict[str, int]) -> Usage:
    try:
        usage: dict[str, Any] = json.loads(row.get("usage_json") or "{}")
    except ValueError:
        usage = {}
    return Usage(
        label=f"#{row['id']} {row['started_at']}",
        status=str(row["status"]),
        seconds=float(usage.get("seconds") or 0.0)
        or _seconds(row["started_at"], row["ended_at"]),
        stages={str(k): float(v) for k, v in (usage.get("stages") or {}).items()},
        objects=int(row["objects"] or 0),
        analysed=int(usage.get("analysed") or 0),
        analysis_kept=int(usage.get("analysis_kept") or 0),
        generated=int(row["generated"] or 0),
        cache_hits=int(row["cache_hits"] or 0),
        requests=int(row["llm_calls"] or 0),
        tokens_in=int(row["tokens_in"] or 0),
        tokens_out=int(row["tokens_out"] or 0),
        cost=float(row["cost"] or 0.0),
        failures=failures,
    )


def _seconds(started: str | None, ended: str | None) -> float:
    if not started or not ended:
        return 0.0
    try:
        return max(
            0.0,
            (
                datetime.fromisoformat(ended) - datetime.fromisoformat(started)
            ).total_seconds(),
        )
    except ValueError:
        return 0.0
