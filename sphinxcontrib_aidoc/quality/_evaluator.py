"""DocstringEvaluator: one object and its docstring give a :class:`Score`."""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Iterable, Mapping, Sequence

from sphinxcontrib_aidoc.config import DEFAULT_WEIGHTS, AidocConfig
from sphinxcontrib_aidoc.model import CLASS_KINDS, ObjectInfo
from sphinxcontrib_aidoc.quality._content import Requirement, accuracy, completeness
from sphinxcontrib_aidoc.quality._context import build_context
from sphinxcontrib_aidoc.quality._credit import summary_share
from sphinxcontrib_aidoc.quality._prose import clarity, style
from sphinxcontrib_aidoc.quality._records import CATEGORIES, CODES, Finding, Score
from sphinxcontrib_aidoc.styles import normalize_style

#: Points an accuracy, style or clarity finding takes off its category's 100.
PENALTIES: dict[str, int] = {"accuracy": 25, "style": 10, "clarity": 20}


class DocstringEvaluator:
    """Score docstrings against what analysis knows about their objects.

    Args:
        style: The configured docstring style (``google``, ``numpy``, ``rest``).
        weights: Weights of the overall score by category; missing ones take
            their default (:data:`~sphinxcontrib_aidoc.config.DEFAULT_WEIGHTS`).
        select: Codes or code prefixes to check (``AID1``, ``AID304``); empty
            checks all.
        ignore: Codes or code prefixes not to check.

    Raises:
        ValueError: If *style* is not a known style.
    """

    def __init__(
        self,
        style: str = "google",
        weights: Mapping[str, float] | None = None,
        *,
        select: Iterable[str] = (),
        ignore: Iterable[str] = (),
    ) -> None:
        self.style = normalize_style(style)
        self.weights = {**DEFAULT_WEIGHTS, **(weights or {})}
        self.select = tuple(s.strip().upper() for s in select if s.strip())
        self.ignore = tuple(s.strip().upper() for s in ignore if s.strip())

    @classmethod
    def from_config(cls, config: AidocConfig) -> DocstringEvaluator:
        """Return an evaluator with the style and weights of *config*."""
        return cls(config.style, config.quality_weights)

    def enabled(self, code: str) -> bool:
        """Whether findings with *code* are checked (``select``/``ignore``)."""
        if self.select and not code.startswith(self.select):
            return False
        return not (self.ignore and code.startswith(self.ignore))

    def evaluate(
        self,
        info: ObjectInfo,
        docstring: str | None = None,
        *,
        generated: bool = False,
        init_docstring: str | None = None,
    ) -> Score:
        """Score *docstring* (default: the object's own) of *info*.

        Args:
            info: The analysed object.
            docstring: The docstring to judge, as written or as shown (a
                generated one); None for ``info.docstring``.
            generated: Whether *docstring* was generated (reported as such;
                a generated docstring does not count as coverage).
            init_docstring: For a class, its ``__init__`` docstring, where
                Google style may document the constructor's arguments.

        Returns:
            The scores and findings; 0 and ``AID100`` without a docstring.
        """
        ctx = build_context(
            info,
            docstring,
            style=self.style,
            generated=generated,
            init_docstring=init_docstring,
        )
        if not ctx.text.strip():
            missing = Finding("AID100", f"the {info.kind} has no docstring")
            findings: tuple[Finding, ...] = ()
            if self.enabled("AID100"):
                findings = (self._finish(missing, info),)
            zero = dict.fromkeys(CATEGORIES, 0)
            return self._score(info, generated, False, zero, findings)
        reqs = [self._credited(r) for r in completeness(ctx) if self.enabled(r.code)]
        found = [Finding(r.code, r.message, line=r.line) for r in reqs if not r.met]
        for check in (accuracy, style, clarity):
            found.extend(f for f in check(ctx) if self.enabled(f.code))
        scores = {"completeness": completeness_score(reqs, info.complexity)}
        for category, penalty in PENALTIES.items():
            count = sum(1 for f in found if f.category == category)
            scores[category] = max(0, 100 - penalty * count)
        findings = tuple(self._finish(f, info) for f in found)
        return self._score(info, generated, True, scores, findings)

    def overall(self, scores: Mapping[str, int]) -> int:
        """Weighted mean of the category *scores* (0-100), errors by content.

        Accuracy, style and clarity say what is wrong with what the
        docstring says; a docstring that says little has little to be wrong
        about. So they count in proportion to completeness: with weights
        ``w``, ``(w_c C + C/100 (w_a A + w_s S + w_l L)) / sum(w)``.
        """
        total = sum(self.weights.get(c, 0.0) for c in CATEGORIES)
        if not total:
            return 0
        content = scores["completeness"] / 100
        value = sum(
            scores[c]
            * self.weights.get(c, 0.0)
            * (1 if c == "completeness" else content)
            for c in CATEGORIES
        )
        return round(value / total)

    def _credited(self, req: Requirement) -> Requirement:
        """*req*, with full credit when met if the rule that lowers it is off.

        Ignoring ``AID401`` gives a restating summary its credit back;
        ignoring ``AID405`` or ``AID406``, every documented entry.
        """
        codes = ("AID401",) if req.code == "AID101" else ("AID405", "AID406")
        if req.met and not all(self.enabled(c) for c in codes):
            return dataclasses.replace(req, credit=None)
        return req

    def _finish(self, finding: Finding, info: ObjectInfo) -> Finding:
        """Fill the suggestion and a missing line of *finding*."""
        suggestion = finding.suggestion or CODES[finding.code].suggestion
        line = finding.line or info.lineno
        return Finding(finding.code, finding.message, suggestion, line)

    def _score(
        self,
        info: ObjectInfo,
        generated: bool,
        documented: bool,
        scores: Mapping[str, int],
        findings: tuple[Finding, ...],
    ) -> Score:
        return Score(
            qualname=info.qualname,
            module=info.module,
            kind=info.kind,
            file=info.file,
            lineno=info.lineno,
            completeness=scores["completeness"],
            accuracy=scores["accuracy"],
            style=scores["style"],
            clarity=scores["clarity"],
            overall=self.overall(scores),
            findings=findings,
            generated=generated,
            documented=documented,
            complexity=info.complexity,
        )


