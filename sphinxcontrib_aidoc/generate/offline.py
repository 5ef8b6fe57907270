"""Deterministic offline prose: a Draft worded from what the code shows.

The offline provider never guesses behaviour. It first reads the object's
source (:mod:`~sphinxcontrib_aidoc.generate._evidence`): the expression a
short function returns, the call a thin wrapper makes, the ``if`` guarding
each ``raise`` and the exception's message, the constructor parameter a
property returns, what each parameter is passed to or stored as. Where the
code says nothing more, the summary is worded from the name, kind and owner
class when the name says more than the signature ("Run the main entry
point."); a sentence that would only restate the name or the signature
(the evaluator's AID401: "Parse the header.", "Return a value of type
``int``.") is not written at all, and the fields stay without descriptions
rather than repeat the name ("The value."). The same :class:`~sphinxcontrib_aidoc.model.ObjectInfo`
(and related records) always give the same
:class:`~sphinxcontrib_aidoc.model.Draft`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from sphinxcontrib_aidoc.generate import _classes, _evidence, _related
from sphinxcontrib_aidoc.generate._code import parse_definition
from sphinxcontrib_aidoc.generate._names import (
    OUTPUT_VERBS,
    SHAPES,
    Context,
    context,
    name_summary,
    whether,
)
from sphinxcontrib_aidoc.generate._verbs import (
    DATA_VERBS,
    PATH_PARAMS,
    TEXT_PARAMS,
    VERB_FORMS,
    VERBS,
    WHETHER,
    flag_doc,
    special_param_doc,
)
from sphinxcontrib_aidoc.generate._words import (
    is_plural,
    phrase,
    sentence,
    singular,
    split_name,
    word_set,
)
from sphinxcontrib_aidoc.model import (
    CLASS_KINDS,
    ROUTINE_KINDS,
    Draft,
    ObjectInfo,
    Param,
)
from sphinxcontrib_aidoc.quality import summary_restates

__all__ = ["offline_draft"]

#: Words that add nothing to a name's own words (the evaluator's AID401 sense).
_FILLER = word_set(
    "a an the of to for and or in on by with from this that its it given specified"
    " current get return fetch retrieve set create make new instance object"
)


def echoes(text: str, name: str) -> bool:
    """Whether *text* says nothing but the words of *name* (and filler)."""
    own = {singular(w.lower()) for w in split_name(name)}
    words = [
        singular(w.lower())
        for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", text)
        if w.lower() not in _FILLER
    ]
    return bool(own & set(words)) and all(w in own for w in words)


def restates(info: ObjectInfo, text: str) -> bool:
    """Whether *text* only restates *info*'s name or signature.

    The evaluator's own detector (AID401) as well as :func:`echoes`: a
    sentence the quality table would flag is never written as a summary.
    """
    return echoes(text, info.name) or summary_restates(info, sentence(text))


def _named_well(ctx: Context) -> bool:
    """Whether the name's leading word gives the summary its shape."""
    if ctx.info.kind not in ROUTINE_KINDS:
        return True
    return ctx.verb in VERBS or ctx.verb in WHETHER or ctx.verb in SHAPES


def _joined(named: str, fact: str) -> str:
    """``Return a parse error, the result of ...`` (no second "return")."""
    if fact == "return the object itself":
        return f"{named} and {fact}"
    if named.startswith("return ") and fact.startswith("return "):
        return f"{named}, {fact.removeprefix('return ')}"
    return f"{named}: {fact}"


_MANAGED = re.compile(r"ContextManager\[(.+)\]$")


def _context_manager(info: ObjectInfo) -> str:
    """``return a context manager that yields ``T```` from the return type."""
    found = _MANAGED.search(info.returns.type or "") if info.returns else None
    kind = found[1] if found else ""
    if not kind or kind == "None" or len(kind) > 40:
        return "return a context manager"
    return f"return a context manager that yields ``{kind}``"


def _from_records(
    info: ObjectInfo, named: str, known: Mapping[str, ObjectInfo]
) -> str | None:
    """What other records or a body of one statement say outright, or None.

    The summary of the project function a thin wrapper calls; the author's
    comment on the attribute a property returns; an empty method and the
    subclasses that override it; a property that always raises; an abstract
    method.
    """
    through = _related.delegated(info, known)
    if through:
        return through
    if info.kind == "property":
        written = _related.attribute_doc(info, known)
        if written:
            return written
    if info.kind in ROUTINE_KINDS and _related.does_nothing(info):
        who = _related.overridden_by(info, known)
        return f"do nothing here ({who})" if who else "do nothing"
    raised = _related.always_raises(info)
    if info.kind == "property" and raised and raised != "NotImplementedError":
        return f"{named}; reading it always raises ``{raised}``"
    if info.kind in ROUTINE_KINDS and _evidence.abstract(info):
        return (
            f"{named}; subclasses override it (it raises ``NotImplementedError`` here)"
        )
    return None


