"""How much each item of a docstring tells: the credit behind completeness.

Completeness is not a count of sections present. Each item a complete
docstring covers (:mod:`._content`) earns a credit from 0 to 1:

* **1** when it is documented with a description that says something the
  signature does not (:func:`~._words.bare_description`);
* **0.5** when it says only what the signature lacks: a type where the code
  has no annotation, an exception with no (or a circular) condition, or a
  parameter, return value or exception that the prose names without a
  section entry (``*key*``, ``KeyError``, "Return ...");
* **0** when it is missing, or repeats its own name or the annotation
  ("value (int): The value.", "Returns: str:").

The summary earns 1 when it says something beyond the names of the object,
its owner and its signature, and 0 when it only restates them
(:func:`~._words.restates_name`).

:func:`summary_share` is how much of completeness the summary carries; the
rest is the mean credit of the other items. The share falls as the code's
cyclomatic complexity rises: the more paths a function has, the more its
reader needs its parameters, results and errors spelled out.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.quality._context import Context
from sphinxcontrib_aidoc.quality._words import (
    bare_description,
    circular_condition,
    restates_name,
    says_only,
)

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.model import ObjectInfo

#: Share of completeness the summary carries for straight-line code ...
SUMMARY_SHARE = 0.7
#: ... less this much per decision point (cyclomatic complexity - 1) ...
SHARE_PER_BRANCH = 0.05
#: ... down to this.
MIN_SUMMARY_SHARE = 0.3
_RESULT_WORDS = ("result", "return", "yield")


def summary_share(complexity: int, details: int) -> float:
    """The weight of the summary in completeness (the rest: the *details*).

    >>> summary_share(1, 2), summary_share(5, 2), summary_share(12, 2)
    (0.7, 0.5, 0.3)
    """
    if not details:
        return 1.0
    share = SUMMARY_SHARE - SHARE_PER_BRANCH * (max(complexity, 1) - 1)
    return round(max(MIN_SUMMARY_SHARE, share), 2)


def signature_words(info: ObjectInfo) -> list[str]:
    """Names the signature already shows: parameters, their types, bases."""
    params = info.documented_params  # not self or cls: "Return self." tells
    names = [p.name for p in params]
    names.extend(p.type for p in params if p.type)
    if info.returns is not None and info.returns.type:
        names.append(info.returns.type)
    names.extend(info.bases)
    if info.kind == "exception":
        names.extend(("error", "exception", "raise"))
    return names


def summary_restates(info: ObjectInfo, summary: str) -> bool:
    """Whether *summary* only restates *info*'s name and signature (AID401).

    A summary made only of the signature's words (parameters, their types,
    the return type: "Return a value of type ``int``.") restates it too,
    whether or not it uses the name.
    """
    context = signature_words(info)
    return restates_name(summary, info.local_name, context=context) or says_only(
        summary, context
    )


def summary_credit(ctx: Context) -> float:
    """1 for a summary that tells something, 0 for none or a restatement."""
    summary = ctx.parsed.summary.strip()
    if not summary:
        return 0.0
    return 0.0 if summary_restates(ctx.info, summary) else 1.0


def _prose(ctx: Context) -> str:
    return f"{ctx.parsed.summary}\n{ctx.parsed.description}"


def _named_in_prose(ctx: Context, name: str) -> bool:
    """Whether the prose names *name* as markup (``*x*``, ````x````, `x`) or a word."""
    marked = rf"[*`]{{1,2}}{re.escape(name)}[*`]{{1,2}}"
    word = rf"\b{re.escape(name)}\b" if len(name) > 2 else marked
    return re.search(f"{marked}|{word}", _prose(ctx)) is not None


def _param_entries(ctx: Context) -> dict[str, tuple[str, str]]:
    """Documented parameters and attributes: name to (type, description)."""
    entries: dict[str, tuple[str, str]] = {}
    sources = [ctx.parsed.params, ctx.parsed.attributes]
    if ctx.init_doc is not None:
        sources.append(ctx.init_doc.params)
    for source in sources:
        for name, kind, text in source:
            entries.setdefault(name.lstrip("*"), (kind, text))
    return entries


def param_credit(ctx: Context, name: str, annotation: str | None) -> float:
    """Credit of parameter (or attribute) *name*, annotated *annotation*."""
    entry = _param_entries(ctx).get(name)
    if entry is None:
        if name in ctx.facts.documented_attributes:
            return 1.0  # documented in place (``#:``)
        return 0.5 if _named_in_prose(ctx, name) else 0.0
    kind, text = entry
    known = [name, kind, annotation or "", ctx.info.local_name]
    if not bare_description(text, known):
        return 1.0
    return 0.5 if kind and not annotation else 0.0


def bare_params(ctx: Context) -> list[str]:
    """Documented parameters and attributes whose entry only repeats names."""
    types = {p.name: p.type or "" for p in ctx.info.params}
    return [
        name
        for name, (kind, text) in _param_entries(ctx).items()
        if bare_description(
            text, [name, kind, types.get(name, ""), ctx.info.local_name]
        )
    ]


def value_credit(ctx: Context, kind: str, annotation: str | None) -> float:
    """Credit of the Returns (*kind* ``returns``) or Yields (``yields``) item."""
    value = ctx.parsed.returns if kind == "returns" else ctx.parsed.yields
    if value is None:
        verb = kind[:-1]  # "return", "yield"
        said = re.search(rf"\b{verb}", _prose(ctx), re.IGNORECASE)
        return 0.5 if said else 0.0
    documented, text = value
    if not bare_value(ctx, documented, text, annotation):
        return 1.0
    return 0.5 if documented and not annotation else 0.0


def bare_value(
    ctx: Context, documented: str, text: str, annotation: str | None
) -> bool:
    """Whether a Returns or Yields entry only repeats the type or the name."""
    known = [documented, annotation or "", ctx.info.local_name, *_RESULT_WORDS]
    return bare_description(text, known)


def raise_credit(ctx: Context, exception: str) -> float:
    """Credit of the exception *exception* (last name component)."""
    conditions = [c for n, c in ctx.parsed.raises if n.rpartition(".")[2] == exception]
    if ctx.init_doc is not None:
        conditions.extend(
            c for n, c in ctx.init_doc.raises if n.rpartition(".")[2] == exception
        )
    if not conditions:
        return 0.5 if _named_in_prose(ctx, exception) else 0.0
    if any(c.strip() and not circular_condition(c, exception) for c in conditions):
        return 1.0
    return 0.5


def circular_raises(ctx: Context) -> list[str]:
    """Documented exceptions whose condition only restates their name."""
    return [name for name, text in ctx.parsed.raises if circular_condition(text, name)]
