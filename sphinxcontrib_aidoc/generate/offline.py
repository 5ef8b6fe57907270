"""Deterministic offline prose: a Draft worded from names and structure only.

The offline provider never guesses behaviour. It reads the object's name
(``get_user`` gives "Return the user."), its kind, its owner class, its
parameters and the exceptions analysis found, and words what those show.
The same :class:`~sphinxcontrib_aidoc.model.ObjectInfo` always gives the
same :class:`~sphinxcontrib_aidoc.model.Draft`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sphinxcontrib_aidoc.generate._verbs import (
    A_VERBS,
    COLLECTIONS,
    DATA_VERBS,
    PARTICIPLES,
    PATH_PARAMS,
    PREPOSITIONS,
    STATE_VERBS,
    TEXT_PARAMS,
    VERB_FORMS,
    VERBS,
    WHETHER,
    dunder_summary,
    flag_doc,
    raises_doc,
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
)
from sphinxcontrib_aidoc.model import (
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


def _verb_only(ctx: _Context, verb: str) -> str:
    """Sentence for a bare verb name (``parse``, ``run``)."""
    first = ctx.first
    if ctx.verb in STATE_VERBS and ctx.subject:
        return f"{verb} {ctx.subject}"
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


def summary(info: ObjectInfo) -> str:
    """Return the one-sentence offline summary of *info*."""
    ctx = _context(info)
    if info.kind == "class":
        text = _class_summary(ctx)
    elif info.kind == "exception":
        text = _exception_summary(ctx)
    elif info.kind == "property":
        text = _property_summary(ctx)
    else:
        text = _finish(ctx, _function_summary(ctx))
    return sentence(text)


def _forwarded(info: ObjectInfo, param: Param) -> bool:
    """Whether ``*args``/``**kwargs`` is passed on in the body."""
    stars = r"\*\*" if param.kind == "var_keyword" else r"(?<![\w*])\*"
    found = re.findall(stars + re.escape(param.name) + r"\b", info.source)
    return len(found) >= 2


def _param_doc(ctx: _Context, param: Param, index: int) -> str:
    if param.kind == "var_positional":
        if _forwarded(ctx.info, param):
            return "Positional arguments passed on."
        return "Extra positional arguments."
    if param.kind == "var_keyword":
        if _forwarded(ctx.info, param):
            return "Keyword arguments passed on."
        return "Extra keyword arguments."
    name = param.name.lower().strip("_")
    words = split_name(param.name)
    verb = VERB_FORMS.get(ctx.verb, ctx.verb)
    if name in PATH_PARAMS and ctx.verb in ("read", "load", "parse", "open", "import"):
        return f"Path to {verb}."
    if name in PATH_PARAMS and ctx.verb in ("save", "write", "dump", "export"):
        return f"Path to {verb} to."
    if (
        index == 0
        and ctx.verb in DATA_VERBS
        and (
            not ctx.rest
            or name in TEXT_PARAMS
            or set(words) & set(split_name(" ".join(ctx.words[1:])))
        )
    ):
        return sentence(f"{phrase(words)} to {verb}")
    special = special_param_doc(name, param.type, param.default)
    if special:
        return special
    flag = flag_doc(words, param.type, param.default)
    if flag:
        return flag
    if len(name) == 1 or name in PREPOSITIONS:
        return f"The {name} value."
    noun = noun_phrase(words)
    if noun.startswith(("maximum", "minimum", "number")):
        return sentence(noun)
    return sentence(f"the {noun}")


def _collection_doc(ctx: _Context, words: str) -> str:
    """``A list of users.`` when the return type is a collection of *words*."""
    returns = ctx.info.returns
    head = (returns.type or "") if returns else ""
    kind = head.partition("[")[0].rpartition(".")[2].lower()
    if kind in COLLECTIONS and words and is_plural(words.rsplit(maxsplit=1)[-1]):
        return sentence(f"{COLLECTIONS[kind]} {words}")
    if kind in ("dict", "mapping") and words:
        return sentence(f"a mapping of {words}")
    return ""


def _dunder_returns(ctx: _Context) -> str:
    text = _function_summary(ctx)
    if text.startswith("return whether "):
        return f"True if {text.removeprefix('return whether ')}, else False."
    return sentence(text.removeprefix("return ")) if text.startswith("return ") else ""


def _returns_doc(ctx: _Context) -> str:
    info = ctx.info
    if info.kind not in ROUTINE_KINDS or not ctx.returns_value:
        return ""
    if info.yields is not None:
        return "The value the generator returns when it finishes."
    verb = ctx.verb
    rest = "items" if ctx.words[1:] == ("all",) else ctx.rest
    if not ctx.words:
        return _dunder_returns(ctx)
    if verb in WHETHER:
        return f"True if {_whether(ctx, clause=True)}, else False."
    if verb in ("to", "as") and rest:
        first = ctx.first
        named = f"the {phrase(split_name(first.name))}" if first else "the value"
        return sentence(f"{ctx.subject or named} as {with_article(rest)}")
    if verb in ("from", "create", "make", "build", "new", "spawn"):
        made = rest if verb != "from" else ""
        return sentence(f"the new {made or ctx.owner or 'object'}")
    if verb == "count" and rest:
        return sentence(f"the number of {rest}")
    if verb in PARTICIPLES:
        return sentence(f"the {PARTICIPLES[verb]} {rest or 'result'}")
    words = rest if verb in VERBS else phrase(list(ctx.words))
    if verb == "get":
        words = rest or "value"
    collection = _collection_doc(ctx, words)
    if collection or not words:
        return collection or "The result."
    returned = info.returns.type if info.returns else None
    optional = re.search(r"\bNone\b|Optional\[", returned or "")
    text = _finish(ctx, f"the {words}")
    return sentence(f"{text}, or None" if optional else text)


def _yields_doc(ctx: _Context) -> str:
    if ctx.info.yields is None:
        return ""
    words = list(ctx.words[1:] if ctx.verb in VERBS else ctx.words)
    if words and is_plural(words[-1]):
        return sentence(f"each {phrase([*words[:-1], singular(words[-1])])}")
    if words:
        return sentence(f"each {phrase(words)} item")
    return "Each item."


def offline_draft(info: ObjectInfo) -> Draft:
    """Return the offline Draft for *info* (provider ``offline``, no model).

    The summary is one imperative sentence for callables and a noun phrase
    for classes and properties; parameter, return, yield and exception texts
    follow from names and types. The description stays empty: the sections
    carry what analysis knows.
    """
    ctx = _context(info)
    params = tuple(
        (p.name, _param_doc(ctx, p, index)) for index, p in enumerate(ctx.params)
    )
    raises = tuple((name, raises_doc(name)) for name in dict.fromkeys(info.raises))
    return Draft(
        summary=summary(info),
        params=params,
        returns=_returns_doc(ctx),
        yields=_yields_doc(ctx),
        raises=raises,
        source="inference",
        provider="offline",
        model="",
    )
