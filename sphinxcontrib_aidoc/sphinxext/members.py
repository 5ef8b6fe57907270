"""What autodoc shows of a module or class, found by introspection.

autodoc decides at read time which members a directive documents; aidoc
needs the same answer earlier (to draft everything a build shows in one
batch, before ``-j`` workers fork) and must never draft anything else. This
module follows autodoc's rules (Sphinx 8.1 to 9.x):

* a module with ``:members:`` shows the names of its ``__all__`` when it has
  one (re-exports included), otherwise its own members (imported ones only
  with ``:imported-members:``);
* a class shows the members defined in its own body, plus inherited ones with
  ``:inherited-members:``;
* private and special names, ``:exclude-members:`` and members without a
  docstring (own or inherited) are left out, unless the options say so, and
  the user's ``autodoc-skip-member`` handlers have the last word.

Every attribute access goes through :func:`safe_getattr`: user code whose
``__getattr__`` raises must not stop a build that plain autodoc completes.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sphinx.ext.autodoc import ALL
from sphinx.pycode import ModuleAnalyzer

from sphinxcontrib_aidoc.model import CLASS_KINDS

#: Object kinds aidoc documents; autodoc's names for them.
_ALL = object()  # ":members:" without a list

Keep = Callable[[str, str, Any, bool, "MemberOptions"], bool]
#: How a module's parse is had: ``ModuleAnalyzer.for_module``, or one that
#: restores a parse kept from an earlier build first (:mod:`.pycode_kept`).
Parsed = Callable[[str], ModuleAnalyzer]


def safe_getattr(obj: Any, name: str, default: Any = None) -> Any:  # noqa: ANN401
    """``getattr`` that survives any exception raised by user code."""
    try:
        return getattr(obj, name, default)
    except Exception:  # noqa: BLE001 (a user __getattr__ can raise anything)
        return default


@dataclass(frozen=True, slots=True)
class Definition:
    """Where an object is defined: its module and its qualified name there."""

    module: str
    qualname: str

    @property
    def dotted(self) -> str:
        """``module.qualname``, the name analysis records it under."""
        return f"{self.module}.{self.qualname}"


def unwrap(obj: Any) -> Any:  # noqa: ANN401
    """The function behind a property, classmethod, staticmethod or partial."""
    for attr in ("fget", "__func__", "func"):
        inner = safe_getattr(obj, attr)
        if inner is not None and inner is not obj and callable(inner):
            return unwrap(inner)
    return obj


def definition(obj: Any) -> Definition | None:  # noqa: ANN401
    """Return where *obj* is defined, or None when Python does not say.

    ``functools.wraps`` copies the wrapped function's names, so a decorated
    function resolves to its ``def``; an object made by a decorator that
    does not (an instance, a local function) resolves to None.
    """
    target = unwrap(obj)
    module = safe_getattr(target, "__module__")
    qualname = safe_getattr(target, "__qualname__")
    owner = safe_getattr(target, "__objclass__") or safe_getattr(target, "__self__")
    name = safe_getattr(target, "__name__")
    if module is None and inspect.isclass(owner) and isinstance(name, str):
        # A builtin bound to a class (``Sub.fromkeys`` of a dict subclass):
        # defined by the first class of the MRO that holds it.
        for cls in safe_getattr(owner, "__mro__", ()):
            if name in (safe_getattr(cls, "__dict__", {}) or {}):
                module = safe_getattr(cls, "__module__")
                qualname = f"{safe_getattr(cls, '__qualname__', '')}.{name}"
                break
    if not isinstance(module, str) or not isinstance(qualname, str):
        return None
    if "<" in qualname or not (inspect.isclass(target) or inspect.isroutine(target)):
        return None
    return Definition(module, qualname)


#: Attributes autodoc reads without guarding against exceptions other than
#: ``AttributeError`` (Sphinx 9: ``__mro__`` of a member's parent,
#: ``__signature__`` and ``__wrapped__`` of a class).
_UNGUARDED = ("__mro__", "__signature__", "__wrapped__")


def fragile(obj: Any) -> bool:  # noqa: ANN401
    """Whether autodoc itself fails on *obj* when it documents it.

    A lazy-loading module's ``__getattr__`` or a metaclass ``__getattr__``
    that raises something else than ``AttributeError`` makes autodoc fail
    or warn on members it did not expect to show. aidoc leaves such
    undocumented members hidden, as plain autodoc does, rather than make a
    build fail that plain autodoc completes.
    """
    if obj is None:
        return False
    try:
        for name in _UNGUARDED:
            getattr(obj, name, None)
    except Exception:  # noqa: BLE001 (whatever a user __getattr__ raises)
        return True
    return False


def is_external(module: str, project: frozenset[str]) -> bool:
    """Whether *module* lies outside the project's top-level packages."""
    top = module.partition(".")[0]
    if top in sys.stdlib_module_names or top == "builtins":
        return True
    return bool(project) and top not in project


