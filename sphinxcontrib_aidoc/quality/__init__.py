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
    SCORING_VERSION,
    DocstringEvaluator,
    evaluate_infos,
    scored,
)
from sphinxcontrib_aidoc.quality._records import (
    CATEGORIES,
    CODES,
    Code,
    Finding,
    Score,
    category_of,
)
from sphinxcontrib_aidoc.quality._words import restates_name, words_of

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
