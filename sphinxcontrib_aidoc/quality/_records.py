"""Records of the evaluator: finding codes, :class:`Finding` and :class:`Score`.

Codes are stable: ``AID1xx`` completeness, ``AID2xx`` accuracy, ``AID3xx``
style, ``AID4xx`` clarity, and ``AID100`` for an object without a docstring.
``docs/quality.rst`` documents each one (a drift test checks it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Changes when the same docstring and code may score differently: scores
#: kept between builds under another version are computed again. (Here,
#: beside the records, so that a build whose scores are all kept reads it
#: without importing the evaluator.)
SCORING_VERSION = 2
#: The four categories, in the order scores are shown.
CATEGORIES: tuple[str, ...] = ("completeness", "accuracy", "style", "clarity")


@dataclass(frozen=True, slots=True)
class Code:
    """What one finding code means and how to fix it."""

    code: str
    title: str
    suggestion: str

    @property
    def category(self) -> str:
        """``completeness``, ``accuracy``, ``style`` or ``clarity``."""
        return category_of(self.code)


def category_of(code: str) -> str:
    """Return the category of *code* from its hundreds digit."""
    return CATEGORIES[int(code[3]) - 1]


_CODES = (
    Code("AID100", "no docstring", "Write a docstring: summary, then sections."),
    Code("AID101", "missing summary", "Start the docstring with a one-line summary."),
    Code("AID102", "undocumented parameter", "Describe it in the Args section."),
    Code("AID103", "missing Returns", "Add a Returns section for the returned value."),
    Code("AID104", "missing Raises entry", "List the exception in the Raises section."),
    Code("AID105", "missing Yields", "Add a Yields section for the yielded values."),
    Code("AID106", "missing class attributes", "Describe them under Attributes."),
    Code(
        "AID201",
        "documented parameter does not exist",
        "Remove it from the docstring or fix its name.",
    ),
    Code(
        "AID202",
        "documented type contradicts the code",
        "Make the documented type match the annotation, or drop it.",
    ),
    Code(
        "AID203",
        "documented exception never raised",
        "Remove the Raises entry, or raise the exception.",
    ),
    Code(
        "AID204",
        "generator documents Returns instead of Yields",
        "Rename the Returns section to Yields.",
    ),
    Code(
        "AID301",
        "wrong docstring style",
        "Rewrite the sections in the configured style.",
    ),
    Code(
        "AID302",
        "sections out of order",
        "Order sections Args, Attributes, Returns or Yields, Raises.",
    ),
    Code(
        "AID303",
        "summary not one sentence ending with a period",
        "Make the summary one sentence that ends with a period.",
    ),
    Code(
        "AID304",
        "summary not in imperative mood",
        'Start with a verb in the imperative ("Return", not "Returns").',
    ),
    Code("AID305", "empty section", "Fill the section or remove its title."),
    Code("AID306", "line too long", "Wrap docstring lines at 88 characters."),
    Code(
        "AID401",
        "summary restates the name",
        "Say what the object does or is for, not just its name.",
    ),
    Code("AID402", "summary too short", "Use at least three words."),
    Code("AID403", "summary too long", "Keep the summary under 120 characters."),
    Code("AID404", "placeholder text", "Replace the placeholder with real text."),
    Code(
        "AID405",
        "entry repeats its name or type",
        "Say what the value means, its unit, range or effect, not its name or type.",
    ),
    Code(
        "AID406",
        "circular condition",
        "Say when the exception is raised, not its name again.",
    ),
)

#: Every finding code, by code.
CODES: dict[str, Code] = {c.code: c for c in _CODES}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem of one docstring.

    ``line`` is the line in the source file the finding is about (the
    docstring line when it is known, else the definition), ``0`` if unknown.
    """

    code: str
    message: str
    suggestion: str = ""
    line: int = 0

    @property
    def category(self) -> str:
        """The category of the code."""
        return category_of(self.code)

    def to_json(self) -> dict[str, Any]:
        """Return ``{code, message, suggestion, line}``."""
        return {
            "code": self.code,
            "message": self.message,
            "suggestion": self.suggestion,
            "line": self.line,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        """Build from :meth:`to_json` output."""
        return cls(
            code=str(data["code"]),
            message=str(data.get("message", "")),
            suggestion=str(data.get("suggestion", "")),
            line=int(data.get("line") or 0),
        )


@dataclass(frozen=True, slots=True)
class Score:
    """The scores (0-100) and findings of one object's docstring.

    ``documented`` is True when the object has a docstring, human-written or
    generated; ``generated`` tells which. Coverage counts only documented,
    non-generated objects. ``complexity`` is the McCabe cyclomatic
    complexity of the object's code (1 for straight-line code and classes),
    which sets how much the evaluator expects of the docstring.
    """

    qualname: str
    module: str
    kind: str
    file: str
    lineno: int
    completeness: int
    accuracy: int
    style: int
    clarity: int
    overall: int
    findings: tuple[Finding, ...] = ()
    generated: bool = False
    documented: bool = True
    complexity: int = 1

    @property
    def covered(self) -> bool:
        """Whether the object counts as covered (it has a human docstring)."""
        return self.documented and not self.generated

    @property
    def codes(self) -> tuple[str, ...]:
        """The finding codes, in order, each once."""
        return tuple(dict.fromkeys(f.code for f in self.findings))

    def scores(self) -> dict[str, int]:
        """Return ``{completeness, accuracy, style, clarity, overall}``."""
        return {
            "completeness": self.completeness,
            "accuracy": self.accuracy,
            "style": self.style,
            "clarity": self.clarity,
            "overall": self.overall,
        }

    def to_json(self) -> dict[str, Any]:
        """Return the ``aidoc report --json`` record of this object."""
        return {
            "qualname": self.qualname,
            "file": self.file,
            "lineno": self.lineno,
            "kind": self.kind,
            "complexity": self.complexity,
            "generated": self.generated,
            "scores": self.scores(),
            "findings": [f.to_json() for f in self.findings],
        }