def kind_of(obj: Any, parent: Any = None, name: str = "") -> str:  # noqa: ANN401
    """Autodoc's object type for *obj* (as a member of *parent*), or ''."""
    if inspect.isclass(obj):
        try:
            return "exception" if issubclass(obj, BaseException) else "class"
        except TypeError:
            return "class"
    raw = safe_getattr(parent, "__dict__", {}).get(name) if parent is not None else None
    if isinstance(raw, property) or _is_cached_property(raw):
        return "property"
    if isinstance(raw, classmethod) and isinstance(
        safe_getattr(raw, "__func__"), property
    ):
        return "property"
    if inspect.isroutine(obj) or isinstance(raw, (staticmethod, classmethod)):
        return "method" if inspect.isclass(parent) else "function"
    if isinstance(obj, property) or _is_cached_property(obj):
        return "property"
    return ""


def _is_cached_property(obj: Any) -> bool:  # noqa: ANN401
    return type(obj).__name__ == "cached_property"


def getdoc(
    obj: Any,  # noqa: ANN401
    parent: Any = None,  # noqa: ANN401
    name: str = "",
    *,
    inherit: bool = True,
) -> str:
    """The docstring autodoc shows for *obj* (inherited ones included)."""
    target = obj
    raw = safe_getattr(parent, "__dict__", {}).get(name) if parent is not None else None
    if raw is not None:
        target = raw
    doc = _own_doc(target)
    if not doc and inherit and inspect.isclass(parent) and name:
        for base in safe_getattr(parent, "__mro__", ())[1:]:
            inherited = safe_getattr(base, "__dict__", {}).get(name)
            if inherited is not None:
                doc = _own_doc(inherited)
                if doc:
                    break
    if not doc and inherit and inspect.isclass(obj):
        doc = inspect.getdoc(obj) or ""
    return doc


def _own_doc(obj: Any) -> str:  # noqa: ANN401
    inner = unwrap(obj)
    for candidate in (obj, inner):
        doc = safe_getattr(candidate, "__doc__")
        if isinstance(doc, str) and doc.strip():
            # An instance's class docstring is not the member's own.
            cls = safe_getattr(candidate, "__class__")
            if not inspect.isclass(candidate) and doc == safe_getattr(cls, "__doc__"):
                continue
            return doc
    return ""


@dataclass(frozen=True, slots=True)
class MemberOptions:
    """The autodoc options that decide which members a directive shows."""

    members: object = None  #: None, _ALL, or a tuple of names
    undoc_members: bool = False
    private_members: object = None
    special_members: object = None
    inherited_members: frozenset[str] = frozenset()
    exclude_members: frozenset[str] = frozenset()
    imported_members: bool = False
    ignore_module_all: bool = False

    @property
    def wants_all(self) -> bool:
        """Whether ``:members:`` is given without a list of names."""
        return self.members is _ALL

    @property
    def wants_members(self) -> bool:
        """Whether the directive documents members at all."""
        return self.members is not None

    def as_autodoc(self) -> dict[str, object]:
        """The options under autodoc's attribute names (for handlers)."""
        return {
            "members": _autodoc_listing(self.members),
            "undoc_members": self.undoc_members or None,
            "private_members": _autodoc_listing(self.private_members),
            "special_members": _autodoc_listing(self.special_members),
            "inherited_members": set(self.inherited_members) or None,
            "exclude_members": set(self.exclude_members),
            "imported_members": self.imported_members or None,
            "ignore_module_all": self.ignore_module_all or None,
        }

    @classmethod
    def from_autodoc(cls, options: Any) -> MemberOptions:  # noqa: ANN401
        """Read autodoc's own options object (Sphinx 8's dict or 9's class)."""

        def get(name: str) -> Any:  # noqa: ANN401
            value = safe_getattr(options, name)
            if value is None and isinstance(options, dict):
                value = options.get(name)
            return value

        inherited = frozenset(_names(get("inherited_members")))
        members = _listing(get("members"))
        return cls(
            # autodoc documents every member when inherited ones are asked
            # for, even without ``:members:``.
            members=_ALL if inherited and members is None else members,
            undoc_members=bool(get("undoc_members")),
            private_members=_listing(get("private_members")),
            special_members=_listing(get("special_members")),
            inherited_members=inherited,
            exclude_members=frozenset(_names(get("exclude_members"))),
            imported_members=bool(get("imported_members")),
            ignore_module_all=bool(get("ignore_module_all")),
        )

    @classmethod
    def from_text(cls, options: dict[str, str]) -> MemberOptions:
        """Read the options as written in a directive (``name: value``)."""

        def listing(key: str) -> object:
            if key not in options:
                return None
            names = tuple(n.strip() for n in options[key].split(",") if n.strip())
            return names or _ALL

        inherited = options.get("inherited-members")
        members = listing("members")
        return cls(
            # As autodoc: inherited members asked for means every member.
            members=_ALL if inherited is not None and members is None else members,
            undoc_members="undoc-members" in options,
            private_members=listing("private-members"),
            special_members=listing("special-members"),
            inherited_members=(
                frozenset()
                if inherited is None
                else frozenset(_names(inherited) or ("object",))
            ),
            exclude_members=frozenset(_names(options.get("exclude-members", ""))),
            imported_members="imported-members" in options,
            ignore_module_all="ignore-module-all" in options,
        )


