"""Find what the documents to read will show, before Sphinx reads them.

The pre-read batch drafts, in one go, every object that the pages are about
to show, so a paid provider is called concurrently and only for what appears
in the site. The scan reads the directives of the documents (reST and MyST
spellings) and resolves each name the way autodoc and autosummary do:

* ``currentmodule``/``module`` set the module that short names are relative
  to (so does ``automodule``: the ``py:module`` it writes stays current for
  the rest of the page), and a directive nested in an ``autoclass`` is
  relative to that class;
* ``automodule``, ``autoclass`` and ``autoexception`` show their members
  according to their options merged with ``autodoc_default_options``
  (:mod:`.members` follows autodoc's rules: ``__all__``, imported and
  inherited members, private and special names, exclusions);
* ``autofunction``, ``automethod``, ``autoproperty``... show the one object;
* every entry of an ``autosummary`` table is shown (its summary line comes
  from the docstring), and the stub pages that ``autosummary_generate``
  writes are ordinary documents to scan.

Names resolve by importing, as autodoc does: a re-export such as
``pkg.dumps`` (defined in ``pkg._api``) is found under the name the page
shows. Whatever the scan misses is still documented: autodoc asks for it and
it is drafted then.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.pycode import ModuleAnalyzer

from sphinxcontrib_aidoc.model import CLASS_KINDS
from sphinxcontrib_aidoc.sphinxext.members import (
    Keep,
    MemberOptions,
    Parsed,
    kind_of,
    members,
    safe_getattr,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

_DIRECTIVE = re.compile(
    r"^(?P<indent>[ \t]*)(?:\.\.\s+|```\{|:::\{)(?:py:)?"
    r"(?P<name>auto\w+|currentmodule|module)\}?::?[ \t]*(?P<target>[\w.~]*)"
)
_OPTION = re.compile(r"^[ \t]+:(?P<name>[\w-]+):[ \t]*(?P<value>.*)$")
_CONTAINERS = frozenset({"autoclass", "autoexception"})
#: The object type autodoc documents with each function-like directive,
#: whatever the object is: ``autofunction`` on a class documents it as a
#: function (its docstring read as a function's, inherited ones included).
_DIRECTIVE_KINDS = {
    "autofunction": "function",
    "automethod": "method",
    "autoproperty": "property",
    "autodecorator": "decorator",
}
#: The directives that show one object (and, for containers, its members).
_SINGLE = frozenset({*_CONTAINERS, *_DIRECTIVE_KINDS})
#: autodoc options that ``autodoc_default_options`` may set.
_DEFAULTABLE = (
    "members",
    "undoc-members",
    "private-members",
    "special-members",
    "inherited-members",
    "exclude-members",
    "imported-members",
    "ignore-module-all",
)


@dataclass(frozen=True, slots=True)
class ShownObject:
    """One object a page will show: the name it shows and the live object."""

    name: str
    obj: Any
    kind: str
    #: The class it is shown as a member of, and its attribute name there.
    parent: Any = None
    attr: str = ""


@dataclass
class ScanPlan:
    """What the documents to read will show."""

    objects: dict[str, ShownObject] = field(default_factory=dict)
    #: Top-level package names the documents name (the project).
    packages: set[str] = field(default_factory=set)
    #: Modules named by ``automodule``, ``currentmodule`` and ``module``.
    modules: dict[str, None] = field(default_factory=dict)
    #: The modules and classes whose members were listed, with the options
    #: they were listed with (every member found is in :attr:`objects`).
    listed: set[tuple[str, MemberOptions]] = field(default_factory=set)

    def add(self, shown: ShownObject) -> None:
        """Note *shown* (the first directive to show a name wins)."""
        self.objects.setdefault(shown.name, shown)
        self.packages.add(shown.name.partition(".")[0])


@dataclass
class _Context:
    defaults: dict[str, str]
    keep: Keep | None
    inherit_docstrings: bool
    plan: ScanPlan
    parsed: Parsed
    module: str = ""
    classes: list[tuple[int, str]] = field(default_factory=list)


def default_options(autodoc_defaults: dict[str, Any]) -> dict[str, str]:
    """``autodoc_default_options`` as directive option text."""
    found: dict[str, str] = {}
    for key in _DEFAULTABLE:
        if key in autodoc_defaults:
            value = autodoc_defaults[key]
            if value is False:
                continue
            found[key] = "" if value in (True, None) else str(value)
    return found


@dataclass(frozen=True, slots=True)
class Page:
    """One document's lines, and its ``auto*``, ``currentmodule`` and ``module`` lines."""

    path: Path
    lines: list[str]
    #: ``(line number, match)`` of each directive the scan reads.
    directives: list[tuple[int, re.Match[str]]]

    @property
    def shows_objects(self) -> bool:
        """Whether it names an ``auto*`` directive (autodoc, autosummary...)."""
        return any(match["name"].startswith("auto") for _, match in self.directives)


