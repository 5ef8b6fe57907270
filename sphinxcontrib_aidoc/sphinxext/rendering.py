"""How generated text is written into a Sphinx build.

Inside Sphinx, generated docstrings are Sphinx info field lists
(``:param x:``, ``:type x:``, ``:returns:``, ``:rtype:``, ``:raises X:`` and
a ``:Yields: *type* -- text`` field): plain Sphinx renders them, with or
without napoleon, so aidoc never needs an extension that changes how the
project's own docstrings are read. ``aidoc_style`` decides only the text
written outside Sphinx (``aidoc generate``).

Augment mode adds to a human docstring in its own style only when an
extension loaded by the project reads that style (napoleon for Google and
NumPy, numpydoc for NumPy; our handler runs at priority 400, before theirs,
so they see the added lines); otherwise it adds info fields after the
author's text. What reads which style is resolved once per build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.model import MEMBER_KINDS, mangled
from sphinxcontrib_aidoc.sphinxext.runtime import runtime_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinxcontrib_aidoc.model import Draft, ObjectInfo
    from sphinxcontrib_aidoc.styles import DocstringStyle

#: Extensions that turn a docstring style into info fields, and the config
#: value (if any) that switches that style off.
_READERS: dict[str, tuple[tuple[str, str], ...]] = {
    "sphinx.ext.napoleon": (
        ("google", "napoleon_google_docstring"),
        ("numpy", "napoleon_numpy_docstring"),
    ),
    "sphinxcontrib.napoleon": (
        ("google", "napoleon_google_docstring"),
        ("numpy", "napoleon_numpy_docstring"),
    ),
    "numpydoc": (("numpy", ""),),
}


@dataclass(frozen=True, slots=True)
class Rendering:
    """What one build writes generated text with."""

    #: Renders whole generated docstrings.
    fields: DocstringStyle
    #: Styles of human docstrings that a loaded extension turns into fields.
    read: frozenset[str]


def _rendering(app: Sphinx) -> Rendering:
    """Return this build's rendering (resolved on first use, kept on the runtime)."""
    runtime = runtime_of(app)
    if runtime.rendering is None:
        # The styles load with the first generated text a page shows.
        from sphinxcontrib_aidoc.styles.rest import (  # noqa: PLC0415
            SphinxFieldsStyle,
        )

        runtime.rendering = Rendering(SphinxFieldsStyle(), _styles_read(app))
    return runtime.rendering


def _styles_read(app: Sphinx) -> frozenset[str]:
    """Docstring styles a loaded extension converts to info fields."""
    styles: set[str] = set()
    for extension, readers in _READERS.items():
        if extension not in app.extensions:
            continue
        for style, switch in readers:
            if not switch or switch not in app.config or app.config[switch]:
                styles.add(style)
    return frozenset(styles)


def render_docstring(app: Sphinx, info: ObjectInfo, draft: Draft) -> list[str]:
    """Return the lines of a generated docstring for *info*, as info fields.

    Not indented, no trailing blank line, without the "generated" note.
    """
    return _rendering(app).fields.render(info, draft)


def augment_docstring(
    app: Sphinx, lines: list[str], info: ObjectInfo, draft: Draft
) -> tuple[list[str], list[str]]:
    """Add what the human docstring *lines* lack, in a form this build renders.

    Same contract as :func:`sphinxcontrib_aidoc.styles.augment`: returns the
    new lines (every original line kept, in order) and the labels of what
    was added (empty when nothing was missing).
    """
    from sphinxcontrib_aidoc.styles import augment, detect_style  # noqa: PLC0415

    detected = detect_style(lines)
    if detected is not None and detected in _rendering(app).read:
        return augment(lines, info, draft, detected)
    return augment(lines, info, draft, _rendering(app).fields, follow_detected=False)


_PARAM = re.compile(r"^:param (?P<name>[^\s:]+):(?P<rest>.*)$")
#: An info field naming a parameter: ``:param x:``, ``:param T x:``, ``:type x:``.
_NAMED_FIELD = re.compile(r"^(?P<head>:(?:param|type) (?:[^:]* )?)(?P<name>__\w+):")


def runtime_fields(lines: list[str], info: ObjectInfo) -> list[str]:
    """*lines* with a method's class-private parameters named as autodoc shows them.

    In a class body ``__cmd`` is ``_Context__cmd`` at run time
    (:func:`~sphinxcontrib_aidoc.model.mangled`), in the signature autodoc
    shows and the type hints it adds to descriptions; a field naming
    ``__cmd`` would be a second, untyped entry for the same parameter.
    """
    parts = info.qualname.split(".")
    if info.kind not in MEMBER_KINDS or len(parts) < 2:
        return lines
    owner = parts[-2]

    def rename(match: re.Match[str]) -> str:
        return f"{match['head']}{mangled(match['name'], owner)}:"

    return [_NAMED_FIELD.sub(rename, line, count=1) for line in lines]


#: A type Sphinx reads the same from ``:param T x:`` as from ``:type x: T``:
#: no colon (it would end the field name) and no character that starts
#: inline markup, so both give one text node, linked the same way.
_PLAIN_TYPE = re.compile(r"^(?:[\w.\[\], '\"-]| \| )+$")


def sphinx_lines(lines: list[str], *, spaced_types: bool = True) -> list[str]:
    """*lines* of a generated docstring as given to Sphinx: fewer fields to parse.

    ``:param x: text`` (with its continuation lines) followed by ``:type x:
    T`` becomes ``:param T x: text``, which Sphinx renders identically (one
    parameter entry, its type linked the same way) with one field, and so
    one nested parse, less per typed parameter. Types that could read
    differently (a colon, inline markup, a trailing underscore) keep both
    fields, and so do types with a space unless *spaced_types*: autodoc's
    ``autodoc_typehints = "description"`` reads the parameter's name as
    everything after the field name's second word (``:param str | None
    x:`` names ``| None x``), and adds the parameter again
    (:func:`spaced_types_read`). The docstring aidoc records, scores and
    shows in the changelog is *lines* itself.
    """
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        match = _PARAM.match(line)
        end = index + 1
        while match is not None and end < len(lines) and lines[end][:1] == " ":
            end += 1  # the description's continuation lines
        if match is not None and end < len(lines):
            name = match["name"]
            prefix = f":type {name}: "
            type_ = lines[end][len(prefix) :].strip()
            if (
                lines[end].startswith(prefix)
                and _PLAIN_TYPE.match(type_)
                and not re.search(r"_(?!\w)", type_)
                and (spaced_types or " " not in type_)
            ):
                out.append(f":param {type_} {name}:{match['rest']}")
                out.extend(lines[index + 1 : end])
                index = end + 1
                continue
        out.append(line)
        index += 1
    return out


def spaced_types_read(app: Sphinx) -> bool:
    """Whether ``:param T x:`` with a space in ``T`` reads as Sphinx renders it.

    Not when autodoc adds type hints to descriptions, which splits the field
    name at every space (see :func:`sphinx_lines`).
    """
    return str(app.config.autodoc_typehints) not in ("description", "both")
