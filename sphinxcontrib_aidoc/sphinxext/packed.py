"""Generated field lists kept packed between reading and writing.

Sphinx keeps every document's doctree in memory from the moment it is read
until its page is written (``env._write_doc_doctree_cache``), and pickles
it to disk for later rebuilds. The field lists of a generated docstring
(parameters and their types, return type, raised exceptions) are most of
what aidoc adds to a doctree: about twenty nodes per object, each a Python
object with its own attribute dictionary and child list.

Once a document is read (the :class:`PackFields` transform, the last one:
after ``doctree-read`` and Sphinx's own last transforms, which filter system
messages and unwrap translatable inlines), each field list of an entry
that carries aidoc's generated note is replaced by one
:class:`AidocPackedFields` node holding the list pickled: a single
``bytes`` value instead of the nodes. Before anything resolves references
at writing time, the :class:`UnpackFields` post-transform puts the field
list back as it was read, so reference resolution, the writers, the search
index and every ``doctree-resolved`` handler see the same nodes as without
packing, and the page is the same.
"""

from __future__ import annotations

import pickle
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinxcontrib_aidoc.sphinxext.marker import AidocGeneratedNote

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class AidocPackedFields(nodes.General, nodes.Element):
    """A generated entry's field list, pickled (``fields``: bytes)."""


class PackFields(SphinxTransform):
    """Replace the field lists of generated entries with packed nodes."""

    #: Docutils sorts transforms by this number, then by the order they
    #: were added: at 999, after Sphinx's own (added before any extension's).
    default_priority = 999

    def apply(self, **kwargs: Any) -> None:  # noqa: ANN401 (docutils' signature)
        """Pack every generated entry's field lists in place."""
        del kwargs
        for note in list(self.document.findall(AidocGeneratedNote)):
            content = note.parent
            if not isinstance(content, addnodes.desc_content):
                continue
            for child in list(content.children):
                if isinstance(child, nodes.field_list):
                    content.replace(child, _pack(child))


def _pack(fields: nodes.field_list) -> AidocPackedFields:
    fields.parent = None
    for node in fields.findall():
        node.__dict__.pop("_document", None)  # the tree is pickled alone
    packed = AidocPackedFields(fields=pickle.dumps(fields, pickle.HIGHEST_PROTOCOL))
    packed.source, packed.line = fields.source, fields.line
    return packed


class UnpackFields(SphinxPostTransform):
    """Put packed field lists back before references are resolved."""

    #: Before ``ReferencesResolver`` (10), so their references resolve.
    default_priority = 5

    def run(self, **kwargs: Any) -> None:  # noqa: ANN401 (Sphinx's signature)
        """Unpickle every packed field list of the document in place."""
        del kwargs
        for packed in list(self.document.findall(AidocPackedFields)):
            packed.replace_self(pickle.loads(packed["fields"]))  # noqa: S301 (our own doctree)


def setup_packed(app: Sphinx) -> None:
    """Pack once a document is read; unpack before resolving references."""
    app.add_node(AidocPackedFields)
    app.add_transform(PackFields)
    app.add_post_transform(UnpackFields)