def read_pages(paths: Iterable[Path]) -> list[Page]:
    """Read the documents at *paths* once, in sorted order (unreadable: left out).

    What :func:`named_modules`, :func:`scan` and the build's reading order
    (:attr:`Page.shows_objects`) need of them, without importing anything.
    """
    pages: list[Page] = []
    for path in sorted(paths):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        lines = text.splitlines()
        found = [
            (number, match)
            for number, line in enumerate(lines)
            if (match := _DIRECTIVE.match(line)) is not None
        ]
        pages.append(Page(path, lines, found))
    return pages


def scan(
    pages: list[Page],
    autodoc_defaults: dict[str, Any],
    *,
    keep: Keep | None = None,
    inherit_docstrings: bool = True,
    parsed: Parsed = ModuleAnalyzer.for_module,
) -> ScanPlan:
    """Read the directives of *pages* (see the module doc)."""
    plan = ScanPlan()
    defaults = default_options(autodoc_defaults)
    for page in pages:
        context = _Context(defaults, keep, inherit_docstrings, plan, parsed)
        _scan_page(page, context)
    return plan


def named_modules(pages: list[Page]) -> list[str]:
    """The ``automodule`` targets of *pages*, in reading order.

    Known without importing anything: a build starts analysing these while
    :func:`scan` imports them and walks their members.
    """
    found: dict[str, None] = {}
    for page in pages:
        for _, match in page.directives:
            if match["name"] == "automodule" and match["target"]:
                found.setdefault(match["target"], None)
    return list(found)


def named_packages(pages: list[Page]) -> list[str]:
    """The top-level packages *pages* name (``currentmodule``, ``auto*`` targets).

    Known without importing anything, as :func:`named_modules`: a first
    build starts analysing their modules at once.
    """
    found: dict[str, None] = {}
    for page in pages:
        for _, match in page.directives:
            target = match["target"].lstrip("~")
            module_like = match["name"] in ("automodule", "currentmodule", "module")
            if target and (module_like or "." in target):
                top = target.partition(".")[0]
                if top.isidentifier() and top != "None":
                    found.setdefault(top, None)
    return list(found)


def _scan_page(page: Page, ctx: _Context) -> None:
    lines = page.lines
    for number, match in page.directives:
        indent = len(match["indent"].expandtabs())
        while ctx.classes and ctx.classes[-1][0] >= indent:
            ctx.classes.pop()
        directive, target = match["name"], match["target"].lstrip("~")
        if directive in ("currentmodule", "module"):
            ctx.module = "" if target == "None" else target
            if ctx.module:
                ctx.plan.packages.add(ctx.module.partition(".")[0])
                ctx.plan.modules[ctx.module] = None
        elif directive == "autosummary":
            for entry in _autosummary_entries(lines, number + 1, indent):
                _show_single(entry, ctx)
        elif target:
            options = _merged(ctx.defaults, _options(lines, number + 1))
            _show_directive(directive, target, options, indent, ctx)


def _merged(defaults: dict[str, str], options: dict[str, str]) -> dict[str, str]:
    """A directive's options over ``autodoc_default_options`` ("+" extends)."""
    merged = {**defaults, **options}
    for key, value in options.items():
        if value.startswith("+") and key in defaults:
            merged[key] = f"{defaults[key]},{value[1:]}"
    return merged


def _show_directive(
    directive: str, target: str, options: dict[str, str], indent: int, ctx: _Context
) -> None:
    if directive == "automodule":
        if _show_module(target, MemberOptions.from_text(options), ctx):
            # its ``py:module`` sets the module of the page's short names
            # from here on, as ``currentmodule`` does
            ctx.module = target
        return
    if directive not in _SINGLE:
        return
    shown = _show_single(target, ctx, _DIRECTIVE_KINDS.get(directive))
    if shown is not None and directive in _CONTAINERS:
        ctx.classes.append((indent, shown.name))
        _show_members(shown, MemberOptions.from_text(options), ctx)


