"""Reject a model answer that restates the name or contradicts the facts.

:func:`answer_problem` reads a model's draft against what analysis knows
and says what is wrong with it, or ``""``:

* the summary only restates the name (``get_area``: "Get the area."), by
  the evaluator's own detector, so an answer the quality table would flag
  is never accepted;
* a routine that returns nothing (analysis proves its value is ``None``)
  is said to return something: a sentence of the summary or description
  starts with "Return"/"Returns" (not "Return None"/"Returns nothing");
* a function that is not a generator is said to yield: a sentence starts
  with "Yield"/"Yields";
* the prose names a parameter that does not exist (``the `timeout`
  parameter``, ``parameter 'retries'``).

The :class:`~sphinxcontrib_aidoc.generate.Generator` asks once more for an
answer with a problem, with the problem in the request (see
:class:`~sphinxcontrib_aidoc.generate.context.AskAgain`); a second answer
with a problem is not used: the offline text is, and the reason is
reported. Rejected answers are never cached.

(Parameter entries that name no parameter, and return and yield texts of
objects that have none, never get this far: the answer reader rejects or
drops them, :func:`~sphinxcontrib_aidoc.generate.answer.parse_answer`.)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.model import CLASS_KINDS, ROUTINE_KINDS
from sphinxcontrib_aidoc.quality import summary_restates

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.model import Draft, ObjectInfo

_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)(\w+)(?:\s+(\w+))?")
#: Words after "Return" that say nothing is returned.
_NOTHING = frozenset({"none", "nothing", "no"})
#: A parameter named in prose: ``parameter `x```, ``the 'x' parameter``
#: (quoted, so ordinary words do not count; "argument" is left out: an
#: argument passed on to another function is not one of this one's).
_NAMED_PARAM = re.compile(
    r"\bparam(?:eter)?s?\s+[`'\"*]+(\w+)[`'\"*]+"
    r"|[`'\"*]+(\w+)[`'\"*]+\s+param(?:eter)?s?\b",
    re.IGNORECASE,
)


def answer_problem(info: ObjectInfo, draft: Draft) -> str:
    """Return why *draft* (a model's answer for *info*) is not used, or ``""``."""
    summary = draft.summary.strip()
    if summary and summary_restates(info, summary):
        return f"the summary {summary!r} only restates the name {info.name!r}"
    prose = f"{summary} {draft.description}".strip()
    if _returns_nothing(info):
        for verb, after in _sentence_starts(prose):
            if verb in ("return", "returns") and after not in _NOTHING:
                return f"it says {info.name!r} returns a value, but it returns nothing"
    if info.kind not in CLASS_KINDS and not info.is_generator:
        for verb, _ in _sentence_starts(prose):
            if verb in ("yield", "yields"):
                return f"it says {info.name!r} yields, but it is not a generator"
    known = {p.name for p in info.params}
    texts = [prose, draft.returns, draft.yields, *(t for _, t in draft.params)]
    texts += [t for _, t in draft.raises]
    for text in texts:
        for match in _NAMED_PARAM.finditer(text):
            name = match.group(1) or match.group(2)
            if name not in known:
                return f"it names a parameter {name!r} that {info.name!r} does not have"
    return ""


def _returns_nothing(info: ObjectInfo) -> bool:
    """Whether analysis proves that *info* returns nothing (``None``)."""
    return (
        info.kind in ROUTINE_KINDS
        and not info.is_generator
        and info.returns is not None
        and info.returns.type == "None"
    )


def _sentence_starts(text: str) -> list[tuple[str, str]]:
    """The first two words (lower case) of each sentence of *text*."""
    return [
        (first.lower(), (second or "").lower())
        for first, second in _SENTENCE_START.findall(text)
    ]
