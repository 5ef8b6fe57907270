"""AidocDomain: per-document records of what aidoc documented.

The domain's data pickles with the environment and is merged back from
``-j N`` readers, so the build snapshot at ``env-updated`` sees every
document, read in this build or kept from an earlier one.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any, ClassVar

from sphinx.domains import Domain

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from sphinxcontrib_aidoc.analyze._deps import Parsed
    from sphinxcontrib_aidoc.model import ObjectSnapshot


class AidocDomain(Domain):
    """Holds ObjectSnapshots by docname (no directives or roles of its own)."""

    name = "aidoc"
    label = "aidoc"
    initial_data: ClassVar[dict[str, Any]] = {
        "objects": {},
        "dynamic": {},
        "fingerprints": {},
        "recorded": None,
        "imports": {},
        "calls": {},
    }
    #: :meth:`all_objects`, merged once until the records change.
    _merged: tuple[object, dict[str, ObjectSnapshot]] | None = None

    @property
    def objects(self) -> dict[str, dict[str, ObjectSnapshot]]:
        """``{docname: {qualname: snapshot}}``."""
        objects: dict[str, dict[str, ObjectSnapshot]] = self.data.setdefault(
            "objects", {}
        )
        return objects

    @property
    def dynamic(self) -> dict[str, set[str]]:
        """``{docname: {directive names}}`` of pages built from live data."""
        dynamic: dict[str, set[str]] = self.data.setdefault("dynamic", {})
        return dynamic

    @property
    def fingerprints(self) -> dict[str, dict[str, str]]:
        """``{docname: {directive: fingerprint}}`` of what live data showed.

        A page whose fingerprint is unchanged is not written again in a
        rebuild (see ``sphinxext.pages.outdated_pages``).
        """
        prints: dict[str, dict[str, str]] = self.data.setdefault("fingerprints", {})
        return prints

    @property
    def recorded(self) -> tuple[int, str] | None:
        """The stored snapshot the records were last written to, or None.

        ``(owner build id, its start time)``: a rebuild that reads no
        document points its build at that snapshot instead of writing and
        comparing every object again (``Store.repeat_snapshot``).
        """
        recorded: tuple[int, str] | None = self.data.get("recorded")
        return recorded

    @recorded.setter
    def recorded(self, stamp: tuple[int, str] | None) -> None:
        self.data["recorded"] = stamp

    @property
    def recorded_objects(self) -> dict[str, ObjectSnapshot]:
        """``{qualname: snapshot}`` as stored under :attr:`recorded`.

        The same snapshot objects as :attr:`objects` (pickled once), so a
        rebuild stores only the objects that differ
        (``Store.record_delta``).
        """
        recorded: dict[str, ObjectSnapshot] = self.data.setdefault(
            "recorded_objects", {}
        )
        return recorded

    @recorded_objects.setter
    def recorded_objects(self, objects: dict[str, ObjectSnapshot]) -> None:
        self.data["recorded_objects"] = objects

    @property
    def imports(self) -> Parsed:
        """``{file: (content digest, imported names)}``: the import graph's parse.

        Kept so that a rebuild parses only the files that changed to know
        what each module imports (``analyze._deps.ImportGraph.scan``).
        """
        imports: Parsed = self.data.setdefault("imports", {})
        return imports

    @property
    def calls(self) -> dict[str, tuple[str, dict[str, tuple[str, ...]]]]:
        """``{module: (analysis fingerprint, {qualname: calls})}``.

        What each analysed object calls, kept under the fingerprint of what
        its module's analysis depends on, so the call graph of a rebuild
        loads only the analyses of modules that changed (``calls.calls_of``).
        """
        calls: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = self.data.setdefault(
            "calls", {}
        )
        return calls

    def note_dynamic(self, docname: str, directive: str) -> None:
        """Record that *docname* shows data (quality, changelog) of the build.

        Such pages are rewritten on every build, so they never go stale.
        """
        self.dynamic.setdefault(docname, set()).add(directive)

    def note_object(self, docname: str, snapshot: ObjectSnapshot) -> None:
        """Record that *docname* documents *snapshot* (last one wins)."""
        self.objects.setdefault(docname, {})[snapshot.qualname] = snapshot
        self._merged = None

    def seen(self, docname: str, qualname: str) -> ObjectSnapshot | None:
        """Return what *docname* already recorded for *qualname*."""
        return self.objects.get(docname, {}).get(qualname)

    def all_objects(self) -> dict[str, ObjectSnapshot]:
        """Every documented object, by qualname (first docname in order wins).

        Merged once until a record changes (the result is shared: do not
        modify it).
        """
        objects = self.objects
        if self._merged is not None and self._merged[0] is objects:
            return self._merged[1]
        merged: dict[str, ObjectSnapshot] = {}
        for docname in sorted(objects):
            for qualname, snapshot in objects[docname].items():
                merged.setdefault(qualname, snapshot)
        result = dict(sorted(merged.items()))
        self._merged = (objects, result)
        return result

    def clear_doc(self, docname: str) -> None:
        """Forget *docname* (it is being re-read or was removed)."""
        self.objects.pop(docname, None)
        self._merged = None
        self.dynamic.pop(docname, None)
        self.fingerprints.pop(docname, None)

    def merge_domaindata(
        self, docnames: AbstractSet[str], otherdata: dict[str, Any]
    ) -> None:
        """Take the records of *docnames* from a parallel reader."""
        other: dict[str, dict[str, ObjectSnapshot]] = otherdata.get("objects", {})
        other_dynamic: dict[str, set[str]] = otherdata.get("dynamic", {})
        self._merged = None
        for docname in docnames:
            if docname in other:
                self.objects[docname] = other[docname]
            if docname in other_dynamic:
                self.dynamic[docname] = other_dynamic[docname]

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list[Any]:  # noqa: ANN401
        """Aidoc defines no cross-reference roles."""
        del args, kwargs
        return []


def aidoc_domain(env: BuildEnvironment) -> AidocDomain:
    """Return the build's :class:`AidocDomain` (the one way to reach it)."""
    domain = env.domains["aidoc"]
    assert isinstance(domain, AidocDomain)
    return domain
