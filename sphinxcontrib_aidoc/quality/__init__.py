"""Docstring quality: scores, findings, aggregates. No Sphinx here.

:class:`DocstringEvaluator` judges one object's docstring (as written, or as
shown when aidoc generated it) against what analysis knows about the
object, and returns a :class:`Score`: four category scores from 0 to 100
(completeness, accuracy, style, clarity), an overall score weighted by
``aidoc_quality_weights``, and :class:`Finding` records with stable codes
(``CODES``). :func:`summarize` aggregates scores per module or project:
coverage, mean, distribution and finding counts. :func:`restates_name` is
the test behind ``AID401`` (whether a summary only restates a name), for
generators that must not write such summaries.

The Sphinx directive ``aidoc-quality``, the build gate and ``aidoc report``
all use this package; ``docs/quality.rst`` documents every code.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.quality._aggregate import (
        BUCKETS,
        Coverage,
        Summary,
        gate_failures,
        interrogate_coverage,
        summarize,
        summarize_modules,
    )
    from sphinxcontrib_aidoc.quality._credit import summary_restates
    from sphinxcontrib_aidoc.quality._evaluator import (
        PENALTIES,
        DocstringEvaluator,
        evaluate_infos,
        scored,
    )
    from sphinxcontrib_aidoc.quality._records import (
        CATEGORIES,
        CODES,
        SCORING_VERSION,
        Code,
        Finding,
        Score,
        category_of,
    )
    from sphinxcontrib_aidoc.quality._words import restates_name, words_of

#: The module defining each public name. Each is imported on first use
#: (:func:`__getattr__`): a build whose scores were all kept reads the
#: records and never loads the evaluator and its rules (about 10 ms of
#: imports, in every ``-E`` rebuild).
_HOMES = {
    **dict.fromkeys(
        (
            "BUCKETS",
            "Coverage",
            "Summary",
            "gate_failures",
            "interrogate_coverage",
            "summarize",
            "summarize_modules",
        ),
        "_aggregate",
    ),
    "summary_restates": "_credit",
    **dict.fromkeys(
        ("PENALTIES", "DocstringEvaluator", "evaluate_infos", "scored"), "_evaluator"
    ),
    **dict.fromkeys(
        (
            "CATEGORIES",
            "CODES",
            "SCORING_VERSION",
            "Code",
            "Finding",
            "Score",
            "category_of",
        ),
        "_records",
    ),
    **dict.fromkeys(("restates_name", "words_of"), "_words"),
}


def __getattr__(name: str) -> Any:  # noqa: ANN401 (any of the names above)
    """Import the module that defines *name* and return it (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


__all__ = [
    "BUCKETS",
    "CATEGORIES",
    "CODES",
    "PENALTIES",
    "SCORING_VERSION",
    "Code",
    "Coverage",
    "DocstringEvaluator",
    "Finding",
    "Score",
    "Summary",
    "category_of",
    "evaluate_infos",
    "gate_failures",
    "interrogate_coverage",
    "restates_name",
    "scored",
    "summarize",
    "summarize_modules",
    "summary_restates",
    "words_of",
]
