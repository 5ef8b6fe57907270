"""Word tables for the offline wording: verbs, flags, exceptions, dunders."""

from __future__ import annotations

from sphinxcontrib_aidoc.generate._words import (
    code,
    phrase,
    sentence,
    word_set,
)

#: Verbs whose object is usually the first parameter (``parse(text)``).
DATA_VERBS = word_set(
    """accept add annotate append apply approve call check clean clone compare
    compile consume convert copy decode delete deserialize dispatch display download draw
    edit
    dump emit encode enqueue escape evaluate execute export extract fetch filter
    format grant handle hash import index insert inspect invoke join label load
    lookup map mark match merge normalise normalize notify parse pop post print
    process publish push put quote read receive register reject remove render request
    resolve revoke sanitize save score send serialize set show sign sort split
    store strip submit tag test tokenize transform trim truncate unescape
    unregister unwrap update upload validate verify visit wrap write"""
)
#: Verbs that act on the owning object when there is one (``Server.start()``).
STATE_VERBS = word_set(
    """abort acquire activate attach begin boot cancel clear close commit configure
    connect deactivate destroy detach disable disconnect enable end finalize finish
    flush init initialize kill listen lock loop mount open pause poll prepare
    refresh release reload reset restart resume rollback run serve setup shutdown
    spin start startup step stop sync teardown terminate tick unlock unmount
    wait invalidate link unlink relink advance rewind"""
)
_OTHER_VERBS = word_set(
    """allocate analyse analyze assert backup batch bind build calc calculate
    choose chunk cleanup collect compute count crawl create decorate del describe
    detect diff emit ensure exec explain find gather gen generate guess
    iter iterate log login logout make measure memoize mk monitor move new pack
    partition patch pick plot rank raise record rename replace replay report
    retry rm scan schedule scrape search select spawn summarize track traverse
    unpack walk warn watch derive coerce confirm prompt launch
    increment decrement forward indent dedent echo"""
)
#: Every word the offline wording treats as a leading verb.
VERBS = DATA_VERBS | STATE_VERBS | _OTHER_VERBS
#: Verbs whose object takes ``a``/``an`` (a new thing) instead of ``the``.
A_VERBS = word_set(
    "add allocate append attach build create emit enqueue generate insert make new"
    " push register spawn"
)
#: Name words and how the imperative sentence spells them.
VERB_FORMS = {
    "backup": "back up",
    "build": "create",
    "calc": "calculate",
    "cleanup": "clean up",
    "del": "delete",
    "exec": "execute",
    "gen": "generate",
    "init": "initialize",
    "iter": "iterate over",
    "iterate": "iterate over",
    "login": "log in",
    "logout": "log out",
    "lookup": "look up",
    "make": "create",
    "mk": "make",
    "new": "create",
    "rm": "remove",
    "setup": "set up",
    "shutdown": "shut down",
    "startup": "start up",
    "teardown": "tear down",
}
#: Past participles used in return descriptions ("The parsed header.").
PARTICIPLES = {
    "calculate": "calculated",
    "clean": "cleaned",
    "clone": "cloned",
    "collect": "collected",
    "compile": "compiled",
    "compute": "computed",
    "convert": "converted",
    "copy": "copied",
    "decode": "decoded",
    "deserialize": "deserialized",
    "encode": "encoded",
    "extract": "extracted",
    "fetch": "fetched",
    "filter": "filtered",
    "format": "formatted",
    "generate": "generated",
    "load": "loaded",
    "merge": "merged",
    "normalise": "normalised",
    "normalize": "normalized",
    "parse": "parsed",
    "render": "rendered",
    "resolve": "resolved",
    "select": "selected",
    "serialize": "serialized",
    "sort": "sorted",
    "transform": "transformed",
    "update": "updated",
    "validate": "validated",
}
#: Leading name words of predicates and the verb the sentence uses.
WHETHER = {
    w: w
    for w in sorted(
        word_set("is has can should was were needs must supports contains are")
    )
}
#: Words that end a name such as ``url_for`` and want an object.
PREPOSITIONS = word_set("at by for from in into of on over per to via with")
#: Parameter names that hold text to read from.
TEXT_PARAMS = word_set(
    """b blob body buf buffer content contents data doc document f fh file
    filename filepath file_path fname fp html input json line lines markup path
    payload raw response s source src stream string text uri url xml yaml"""
)
#: Parameter names that hold a file location or stream to write to.
PATH_PARAMS = word_set(
    """dest destination dst f fh file filename filepath file_path fname fp out
    outfile output path stream target"""
)
_SPECIAL_PARAMS = {
    "callback": "Function to call.",
    "cb": "Function to call.",
    "dtype": "Data type.",
    "encoding": "Text encoding.",
    "fn": "Function to call.",
    "func": "Function to call.",
    "function": "Function to call.",
    "logger": "Logger to use.",
    "seed": "Random seed.",
}
_SPECIAL_FLAGS = {
    "debug": "Whether to enable debug output.",
    "dry_run": "Whether to do a dry run.",
    "force": "Whether to force the operation.",
    "inplace": "Whether to modify the object in place.",
    "in_place": "Whether to modify the object in place.",
    "quiet": "Whether to suppress output.",
    "recursive": "Whether to recurse.",
    "silent": "Whether to suppress output.",
}
_FLAG_PREFIXES = {
    "disable": "to disable",
    "enable": "to enable",
    "has": "it has",
    "is": "it is",
    "no": "to disable",
    "should": "to",
    "with": "to include",
}
_FLAG_VERBS = word_set(
    "allow create follow hide ignore include keep overwrite raise return show skip"
    " strip use"
)
_ADJECTIVES = word_set("compact dry fast lazy pretty raw safe strict verbose")
_ADJECTIVE_ENDINGS = ("able", "al", "ant", "ed", "ent", "ful", "ible", "ic", "ive")
_UNIT_SUFFIXES = {
    "seconds": "seconds",
    "secs": "seconds",
    "sec": "seconds",
    "ms": "milliseconds",
    "millis": "milliseconds",
    "minutes": "minutes",
    "bytes": "bytes",
}


