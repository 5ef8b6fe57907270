"""The HTML theme's templates, compiled while the build waits for its analyses.

Jinja compiles each template the first time a page renders it (``page.html``
and the layouts it extends, the sidebars, ``genindex.html``...): on a first
build that is a tenth of a second or more of the writing phase, in the
build's process. While a serial build waits for the analysis child at its
first API page (:mod:`~.preread`), :func:`warm_templates` compiles them
into the builder's own Jinja environment, whose cache the writing phase
then reads: the same templates, compiled once.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx

#: What every HTML build renders, first.
_FIRST = ("page.html", "genindex.html", "search.html", "domainindex.html")


def warm_templates(app: Sphinx, *, until: Callable[[], bool]) -> int:
    """Compile the builder's templates, until *until*; how many were compiled.

    Those every page renders (``page.html``, the index pages, the
    sidebars the theme and ``html_sidebars`` name), each followed by what
    it extends, includes or imports (by a constant name). Nothing for a
    builder without Jinja templates. A template that fails to compile is
    left for the page that renders it, which reports it as Sphinx does.
    """
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is None:
        return 0
    from jinja2 import meta  # noqa: PLC0415 (loaded with the HTML builder)

    queue: deque[str] = deque([*_FIRST, *_sidebars(app)])
    seen: set[str] = set()
    compiled = 0
    while queue and not until():
        name = queue.popleft()
        if name in seen:
            continue
        seen.add(name)
        try:
            environment.get_template(name)
            source = environment.loader.get_source(environment, name)[0]
            named = meta.find_referenced_templates(environment.parse(source))
        except Exception:  # noqa: BLE001, S112 (the page that renders it says so)
            continue
        compiled += 1
        # What this one names comes next (depth first).
        queue.extendleft(reversed([n for n in named if isinstance(n, str)]))
    return compiled


def _sidebars(app: Sphinx) -> list[str]:
    """The sidebar templates pages render: the theme's, then ``html_sidebars``'."""
    names = list(getattr(getattr(app.builder, "theme", None), "sidebar_templates", ()))
    configured = getattr(app.config, "html_sidebars", None) or {}
    for value in configured.values():
        names.extend(value if isinstance(value, (list, tuple)) else [value])
    return [name for name in dict.fromkeys(names) if isinstance(name, str)]
