"""English helpers for the offline wording: split names, articles, plurals.

Everything here is a pure function of its arguments (the tables are
constants), so the offline drafts are deterministic.
"""

from __future__ import annotations

from sphinxcontrib_aidoc.model import identifier_words


def word_set(text: str) -> frozenset[str]:
    """Return the whitespace-separated words of *text* as a set."""
    return frozenset(text.split())


#: Lower-case words shown in upper case (or another fixed spelling).
SPELLING: dict[str, str] = {
    **{
        w: w.upper()
        for w in sorted(
            word_set(
                "api aws cli cpu csv dns ftp gpu html http https id io ip jwt md5 pdf"
                " png rgb rpc sha sql ssh ssl svg tcp tls toml ttl udp ui uri url utc"
                " uuid xml yaml ascii ansi tty eof eol eom crlf rfc iso pep md sha utf"
            )
        )
    },
    "urls": "URLs",
    "ids": "IDs",
    "io": "I/O",
    "json": "JSON",
    "utf8": "UTF-8",
    "oauth": "OAuth",
    "eta": "ETA",
}
#: Acronyms written with a space before their number (``RFC 3339``).
_SPACED_NUMBERS = word_set("RFC ISO PEP")
#: Abbreviations written out.
EXPANSIONS: dict[str, str] = {
    "arg": "argument",
    "args": "arguments",
    "attr": "attribute",
    "attrs": "attributes",
    "buf": "buffer",
    "cfg": "config",
    "cnt": "count",
    "conf": "config",
    "conn": "connection",
    "ctx": "context",
    "cur": "current",
    "curr": "current",
    "db": "database",
    "dest": "destination",
    "dir": "directory",
    "dirs": "directories",
    "dst": "destination",
    "env": "environment",
    "envvar": "environment variable",
    "envvars": "environment variables",
    "err": "error",
    "fn": "function",
    "func": "function",
    "idx": "index",
    "inv": "inverse",
    "kwargs": "keyword arguments",
    "len": "length",
    "lib": "library",
    "max": "maximum",
    "min": "minimum",
    "msg": "message",
    "msgs": "messages",
    "num": "number",
    "obj": "object",
    "opt": "option",
    "opts": "options",
    "param": "parameter",
    "params": "parameters",
    "pkg": "package",
    "pct": "percentage",
    "pos": "position",
    "prev": "previous",
    "repo": "repository",
    "req": "request",
    "res": "result",
    "resp": "response",
    "src": "source",
    "stats": "statistics",
    "str": "string",
    "tmp": "temporary",
    "val": "value",
    "vals": "values",
}
_NOT_PLURAL = word_set(
    "alias analysis atlas axis basis bias bus canvas chaos gas lens news series"
    " species status this"
)
_IRREGULAR_SINGULAR = {
    "children": "child",
    "people": "person",
    "indices": "index",
    "matrices": "matrix",
    "vertices": "vertex",
    "analyses": "analysis",
    "data": "data",
    "statuses": "status",
    "aliases": "alias",
}
#: Words with no article before them ("to JSON", "from text").
MASS_NOUNS = word_set(
    "JSON YAML TOML XML HTML CSV text bytes data markdown Markdown information"
    " metadata config configuration input output content"
)


def split_name(name: str) -> list[str]:
    """Split a Python name into words: ``HTTPClient`` gives ``HTTP client``.

    Snake case and CamelCase both split (the splitter of the search index,
    :func:`~sphinxcontrib_aidoc.model.identifier_words`): acronyms keep their
    case (``AoT``, ``HTTP``), other words are lower-cased, digits stay with
    the word before them (``rfc3339``, ``utf8``); leading and trailing
    underscores are dropped.
    """
    words: list[str] = []
    for part in name.strip("_").split("_"):
        for index, piece in enumerate(identifier_words(part)):
            if piece.isdigit() and index:
                words[-1] += piece
            elif len(piece) > 1 and piece != piece.lower() and piece != piece.title():
                words.append(piece)
            else:
                words.append(piece.lower())
    return words


def spell(word: str) -> str:
    """Return *word* as prose shows it: ``db`` gives ``database``."""
    lower = word.lower()
    if word != lower:
        return word
    found = SPELLING.get(lower) or EXPANSIONS.get(lower)
    if found:
        return found
    letters = lower.rstrip("0123456789")
    digits = lower[len(letters) :]
    if digits and letters in SPELLING:
        acronym = SPELLING[letters]
        return f"{acronym} {digits}" if acronym in _SPACED_NUMBERS else acronym + digits
    return word


def phrase(words: list[str]) -> str:
    """Join *words* into a noun phrase with abbreviations written out."""
    return " ".join(spell(w) for w in words)


def is_plural(word: str) -> bool:
    """Whether the English noun *word* looks plural."""
    lower = word.lower()
    if lower in _IRREGULAR_SINGULAR:
        return lower != "data"
    if lower in ("ids", "urls"):
        return True
    if lower in _NOT_PLURAL or len(lower) < 3 or word.isupper():
        return False
    return lower.endswith("s") and not lower.endswith(("ss", "us", "is"))


def singular(word: str) -> str:
    """Return the singular of the noun *word* (unchanged when not plural)."""
    lower = word.lower()
    if lower in _IRREGULAR_SINGULAR:
        return _IRREGULAR_SINGULAR[lower]
    if not is_plural(word):
        return word
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + "y"
    if lower.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return word[:-2]
    return word[:-1]


def article(text: str) -> str:
    """Return ``a`` or ``an`` for the phrase *text*."""
    word = text.split(maxsplit=1)[0] if text.strip() else text
    if len(word) > 1 and word.isupper():
        return "an" if word[0] in "AEFHILMNORSX" else "a"
    lower = word.lower()
    if lower.startswith(("uni", "use", "usa", "one", "eu", "ur")):
        return "a"
    if lower.startswith(("hour", "honest", "honor")):
        return "an"
    return "an" if lower[:1] in "aeiou" else "a"


def with_article(text: str) -> str:
    """Return *text* with ``a``/``an``; plurals and mass nouns get none."""
    words = text.split()
    if not words:
        return text
    if is_plural(words[-1]) or words[-1] in MASS_NOUNS:
        return text
    return f"{article(text)} {text}"


def join(items: list[str], word: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c`` (or *word* instead of "and")."""
    if len(items) < 3:
        return f" {word} ".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def capitalize(text: str) -> str:
    """Upper-case the first letter of *text*, leaving the rest alone."""
    return text[:1].upper() + text[1:]


def sentence(text: str) -> str:
    """Return *text* capitalised, single-spaced and ending with a period."""
    text = " ".join(text.split()).rstrip(".")
    return capitalize(text) + "." if text else ""


def code(name: str) -> str:
    """Return a parameter reference as docstrings write it: ``*name*``."""
    return f"*{name}*"


def noun_phrase(words: list[str]) -> str:
    """Noun phrase with ``max_``/``min_``/``num_`` prefixes worded out."""
    if not words:
        return ""
    head, tail = words[0].lower(), words[1:]
    if head in ("max", "maximum", "min", "minimum") and tail:
        word = "maximum" if head.startswith("max") else "minimum"
        if is_plural(tail[-1]):
            return f"{word} number of {phrase(tail)}"
        return f"{word} {phrase(tail)}"
    if head in ("num", "n", "number", "count") and tail:
        tail = tail[1:] if tail[0] == "of" else tail
        return f"number of {phrase(tail)}"
    return phrase(words)
