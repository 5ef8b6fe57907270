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
``bytes`` value instead of the nodes. Most are packed as soon as the
document is parsed (:class:`PackInert`), so that the twenty-odd transforms
that walk every node of a document while it is read (references, ids,
``doctree-read``...) do not walk them: a list made only of fields,
paragraphs, lists, emphasis, literals and cross-references, in an English
document, is one those transforms leave alone. What reading would still
do to it is done there: smart quotes (Sphinx's own transform, on the list
alone) and the unwrapping of the inlines Sphinx wraps field text in for
translation. Before anything resolves references
at writing time, the :class:`UnpackFields` post-transform puts the field
list back as it was read, so reference resolution, the writers, the search
index and every ``doctree-resolved`` handler see the same nodes as without
packing, and the page is the same.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from docutils.utils import smartquotes
from sphinx import addnodes
from sphinx.builders.gettext import MessageCatalogBuilder
from sphinx.transforms import SphinxSmartQuotes, SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.nodes import is_smartquotable

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
        for content, fields in _generated_fields(self.document):
            content.replace(fields, _pack(fields))


class PackInert(SphinxTransform):
    """Pack, right after parsing, the generated field lists no transform changes."""

    #: After Sphinx's source-position workaround and translatable-message
    #: marking (10), before translation (20) and every other transform.
    default_priority = 11

    def apply(self, **kwargs: Any) -> None:  # noqa: ANN401 (docutils' signature)
        """Pack the inert field lists of generated entries in place."""
        del kwargs
        if self.config.language not in (None, "en"):
            return  # a translated document: its text may be replaced
        # What Sphinx's own RemoveTranslatableInline reads: the message
        # catalog builder keeps the translatable inlines it would unwrap.
        if issubclass(_builder_class(self), MessageCatalogBuilder):
            return
        inert = [
            (content, fields)
            for content, fields in _generated_fields(self.document)
            if _inert(fields)
        ]
        if not inert:
            return
        _as_read(self.document, [fields for _, fields in inert])
        for content, fields in inert:
            content.replace(fields, _pack(fields))


def _builder_class(transform: SphinxTransform) -> type:
    """The class of the builder reading (Sphinx 9 keeps it on the environment)."""
    found = getattr(transform.env, "_builder_cls", None)
    return found if isinstance(found, type) else type(transform.app.builder)


class _Subtrees:
    """A document as smart quotes walk it, narrowed to some of its subtrees."""

    def __init__(self, document: nodes.document, subtrees: list[nodes.Element]) -> None:
        self.settings = document.settings
        self.reporter = document.reporter
        self._subtrees = subtrees

    def findall(self, condition: type[nodes.Node]) -> Iterator[nodes.Node]:
        for subtree in self._subtrees:
            yield from subtree.findall(condition)


def _as_read(document: nodes.document, lists: list[nodes.field_list]) -> None:
    """Do to inert lists what reading would: smart quotes, unwrapped inlines.

    Sphinx's own smart quotes transform educates the lists, with the
    document's settings, as if the document held nothing else (it works
    text block by text block, so the result is the same), and only the
    blocks it could change (field separators educated here); each translatable
    inline Sphinx wrapped a field's text in is then unwrapped, its children
    appended to its parent, as ``RemoveTranslatableInline`` does.
    """
    quotes = SphinxSmartQuotes(
        cast("nodes.document", _Subtrees(document, list(lists))), None
    )
    if quotes.is_available():
        _educate_separators(lists, quotes.config.smartquotes_action)
        blocks = _blocks_to_educate(lists)
        if blocks:
            narrowed = cast("nodes.document", _Subtrees(document, blocks))
            SphinxSmartQuotes(narrowed, None).apply()
    for fields in lists:
        for inline in list(fields.findall(_is_translatable)):
            parent = inline.parent
            parent.remove(inline)
            parent.extend(inline.children)


#: What smart quotes may change: quotes (and backticks), dashes (``--``),
#: ellipses (``...``), backslash-escaped characters (``\x00``).
_EDUCATED = re.compile(r"['\"`\x00]|--|\.\.\.")
#: The separator Sphinx's doc fields put between a name and its text.
_SEPARATOR = " -- "


def _educate_separators(lists: list[nodes.field_list], action: str) -> None:
    """Replace each field's ``" -- "`` separator by what smart quotes make of it.

    Sphinx writes the separator as a text node of its own; smart quotes
    turn it into a dash whatever surrounds it (dashes need no context, and
    the node ends with the same space either way, the one character the
    next node's quotes read). Done here once per list instead of by the
    transform, a list whose only dashes are separators needs no pass.
    """
    educated = "".join(smartquotes.educate_tokens([("plain", _SEPARATOR)], attr=action))
    if educated == _SEPARATOR:
        return
    for fields in lists:
        for text in list(fields.findall(nodes.Text)):
            if str(text) == _SEPARATOR and is_smartquotable(text):
                text.parent.replace(text, nodes.Text(educated))


def _blocks_to_educate(lists: list[nodes.field_list]) -> list[nodes.Element]:
    """The text blocks of *lists* smart quotes could change.

    Smart quotes educate block by block (a ``TextElement`` whose parent is
    not one), the text nodes of a block together; a block without a
    quote, ``--`` or ``...`` in any of its text nodes stays as it is. Only
    outermost blocks are given: the transform finds the blocks inside
    them (a literal inside a cross-reference) itself.
    """
    return [
        block
        for fields in lists
        for block in _outermost_blocks(fields)
        if any(_EDUCATED.search(text) for text in block.findall(nodes.Text))
    ]


def _outermost_blocks(node: nodes.Element) -> Iterator[nodes.TextElement]:
    for child in node.children:
        if isinstance(child, nodes.TextElement):
            yield child
        elif isinstance(child, nodes.Element):
            yield from _outermost_blocks(child)


def _is_translatable(node: nodes.Node) -> bool:
    """A field's text as Sphinx wraps it for translation (a bare inline)."""
    return (
        type(node) is nodes.inline
        and "translatable" in node
        and not node["classes"]
        and not node["ids"]
    )


#: The nodes of a generated field list that reading transforms pass over.
_INERT_NODES = (
    nodes.field_list,
    nodes.field,
    nodes.field_name,
    nodes.field_body,
    nodes.paragraph,
    nodes.bullet_list,
    nodes.list_item,
    nodes.strong,
    nodes.emphasis,
    nodes.literal,
    nodes.Text,
    addnodes.pending_xref,
    addnodes.literal_strong,
    addnodes.literal_emphasis,
)


def _inert(fields: nodes.field_list) -> bool:
    """Whether reading transforms other than smart quotes leave *fields* alone."""
    return all(
        type(node) in _INERT_NODES or _is_translatable(node)
        for node in fields.findall()
    )


def _generated_fields(
    document: nodes.document,
) -> list[tuple[addnodes.desc_content, nodes.field_list]]:
    """The field lists of every entry that carries aidoc's generated note."""
    found: list[tuple[addnodes.desc_content, nodes.field_list]] = []
    for note in document.findall(AidocGeneratedNote):
        content = note.parent
        if isinstance(content, addnodes.desc_content):
            found.extend(
                (content, child)
                for child in content.children
                if isinstance(child, nodes.field_list)
            )
    return found


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
    app.add_transform(PackInert)
    app.add_transform(PackFields)
    app.add_post_transform(UnpackFields)