def _autodoc_listing(value: object) -> object:
    if value is _ALL:
        return ALL
    return list(value) if isinstance(value, tuple) else None


def _listing(value: Any) -> object:  # noqa: ANN401
    if value is None or value is False:
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        # An empty list names no member: Sphinx 8 gives one to a directive
        # without ``:members:`` (it merges ``:private-members:`` into it).
        return tuple(str(v) for v in value) or None
    if isinstance(value, str):
        names = tuple(n.strip() for n in value.split(",") if n.strip())
        return names or _ALL
    return _ALL  # autodoc's ALL sentinel, or True


def _names(value: Any) -> list[str]:  # noqa: ANN401
    if not value or value is True:
        return []
    if isinstance(value, str):
        return [n.strip() for n in value.split(",") if n.strip()]
    try:
        return [str(v) for v in value]
    except TypeError:
        return []


def _named(listing: object) -> tuple[str, ...]:
    return listing if isinstance(listing, tuple) else ()


def _listed(listing: object, name: str) -> bool:
    return listing is _ALL or (isinstance(listing, tuple) and name in listing)


def members(
    parent: Any,  # noqa: ANN401
    parent_kind: str,
    options: MemberOptions,
    *,
    inherit_docstrings: bool = True,
    keep: Keep | None = None,
    parsed: Parsed = ModuleAnalyzer.for_module,
) -> Iterator[tuple[str, Any, str]]:
    """Yield ``(name, object, kind)`` for the members autodoc shows.

    *keep* is asked last, with autodoc's ``autodoc-skip-member`` arguments
    ``(what, name, obj, skip, options)``, and returns whether the member is
    kept. *parsed* gives the parse of a module (its ``#:`` comments).
    Attributes and data are not yielded: aidoc does not write their text.
    """
    if not options.wants_members:
        return
    want_all = options.members is _ALL
    documented_attrs = _attribute_docs(parent, parent_kind, parsed)
    for name, obj, own in _candidates(parent, parent_kind, options, want_all):
        if name in documented_attrs:
            continue  # a "#:" comment: autodoc documents it as an attribute
        kind = kind_of(obj, parent if parent_kind != "module" else None, name)
        if not kind:
            continue
        if parent_kind == "module" and kind in ("method",):
            kind = "function"
        shown = _default_keep(
            name,
            obj,
            own=own,
            parent=parent,
            parent_kind=parent_kind,
            options=options,
            want_all=want_all,
            inherit_docstrings=inherit_docstrings,
        )
        if keep is not None and (shown or not (fragile(parent) or fragile(obj))):
            shown = keep(parent_kind, name, obj, not shown, options)
        if shown:
            yield name, obj, kind


def _attribute_docs(
    parent: Any,  # noqa: ANN401
    parent_kind: str,
    parsed: Parsed,
) -> frozenset[str]:
    """Names documented by ``#:`` comments (or strings) in *parent*'s body.

    autodoc documents such a member as an attribute whatever its value (a
    ``staticmethod(func)`` assigned in a class body, say), and aidoc writes
    no text for attributes.
    """
    if parent_kind == "module":
        modname, namespace = safe_getattr(parent, "__name__"), ""
    else:
        modname = safe_getattr(parent, "__module__")
        namespace = safe_getattr(parent, "__qualname__")
    if not isinstance(modname, str) or not isinstance(namespace, str):
        return frozenset()
    try:
        docs = parsed(modname).find_attr_docs()
    except Exception:  # noqa: BLE001 (no source, or one that does not parse)
        return frozenset()
    return frozenset(name for (space, name) in docs if space == namespace)


