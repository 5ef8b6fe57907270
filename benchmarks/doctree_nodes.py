"""Count the doctree nodes of a built project, and what aidoc added, by origin.

Reads the pickled doctrees of an HTML build (``OUTDIR/.doctrees``): the
trees Sphinx keeps between reading and writing. For each object entry
carrying aidoc's generated note, the nodes of its field lists (by field
title; type and exception cross-references apart), its prose paragraphs,
and aidoc's own nodes (placeholders, notes, packed field lists).

Usage::

    python benchmarks/doctree_nodes.py OUTDIR [OUTDIR ...]
"""

from __future__ import annotations

import collections
import pickle
import sys
from pathlib import Path

from docutils import nodes
from sphinx import addnodes


def _size(node: nodes.Node) -> int:
    return sum(1 for _ in node.findall())


def count(outdir: Path) -> tuple[int, int, collections.Counter[str]]:
    """Pages, nodes, and aidoc's nodes by origin of one build."""
    total = pages = 0
    origin: collections.Counter[str] = collections.Counter()
    for path in sorted((outdir / ".doctrees").rglob("*.doctree")):
        doctree = pickle.loads(path.read_bytes())
        pages += 1
        total += _size(doctree)
        for content in doctree.findall(addnodes.desc_content):
            children = content.children
            generated = any(type(c).__name__ == "AidocGeneratedNote" for c in children)
            for child in children:
                name = type(child).__name__
                if name.startswith("Aidoc"):
                    origin[name] += _size(child)
                elif generated and isinstance(child, nodes.field_list):
                    for field in child.findall(nodes.field, include_self=False):
                        title = field.next_node(nodes.field_name)
                        label = title.astext() if title is not None else "?"
                        origin[f"field {label}"] += _size(field)
                        origin["  of which xrefs in fields"] += sum(
                            _size(x) for x in field.findall(addnodes.pending_xref)
                        )
                elif generated and isinstance(child, nodes.paragraph):
                    origin["generated prose"] += _size(child)
    return pages, total, origin


def main(argv: list[str]) -> int:
    """Print the counts of each build directory given."""
    for arg in argv:
        pages, total, origin = count(Path(arg))
        print(f"{arg}: {pages} pages, {total} nodes, {total / max(pages, 1):.0f}/page")
        for name, value in origin.most_common():
            print(f"  {value:8d} {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
