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

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.sphinxext.runtime import runtime_of
from sphinxcontrib_aidoc.styles import augment, detect_style
from sphinxcontrib_aidoc.styles.rest import SphinxFieldsStyle

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
    detected = detect_style(lines)
    if detected is not None and detected in _rendering(app).read:
        return augment(lines, info, draft, detected)
    return augment(lines, info, draft, _rendering(app).fields, follow_detected=False)
