"""Plain records that cross the pipeline stages.

Every record is a frozen, slotted dataclass that pickles (for the Sphinx
environment and ``-j N`` builds) and converts to and from JSON through
explicit ``to_json``/``from_json`` methods whose keys are the documented
field names.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal, get_args

#: What an analysed object is. ``async``/generator are flags, not kinds.
Kind = Literal[
    "class",
    "exception",
    "function",
    "method",
    "classmethod",
    "staticmethod",
    "property",
]
#: Every kind, in display order.
KINDS: tuple[Kind, ...] = get_args(Kind)
#: Kinds of classes, which have members and a constructor's parameters.
CLASS_KINDS: frozenset[Kind] = frozenset({"class", "exception"})
#: Kinds of routines, called with arguments to return (or yield) a value.
ROUTINE_KINDS: frozenset[Kind] = frozenset(
    {"function", "method", "classmethod", "staticmethod"}
)
#: Members bound to an instance or class (their first parameter is implicit).
BOUND_KINDS: frozenset[Kind] = frozenset({"method", "classmethod", "property"})
#: Parameter kinds the instance (or class) of a bound call fills.
_BINDABLE = frozenset({"positional_only", "positional_or_keyword"})
#: Members of a class.
MEMBER_KINDS: frozenset[Kind] = BOUND_KINDS | {"staticmethod"}

#: One word of an identifier: a short mixed-case acronym (``AoT``, ``QoS``),
#: an upper-case run (``HTTP`` of ``HTTPServer``), a lower or capitalised
#: word, or digits.
_IDENTIFIER_PIECE = re.compile(
    r"[A-Z][a-z][A-Z](?=[A-Z][a-z]|[^A-Za-z]|$)|[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+"
)


def identifier_words(name: str) -> list[str]:
    """The words of an identifier, as written: snake_case and camelCase split.

    The one splitter of the offline wording and the search index:
    ``identifier_words("insert_AoT2")`` gives ``["insert", "AoT", "2"]``.
    Non-ASCII chunks stay whole.
    """
    words: list[str] = []
    for chunk in re.split(r"[\W_]+", name):
        if chunk:
            words.extend(
                _IDENTIFIER_PIECE.findall(chunk) if chunk.isascii() else [chunk]
            )
    return words


#: Where a draft's prose came from.
DraftSource = Literal["inference", "llm", "cache"]
_DRAFT_SOURCES: dict[object, DraftSource] = {s: s for s in get_args(DraftSource)}
#: Who wrote a docstring a page shows (a person, or a draft's source).
WrittenBy = Literal["human", "inference", "llm", "cache"]

#: How a parameter is passed (mirrors :class:`inspect.Parameter` kinds).
ParamKind = Literal[
    "positional_only",
    "positional_or_keyword",
    "var_positional",
    "keyword_only",
    "var_keyword",
]


def mangled(name: str, owner: str) -> str:
    """*name* as Python keeps it when written in the body of class *owner*.

    A name with two leading underscores and at most one trailing one
    (``__cmd``, not ``__init__``) is private to the class: the compiler
    renames it ``_Owner__cmd`` (the class name's leading underscores
    dropped; a class named only with underscores renames nothing). So do
    the signatures autodoc shows: click's ``Context.forward(__self, __cmd)``
    is ``forward(_Context__cmd, ...)``.
    """
    stripped = owner.lstrip("_")
    if not stripped or not name.startswith("__") or name.endswith("__"):
        return name
    return f"_{stripped}{name}"


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of a function, as the code defines it."""

    name: str
    kind: ParamKind = "positional_or_keyword"
    #: Annotation string (as written, normalised) or inferred type; None if unknown.
    type: str | None = None
    #: Source text of the default value, None when the parameter is required.
    default: str | None = None
    #: True when ``type`` came from inference rather than an annotation.
    inferred: bool = False
    #: What proves ``type``: ``"annotation"``, ``"default"`` (the default
    #: value's type), or ``""`` without a type. Not part of equality.
    evidence: str = field(default="", compare=False)

    @property
    def required(self) -> bool:
        """Whether a caller must pass this parameter."""
        return self.default is None and self.kind not in (
            "var_positional",
            "var_keyword",
        )

    @property
    def display_name(self) -> str:
        """Name with its ``*``/``**`` prefix, as docstrings show it."""
        if self.kind == "var_positional":
            return f"*{self.name}"
        if self.kind == "var_keyword":
            return f"**{self.name}"
        return self.name

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form: ``{name, type, default, inferred, evidence, kind}``."""
        return {
            "name": self.name,
            "type": self.type,
            "default": self.default,
            "inferred": self.inferred,
            "evidence": self.evidence,
            "kind": self.kind,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Param:
        """Build from :meth:`to_json` output."""
        return cls(
            name=data["name"],
            kind=data.get("kind", "positional_or_keyword"),
            type=data.get("type"),
            default=data.get("default"),
            inferred=bool(data.get("inferred", False)),
            evidence=str(data.get("evidence", "")),
        )


#: Builtin containers whose bare name leaves their element types open.
OPEN_CONTAINERS = frozenset({"list", "dict", "set", "frozenset", "tuple", "type"})


def type_members(text: str) -> list[str]:
    """The top-level members of a union spelled with ``|`` (brackets kept whole)."""
    members: list[str] = []
    depth = start = 0
    for index, char in enumerate(text):
        depth += char == "["
        depth -= char == "]"
        if depth == 0 and char == "|":
            members.append(text[start:index].strip())
            start = index + 1
    members.append(text[start:].strip())
    return [m for m in members if m]


def names_outer_only(text: str) -> bool:
    """Whether a type names a builtin container without its element types.

    ``list`` or ``dict | None`` do (their elements are open); ``list[str]``,
    ``int`` and ``~pkg.Class`` do not.
    """
    return any(m in OPEN_CONTAINERS for m in type_members(text))


@dataclass(frozen=True, slots=True)
class Value:
    """A value a function gives: what it returns, or what it yields.

    ``evidence`` says what proves ``type``: ``"annotation"``; ``"syntax"``
    (literal values, control flow); ``"inference"`` (astroid, or the
    project-wide pass); ``"rule"`` (``NoReturn`` for a function that always
    raises, the type a special method's protocol fixes, the context manager
    ``@contextmanager`` makes); ``""`` without a type.

    An inferred type may be proven only at its outer level: ``list`` when
    the code proves a list but not what it holds (:attr:`outer_only`).
    Renderers then say in words that the element types are not known,
    rather than let ``list`` read as the whole type.
    """

    type: str | None
    inferred: bool = False
    evidence: str = field(default="", compare=False)

    @property
    def outer_only(self) -> bool:
        """Whether the inferred type proves only the outer type of a container.

        An author's annotation (``-> list``) is never "outer only": it is
        what the author chose to promise.
        """
        return self.inferred and self.type is not None and names_outer_only(self.type)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form: ``{type, inferred, evidence[, outer_only]}``.

        ``outer_only`` is present (and true) only when the type proves the
        outer container alone.
        """
        data: dict[str, Any] = {
            "type": self.type,
            "inferred": self.inferred,
            "evidence": self.evidence,
        }
        if self.outer_only:
            data["outer_only"] = True
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Value:
        """Build from :meth:`to_json` output (``outer_only`` is recomputed)."""
        return cls(
            type=data.get("type"),
            inferred=bool(data.get("inferred")),
            evidence=str(data.get("evidence", "")),
        )


