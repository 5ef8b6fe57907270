"""Deterministic offline prose: a Draft worded from what the code shows.

The offline provider never guesses behaviour. It first reads the object's
source (:mod:`~sphinxcontrib_aidoc.generate._evidence`): the expression a
short function returns, the call a thin wrapper makes, the ``if`` guarding
each ``raise`` and the exception's message, the constructor parameter a
property returns, what each parameter is passed to or stored as. Where the
code says nothing more, the summary is worded from the name, kind and owner
class, and the fields stay without descriptions rather than repeat the
name ("The value."). The same :class:`~sphinxcontrib_aidoc.model.ObjectInfo`
(and related records) always give the same
:class:`~sphinxcontrib_aidoc.model.Draft`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from sphinxcontrib_aidoc.generate import _evidence
from sphinxcontrib_aidoc.generate._verbs import (
    A_VERBS,
    DATA_VERBS,
    PATH_PARAMS,
    PREPOSITIONS,
    STATE_VERBS,
    TEXT_PARAMS,
    VERB_FORMS,
    VERBS,
    WHETHER,
    dunder_summary,
    flag_doc,
    special_param_doc,
)
from sphinxcontrib_aidoc.generate._words import (
    article,
    code,
    is_plural,
    noun_phrase,
    phrase,
    sentence,
    singular,
    split_name,
    with_article,
    word_set,
)
from sphinxcontrib_aidoc.model import (
    CLASS_KINDS,
    MEMBER_KINDS,
    ROUTINE_KINDS,
    Draft,
    ObjectInfo,
    Param,
)

__all__ = ["offline_draft"]

_ENUM_BASES = frozenset({"Enum", "IntEnum", "StrEnum", "Flag", "IntFlag"})


@dataclass(frozen=True, slots=True)
class _Context:
    """What the wording rules look at for one object."""

    info: ObjectInfo
    #: Words of the object's name.
    words: tuple[str, ...]
    #: The owner class in words (``"rate limiter"``), or ``""``.
    owner: str
    params: tuple[Param, ...]

    @property
    def verb(self) -> str:
        return self.words[0].lower() if self.words else ""

    @property
    def rest(self) -> str:
        """The name after its verb, as a noun phrase (``"user ID"``)."""
        return phrase(list(self.words[1:]))

    @property
    def first(self) -> Param | None:
        return next((p for p in self.params if p.kind.startswith("pos")), None)

    @property
    def subject(self) -> str:
        """What a method acts on: ``the rate limiter`` (or ``""``)."""
        return f"the {self.owner}" if self.owner else ""

    @property
    def returns_value(self) -> bool:
        returns = self.info.returns
        return returns is not None and returns.type != "None"


def _context(info: ObjectInfo) -> _Context:
    parts = info.local_name.split(".")
    owner = ""
    if info.kind in MEMBER_KINDS and len(parts) > 1:
        owner = phrase(split_name(parts[-2]))
    name = info.name
    dunder = len(name) > 4 and name.startswith("__") and name.endswith("__")
    words = () if dunder else tuple(split_name(name))
    return _Context(info, words, owner, info.documented_params)


def _find_param(ctx: _Context, names: frozenset[str]) -> Param | None:
    return next((p for p in ctx.params if p.name.lower() in names), None)


def _whether(ctx: _Context, clause: bool = False) -> str:
    """``*value* is valid`` for ``is_valid(value)`` and the like.

    A function ``should_x`` gives ``to x`` (``whether to x``) unless *clause*
    asks for a full clause (``it should x``).
    """
    verb = ctx.verb
    first = ctx.first
    if verb == "should" and not ctx.subject and not clause:
        return f"to {ctx.rest}".strip()
    if first is not None and (verb == "is" or (verb == "has" and not ctx.subject)):
        subject = code(first.name)
    else:
        subject = ctx.subject or "it"
    return f"{subject} {WHETHER[verb]} {ctx.rest}".strip()


def _finish(ctx: _Context, text: str) -> str:
    """Complete a trailing preposition (``url_for``) with the first parameter."""
    head, _, last = text.rpartition(" ")
    if last not in PREPOSITIONS or not head:
        return text
    first = ctx.first
    return f"{text} {code(first.name)}" if first else head


#: Verbs that put their first argument into the owner (``Stack.push(item)``).
_INTO = {
    "add": "to",
    "append": "to",
    "attach": "to",
    "enqueue": "onto",
    "insert": "into",
    "push": "onto",
    "register": "with",
}


_OUTPUT = word_set("show print display echo write render dump")
#: Verbs whose object is not the owner when there is no parameter.
_DATA_OF_OWNER = word_set("parse read load decode deserialize tokenize")
_INDEX_PARAMS = word_set("i idx index pos position where at")


def _verb_only(ctx: _Context, verb: str) -> str:
    """Sentence for a bare verb name (``parse``, ``run``)."""
    first = ctx.first
    if ctx.verb in STATE_VERBS and ctx.subject:
        return f"{verb} {ctx.subject}"
    if (
        ctx.verb in _OUTPUT
        and first is not None
        and first.name.lower() in PATH_PARAMS
        and ctx.subject
    ):
        return f"{verb} {ctx.subject} to {code(first.name)}"
    if ctx.verb in _DATA_OF_OWNER and first is None and ctx.subject:
        returns = ctx.info.returns
        kind = returns.type if returns is not None else None
        if kind and kind.isidentifier() and kind != "None":
            return f"{verb} and return {article(kind)} ``{kind}``"
        return verb
    if ctx.verb in _INTO and first is not None and ctx.subject:
        positional = [p for p in ctx.params if p.kind.startswith("pos")]
        if first.name in _INDEX_PARAMS and len(positional) > 1:
            where = f"{ctx.subject} at {code(first.name)}"
            return f"{verb} {code(positional[1].name)} {_INTO[ctx.verb]} {where}"
        return f"{verb} {code(first.name)} {_INTO[ctx.verb]} {ctx.subject}"
    if ctx.verb in A_VERBS and ctx.owner:
        return f"{verb} {article(ctx.owner)} {ctx.owner}"
    if first is not None and (ctx.verb in DATA_VERBS or not ctx.subject):
        return f"{verb} {code(first.name)}"
    if ctx.subject:
        return f"{verb} {ctx.subject}"
    return verb


def _get(ctx: _Context) -> str:
    if ctx.rest:
        return f"return the {ctx.rest}"
    first = ctx.first
    return f"return the value for {code(first.name)}" if first else "return the value"


def _convert(ctx: _Context) -> str:
    target = with_article(ctx.rest)
    first = ctx.first
    subject = ctx.subject or (code(first.name) if first else "")
    if ctx.verb == "as":
        return f"return {subject or 'the value'} as {target}"
    return f"convert {subject} to {target}" if subject else f"convert to {target}"


def _create_from(ctx: _Context) -> str:
    made = f"{article(ctx.owner)} {ctx.owner}" if ctx.owner else "an object"
    first = ctx.first
    names = {p.name for p in ctx.params}
    if first is not None and "_".join(ctx.words[1:]) not in names:
        return f"create {made} from the {ctx.rest} {code(first.name)}"
    return f"create {made} from {with_article(ctx.rest)}"


def _iterate(ctx: _Context) -> str:
    if ctx.rest:
        return f"iterate over the {ctx.rest}"
    first = ctx.first
    target = code(first.name) if first else "the items"
    return f"iterate over {ctx.subject or target}"


def _verb_phrase(ctx: _Context) -> str:
    """``<verb> the <rest>`` with ``from *text*``/``to *path*`` when shown."""
    verb, rest = ctx.verb, ctx.rest
    shown = VERB_FORMS.get(verb, verb)
    if not rest:
        return _verb_only(ctx, shown)
    if ctx.words[1:] == ("all",):
        return f"{shown} all items"
    special = _odd_rest(ctx, shown)
    if special:
        return special
    if verb in A_VERBS:
        return f"{shown} {with_article(rest)}"
    text = f"{shown} the {rest}"
    if verb in ("parse", "read", "load", "decode", "import", "extract"):
        source = _find_param(ctx, TEXT_PARAMS)
        if source is not None and source is ctx.first:
            text += f" from {code(source.name)}"
    elif verb in ("save", "write", "dump", "export"):
        target = _find_param(ctx, PATH_PARAMS)
        if target is not None:
            text += f" to {code(target.name)}"
    return text


def _object(ctx: _Context) -> str:
    first = ctx.first
    return code(first.name) if first else (ctx.subject or "it")


_PREPOSITIONS = word_set("to into from with for by")


def _odd_rest(ctx: _Context, shown: str) -> str:
    """Names whose rest is no noun phrase: ``add_to_parser``, ``close_quietly``."""
    rest = list(ctx.words[1:])
    params = {p.name: p for p in ctx.params}
    if rest[0] in _PREPOSITIONS and len(rest) > 1 and ctx.verb != "call":
        tail = "_".join(rest[1:])
        if tail in params:
            obj = ctx.subject or "it"
            return f"{shown} {obj} {rest[0]} {code(tail)}"
        return f"{shown} {_object(ctx)} {rest[0]} the {phrase(rest[1:])}"
    if rest[0] == "and" and len(rest) > 1 and rest[1] in VERBS:
        more = f" the {phrase(rest[2:])}" if rest[2:] else f" {_object(ctx)}"
        return f"{shown} and {rest[1]}{more}"
    if rest[0] in ("any", "all", "each", "every") and len(rest) > 1:
        return f"{shown} {phrase(rest)}"
    if len(rest) == 1 and rest[0].endswith("ly") and len(rest[0]) > 4:
        return f"{shown} {_object(ctx)} {rest[0]}"
    return ""


#: Leading words with their own sentence shape, and whether they need a rest.
_SHAPES: dict[str, tuple[Callable[[_Context], str], bool]] = {
    "get": (_get, False),
    "to": (_convert, True),
    "as": (_convert, True),
    "from": (_create_from, True),
    "iter": (_iterate, False),
    "iterate": (_iterate, False),
    "walk": (_iterate, False),
    "on": (lambda ctx: f"handle the {ctx.rest} event", True),
    "main": (lambda ctx: "run the main entry point", False),
}


def _function_summary(ctx: _Context) -> str:
    if ctx.verb == "maybe" and len(ctx.words) > 1 and ctx.words[1] in VERBS:
        return "try to " + _function_summary(replace(ctx, words=ctx.words[1:]))
    if not ctx.words:
        if ctx.info.name.startswith("__"):
            return dunder_summary(ctx.info.name, ctx.subject, ctx.first)
        return "return the value" if ctx.returns_value else "run the function"
    shape = _SHAPES.get(ctx.verb)
    if shape is not None and (ctx.rest or not shape[1]):
        return shape[0](ctx)
    if ctx.verb in WHETHER:
        return f"return whether {_whether(ctx)}"
    if ctx.verb in VERBS:
        return _verb_phrase(ctx)
    words = phrase(list(ctx.words))
    if ctx.info.is_generator:
        return f"yield the {words}"
    if ctx.returns_value:
        return f"return the {words}"
    return f"run the {words}"


def _property_summary(ctx: _Context) -> str:
    words = list(ctx.words)
    if len(words) > 2 and words[1] in WHETHER:
        return f"whether {phrase(words)}"
    if ctx.verb in WHETHER and len(words) > 1:
        return f"whether {ctx.subject or 'it'} {WHETHER[ctx.verb]} {ctx.rest}"
    if ctx.verb == "get" and len(words) > 1:
        words = words[1:]
    return f"the {noun_phrase(words)}" if words else f"the {ctx.info.name} value"


def _class_summary(ctx: _Context) -> str:
    words = phrase(list(ctx.words))
    bases = {b.rpartition(".")[2] for b in ctx.info.bases}
    if bases & _ENUM_BASES and not words.endswith("enum"):
        return f"{with_article(words)} enumeration"
    if "Protocol" in bases and not words.endswith("protocol"):
        return f"{with_article(words)} protocol"
    return with_article(words) if words else "a class"


def _exception_summary(ctx: _Context) -> str:
    words = list(ctx.words)
    kind = "error"
    if words and words[-1] in ("error", "exception", "warning"):
        kind = "warning" if words[-1] == "warning" else "error"
        words = words[:-1]
    lead = "Warning issued" if kind == "warning" else "Error raised"
    if words and words[0].startswith("deprecat"):
        return f"{lead} when deprecated features are used"
    if not words:
        package = ctx.info.module.partition(".")[0] or "this"
        return f"{lead} by the {package} package"
    text = phrase(words)
    if words[0] == "not":
        return f"{lead} when something is {text}"
    if words[0] in ("invalid", "bad", "missing", "unknown", "duplicate"):
        return f"{lead} for {with_article(text)}"
    failing = words[-1] in VERBS or words[-1].endswith(("ion", "ing"))
    return f"{lead} for {text} {'failures' if failing else 'problems'}"


def _name_summary(ctx: _Context) -> str:
    info = ctx.info
    if info.kind == "class":
        text = _class_summary(ctx)
    elif info.kind == "exception":
        text = _exception_summary(ctx)
    elif info.kind == "property":
        text = _property_summary(ctx)
    else:
        return _finish(ctx, _function_summary(ctx))
    bases = _evidence.class_bases(info) if info.kind in CLASS_KINDS else ""
    if bases and info.kind == "class" and " enumeration" not in text:
        text = f"{text}: a subclass of {bases}"
    required = [code(p.name) for p in ctx.params if p.required]
    if info.kind == "class" and not bases and 0 < len(required) <= 3:
        text = f"{text} created from {_evidence.join(required)}"
    return text


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


def _named_well(ctx: _Context) -> bool:
    """Whether the name's leading word gives the summary its shape."""
    if ctx.info.kind not in ROUTINE_KINDS:
        return True
    return ctx.verb in VERBS or ctx.verb in WHETHER or ctx.verb in _SHAPES


