"""The Pygments lexers the pages will be highlighted with, prepared while the build waits.

Pygments compiles a lexer class's regular expressions the first time the
class is instantiated, once per process: Python's (about 85 of them) cost
0.08 s at the writing phase's first code block, and the console lexer that
doctest blocks use, the traceback lexer and any other language a page names
add theirs. While a serial build waits for the analysis child with nothing
else to do (:mod:`.preread`, after the other warm-ups), :func:`warm_lexers`
instantiates each lexer class the writer will use for the blocks of the
pages read so far, chosen as Sphinx's highlighter chooses them; the writer's
own instances then find their classes compiled. A language Pygments does
not know is left to the writer, which warns about it where the block is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx

#: What Sphinx's highlighter reads as Python (a session when it starts so).
_PYTHON = frozenset({"py", "python", "py3", "python3", "default"})


def warm_lexers(app: Sphinx, *, until: Callable[[], bool]) -> int:
    """Instantiate the lexers of the read pages' code blocks, until *until*.

    Returns how many lexer classes were instantiated. Nothing for a
    builder that does not highlight with Pygments.
    """
    if getattr(app.builder, "highlighter", None) is None:
        return 0
    from sphinx.highlighting import lexer_classes, lexers  # noqa: PLC0415

    warmed = 0
    for language in highlighted_languages(app, until=until):
        if until():
            break
        if language in lexers or language in {"guess", "none"}:
            continue  # (ready, chosen from each block's text, or plain text)
        try:
            make = lexer_classes.get(language) or _lexer_class(language)
            if make is None:
                continue
            make()
        except Exception:  # noqa: BLE001, S112 (the writer meets it and says so)
            continue
        warmed += 1
    return warmed


def highlighted_languages(app: Sphinx, *, until: Callable[[], bool]) -> list[str]:
    """The languages the writer will highlight the read pages' blocks in, in order.

    As Sphinx's HTML writer and highlighter decide: each literal or doctest
    block's ``language`` (``default`` when unset), read as ``pycon`` when a
    Python block starts with ``>>>`` and as ``python`` otherwise; blocks
    whose text is not their source (``parsed-literal``) are not highlighted.
    Only the pages kept in memory since they were read are looked at.
    """
    doctrees = getattr(app.env, "_write_doc_doctree_cache", None) or {}
    found: dict[str, None] = {}
    for doctree in list(doctrees.values()):
        if until():
            break
        # (Walking for the common base class is docutils' fast path: half
        # the time of a test function over 189,000 nodes.)
        for block in doctree.findall(nodes.FixedTextElement):
            if not _highlighted(block):
                continue
            language = str(block.get("language", "default"))
            if language in _PYTHON:
                language = "pycon" if block.rawsource.startswith(">>>") else "python"
            elif language == "pycon3":
                language = "pycon"
            found.setdefault(language, None)
    return list(found)


def _highlighted(node: nodes.Element) -> bool:
    """A literal or doctest block whose text is its source (not parsed-literal)."""
    return (
        isinstance(node, (nodes.literal_block, nodes.doctest_block))
        and node.rawsource == node.astext()
    )


def _lexer_class(language: str) -> Callable[[], object] | None:
    """The Pygments lexer class named *language*, or None if there is none."""
    # (Pygments ships no type hints; Sphinx's highlighter imports it.)
    from pygments.lexers import find_lexer_class_by_name  # type: ignore[import-untyped]  # noqa: PLC0415
    from pygments.util import ClassNotFound  # type: ignore[import-untyped]  # noqa: PLC0415

    try:
        found: Callable[[], object] = find_lexer_class_by_name(language)
    except ClassNotFound:
        return None
    return found
