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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx

#: What every HTML build renders, first.
_FIRST = ("page.html", "genindex.html", "search.html", "domainindex.html")


def warm_templates(app: Sphinx, *, until: Callable[[], bool]) -> int:
    """Compile the builder's templates, until *until*; how many were compiled.

    Those every page renders first, following what each one extends,
    includes or imports, then the rest of the theme's (the sidebars are
    named by the configuration). Nothing for a builder without Jinja
    templates. A template that fails to compile is left for the page that
    renders it, which reports it as Sphinx does.
    """
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is None:
        return 0
    from jinja2 import meta  # noqa: PLC0415 (loaded with the HTML builder)

    queue: deque[str] = deque(_FIRST)
    queue.extend(_theme_templates(templates))
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
        # What this one names comes before the rest of the theme's.
        queue.extendleft(reversed([n for n in named if isinstance(n, str)]))
    return compiled


def _theme_templates(templates: Any) -> list[str]:  # noqa: ANN401 (Sphinx's loader)
    """The HTML templates the builder's loaders can find, in their order."""
    names = [
        name
        for loader in getattr(templates, "loaders", ())
        for name in _listed(loader)
        if name.endswith(".html")
    ]
    return list(dict.fromkeys(names))


def _listed(loader: Any) -> list[str]:  # noqa: ANN401 (a Jinja loader)
    """The templates *loader* can find; none if it cannot list them."""
    try:
        return list(loader.list_templates())
    except Exception:  # noqa: BLE001 (a loader that cannot list)
        return []
