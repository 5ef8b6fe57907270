"""aidoc's own engines, imported while the build waits for its analyses.

Once the analyses are back, a first build drafts the objects its pages
show and scores every docstring; the drafting and scoring engines are
imported on first use, 25 modules on the build's path from the analyses'
end to the writing phase. While the build waits for the analysis child
with nothing else to do (after the warm-ups of :mod:`.pycode_cache` and
:mod:`.templates_cache`), :func:`warm_engines` imports them instead.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

#: What a build imports once its analyses are back, scoring first (every
#: build that read a page scores).
ENGINES = (
    "sphinxcontrib_aidoc.quality",
    "sphinxcontrib_aidoc.generate.offline",
    "sphinxcontrib_aidoc.generate.context",
    "sphinxcontrib_aidoc.generate.facts",
    "sphinxcontrib_aidoc.generate.review_answers",
    "sphinxcontrib_aidoc.generate._share",
)


def warm_engines(*, until: Callable[[], bool]) -> int:
    """Import :data:`ENGINES` one at a time, until *until*; how many were imported.

    One that fails to import is left to its first use, which reports it.
    """
    imported = 0
    for name in ENGINES:
        if until():
            break
        if name in sys.modules:
            continue
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        imported += 1
    return imported