def _candidates(
    parent: Any,  # noqa: ANN401
    parent_kind: str,
    options: MemberOptions,
    want_all: bool,
) -> Iterator[tuple[str, Any, bool]]:
    """Yield ``(name, object, defined here)`` before filtering."""
    if parent_kind == "module":
        names = _module_names(parent, options, want_all)
        modname = safe_getattr(parent, "__name__", "")
        for name in names:
            obj = safe_getattr(parent, name, _MISSING)
            if obj is _MISSING:
                continue
            own = safe_getattr(unwrap(obj), "__module__") == modname
            if (
                want_all
                and not own
                and not options.imported_members
                and (
                    options.ignore_module_all or safe_getattr(parent, "__all__") is None
                )
            ):
                continue  # autodoc's check_module drops imported members
            yield name, obj, own
        return
    own_dict = safe_getattr(parent, "__dict__", {}) or {}
    try:
        names = sorted(dir(parent))
    except Exception:  # noqa: BLE001 (a metaclass __dir__ can raise)
        names = sorted(own_dict)
    wanted = None if want_all else set(_named(options.members))
    for name in names:
        if wanted is not None and name not in wanted:
            continue
        own = name in own_dict
        if want_all and not own and not options.inherited_members:
            continue
        obj = safe_getattr(parent, name, _MISSING)
        if obj is _MISSING:
            continue
        yield name, obj, own


_MISSING = object()


def _module_names(parent: Any, options: MemberOptions, want_all: bool) -> list[str]:  # noqa: ANN401
    if not want_all:
        return list(_named(options.members))
    names = safe_getattr(parent, "__all__")
    if not options.ignore_module_all and isinstance(names, (list, tuple)):
        return [n for n in names if isinstance(n, str)]
    try:
        return sorted(dir(parent))
    except Exception:  # noqa: BLE001
        return []


def _default_keep(
    name: str,
    obj: Any,  # noqa: ANN401
    *,
    own: bool,
    parent: Any,  # noqa: ANN401
    parent_kind: str,
    options: MemberOptions,
    want_all: bool,
    inherit_docstrings: bool,
) -> bool:
    """Autodoc's own decision, before ``autodoc-skip-member`` handlers."""
    if name in options.exclude_members:
        return False
    doc_parent = parent if parent_kind != "module" else None
    has_doc = bool(getdoc(obj, doc_parent, name, inherit=inherit_docstrings))
    has_doc = has_doc or options.undoc_members
    if not want_all:
        return has_doc
    if (
        parent_kind != "module"
        and not own
        and _filtered_inherited(name, parent, options.inherited_members)
    ):
        return False
    if name.startswith("__") and name.endswith("__"):
        return has_doc and _listed(options.special_members, name)
    if name.startswith("_"):
        return has_doc and _listed(options.private_members, name)
    return has_doc


def _filtered_inherited(name: str, parent: Any, stop: frozenset[str]) -> bool:  # noqa: ANN401
    """Whether *name* comes from a class that ``:inherited-members:`` stops at."""
    for cls in safe_getattr(parent, "__mro__", ()):
        if name in (safe_getattr(cls, "__dict__", {}) or {}):
            return cls is not parent and safe_getattr(cls, "__name__") in stop
    return False


def shows_text(
    obj: Any,  # noqa: ANN401
    kind: str,
    parent: Any = None,  # noqa: ANN401
    attr: str = "",
    *,
    inherit_docstrings: bool = True,
    class_content: str = "class",
) -> bool:
    """Whether autodoc shows some docstring text for *obj*.

    A class counts as showing text only through its own docstring or, with
    ``autoclass_content`` "both" or "init", a real ``__init__``/``__new__``
    docstring: a docstring inherited from a base class, or the signature
    text a dataclass makes up, does not document this class.
    """
    if kind not in CLASS_KINDS:
        return bool(getdoc(obj, parent, attr, inherit=inherit_docstrings))
    if _class_own_doc(obj):
        return True
    if class_content not in ("both", "init"):
        return False
    for special in ("__init__", "__new__"):
        doc = getdoc(
            safe_getattr(obj, special), obj, special, inherit=inherit_docstrings
        )
        if doc and doc not in (object.__init__.__doc__, object.__new__.__doc__):
            return True
    return False


def _class_own_doc(cls: Any) -> bool:  # noqa: ANN401
    doc = (safe_getattr(cls, "__dict__", {}) or {}).get("__doc__")
    if not isinstance(doc, str) or not doc.strip():
        return False
    # A dataclass's generated signature text is not documentation.
    return not doc.startswith(f"{safe_getattr(cls, '__name__', '')}(")
