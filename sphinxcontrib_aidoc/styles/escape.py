"""Model text to reST that shows the same words and is never markup.

A model's words are plain text (see
:func:`~sphinxcontrib_aidoc.generate.sanitize.sanitize_draft`, which only
cleans them: invisible characters, whitespace, length). They become
reStructuredText here, and only here: :func:`rst_draft` is called by
:meth:`DocstringStyle.render <sphinxcontrib_aidoc.styles.base.DocstringStyle.render>`
and by :func:`~sphinxcontrib_aidoc.styles.augment`, the two places where a
draft becomes docstring lines.

The escaper decides nothing by recognising markup. It applies three rules to
every text, whatever it says:

* every character that reST or napoleon gives a meaning inside a line
  (:data:`INLINE`: the escape character, backquotes, ``*``, ``_``, ``|``,
  ``:``, ``@``) is backslash-escaped, so no role,
  interpreted text, literal, emphasis, reference, target, substitution,
  footnote or citation reference (they end in ``_``), field, URI, e-mail
  link, ``::`` literal block or napoleon section can start (brackets,
  ``<``, ``>`` and quotes mean nothing on their own and are left as they
  are, so ``list[int]`` reads as written in a source file);
* a paragraph never starts a block construct: its first character is
  escaped when it is punctuation (``..`` directives and comments, ``>>>``,
  ``-``/``+``/``*`` bullets, ``|`` line blocks, ``+--`` and ``==`` tables,
  ``#.`` and ``(1)`` enumerators) or a bullet character, and the period
  or parenthesis of a leading ``1.``/``a)``/``iv.`` enumerator is escaped;
* a word made of punctuation only has its first character escaped, so
  wrapping can never leave a section underline or a table border alone on
  a line; and the text has no line breaks of its own (paragraphs are
  separated by one blank line, each on one line), so its indentation is
  the style's: no block quote, definition list or literal block.

A backslash-escaped character is that character to docutils, so the page
shows exactly the model's words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.model import Draft

#: Characters escaped wherever they are.
INLINE = frozenset("\\`*_|:@")
#: Bullet characters of reST besides ``-``, ``+`` and ``*``.
_BULLETS = frozenset("\u2022\u2023\u2043")
#: A leading enumerator: ``1.``, ``iv)``, ``B.`` followed by a space.
_ENUMERATOR = re.compile(r"(?:\d+|[A-Za-z]|[ivxlcdm]+|[IVXLCDM]+)(?=[.)](?:\s|$))")


def is_model_text(draft: Draft) -> bool:
    """Whether *draft*'s prose was written by a model (plain text).

    Offline drafts (provider ``offline``) are aidoc's own reST wording;
    every other provider's words are plain text that must be escaped.
    """
    return draft.provider != "offline"


def rst_draft(draft: Draft) -> Draft:
    """Return *draft* with every text as reST (model text escaped)."""
    if not is_model_text(draft):
        return draft
    return replace(
        draft,
        summary=escape_rst(draft.summary),
        description=escape_rst(draft.description),
        params=tuple((name, escape_rst(text)) for name, text in draft.params),
        returns=escape_rst(draft.returns),
        yields=escape_rst(draft.yields),
        raises=tuple((name, escape_rst(text)) for name, text in draft.raises),
    )


def escape_rst(text: str) -> str:
    """Return plain *text* as reST that renders as the same characters.

    Paragraphs (separated by blank lines) stay paragraphs, one line each;
    every other run of whitespace becomes one space. Control and format
    characters are dropped (the providers' cleaning already removed them;
    docutils uses NUL for its own escapes).
    """
    text = "".join(
        ch for ch in text if ch.isspace() or unicodedata.category(ch)[0] != "C"
    )
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(_paragraph(p) for p in paragraphs if p)


def _paragraph(text: str) -> str:
    words = [_word(word) for word in text.split(" ")]
    first = words[0]
    raw = text.split(" ", 1)[0]
    if (_is_punct(raw[0]) or raw[0] in _BULLETS) and not first.startswith("\\"):
        words[0] = "\\" + first
    else:
        enumerator = _ENUMERATOR.match(first)
        if enumerator is not None:
            end = enumerator.end()
            words[0] = first[:end] + "\\" + first[end:]
    return " ".join(words)


def _word(word: str) -> str:
    escaped = "".join("\\" + ch if ch in INLINE else ch for ch in word)
    if all(_is_punct(ch) for ch in word) and not escaped.startswith("\\"):
        escaped = "\\" + escaped
    return escaped


def _is_punct(ch: str) -> bool:
    return ch.isascii() and not ch.isalnum() and not ch.isspace()
