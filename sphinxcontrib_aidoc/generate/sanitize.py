"""Make model text safe to put into a docstring, and so into a doctree.

A model's answer is untrusted text. It ends up inside a docstring that
docutils parses as reStructuredText, so anything that is markup to docutils
could reach outside the docstring: a ``.. raw:: html`` or ``.. include::``
directive, a substitution definition, a hyperlink target, a ``:raw-html:``
role, a section title, a field list that napoleon would read as parameters,
a ``javascript:`` link. :func:`sanitize_text` turns the answer into plain
prose whose rendering shows the same characters, with none of them live.

Two kinds of change are made:

* *Neutralising* markup that reaches outside the docstring: every explicit
  markup block (directives of any name, comments, substitution definitions,
  targets), roles outside :data:`ALLOWED_ROLES`, section adornment lines,
  field-list and napoleon-section lines, non-web URI schemes, control
  characters, and over-long text. Each kind is named in the returned list,
  and providers report them once per object as a ``sanitize`` diagnostic.
* *Quoting* characters that docutils would otherwise read as inline markup
  or warn about (``*args``, ``word_``, ``a|b``, a trailing ``::``, stray
  backticks, backslashes), and removing indentation (no block quotes or
  literal blocks). That is plain-text quoting, not an attack, so it is not
  reported.

What stays markup: allow-listed cross-reference roles (``:class:`Foo```),
inline literals (````x````), and bullet or enumerated items, one per line.
Single-backtick text becomes an inline literal, which is what models mean by
it. ``<`` and ``>`` are left alone: docutils escapes text in every writer,
so raw HTML in prose is shown, never live (the tests check this with the
HTML writer).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from sphinxcontrib_aidoc.model import Draft

#: Length caps (characters, before quoting) of the parts of a draft.
SUMMARY_MAX = 300
DESCRIPTION_MAX = 2000
FIELD_MAX = 1000

#: Roles model text may use: Python cross-references only.
ALLOWED_ROLES = frozenset(
    {"class", "func", "meth", "exc", "obj", "attr", "mod", "data", "const"}
)
#: URI schemes docutils may turn into links; any other ``word:`` is quoted.
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
#: Schemes worth reporting when neutralised (the rest are ordinary colons).
_REPORTED_SCHEMES = frozenset(
    {"javascript", "vbscript", "data", "file", "ftp", "about", "blob"}
)
#: Sections napoleon recognises (a line ``Returns:`` would start one).
_NAPOLEON_SECTIONS = (
    "args|arguments|attention|attributes|caution|danger|error|example|examples|"
    "hint|important|keyword args|keyword arguments|kwargs|methods|note|notes|"
    "other parameters|parameters|params|receive|receives|return|returns|raise|"
    "raises|references|see also|tip|todo|warning|warnings|warns|yield|yields"
)
_PUNCT = r"[!-/:-@\[-`{-~]"

_NAPOLEON_LINE = re.compile(rf"^({_NAPOLEON_SECTIONS})\s*:$", re.IGNORECASE)
_EXPLICIT = re.compile(r"^\.\.(?:\s|$)")
_DIRECTIVE = re.compile(r"^\.\.\s+([\w:.+-]+)::")
_SUBSTITUTION = re.compile(r"^\.\.\s+\|")
_TARGET = re.compile(r"^\.\.\s+_")
_ADORNMENT = re.compile(rf"^({_PUNCT})\1+$")
_FIELD_LINE = re.compile(r"^:[^:\s`][^:`]*:(?:\s|$)")
_LIST_ITEM = re.compile(r"^(?:[-+\u2022]|\d{1,3}[.)]|#\.|\(\d{1,3}\))\s+\S")
#: Spans kept as markup: ``literal``, :role:`target`, or `text` (made literal).
_SPAN = re.compile(
    r"``(?P<lit>[^`]+?)``"
    r"|:(?P<role>[\w.+-]+(?::[\w.+-]+)?):`(?P<target>[^`]*)`"
    r"|`(?P<code>[^`]+)`"
)
#: Characters docutils accepts around inline markup (simplified, ASCII).
_BEFORE_OK = frozenset(" -:/'\"<([{")
_AFTER_OK = frozenset(" -.,:;!?\\/'\")]}>")
_ROLE_TARGET = re.compile(r"^[~!]?[A-Za-z_][\w.]*(?:\(\))?$")
_SCHEME = re.compile(r"(?<![\w.+-])([A-Za-z][\w.+-]*):(?=\S)")
_REF_END = re.compile(r"(?<=[\w\])])(__?)(?=[\s.,;:!?)\]'\"]|$)")
_TOKEN_COLON = re.compile(r"(?<!\S):")
_DOTS = re.compile(r"(?<!\S)\.\.(?!\S)")
_LONG_ADORNMENT = re.compile(rf"(?<!\S)({_PUNCT})\1{{3,}}(?!\S)")
_INVISIBLE = dict.fromkeys(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F], None
)


def sanitize_text(text: str, *, max_len: int) -> tuple[str, list[str]]:
    """Return *text* as inert reST prose and what was neutralised in it.

    Args:
        text: Untrusted text (a model's answer).
        max_len: Cap in characters (before quoting); longer text is cut on
            a word boundary and ends with an ellipsis.

    Returns:
        ``(clean, neutralised)``: the safe text and one short label per kind
        of markup neutralised, in order of first appearance. Paragraphs are
        separated by one blank line and each is on one line (bullet and
        enumerated items one per line), without indentation.
    """
    found: list[str] = []
    text = _strip_controls(text, found)
    if len(text) > max_len:
        text = _cut(text, max_len)
        _note(found, f"text cut to {max_len} characters")
    blocks = [
        "\n".join(_sanitize_line(line, found) for line in block)
        for paragraph in re.split(r"\n\s*\n", text)
        for block in _blocks(paragraph, found)
    ]
    return "\n\n".join(blocks), found


def sanitize_inline(text: str, *, max_len: int) -> tuple[str, list[str]]:
    """Like :func:`sanitize_text`, with everything joined into one line.

    Used for the summary and for parameter, return and exception texts,
    which styles put after a field name; a leading list marker is quoted.
    """
    clean, found = sanitize_text(text, max_len=max_len)
    clean = " ".join(clean.split())
    # One line that starts like a list item would render as a list.
    return ("\\" + clean if _LIST_ITEM.match(clean) else clean), found


def sanitize_draft(draft: Draft) -> tuple[Draft, list[str]]:
    """Sanitize every text of *draft*; return the copy and what was neutralised."""
    found: list[str] = []

    def clean(text: str, cap: int, *, inline: bool = True) -> str:
        sanitize = sanitize_inline if inline else sanitize_text
        result, labels = sanitize(text, max_len=cap)
        for label in labels:
            _note(found, label)
        return result

    safe = replace(
        draft,
        summary=clean(draft.summary, SUMMARY_MAX),
        description=clean(draft.description, DESCRIPTION_MAX, inline=False),
        params=tuple((name, clean(text, FIELD_MAX)) for name, text in draft.params),
        returns=clean(draft.returns, FIELD_MAX),
        yields=clean(draft.yields, FIELD_MAX),
        raises=tuple((name, clean(text, FIELD_MAX)) for name, text in draft.raises),
    )
    return safe, found


def _note(found: list[str], label: str) -> None:
    if label not in found:
        found.append(label)


def _strip_controls(text: str, found: list[str]) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = "".join(
        ch
        for ch in text.translate(_INVISIBLE)
        if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    )
    if len(kept) != len(text):
        _note(found, "control characters")
    return kept.replace("\t", " ")


def _cut(text: str, max_len: int) -> str:
    head = text[: max(max_len - 1, 0)]
    space = head.rfind(" ")
    if space > max_len // 2:
        head = head[:space]
    return head.rstrip() + "\u2026"


def _blocks(paragraph: str, found: list[str]) -> list[list[str]]:
    """Split a paragraph into blocks: prose joined into one line, list items.

    A line that is not an item continues the item before it (its
    indentation, which reST would need, is gone). Every line is checked for
    block-level markup first, since joining lines is itself part of the cure.
    """
    blocks: list[list[str]] = []
    prose: list[str] = []
    items: list[str] = []
    for raw in paragraph.split("\n"):
        line = " ".join(raw.split())
        if not line:
            continue
        _scan(line, found)
        if _LIST_ITEM.match(line):
            if prose:
                blocks.append([" ".join(prose)])
                prose = []
            items.append(line)
        elif items:
            items[-1] += " " + line
        else:
            prose.append(line)
    if prose:
        blocks.append([" ".join(prose)])
    if items:
        blocks.append(items)
    return blocks


def _scan(line: str, found: list[str]) -> None:
    """Note the block-level markup *line* (one source line) would start."""
    if _EXPLICIT.match(line):
        directive = _DIRECTIVE.match(line)
        if directive:
            _note(found, f"directive '{directive.group(1)}'")
        elif _SUBSTITUTION.match(line):
            _note(found, "substitution definition")
        elif _TARGET.match(line):
            _note(found, "hyperlink target")
        else:
            _note(found, "explicit markup")
    elif _ADORNMENT.match(line):
        _note(found, "section adornment line")
    elif _FIELD_LINE.match(line):
        _note(found, f"field list line ':{line.split(':', 2)[1]}:'")
    elif _NAPOLEON_LINE.match(line):
        _note(found, f"section header '{line[:-1].strip()}'")


def _sanitize_line(line: str, found: list[str]) -> str:
    """Quote *line* (a joined block line) so that it starts no block markup."""
    if _EXPLICIT.match(line):
        return "\\.." + _escape_inline(line[2:], found)
    if _ADORNMENT.match(line):
        return "\\" + line[0] + _escape_plain(line[1:])
    if _NAPOLEON_LINE.match(line):
        return _escape_plain(line[:-1]) + "\\:"
    if _LIST_ITEM.match(line):
        head, _, rest = line.partition(" ")
        return head + " " + _escape_inline(rest, found)
    return _escape_inline(line, found)


def _escape_inline(line: str, found: list[str]) -> str:
    """Quote *line*, keeping allowed roles and inline literals as markup."""
    out: list[str] = []
    position = 0
    for match in _SPAN.finditer(line):
        before = line[match.start() - 1] if match.start() else " "
        after = line[match.end()] if match.end() < len(line) else " "
        if before not in _BEFORE_OK or after not in _AFTER_OK:
            if match.group("role") is not None:
                _note(found, f"role ':{match.group('role')}:'")
            continue
        out.append(_escape_plain(line[position : match.start()], found))
        position = match.end()
        if match.group("role") is not None:
            out.append(_role(match.group("role"), match.group("target"), found))
        else:
            code = (match.group("lit") or match.group("code")).strip()
            out.append(f"``{code}``" if code else "")
    out.append(_escape_plain(line[position:], found))
    return "".join(out)


def _role(role: str, target: str, found: list[str]) -> str:
    if role.removeprefix("py:") in ALLOWED_ROLES:
        target = target.strip()
        if _ROLE_TARGET.match(target):
            return f":{role}:`{target}`"
        return f"``{target}``" if target else ""
    _note(found, f"role ':{role}:'")
    return _escape_plain(f":{role}:`{target}`")


def _escape_plain(text: str, found: list[str] | None = None) -> str:
    """Quote *text* so that docutils shows it verbatim (no inline markup)."""
    if not text:
        return text
    text = text.replace("\\", "\\\\")
    for char in "`*|":
        text = text.replace(char, "\\" + char)
    text = _REF_END.sub(lambda m: "\\_" * len(m.group(1)), text)
    text = _LONG_ADORNMENT.sub(lambda m: "\\" + m.group(0), text)
    text = _DOTS.sub("\\\\..", text)
    text = text.replace("::", ":\\:")
    text = _TOKEN_COLON.sub("\\\\:", text)

    def scheme(match: re.Match[str]) -> str:
        name = match.group(1).lower()
        if name in _SAFE_SCHEMES:
            return match.group(0)
        if found is not None and name in _REPORTED_SCHEMES:
            _note(found, f"URI scheme '{name}:'")
        return match.group(1) + "\\:"

    return _SCHEME.sub(scheme, text)
