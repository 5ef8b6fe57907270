"""One object documented under two names: cross-references pick one.

A library that re-exports a class (``tomlkit.TOMLDocument`` for
``tomlkit.toml_document.TOMLDocument``) and documents both names makes a
short reference to it (``:rtype: TOMLDocument`` in a page about another
module, as generated docstrings write it) ambiguous to Sphinx: "more than
one target found". When every candidate is the same Python object (aidoc
knows where each documented name is defined), the reference is pointed at
one of them before Sphinx resolves it: the candidate named where the
object is defined when that one is documented, else the first. Candidates
that are different objects are left to Sphinx (and its warning).
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinxcontrib_aidoc.sphinxext.domain import aidoc_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Names of builtins: references to them are Sphinx's (or intersphinx's).
_BUILTIN_NAMES = frozenset(dir(builtins)) | {"None"}
#: Cross-reference roles whose targets are documented objects.
_ROLES = frozenset({"class", "exc", "obj", "func", "meth", "data", "attr"})


class PickOneAlias(SphinxPostTransform):
    """Point ambiguous Python references to aliases of one object at one."""

    default_priority = 9  # before Sphinx's ReferencesResolver (10)

    def run(self, **kwargs: Any) -> None:  # noqa: ANN401 (Sphinx's signature)
        """Rewrite the ambiguous references of this doctree."""
        del kwargs
        python = self.env.get_domain("py")
        defined: dict[str, str] | None = None
        seen: dict[tuple[Any, ...], list[tuple[str, Any]]] = {}
        for node in self.document.findall(addnodes.pending_xref):
            target = node.get("reftarget", "")
            if (
                node.get("refdomain") != "py"
                or node.get("reftype") not in _ROLES
                or target in _BUILTIN_NAMES  # ``int``, ``str``: never ours
            ):
                continue
            where = (
                node.get("py:module"),
                node.get("py:class"),
                target,
                node["reftype"],
                1 if node.get("refspecific") else 0,
            )
            if where not in seen:  # a page names the same types many times
                seen[where] = python.find_obj(self.env, *where)  # type: ignore[attr-defined]
            matches = seen[where]
            if len(matches) < 2:
                continue
            if defined is None:
                defined = {
                    name: snapshot.defined_as
                    for name, snapshot in aidoc_domain(self.env).all_objects().items()
                }
            origins = {defined.get(name) for name, _ in matches}
            if len(origins) != 1 or None in origins:
                continue  # different objects: a real ambiguity
            names = [name for name, _ in matches]
            origin = origins.pop()
            node["reftarget"] = origin if origin in names else names[0]
            node["refspecific"] = False


def setup_aliases(app: Sphinx) -> None:
    """Register the post-transform."""
    app.add_post_transform(PickOneAlias)