#: The return value of a function (or the value of a property).
Returns = Value
#: What a generator yields.
Yields = Value


@dataclass(frozen=True, slots=True)
class BodyFacts:
    """What the evaluator reads from an object's body (the walker finds them).

    For a class, ``returns_value`` and ``may_raise_elsewhere`` are those of
    its own ``__init__``.
    """

    #: File line of the docstring's first text line; 0 without a docstring.
    doc_line: int = 0
    #: The body has ``return <value>`` (not a bare ``return``/``return None``).
    returns_value: bool = False
    #: The body calls or awaits something an exception could come from.
    may_raise_elsewhere: bool = True
    #: Public class-level annotated names (classes only).
    attributes: tuple[str, ...] = ()
    #: Those of them documented in place (a ``#:`` comment or a string below).
    documented_attributes: tuple[str, ...] = ()
    #: Whether a class defines its own ``__init__``.
    has_init: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form (field names as keys, tuples as lists)."""
        return {
            "doc_line": self.doc_line,
            "returns_value": self.returns_value,
            "may_raise_elsewhere": self.may_raise_elsewhere,
            "attributes": list(self.attributes),
            "documented_attributes": list(self.documented_attributes),
            "has_init": self.has_init,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BodyFacts:
        """Build from :meth:`to_json` output."""
        return cls(
            doc_line=int(data.get("doc_line", 0)),
            returns_value=bool(data.get("returns_value")),
            may_raise_elsewhere=bool(data.get("may_raise_elsewhere", True)),
            attributes=tuple(data.get("attributes", ())),
            documented_attributes=tuple(data.get("documented_attributes", ())),
            has_init=bool(data.get("has_init")),
        )


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    """What analysis knows about one documentable object.

    ``qualname`` is the full dotted path (``pkg.mod.Class.meth``), the same
    name autodoc uses; ``module`` is the dotted module that defines it.
    """

    qualname: str
    module: str
    kind: Kind
    file: str
    lineno: int
    end_lineno: int = 0
    signature: str = ""
    params: tuple[Param, ...] = ()
    returns: Returns | None = None
    yields: Yields | None = None
    raises: tuple[str, ...] = ()
    decorators: tuple[str, ...] = ()
    docstring: str | None = None
    is_async: bool = False
    complexity: int = 1
    nesting: int = 0
    source_hash: str = ""
    #: Trimmed source of the object (for prompts); not part of the JSON record.
    source: str = field(default="", repr=False)
    #: Dotted names this object calls, as far as analysis resolved them.
    calls: tuple[str, ...] = ()
    #: Base classes (classes only), as dotted names when resolvable.
    bases: tuple[str, ...] = ()
    #: True when a ``warnings.warn(..., DeprecationWarning)`` or decorator says so.
    deprecated: bool = False
    #: What the body says to the evaluator; None when unknown. Not part of
    #: the JSON record (kept with the source by the analysis cache).
    body: BodyFacts | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        """The last component of the qualified name."""
        return self.qualname.rpartition(".")[2]

    @property
    def local_name(self) -> str:
        """The name relative to its module (``Class.meth``)."""
        if self.module and self.qualname.startswith(self.module + "."):
            return self.qualname[len(self.module) + 1 :]
        return self.qualname

    @property
    def is_public(self) -> bool:
        """True when no component of the local name starts with ``_``."""
        return not any(p.startswith("_") for p in self.local_name.split("."))

    @property
    def has_docstring(self) -> bool:
        """True when the object's own docstring has text."""
        return bool(self.docstring and self.docstring.strip())

    @property
    def is_generator(self) -> bool:
        """True for generators (sync or async)."""
        return self.yields is not None

    @property
    def documented_params(self) -> tuple[Param, ...]:
        """Parameters a docstring should describe (not the bound instance or class).

        A method's first positional parameter is the instance (the class,
        for a class method) whatever its name: click's ``forward(__self,
        __cmd, ...)`` binds ``__self``.
        """
        params = self.params
        if self.kind in BOUND_KINDS and params and params[0].kind in _BINDABLE:
            params = params[1:]
        if self.kind in BOUND_KINDS or self.kind in CLASS_KINDS:
            return tuple(p for p in params if p.name not in ("self", "cls"))
        return params

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form used by ``aidoc generate --json``."""
        return {
            "qualname": self.qualname,
            "module": self.module,
            "file": self.file,
            "lineno": self.lineno,
            "end_lineno": self.end_lineno,
            "kind": self.kind,
            "signature": self.signature,
            "params": [p.to_json() for p in self.params],
            "returns": self.returns.to_json() if self.returns else None,
            "yields": self.yields.to_json() if self.yields else None,
            "raises": list(self.raises),
            "decorators": list(self.decorators),
            "docstring_own": self.docstring,
            "is_async": self.is_async,
            "complexity": self.complexity,
            "nesting": self.nesting,
            "source_hash": self.source_hash,
            "calls": list(self.calls),
            "bases": list(self.bases),
            "deprecated": self.deprecated,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ObjectInfo:
        """Build from :meth:`to_json` output."""
        returns = data.get("returns")
        yields = data.get("yields")
        return cls(
            qualname=data["qualname"],
            module=data.get("module", ""),
            kind=data["kind"],
            file=data.get("file", ""),
            lineno=int(data.get("lineno", 0)),
            end_lineno=int(data.get("end_lineno", 0)),
            signature=data.get("signature", ""),
            params=tuple(Param.from_json(p) for p in data.get("params", [])),
            returns=Returns.from_json(returns) if returns else None,
            yields=Yields.from_json(yields) if yields else None,
            raises=tuple(data.get("raises", [])),
            decorators=tuple(data.get("decorators", [])),
            docstring=data.get("docstring_own"),
            is_async=bool(data.get("is_async", False)),
            complexity=int(data.get("complexity", 1)),
            nesting=int(data.get("nesting", 0)),
            source_hash=data.get("source_hash", ""),
            calls=tuple(data.get("calls", [])),
            bases=tuple(data.get("bases", [])),
            deprecated=bool(data.get("deprecated", False)),
        )


@dataclass(frozen=True, slots=True)
class Draft:
    """Prose for one object's docstring; structure comes from ObjectInfo.

    ``params`` and ``raises`` are ``(name, description)`` pairs in order.
    """

    summary: str
    description: str = ""
    params: tuple[tuple[str, str], ...] = ()
    returns: str = ""
    yields: str = ""
    raises: tuple[tuple[str, str], ...] = ()
    source: DraftSource = "inference"
    #: Provider that wrote the prose ("offline", "azure", "openai").
    provider: str = "offline"
    model: str = ""

    def param_doc(self, name: str) -> str:
        """Description of parameter *name*, or ``""``."""
        return next((d for n, d in self.params if n == name), "")

    def raises_doc(self, name: str) -> str:
        """Condition text for exception *name*, or ``""``."""
        return next((d for n, d in self.raises if n == name), "")

    def with_source(self, source: DraftSource) -> Draft:
        """Return a copy with another ``source``."""
        return replace(self, source=source)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form (cache rows, CLI output)."""
        return {
            "summary": self.summary,
            "description": self.description,
            "params": [[n, d] for n, d in self.params],
            "returns": self.returns,
            "yields": self.yields,
            "raises": [[n, d] for n, d in self.raises],
            "source": self.source,
            "provider": self.provider,
            "model": self.model,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Draft:
        """Build from :meth:`to_json` output."""
        return cls(
            summary=str(data.get("summary", "")),
            description=str(data.get("description", "")),
            params=tuple((str(n), str(d)) for n, d in data.get("params", [])),
            returns=str(data.get("returns", "")),
            yields=str(data.get("yields", "")),
            raises=tuple((str(n), str(d)) for n, d in data.get("raises", [])),
            source=_DRAFT_SOURCES.get(data.get("source"), "inference"),
            provider=str(data.get("provider", "offline")),
            model=str(data.get("model", "")),
        )


@dataclass(frozen=True, slots=True)
class ParsedDocstring:
    """A docstring split into the parts aidoc reasons about.

    Produced by :func:`sphinxcontrib_aidoc.styles.parse_docstring` for any of
    the three styles. Descriptions keep the author's text verbatim.
    """

    style: str
    summary: str = ""
    description: str = ""
    #: (name, type or "", description) in documented order.
    params: tuple[tuple[str, str, str], ...] = ()
    returns: tuple[str, str] | None = None
    yields: tuple[str, str] | None = None
    #: (exception name, condition) in documented order.
    raises: tuple[tuple[str, str], ...] = ()
    attributes: tuple[tuple[str, str, str], ...] = ()
    #: Section titles in the order they appear (normalised: "params", ...).
    sections: tuple[str, ...] = ()
    #: Sections present but with no content.
    empty_sections: tuple[str, ...] = ()

    @property
    def param_names(self) -> tuple[str, ...]:
        """Documented parameter names, without ``*``/``**``."""
        return tuple(n.lstrip("*") for n, _, _ in self.params)

    @property
    def raise_names(self) -> tuple[str, ...]:
        """Documented exception names."""
        return tuple(n for n, _ in self.raises)


@dataclass(frozen=True, slots=True)
class ObjectSnapshot:
    """One documented object as a build saw it (a row of the ``objects`` table).

    ``docstring_hash`` hashes the docstring as shown (human or generated);
    ``generated`` tells which; ``source`` is the draft source for generated
    ones ("inference", "llm", "cache") and "human" otherwise.
    """

    qualname: str
    module: str
    kind: Kind
    signature: str
    docstring_hash: str
    generated: bool
    source: WrittenBy = "human"
    summary: str = ""
    docname: str = ""
    file: str = ""
    lineno: int = 0
    deprecated: bool = False
    #: The docstring as shown (without the generated note); stored once per
    #: distinct text in the ``docstrings`` table, keyed by ``docstring_hash``.
    docstring: str = field(default="", repr=False)
    #: Where the object is defined (``pkg._api.dumps`` for ``pkg.dumps``), the
    #: name its analysis is recorded under; empty when it is ``qualname``.
    #: Kept in the environment, not in the ``objects`` table.
    target: str = field(default="", repr=False, compare=False)

    @property
    def defined_as(self) -> str:
        """The name the object's analysis is recorded under."""
        return self.target or self.qualname

    #: Who wrote a generated docstring's prose (``"offline"``,
    #: ``"azure/deployment"``); "" for human ones and older rows.
    writer: str = ""

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form (column names of the ``objects`` table)."""
        return {
            "qualname": self.qualname,
            "module": self.module,
            "kind": self.kind,
            "signature": self.signature,
            "docstring_hash": self.docstring_hash,
            "generated": self.generated,
            "source": self.source,
            "summary": self.summary,
            "docname": self.docname,
            "file": self.file,
            "lineno": self.lineno,
            "deprecated": self.deprecated,
            "writer": self.writer,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ObjectSnapshot:
        """Build from :meth:`to_json` output (or a database row)."""
        return cls(
            qualname=data["qualname"],
            module=data.get("module", ""),
            kind=data.get("kind", ""),
            signature=data.get("signature", ""),
            docstring_hash=data.get("docstring_hash", ""),
            generated=bool(data.get("generated", False)),
            source=data.get("source", "human"),
            summary=data.get("summary", ""),
            docname=data.get("docname", ""),
            file=data.get("file", ""),
            lineno=int(data.get("lineno", 0)),
            deprecated=bool(data.get("deprecated", False)),
            docstring=str(data.get("docstring") or ""),
            writer=str(data.get("writer") or ""),
        )

    def __reduce__(self) -> tuple[type[ObjectSnapshot], tuple[Any, ...]]:
        """Pickle as the constructor's arguments, every text interned.

        Snapshots are pickled with the Sphinx environment, tens of
        thousands in a large project. Positional arguments load in about
        half the time of the slotted dataclass' state (which looks up the
        fields again for each object), and interned texts (the module, the
        file, the page, the kind, a docstring many objects share) are
        written once per pickle and shared once loaded. On the synthetic
        20,000-object project, the snapshots' part of the environment went
        from 6.0 to 1.5 MB and from 0.13 to 0.06 s to load (its generated
        docstrings are alike; where every docstring differs, what is saved
        is the repeated names and paths).
        """
        return (
            type(self),
            tuple(_interned(getattr(self, name)) for name in _SNAPSHOT_FIELDS),
        )


#: :class:`ObjectSnapshot`'s fields in the constructor's order.
_SNAPSHOT_FIELDS = tuple(f.name for f in fields(ObjectSnapshot))


def _interned(value: object) -> object:
    return sys.intern(value) if type(value) is str else value


#: What happened to an object between two builds, in display order.
CHANGE_KINDS: tuple[str, ...] = (
    "removed",
    "signature_changed",
    "deprecated",
    "added",
    "documented",
    "docstring_changed",
    "generated",
    "regenerated",
)


@dataclass(frozen=True, slots=True)
class ChangeEvent:
    """One change of one object between two builds (a row of ``changes``).

    ``kind`` is one of :data:`CHANGE_KINDS`; ``object_kind`` is the object's
    own kind (``function``, ``class``...). ``before``/``after`` hold the old
    and new signature (signature changes, additions, removals) or docstring
    summary (docstring changes). The build fields say which build saw the
    change and against which earlier build (``since_build_id``); they are
    empty on a change that :func:`~sphinxcontrib_aidoc.changelog.compare`
    has just computed.
    """

    kind: str
    qualname: str
    module: str = ""
    object_kind: str = ""
    before: str = ""
    after: str = ""
    breaking: bool = False
    #: Why the change breaks callers (parts separated by semicolons), or other detail.
    detail: str = ""
    #: The document that shows the object (the newer one when both exist).
    docname: str = ""
    build_id: int = 0
    since_build_id: int = 0
    #: When the build started (ISO 8601 UTC).
    time: str = ""
    release: str = ""
    version: str = ""
    git_commit: str = ""

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form (the ``changelog.json`` record)."""
        return {
            "build_id": self.build_id,
            "since_build_id": self.since_build_id,
            "time": self.time,
            "release": self.release,
            "version": self.version,
            "git_commit": self.git_commit,
            "kind": self.kind,
            "qualname": self.qualname,
            "module": self.module,
            "object_kind": self.object_kind,
            "before": self.before,
            "after": self.after,
            "breaking": self.breaking,
            "detail": self.detail,
            "docname": self.docname,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChangeEvent:
        """Build from :meth:`to_json` output (or a database row)."""
        return cls(
            kind=str(data["kind"]),
            qualname=str(data["qualname"]),
            module=str(data.get("module") or ""),
            object_kind=str(data.get("object_kind") or ""),
            before=str(data.get("before") or ""),
            after=str(data.get("after") or ""),
            breaking=bool(data.get("breaking", False)),
            detail=str(data.get("detail") or ""),
            docname=str(data.get("docname") or ""),
            build_id=int(data.get("build_id") or 0),
            since_build_id=int(data.get("since_build_id") or 0),
            time=str(data.get("time") or ""),
            release=str(data.get("release") or ""),
            version=str(data.get("version") or ""),
            git_commit=str(data.get("git_commit") or ""),
        )
