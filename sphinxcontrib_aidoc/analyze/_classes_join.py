"""A union of project classes, written as the class they all derive from.

``DottedKey | SingleKey`` where both derive from ``Key`` is documented as
``Key``: every value is an instance of it, and it is the type the project
names for the role (what its authors write in annotations). A member that
derives from another member adds nothing (``Command | Group`` is
``Command``). Only unions whose members (``None`` aside) are all project
classes are joined, and only into a public project class (its name without
a leading underscore: a private base is no name to document) that is the
one nearest common ancestor of them all (two equally near ones: left as
it is).
"""

from __future__ import annotations

from sphinxcontrib_aidoc.analyze._index import ProjectIndex
from sphinxcontrib_aidoc.analyze._stubs import stub_ancestors
from sphinxcontrib_aidoc.analyze._type_rules import class_type, join_types, split_union


def common_base(index: ProjectIndex, text: str) -> str:
    """*text* with its project classes joined into their nearest common base.

    Class objects of project classes (``type[~A] | type[~B]``) join the
    same way, into ``type[~Base]``.
    """
    members = split_union(text)
    absorbed = _absorbed(members)
    if absorbed != members:
        text, members = join_types(absorbed), absorbed
    objects = [m[5:-1] for m in members if m.startswith("type[~") and m[-1] == "]"]
    if len(objects) > 1 and len(objects) == len([m for m in members if m != "None"]):
        joined = split_union(common_base(index, join_types(objects)))
        if len(joined) == 1:
            rest = ["None"] if "None" in members else []
            return join_types([f"type[{joined[0]}]", *rest])
        return text
    classes = [m[1:] for m in members if m.startswith("~")]
    others = [m for m in members if not m.startswith("~")]
    if len(classes) < 2 or any(o != "None" for o in others):
        return text
    if any(c not in index.defs for c in classes):
        return text
    lines = [_ancestry(index, c) for c in classes]
    common = set(lines[0]).intersection(*lines[1:])
    if not common:
        return text
    nearest = [
        c for c in common if not any(c in _ancestry(index, o)[1:] for o in common)
    ]
    if len(nearest) != 1 or nearest[0].rpartition(".")[2].startswith("_"):
        return text
    return join_types([class_type(nearest[0]), *others])


def _absorbed(members: list[str]) -> list[str]:
    """*members* without the standard-library classes another member is a base of.

    Only a base from ``typing`` (``BinaryIO``, ``TextIO``, ``IO``: an
    abstract type), however its module is written (``t.BinaryIO``):
    ``BinaryIO | io.BytesIO`` is a ``BinaryIO``.
    Two concrete classes (``datetime.datetime | datetime.date``) stay as
    written.
    """
    last = {m: m.rpartition(".")[2] for m in members if m[:1] != "~"}
    return [
        m
        for m in members
        if not (
            "." in m
            and m in last
            and any(n != m and last[n] in stub_ancestors(m) for n in last)
        )
    ]


def _ancestry(index: ProjectIndex, cls: str) -> list[str]:
    """*cls* and its project ancestors (nearest first)."""
    found = [cls]
    queue = list(index.bases.get(cls, ()))
    while queue:
        current = queue.pop(0)
        if current not in found:
            found.append(current)
            queue.extend(index.bases.get(current, ()))
    return found