def _minimal(ctx: _Context) -> str:
    """What to say of a routine whose name is no sentence and whose code is opaque."""
    returns = ctx.info.returns
    if ctx.info.is_generator or returns is None or not returns.type:
        return ""
    if not ctx.returns_value or len(returns.type) > 50:
        return ""
    return f"return a value of type ``{returns.type}``"


def summary(info: ObjectInfo, related: Mapping[str, ObjectInfo] | None = None) -> str:
    """Return the one-sentence offline summary of *info*.

    What the source shows comes first (see :func:`offline_draft`); the name
    is used when it makes a sentence (``parse_header`` gives "Parse the
    header"), completed with what the body shows when the name alone would
    only be restated.
    """
    known = related or {}
    ctx = _context(info)
    named = _name_summary(ctx)
    if info.name.startswith("__") and info.name.endswith("__"):
        return sentence(named)
    if info.kind in ROUTINE_KINDS and _evidence.abstract(info):
        return sentence(
            f"{named}; subclasses override it (it raises ``NotImplementedError`` here)"
        )
    found = _evidence.summary(info, known)
    if found and found.startswith("return ``") and ctx.verb == "get" and ctx.rest:
        return sentence(f"return the {ctx.rest}, {found.removeprefix('return ')}")
    if found and found.startswith("return whether "):
        return sentence(found)
    if found and ctx.verb in VERBS and ctx.verb != "get" and not info.is_generator:
        # "Parse *text*." says more than "Create a ``Document``." would.
        return sentence(f"{named}: {found}" if echoes(named, info.name) else named)
    if found:
        return sentence(found)
    fact = _evidence.body_fact(info, known)
    if fact and info.kind in CLASS_KINDS:
        return sentence(f"{named}{', ' if ':' in named else ': '}{fact}")
    if fact and info.kind == "property":
        return sentence(f"{named}, {fact}")
    if not _named_well(ctx):
        if fact or not echoes(named, info.name):
            return sentence(fact or named)
        return sentence(_minimal(ctx) or named)
    if fact and echoes(named, info.name):
        return sentence(f"{named}: {fact}")
    if ctx.verb == "get" and ctx.returns_value and echoes(named, info.name):
        computed = _evidence.computed_from(info)
        return sentence(f"{named}, {computed}" if computed else named)
    return sentence(named)