def _with_found(ctx: Context, named: str, found: str) -> str:
    """Combine the name's sentence with what a one-line body returns."""
    if found.startswith("return ``") and ctx.verb == "get" and ctx.rest:
        return f"return the {ctx.rest}, {found.removeprefix('return ')}"
    if found.startswith("return whether "):
        return found
    if ctx.verb in WHETHER and found.startswith("return the *"):
        # is_fixed returning self._fixed: "... whether it is fixed: the *fixed* ..."
        return f"{named}: {found.removeprefix('return ')}"
    if ctx.verb in VERBS and ctx.verb != "get" and not ctx.info.is_generator:
        # "Parse *text*." says more than "Create a ``Document``." would.
        return _joined(named, found) if restates(ctx.info, named) else named
    return found


def _with_fact(ctx: Context, named: str, fact: str | None) -> str:
    """Combine the name's sentence with what a longer body shows."""
    info = ctx.info
    echo = restates(info, named)
    manager = any(d.rpartition(".")[2] == "contextmanager" for d in info.decorators)
    if manager and (not _named_well(ctx) or echo):
        return _context_manager(info)
    if fact and info.kind in CLASS_KINDS:
        return f"{named}{', ' if ':' in named else ': '}{fact}"
    if fact and info.kind == "property":
        return f"{named}, {fact}"
    if not _named_well(ctx):
        return fact or named
    if fact and (echo or fact.endswith("return the object itself")):
        return _joined(named, fact)
    if ctx.verb == "get" and ctx.returns_value and echo:
        computed = _evidence.computed_from(info)
        return f"{named}, {computed}" if computed else named
    return named


def summary(info: ObjectInfo, related: Mapping[str, ObjectInfo] | None = None) -> str:
    """Return the one-sentence offline summary of *info*, or ``""``.

    What the code and the related records show comes first (see
    :func:`offline_draft`); the name is used when it makes a sentence
    (``parse_header`` gives "Parse the header"), completed with what the
    body shows when the name alone would only be restated. When nothing
    better than the name and the signature is known (the evaluator's AID401
    would flag the sentence: "Parse the header." for ``parse_header(text)
    -> Header``, "Return a value of type ``int``."), there is no summary:
    the typed fields and the generated marker say all that is known.
    """
    text = worded(info, related or {})
    if not restates(info, text) or _shows_code(info, text):
        return text
    if info.kind in CLASS_KINDS:
        return _class_body(info)
    return ""


def _class_body(info: ObjectInfo) -> str:
    """The summary of a class whose body is empty, or ``""``."""
    node = parse_definition(info.source)
    if node is None or not _classes.empty_body(node):
        return ""
    bases = _evidence.class_bases(info)
    kind = "An exception" if info.kind == "exception" else "A class"
    return sentence(f"{f'A subclass of {bases}' if bases else kind}; its body is empty")


_LITERAL = re.compile(r"``(.+?)``")


def _shows_code(info: ObjectInfo, text: str) -> bool:
    """Whether *text* quotes code beyond the signature's own names.

    "Return the area, ``float(width) * height``." is made of the signature's
    words, yet the expression tells the reader how the value is computed;
    the return type alone (``Document``), a base class or the object's own
    name does not.
    """
    names = [info.name, *info.bases, *(p.name for p in info.params)]
    names.extend(p.type for p in info.params if p.type)
    if info.returns is not None and info.returns.type:
        names.append(info.returns.type)
    known = {_bare(n) for n in names}
    return any(_bare(code) not in known for code in _LITERAL.findall(text))


def _bare(code: str) -> str:
    """``Mapping`` for ``t.Mapping[KT, VT]``: the name a type is written with."""
    return code.partition("[")[0].rpartition(".")[2].strip()


def worded(info: ObjectInfo, known: Mapping[str, ObjectInfo]) -> str:
    """The sentence the name and the code give, before the restating check.

    :func:`summary` writes it only when it says more than the name and the
    signature; the name's wording still matters where a fact completes it
    ("Parse *text*: return ``Parser(text).parse()``.").
    """
    ctx = context(info)
    named = name_summary(ctx)
    if info.name.startswith("__") and info.name.endswith("__"):
        return sentence(named)
    told = _from_records(info, named, known)
    if told:
        return sentence(told)
    found = _evidence.summary(info, known)
    if found:
        return sentence(_with_found(ctx, named, found))
    return sentence(_with_fact(ctx, named, _evidence.body_fact(info, known)))


def _forwarded(info: ObjectInfo, param: Param) -> bool:
    """Whether ``*args``/``**kwargs`` is passed on in the body."""
    stars = r"\*\*" if param.kind == "var_keyword" else r"(?<![\w*])\*"
    found = re.findall(stars + re.escape(param.name) + r"\b", info.source)
    return len(found) >= 2