def _options(lines: list[str], start: int) -> dict[str, str]:
    options: dict[str, str] = {}
    for line in lines[start:]:
        match = _OPTION.match(line)
        if match is None:
            break
        options[match["name"]] = match["value"].strip()
    return options


def _autosummary_entries(lines: list[str], start: int, indent: int) -> Iterator[str]:
    """The names listed in an ``autosummary`` directive's content."""
    for line in lines[start:]:
        stripped = line.strip()
        if not stripped:
            continue
        if len(line) - len(line.lstrip()) <= indent:
            return
        if stripped.startswith((":", "..")):
            continue
        name = stripped.split()[0].lstrip("~")
        if re.fullmatch(r"[\w.]+", name):
            yield name


def _show_single(
    target: str, ctx: _Context, documented_as: str | None = None
) -> ShownObject | None:
    """Plan the object *target* names (as *documented_as*, if the directive says)."""
    for name in _candidates(target, ctx):
        found = import_object(name)
        if found is None:
            continue
        obj, parent, attr = found
        kind = kind_of(obj, parent if _is_class(parent) else None, attr)
        if not kind:
            return None
        kind = documented_as or kind
        shown = ShownObject(
            name, obj, kind, parent if _is_class(parent) else None, attr
        )
        ctx.plan.add(shown)
        return shown
    return None


def _candidates(target: str, ctx: _Context) -> list[str]:
    names: list[str] = []
    if ctx.classes:
        names.append(f"{ctx.classes[-1][1]}.{target}")
    if ctx.module:
        names.append(f"{ctx.module}.{target}")
    names.append(target)
    return names


def _show_module(modname: str, options: MemberOptions, ctx: _Context) -> bool:
    """Plan what ``automodule`` shows of *modname*; whether it imports."""
    ctx.plan.modules[modname] = None
    module = _import_module(modname)
    if module is None:
        return False
    ctx.plan.packages.add(modname.partition(".")[0])
    ctx.plan.listed.add((modname, options))
    for name, obj, kind in members(
        module,
        "module",
        options,
        inherit_docstrings=ctx.inherit_docstrings,
        keep=ctx.keep,
        parsed=ctx.parsed,
    ):
        shown = ShownObject(f"{modname}.{name}", obj, kind)
        ctx.plan.add(shown)
        if kind in CLASS_KINDS:
            _show_members(shown, options, ctx)
    return True


def _show_members(
    shown: ShownObject, options: MemberOptions, ctx: _Context, depth: int = 0
) -> None:
    if depth > 5:
        return
    ctx.plan.listed.add((shown.name, options))
    for name, obj, kind in members(
        shown.obj,
        shown.kind,
        options,
        inherit_docstrings=ctx.inherit_docstrings,
        keep=ctx.keep,
        parsed=ctx.parsed,
    ):
        member = ShownObject(f"{shown.name}.{name}", obj, kind, shown.obj, name)
        ctx.plan.add(member)
        if kind in CLASS_KINDS:
            _show_members(member, options, ctx, depth + 1)


def _is_class(obj: object) -> bool:
    return isinstance(obj, type)


def _import_module(modname: str) -> Any:  # noqa: ANN401
    try:
        return importlib.import_module(modname)
    except Exception:  # noqa: BLE001 (user code: autodoc reports it)
        return None


def import_object(name: str) -> tuple[Any, Any, str] | None:
    """Import *name* as autodoc does; return ``(object, parent, attribute)``.

    The longest importable module prefix is imported, then the rest is read
    as attributes. Never raises.
    """
    parts = name.split(".")
    for size in range(len(parts), 0, -1):
        modname = ".".join(parts[:size])
        try:
            obj: Any = importlib.import_module(modname)
        except Exception:  # noqa: BLE001, S112 (not a module: try a shorter prefix)
            continue
        parent: Any = None
        attr = ""
        for part in parts[size:]:
            parent, attr = obj, part
            obj = safe_getattr(obj, part, _MISSING)
            if obj is _MISSING:
                return None
        if parent is None:
            return None  # a module: nothing aidoc writes
        return obj, parent, attr
    return None


_MISSING = object()
