"""What a piece of docstring prose says beyond the names the code shows.

The evaluator's content rules rest on one idea: a sentence tells a reader
something only when it has a word the signature does not already show.
Words are compared after splitting identifiers (snake and camel case,
acronyms, digits) and a light stemming ("created" and "create", "values"
and "value", "bytesified" and "bytesify" are one word).

A word that starts with a known word of three letters or more is taken as
that word spelled out ("directory" for ``dir``, "attribute" for ``attr``).

* :func:`restates_name`: a summary made only of the object's name, the
  owner's name, the given context (parameters, types, bases) and words
  such as "get", "return" or "create" (``AID401``).
* :func:`bare_description`: an entry's description that says nothing
  beyond its own name, its type and the object's name (``AID405``).
* :func:`circular_condition`: a Raises condition that only restates the
  exception's name, "If an invalid string error occurs." for
  ``InvalidStringError`` (``AID406``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

#: Words that carry no meaning of their own in a summary or description.
STOP_WORDS = frozenset(
    {"a", "an", "the", "of", "to", "for", "and", "or", "in", "on", "by", "with"}
    | {"from", "this", "that", "its", "it", "given", "specified", "current"}
    | {"as", "is", "be", "whether", "if", "into", "at", "any", "some", "all"}
)
#: Words that restate a name's verb (``get_x``: "Return the x.") or its kind.
GENERIC = frozenset(
    {"get", "return", "fetch", "retrieve", "set", "create", "make", "new", "run"}
    | {"check", "instance", "object", "subclass", "class", "function", "method"}
    | {"value"}
)
#: Words of a condition that do not say what the condition is.
_CONDITION = frozenset(
    {"when", "occur", "raise", "error", "exception", "there", "are", "thrown"}
    | {"happen", "encounter", "problem", "fail", "failure", "case", "something"}
)
_WORD = re.compile(r"[A-Za-z]+|\d+")
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem of lower-case *word*: enough to match inflections."""
    if len(word) > 4 and word.endswith("ied"):
        word = word[:-3] + "y"
    elif len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def words_of(name: str) -> list[str]:
    """Split an identifier into lower-case words (snake, camel case, acronyms).

    >>> words_of("URLSafeSerializer.get_HTTPServer2")
    ['url', 'safe', 'serializer', 'get', 'http', 'server', '2']
    """
    return list(_split_words(name))


@lru_cache(maxsize=65536)
def _split_words(name: str) -> tuple[str, ...]:
    """:func:`words_of`, kept: scoring a project splits the same names often."""
    words: list[str] = []
    for chunk in re.split(r"[\W_]+", name):
        if chunk:
            words.extend(w.lower() for w in (_CAMEL.findall(chunk) or [chunk]))
    return tuple(words)


def _stems(names: Iterable[str]) -> set[str]:
    return {stem(w) for name in names for w in words_of(name)}


def content_words(text: str) -> list[str]:
    """The stemmed words of *text* other than :data:`STOP_WORDS`."""
    return [
        stem(word)
        for raw in _WORD.findall(text)
        for word in words_of(raw)
        if word not in STOP_WORDS
    ]


_GENERIC_STEMS = frozenset(stem(w) for w in GENERIC)
_CONDITION_STEMS = frozenset(stem(w) for w in _CONDITION)


def _known(word: str, names: set[str], words: frozenset[str] = _GENERIC_STEMS) -> bool:
    """Whether *word* is one of *words*, of *names* or spells a name out.

    A word that starts with a name of three letters or more spells it out
    (``dir``: "directory"); plain *words* ("set") must match whole.
    """
    return (
        word in words
        or word in names
        or any(len(k) >= 3 and word.startswith(k) for k in names)
    )


def restates_name(summary: str, name: str, *, context: Iterable[str] = ()) -> bool:
    """Whether *summary* says nothing but the words of *name* (and *context*).

    *name* may be dotted (``Array.clear``: the owner's name counts too);
    *context* adds what the signature shows (parameter names, types, base
    classes). A summary needs at least one word of the name to restate it.

    >>> restates_name("Clear the array.", "Array.clear")
    True
    >>> restates_name("Make a shallow copy of this bidict.", "BidictBase.copy")
    False
    """
    own = _stems([name])
    known = own | _stems(context)
    words = content_words(summary)
    if not any(_known(w, own, frozenset()) for w in words):
        return False
    return all(_known(w, known) for w in words)


def says_only(summary: str, known: Iterable[str]) -> bool:
    """Whether *summary* says nothing beyond the *known* signature words.

    Unlike :func:`restates_name`, no word of the name is needed: "Return a
    value of type ``int``." for ``shrink(value: int) -> int`` only repeats
    the signature. An empty summary says nothing too.
    """
    names = _stems(known) | {"typ"}
    return all(_known(w, names) for w in content_words(summary))


def bare_description(description: str, known: Iterable[str]) -> bool:
    """Whether *description* says nothing beyond the *known* names.

    *known* holds the entry's own name, its type and the object's name; an
    empty description is bare too ("value (int):", "The value.", "The
    str.").
    """
    names = _stems(known)
    return all(_known(w, names) for w in content_words(description))


def circular_condition(condition: str, exception: str) -> bool:
    """Whether the Raises *condition* only restates the *exception*'s name.

    "If an invalid string error occurs." for ``InvalidStringError``; an
    empty condition is not circular (it is bare: see :func:`bare_description`).
    """
    words = content_words(condition)
    if not words:
        return False
    names = _stems([exception.rpartition(".")[2]])
    return all(_known(w, names, _CONDITION_STEMS) for w in words)
