"""Compare a documented type with the code's type, conservatively.

Both sides are normalised to a set of union members: ``Optional[int]``,
``Union[int, None]``, ``int | None`` and ``int or None`` are all
``{int, None}``; ``List[str]`` is ``list[str]``; ``typing.``, roles
(``:class:`~pkg.Item```) and module paths are dropped; ``, optional`` is
ignored. A documented type *contradicts* the code only when it can be read,
no member of one side is compatible with a member of the other (``None``
aside), and one side names only builtin types: ``int`` against ``str``
does, ``Shape`` against ``Circle`` does not (a base class is a fine thing to
document). Anything unreadable is "unknown" and never a finding.
"""

from __future__ import annotations

import re

#: typing aliases of builtins (and the names docstrings use for them).
_ALIASES: dict[str, str] = {
    "List": "list",
    "Dict": "dict",
    "Set": "set",
    "FrozenSet": "frozenset",
    "Tuple": "tuple",
    "Type": "type",
    "Text": "str",
    "NoneType": "None",
    "none": "None",
    "string": "str",
    "integer": "int",
    "boolean": "bool",
    "dictionary": "dict",
    "DefaultDict": "defaultdict",
    "Deque": "deque",
}
#: Concrete builtins: a side made only of these can contradict the other.
_BUILTINS = frozenset(
    {"int", "float", "complex", "bool", "str", "bytes", "bytearray"}
    | {"list", "dict", "set", "frozenset", "tuple", "None"}
)
#: Names compatible with anything (protocols, ABCs, escape hatches).
_OPEN = frozenset(
    {"Any", "object", "Callable", "Iterable", "Iterator", "Collection"}
    | {"Sequence", "MutableSequence", "Mapping", "MutableMapping", "AbstractSet"}
    | {"MutableSet", "Container", "Generator", "AsyncIterator", "AsyncIterable"}
    | {"AsyncGenerator", "Awaitable", "Coroutine", "Hashable", "Sized"}
    | {"Reversible", "TypeVar", "Self", "Protocol", "Literal", "Annotated"}
    | {"ClassVar", "Final", "T", "KT", "VT", "AnyStr", "Pattern", "Match"}
    | {"SupportsInt", "SupportsFloat", "SupportsIndex", "Buffer", "ByteString"}
    | {"number", "numeric", "array", "path", "file", "callable", "iterable"}
)
#: The numeric tower: a value of the key type is acceptable as any listed type.
_WIDER: dict[str, frozenset[str]] = {
    "bool": frozenset({"int", "float", "complex"}),
    "int": frozenset({"float", "complex"}),
    "float": frozenset({"complex"}),
}
_ROLE = re.compile(r":[\w:.+-]+:`~?([^`<]*?)(?:\s*<[^>]*>)?`")
_PREFIX = re.compile(r"\b(?:typing_extensions|typing|t|collections\.abc|abc)\.")
_OPTIONAL_TAIL = re.compile(
    r"(?:,\s*|\s+)\(?(?:optional|defaults?)\b.*$", re.IGNORECASE
)
_MEMBER = re.compile(r"^~?[A-Za-z_][\w.]*(\[.*\])?$")

Member = tuple[str, tuple["Member", ...] | None]


def normalise(text: str) -> frozenset[Member] | None:
    """Return the union members of type *text*, or None when unreadable.

    Each member is ``(base name, parameters or None)``; base names lose
    their module path (``os.PathLike`` is ``PathLike``).
    """
    text = _ROLE.sub(r"\1", text or "").replace("`", "").strip()
    text = _OPTIONAL_TAIL.sub("", text).strip()
    text = _PREFIX.sub("", text)
    if not text:
        return None
    members: set[Member] = set()
    for part in _split(text, ("|", " or ")):
        member = _member(part)
        if member is None:
            return None
        if member[0] == "Optional" and member[1] and len(member[1]) == 1:
            members.update({member[1][0], ("None", None)})
        elif member[0] == "Union" and member[1]:
            members.update(member[1])
        else:
            members.add(member)
    return frozenset(members)


def contradicts(documented: str, code: str | None) -> bool:
    """Whether *documented* type cannot describe the code's type *code*."""
    if not code:
        return False
    doc = normalise(documented)
    actual = normalise(code)
    if doc is None or actual is None:
        return False
    none: Member = ("None", None)
    doc_some, code_some = doc - {none}, actual - {none}
    if not doc_some or not code_some:
        return False
    if any(_compatible(d, c) for d in doc_some for c in code_some):
        return False
    return all(m[0] in _BUILTINS for m in doc_some) or all(
        m[0] in _BUILTINS for m in code_some
    )


def _compatible(doc: Member, code: Member) -> bool:
    (d_base, d_args), (c_base, c_args) = doc, code
    if d_base in _OPEN or c_base in _OPEN:
        return True
    if d_base != c_base and d_base not in _WIDER.get(c_base, frozenset()):
        return False
    if d_args is None or c_args is None or len(d_args) != len(c_args):
        return True
    return all(_compatible(d, c) for d, c in zip(d_args, c_args, strict=True))


def _member(text: str) -> Member | None:
    """Parse ``Name`` or ``Name[args]``; None when it is not a type expression."""
    text = text.strip()
    if text in ("...", "None"):
        return (text, None)
    if not _MEMBER.match(text):
        return None
    name, _, rest = text.partition("[")
    base = name.lstrip("~").rpartition(".")[2]
    base = _ALIASES.get(base, base)
    if not rest:
        return (base, None)
    inner = rest[:-1]
    args: list[Member] = []
    for part in _split(inner, (",",)):
        if part.startswith("["):  # Callable[[int], str]
            args.append(("...", None))
            continue
        union = normalise(part)
        if union is None:
            return None
        # A union argument compares by its single member, else stays open.
        args.append(next(iter(union)) if len(union) == 1 else ("Any", None))
    return (base, tuple(args))


def _split(text: str, separators: tuple[str, ...]) -> list[str]:
    """Split *text* at top-level *separators* (outside brackets)."""
    parts: list[str] = []
    depth = 0
    start = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif depth == 0:
            sep = next((s for s in separators if text.startswith(s, index)), None)
            if sep is not None:
                parts.append(text[start:index])
                index += len(sep)
                start = index
                continue
        index += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]
