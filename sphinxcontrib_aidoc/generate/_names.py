"""The offline wording of a name: ``parse_header`` gives "Parse the header".

The last resort of :mod:`~sphinxcontrib_aidoc.generate.offline` when the
code says nothing more: the name's words (split by
:func:`~sphinxcontrib_aidoc.generate._words.split_name`), read as a verb
and its object, a predicate, a conversion or a noun phrase, with the owner
class and the first parameter where English needs them.
"""

from __future__ import annotations

from collections.abc import Callable
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
)
from sphinxcontrib_aidoc.generate._words import (
    article,
    code,
    join,
    noun_phrase,
    phrase,
    split_name,
    with_article,
    word_set,
)
from sphinxcontrib_aidoc.model import (
    CLASS_KINDS,
    MEMBER_KINDS,
    ObjectInfo,
    Param,
)

__all__ = ["OUTPUT_VERBS", "SHAPES", "Context", "context", "name_summary", "whether"]

_ENUM_BASES = frozenset({"Enum", "IntEnum", "StrEnum", "Flag", "IntFlag"})


@dataclass(frozen=True, slots=True)
class Context:
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


def context(info: ObjectInfo) -> Context:
    parts = info.local_name.split(".")
    owner = ""
    if info.kind in MEMBER_KINDS and len(parts) > 1:
        owner = phrase(split_name(parts[-2]))
    name = info.name
    dunder = len(name) > 4 and name.startswith("__") and name.endswith("__")
    words = () if dunder else tuple(split_name(name))
    return Context(info, words, owner, info.documented_params)


def _find_param(ctx: Context, names: frozenset[str]) -> Param | None:
    return next((p for p in ctx.params if p.name.lower() in names), None)


def whether(ctx: Context, clause: bool = False) -> str:
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


def _finish(ctx: Context, text: str) -> str:
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


OUTPUT_VERBS = word_set("show print display echo write render dump")
#: Verbs whose object is not the owner when there is no parameter.
_DATA_OF_OWNER = word_set("parse read load decode deserialize tokenize")
#: Verbs whose argument is merged into the owner (``Mapping.update(other)``).
_WITH = word_set("update extend merge fill")
#: Parameters that say how much, not what (``read(n)``).
_COUNT_PARAMS = word_set("n size count length limit num amount")
_INDEX_PARAMS = word_set("i idx index pos position where at")


def _verb_only(ctx: Context, verb: str) -> str:
    """Sentence for a bare verb name (``parse``, ``run``)."""
    first = ctx.first
    if ctx.verb in STATE_VERBS and ctx.subject:
        return f"{verb} {ctx.subject}"
    if (
        ctx.verb in OUTPUT_VERBS
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
    if ctx.verb in _WITH and first is not None and ctx.subject:
        return f"{verb} {ctx.subject} with {code(first.name)}"
    if first is not None and first.name in _COUNT_PARAMS and ctx.subject:
        return f"{verb} {ctx.subject}"
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


def _get(ctx: Context) -> str:
    if ctx.rest:
        return f"return the {ctx.rest}"
    first = ctx.first
    return f"return the value for {code(first.name)}" if first else "return the value"


def _convert(ctx: Context) -> str:
    target = with_article(ctx.rest)
    first = ctx.first
    subject = ctx.subject or (code(first.name) if first else "")
    if ctx.verb == "as":
        return f"return {subject or 'the value'} as {target}"
    return f"convert {subject} to {target}" if subject else f"convert to {target}"


def _create_from(ctx: Context) -> str:
    made = f"{article(ctx.owner)} {ctx.owner}" if ctx.owner else "an object"
    first = ctx.first
    names = {p.name for p in ctx.params}
    if first is not None and "_".join(ctx.words[1:]) not in names:
        return f"create {made} from the {ctx.rest} {code(first.name)}"
    return f"create {made} from {with_article(ctx.rest)}"


def _iterate(ctx: Context) -> str:
    if ctx.rest:
        return f"iterate over the {ctx.rest}"
    first = ctx.first
    target = code(first.name) if first else "the items"
    return f"iterate over {ctx.subject or target}"


def _verb_phrase(ctx: Context) -> str:
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


def _object(ctx: Context) -> str:
    first = ctx.first
    return code(first.name) if first else (ctx.subject or "it")


_PREPOSITIONS = word_set("to into from with for by via")


def _odd_rest(ctx: Context, shown: str) -> str:
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
    if len(rest) == 1 and rest[0].endswith("ly") and len(rest[0]) >= 4:
        return f"{shown} {_object(ctx)} {rest[0]}"
    return ""


#: Leading words with their own sentence shape, and whether they need a rest.
SHAPES: dict[str, tuple[Callable[[Context], str], bool]] = {
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


def _names_an_error(ctx: Context) -> bool:
    """Whether a routine named ``parse_error`` returns (not raises) an error."""
    returns = ctx.info.returns
    kind = (returns.type or "") if returns is not None else ""
    return (
        len(ctx.words) > 1
        and ctx.words[-1] in ("error", "exception")
        and kind.rpartition(".")[2].endswith(("Error", "Exception"))
    )


def _function_summary(ctx: Context) -> str:
    if ctx.verb == "maybe" and len(ctx.words) > 1 and ctx.words[1] in VERBS:
        return "try to " + _function_summary(replace(ctx, words=ctx.words[1:]))
    if not ctx.words:
        if ctx.info.name.startswith("__"):
            return dunder_summary(ctx.info.name, ctx.subject, ctx.first)
        return "return the value" if ctx.returns_value else "run the function"
    shape = SHAPES.get(ctx.verb)
    if shape is not None and (ctx.rest or not shape[1]):
        return shape[0](ctx)
    if ctx.verb in WHETHER:
        return f"return whether {whether(ctx)}"
    if _names_an_error(ctx):
        return f"return {with_article(phrase(list(ctx.words)))}"
    if ctx.verb in VERBS:
        return _verb_phrase(ctx)
    words = phrase(list(ctx.words))
    if ctx.info.is_generator:
        return f"yield the {words}"
    if ctx.returns_value:
        return f"return the {words}"
    return f"run the {words}"


def _property_summary(ctx: Context) -> str:
    words = list(ctx.words)
    if len(words) > 2 and words[1] in WHETHER:
        return f"whether {phrase(words)}"
    if ctx.verb in WHETHER and len(words) > 1:
        return f"whether {ctx.subject or 'it'} {WHETHER[ctx.verb]} {ctx.rest}"
    if ctx.verb == "get" and len(words) > 1:
        words = words[1:]
    return f"the {noun_phrase(words)}" if words else f"the {ctx.info.name} value"


def _class_summary(ctx: Context) -> str:
    name = ctx.info.name
    if name.isupper() and ("_" in name or len(name) > 4):
        return f"the ``{name}`` class"  # a sentinel, not an acronym
    words = phrase(list(ctx.words))
    bases = {b.rpartition(".")[2] for b in ctx.info.bases}
    if bases & _ENUM_BASES and not words.endswith("enum"):
        return f"{with_article(words)} enumeration"
    if "Protocol" in bases and not words.endswith("protocol"):
        return f"{with_article(words)} protocol"
    return with_article(words) if words else "a class"


def _exception_summary(ctx: Context) -> str:
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


def name_summary(ctx: Context) -> str:
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
        text = f"{text} created from {join(required)}"
    return text