def _forwarded(info: ObjectInfo, param: Param) -> bool:
    """Whether ``*args``/``**kwargs`` is passed on in the body."""
    stars = r"\*\*" if param.kind == "var_keyword" else r"(?<![\w*])\*"
    found = re.findall(stars + re.escape(param.name) + r"\b", info.source)
    return len(found) >= 2


def _param_doc(
    ctx: _Context, related: Mapping[str, ObjectInfo], param: Param, index: int
) -> str:
    """What the code does with *param*; else only what its name makes certain."""
    found = _evidence.param_doc(ctx.info, related, param)
    if found:
        return found
    if param.kind == "var_positional":
        return "Positional arguments passed on." if _forwarded(ctx.info, param) else ""
    if param.kind == "var_keyword":
        return "Keyword arguments passed on." if _forwarded(ctx.info, param) else ""
    name = param.name.lower().strip("_")
    words = split_name(param.name)
    verb = VERB_FORMS.get(ctx.verb, ctx.verb)
    if name in PATH_PARAMS and ctx.verb in ("save", "write", "dump", "export", *_OUTPUT):
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


def _returns_doc(ctx: _Context) -> str:
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
        return f"True if {_whether(ctx, clause=True)}, else False."
    return ""


def _yields_doc(ctx: _Context) -> str:
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
    ctx = _context(info)
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