def _is_flag(type_: str | None, default: str | None) -> bool:
    annotation = (type_ or "").replace(" ", "")
    return annotation in ("bool", "bool|None", "Optional[bool]") or default in (
        "True",
        "False",
    )


def _is_number(type_: str | None) -> bool:
    return (type_ or "").replace(" ", "") in ("int", "float", "int|float", "float|int")


def special_param_doc(name: str, type_: str | None, default: str | None) -> str:
    """Return a fixed description for well-known parameter names, or ``""``."""
    if name in _SPECIAL_PARAMS:
        return _SPECIAL_PARAMS[name]
    if "callable" in (type_ or "").lower() and name in ("hook", "handler", "key"):
        return "Function to call."
    words = name.split("_")
    if len(words) > 1 and words[-1] in _UNIT_SUFFIXES and _is_number(type_):
        return sentence(f"{phrase(words[:-1])} in {_UNIT_SUFFIXES[words[-1]]}")
    if name in _SPECIAL_FLAGS and _is_flag(type_, default):
        return _SPECIAL_FLAGS[name]
    return ""


def flag_doc(words: list[str], type_: str | None, default: str | None) -> str:
    """Return ``Whether to ...`` for a boolean parameter, or ``""``."""
    if not words or not _is_flag(type_, default):
        return ""
    head, tail = words[0].lower(), words[1:]
    if head in _FLAG_PREFIXES and tail:
        return sentence(f"whether {_FLAG_PREFIXES[head]} {phrase(tail)}")
    if head in _FLAG_VERBS or (head in VERBS and tail):
        return sentence(f"whether to {phrase(words)}")
    if head in VERBS:
        return sentence(f"whether to {head}")
    return ""


_DUNDERS = {
    "__init__": "initialize {s}",
    "__post_init__": "finish initializing {s}",
    "__new__": "create {s}",
    "__call__": "call {s}",
    "__repr__": "return the developer representation of {s}",
    "__str__": "return {s} as a string",
    "__bytes__": "return {s} as bytes",
    "__len__": "return the number of items in {s}",
    "__iter__": "iterate over {s}",
    "__aiter__": "iterate over {s}",
    "__next__": "return the next item",
    "__anext__": "return the next item",
    "__reversed__": "iterate over {s} in reverse",
    "__contains__": "return whether {p} is in {s}",
    "__getitem__": "return the item for {p}",
    "__setitem__": "set the item for {p}",
    "__delitem__": "delete the item for {p}",
    "__getattr__": "return the attribute {p}",
    "__setattr__": "set the attribute {p}",
    "__delattr__": "delete the attribute {p}",
    "__eq__": "return whether {s} equals {p}",
    "__ne__": "return whether {s} differs from {p}",
    "__lt__": "return whether {s} is less than {p}",
    "__le__": "return whether {s} is less than or equal to {p}",
    "__gt__": "return whether {s} is greater than {p}",
    "__ge__": "return whether {s} is greater than or equal to {p}",
    "__hash__": "return the hash of {s}",
    "__bool__": "return the truth value of {s}",
    "__enter__": "enter the context of {s}",
    "__aenter__": "enter the context of {s}",
    "__exit__": "exit the context of {s}",
    "__aexit__": "exit the context of {s}",
    "__del__": "finalize {s}",
    "__copy__": "return a shallow copy of {s}",
    "__deepcopy__": "return a deep copy of {s}",
}


def dunder_summary(name: str, subject: str, first: object | None) -> str:
    """Return the sentence for special method *name* (lower-case start)."""
    param = getattr(first, "name", "") or "other"
    template = _DUNDERS.get(name)
    if template is None:
        return f"implement ``{name}``"
    return template.format(s=subject or "the object", p=code(param))


#: Return type heads and how a collection of things is described.
COLLECTIONS = {
    "list": "a list of",
    "sequence": "a sequence of",
    "tuple": "a tuple of",
    "set": "a set of",
    "frozenset": "a set of",
    "iterator": "an iterator over",
    "iterable": "an iterable of",
    "generator": "an iterator over",
}