def _param_doc(
    ctx: Context, related: Mapping[str, ObjectInfo], param: Param, index: int
) -> str:
    """What the code does with *param*; else only what its name makes certain."""
    found = _evidence.param_doc(ctx.info, related, param)
    if found:
        return _with_comment(ctx.info, found)
    if param.kind == "var_positional":
        return "Positional arguments passed on." if _forwarded(ctx.info, param) else ""
    if param.kind == "var_keyword":
        return "Keyword arguments passed on." if _forwarded(ctx.info, param) else ""
    name = param.name.lower().strip("_")
    words = split_name(param.name)
    verb = VERB_FORMS.get(ctx.verb, ctx.verb)
    if name in PATH_PARAMS and ctx.verb in (
        "save",
        "write",
        "dump",
        "export",
        *OUTPUT_VERBS,
    ):
        return f"Path or stream to {verb} to."
    if (
        index == 0
        and ctx.verb in DATA_VERBS
        and len(name) > 3
        and (name in TEXT_PARAMS or set(words) & set(ctx.words[1:]))
    ):
        return sentence(f"{phrase(words)} to {verb}")
    return special_param_doc(name, param.type, param.default) or flag_doc(
        words, param.type, param.default
    )


_STORED = re.compile(r"Stored as ``(?:self\.)?(\w+)``\.$")


def _with_comment(info: ObjectInfo, found: str) -> str:
    """Add the first sentence of the ``#:`` comment on ``x`` to "Stored as ``x``."."""
    stored = _STORED.match(found)
    if stored is None or info.kind not in CLASS_KINDS:
        return found
    written = _related.first_sentence(_related.comment_for(info.source, stored[1]))
    if not written or not _related.plain(written):
        return found  # markup of the author's (a role, a reference) stays out
    return f"{found} {sentence(written)}"


def _returns_doc(ctx: Context) -> str:
    """True/False for predicates, None cases the code shows; no name echo."""
    info = ctx.info
    if info.kind not in ROUTINE_KINDS or not ctx.returns_value:
        return ""
    if info.yields is not None:
        return ""
    found = _evidence.returns_doc(info)
    if found:
        return found
    if ctx.verb in WHETHER and ctx.words[1:] and ctx.first is not None:
        return f"True if {whether(ctx, clause=True)}, else False."
    return ""


def _yields_doc(ctx: Context) -> str:
    if ctx.info.yields is None:
        return ""
    words = list(ctx.words[1:] if ctx.verb in VERBS else ctx.words)
    if len(words) > 1 and is_plural(words[-1]):
        return sentence(f"each {phrase([*words[:-1], singular(words[-1])])}")
    return ""


def _raises_doc(info: ObjectInfo, name: str) -> str:
    """The guard of the ``raise`` in the body, or ``""``.

    No usual cause of a builtin exception is assumed ("If a value is
    invalid."): a condition is stated only when the code shows it.
    """
    return _evidence.raises_doc(info, name)


def _description(info: ObjectInfo, related: Mapping[str, ObjectInfo]) -> str:
    """The inverse of a ``to_x``/``from_x`` pair when both are defined."""
    parent, _, name = info.qualname.rpartition(".")
    for one, other in (("to_", "from_"), ("from_", "to_"), ("dumps", "loads")):
        if name.startswith(one):
            partner = other + name[len(one) :]
            if f"{parent}.{partner}" in related:
                return f"The inverse of ``{partner}``."
    return ""


def offline_draft(
    info: ObjectInfo, related: Mapping[str, ObjectInfo] | None = None
) -> Draft:
    """Return the offline Draft for *info* (provider ``offline``, no model).

    Args:
        info: The object to describe.
        related: Other records by qualname (the object's class, the other
            members of the batch): a property returning ``self._x`` is the
            constructor parameter stored in ``_x``; a ``to_x`` whose
            ``from_x`` is there is its inverse.

    Returns:
        The summary is one sentence (imperative for callables, a noun phrase
        for classes and properties); parameter, return and exception texts
        say what the code does, and are empty where it says nothing beyond
        the name and type.
    """
    try:
        return _draft(info, related or {})
    except RecursionError:  # a pathologically nested body: the name alone
        return _draft(replace(info, source=""), {})


def _draft(info: ObjectInfo, known: Mapping[str, ObjectInfo]) -> Draft:
    ctx = context(info)
    params = tuple(
        (p.name, _param_doc(ctx, known, p, index)) for index, p in enumerate(ctx.params)
    )
    raises = tuple(
        (name, _raises_doc(info, name)) for name in dict.fromkeys(info.raises)
    )
    return Draft(
        summary=summary(info, known),
        description=_description(info, known),
        params=params,
        returns=_returns_doc(ctx),
        yields=_yields_doc(ctx),
        raises=raises,
        source="inference",
        provider="offline",
        model="",
    )
