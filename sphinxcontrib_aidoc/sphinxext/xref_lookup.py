"""Python cross-references that cannot match anything skip the fuzzy search.

Every ``:type:`` and ``:rtype:`` field (aidoc writes one per parameter of
each drafted object) gives a ``py`` reference marked ``refspecific``. The
Python domain resolves such a reference, when no exact name matches, by
comparing the end of *every* documented name with it ("fuzzy" search): for
``int``, ``str`` or ``None``, which name no project object, that is one pass
over all objects per reference, so the cost of resolving grows with the
square of the project (most of a 5,000-object first build).

Every name the domain could match, exactly or fuzzily, ends with the
reference's last dotted part. A post-transform that runs just before
Sphinx's resolver removes the ``refspecific`` mark from references whose
last part ends no documented name: the domain then tries its exact names
only, which miss just as the fuzzy search would have, and the reference
goes on as before (``missing-reference`` handlers, intersphinx, nitpicky
warnings). References that might match are left alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class SkipHopelessFuzzySearch(SphinxPostTransform):
    """Drop ``refspecific`` from ``py`` references no object can answer."""

    #: Sphinx's ReferencesResolver runs at 10.
    default_priority = 9

    def run(self, **kwargs: Any) -> None:  # noqa: ANN401 (Sphinx's signature)
        """Unmark the hopeless references of this document."""
        del kwargs
        endings: set[str] | None = None
        for node in self.document.findall(addnodes.pending_xref):
            if node.get("refdomain") != "py" or not node.hasattr("refspecific"):
                continue
            if endings is None:
                endings = _endings(self.env.domains["py"].objects)
            target = str(node.get("reftarget", "")).removesuffix("()")
            if target and target.rpartition(".")[2] not in endings:
                del node["refspecific"]


_CACHE: list[tuple[int, int, set[str]]] = []


def _endings(objects: dict[str, Any]) -> set[str]:
    """The last dotted part of every object name of the Python domain.

    Computed once while the objects stay the same (every document written).
    """
    if _CACHE and _CACHE[0][:2] == (id(objects), len(objects)):
        return _CACHE[0][2]
    endings = {name.rpartition(".")[2] for name in objects}
    _CACHE[:] = [(id(objects), len(objects), endings)]
    return endings


def setup_xref_lookup(app: Sphinx) -> None:
    """Register the post-transform."""
    app.add_post_transform(SkipHopelessFuzzySearch)
