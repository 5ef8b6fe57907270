"""Per-module and per-project aggregates of scores, and coverage.

Coverage, aidoc's way: the share of scored objects (public classes,
functions, methods and properties) whose docstring a person wrote;
generated docstrings do not count. :func:`interrogate_coverage` counts as
`interrogate <https://interrogate.readthedocs.io>`_ does with its defaults
instead: every module, class, function and method of the files, nested,
private and special ones included, with or without a docstring.
"""

from __future__ import annotations

import ast
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinxcontrib_aidoc.quality._records import Score

#: Score buckets of the distribution: (label, lowest, highest).
BUCKETS: tuple[tuple[str, int, int], ...] = (
    ("0-49", 0, 49),
    ("50-69", 50, 69),
    ("70-89", 70, 89),
    ("90-100", 90, 100),
)


@dataclass(frozen=True, slots=True)
class Summary:
    """Aggregates of a set of scores (one module, or the whole project)."""

    #: The module's dotted name; "" for the project.
    name: str
    objects: int
    #: Objects with a human-written docstring.
    covered: int
    #: Objects whose docstring was generated.
    generated: int
    mean: float
    #: Objects per bucket of :data:`BUCKETS`.
    distribution: tuple[int, ...]
    #: ``(code, count)`` of every finding code, by code.
    codes: tuple[tuple[str, int], ...]

    @property
    def coverage(self) -> float:
        """Percent of objects with a human-written docstring (100 when none)."""
        return 100.0 if not self.objects else 100.0 * self.covered / self.objects

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form (keys as the attribute names, plus coverage)."""
        return {
            "name": self.name,
            "objects": self.objects,
            "covered": self.covered,
            "generated": self.generated,
            "coverage": round(self.coverage, 1),
            "mean": self.mean,
            "distribution": dict(
                zip([b[0] for b in BUCKETS], self.distribution, strict=True)
            ),
            "codes": dict(self.codes),
        }


def summarize(scores: Iterable[Score], name: str = "") -> Summary:
    """Aggregate *scores* under *name*."""
    items = list(scores)
    distribution = [0] * len(BUCKETS)
    for score in items:
        index = next(
            i
            for i, (_, low, high) in enumerate(BUCKETS)
            if low <= score.overall <= high
        )
        distribution[index] += 1
    codes = Counter(f.code for s in items for f in s.findings)
    mean = sum(s.overall for s in items) / len(items) if items else 100.0
    return Summary(
        name=name,
        objects=len(items),
        covered=sum(1 for s in items if s.covered),
        generated=sum(1 for s in items if s.generated),
        mean=round(mean, 1),
        distribution=tuple(distribution),
        codes=tuple(sorted(codes.items())),
    )


def summarize_modules(scores: Iterable[Score]) -> list[Summary]:
    """One :class:`Summary` per module, sorted by module name."""
    by_module: dict[str, list[Score]] = {}
    for score in scores:
        by_module.setdefault(score.module, []).append(score)
    return [summarize(by_module[name], name) for name in sorted(by_module)]


def gate_failures(
    mean: float,
    coverage: float,
    fail_under: float | None,
    coverage_fail_under: float | None,
    *,
    names: tuple[str, str] = ("aidoc_fail_under =", "aidoc_coverage_fail_under ="),
) -> list[str]:
    """Return why a project fails its quality gate (empty when it passes).

    The one gate of the build and ``aidoc report``: the mean overall score
    below *fail_under*, the docstring coverage (percent) below
    *coverage_fail_under*; None sets no limit. *names* say each limit as the
    user set it (a setting, or a command-line option).
    """
    failures = []
    if fail_under is not None and mean < fail_under:
        failures.append(
            f"mean docstring score {mean:.1f} is below {names[0]} {fail_under:g}"
        )
    if coverage_fail_under is not None and coverage < coverage_fail_under:
        failures.append(
            f"docstring coverage {coverage:.1f}% is below {names[1]} "
            f"{coverage_fail_under:g}"
        )
    return failures


@dataclass(frozen=True, slots=True)
class Coverage:
    """A count of documentable objects and of those with a docstring."""

    total: int
    covered: int

    @property
    def percent(self) -> float:
        """Percent covered (100 when there is nothing to cover)."""
        return 100.0 if not self.total else 100.0 * self.covered / self.total


#: Directories interrogate leaves out by default.
_INTERROGATE_EXCLUDE = frozenset({".tox", ".venv", "venv", ".git", ".hg"})
_NODES = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def interrogate_coverage(paths: Iterable[str | os.PathLike[str]]) -> Coverage:
    """Count docstrings as ``interrogate`` does with its default settings.

    Modules, classes, functions and methods, nested ones included, count
    once each, private and special names too; a file that does not parse
    is skipped. (Beyond its defaults interrogate can ignore kinds of
    objects; this mirrors none of those options.)
    """
    total = covered = 0
    for path in _interrogate_files(paths):
        try:
            tree = ast.parse(path.read_bytes())
        except (OSError, SyntaxError, ValueError):
            continue
        for node in _walk(tree):
            total += 1
            doc = ast.get_docstring(node)
            covered += bool(doc and doc.strip())
    return Coverage(total, covered)


_Documentable = ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef


def _walk(node: ast.AST) -> Iterator[_Documentable]:
    if isinstance(node, _NODES):
        yield node
    for child in ast.iter_child_nodes(node):
        yield from _walk(child)


def _interrogate_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            yield path
            continue
        for directory, dirnames, filenames in os.walk(path):
            dirnames[:] = sorted(d for d in dirnames if d not in _INTERROGATE_EXCLUDE)
            for filename in sorted(filenames):
                if filename.endswith(".py"):
                    yield Path(directory) / filename