def completeness_score(reqs: Sequence[Requirement], complexity: int) -> int:
    """Completeness (0-100) of the requirements *reqs* of code of *complexity*.

    The summary (``AID101``) carries :func:`~._credit.summary_share` of it,
    the other items share the rest by their mean credit; 100 without
    requirements.
    """
    if not reqs:
        return 100
    summary = [r.value for r in reqs if r.code == "AID101"]
    details = [r.value for r in reqs if r.code != "AID101"]
    if not summary:
        return round(100 * sum(details) / len(details))
    share = summary_share(complexity, len(details))
    detail = sum(details) / len(details) if details else 0.0
    return round(100 * (share * summary[0] + (1 - share) * detail))


def scored(info: ObjectInfo, *, private: bool = False) -> bool:
    """Whether *info* is an object the evaluator scores.

    Classes, functions, methods and properties that are public (or any, with
    *private*); never ``__init__``, whose arguments its class documents.
    """
    if info.name == "__init__":
        return False
    return private or info.is_public


def evaluate_infos(
    evaluator: DocstringEvaluator,
    infos: Iterable[ObjectInfo],
    *,
    private: bool = False,
    class_content: str = "class",
) -> list[Score]:
    """Score the docstring autodoc shows of every :func:`scored` object.

    That is the object's own docstring, except for classes, where
    *class_content* (Sphinx's ``autoclass_content``) says what autodoc shows,
    as :func:`shown_class_docstring` composes it: so ``aidoc report -c``
    scores what the build's quality table scores.
    """
    everything = list(infos)
    inits = {
        i.qualname.rpartition(".")[0]: i.docstring
        for i in everything
        if i.name == "__init__"
    }
    scores = []
    for info in everything:
        if not scored(info, private=private):
            continue
        init = inits.get(info.qualname)
        shown = None
        if info.kind in CLASS_KINDS:
            shown = shown_class_docstring(info.docstring, init, class_content)
        scores.append(evaluator.evaluate(info, shown, init_docstring=init))
    return scores


def shown_class_docstring(
    own: str | None, init: str | None, class_content: str
) -> str | None:
    """The docstring autodoc shows for a class, as ``autoclass_content`` says.

    ``"class"``: the class's own; ``"both"``: the class's, then
    ``__init__``'s; ``"init"``: ``__init__``'s, or the class's when
    ``__init__`` has none.
    """
    init = init if init and init.strip() else None
    if class_content == "both" and init:
        parts = [inspect.cleandoc(d) for d in (own, init) if d and d.strip()]
        return "\n\n".join(parts)
    if class_content == "init" and init:
        return init
    return own
