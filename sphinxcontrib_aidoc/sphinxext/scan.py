"""Find what the documents to read will document, before Sphinx reads them.

The pre-read batch drafts, in one go, every object that ``auto*``
directives are about to show, so a paid provider is called concurrently and
only for what appears in the site. The scan reads the directives and their
member options from the sources:

* ``automodule`` without ``:members:`` (and no ``members`` in
  ``autodoc_default_options``) shows only the module docstring: nothing to
  draft; ``:members:`` alone means every public member, a list means those
  names (with their own members); ``:exclude-members:`` takes names out;
* ``autoclass``/``autoexception`` shows the class, and its members with
  ``:members:``;
* every other ``auto*`` directive shows the one object it names.

Whatever the scan misses is still documented: autodoc asks for it and it is
drafted then, one by one instead of in the batch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinxcontrib_aidoc.sphinxext.runtime import module_file

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from sphinxcontrib_aidoc.model import ObjectInfo

_DIRECTIVE = re.compile(
    r"^(?P<indent>[ \t]*)(?:\.\.\s+|```\{|:::\{)(?:py:)?"
    r"(?P<name>auto\w+|currentmodule|module)\}?::?\s*(?P<target>[\w.]+)"
)
_OPTION = re.compile(r"^[ \t]+:(?P<name>[\w-]+):[ \t]*(?P<value>.*)$")
_CLASS_DIRECTIVES = frozenset({"autoclass", "autoexception"})


@dataclass(frozen=True, slots=True)
class Selector:
    """What one directive shows of a module.

    ``names`` None means every public member; ``nested`` says whether the
    members of the named objects are shown too.
    """

    names: frozenset[str] | None
    exclude: frozenset[str] = frozenset()
    nested: bool = True

    def matches(self, local_name: str) -> bool:
        """Whether the object named *local_name* in its module is shown."""
        top = local_name.partition(".")[0]
        if top in self.exclude:
            return False
        if self.names is None:
            return True
        if local_name in self.names:
            return True
        return self.nested and any(
            local_name.startswith(f"{name}.") for name in self.names
        )


@dataclass
class ScanPlan:
    """The modules the documents name, and what each directive shows."""

    selectors: dict[str, list[Selector]] = field(default_factory=dict)

    def add(self, module: str, selector: Selector | None) -> None:
        """Note that *module* is documented, showing what *selector* selects."""
        entries = self.selectors.setdefault(module, [])
        if selector is not None:
            entries.append(selector)

    @property
    def modules(self) -> list[str]:
        """The modules named, in document order."""
        return list(self.selectors)

    def wants(self, info: ObjectInfo) -> bool:
        """Whether some directive shows *info*."""
        return any(
            s.matches(info.local_name) for s in self.selectors.get(info.module, [])
        )


def scan(
    env: BuildEnvironment, docnames: list[str], defaults: dict[str, Any]
) -> ScanPlan:
    """Read the ``auto*`` directives of *docnames* (see the module docstring)."""
    plan = ScanPlan()
    for docname in sorted(docnames):
        try:
            text = Path(env.doc2path(docname)).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        _scan_text(text, plan, defaults)
    return plan


def _scan_text(text: str, plan: ScanPlan, defaults: dict[str, Any]) -> None:
    lines = text.splitlines()
    current = ""
    for number, line in enumerate(lines):
        match = _DIRECTIVE.match(line)
        if match is None:
            continue
        directive, target = match["name"], match["target"]
        if directive in ("currentmodule", "module"):
            current = target
            continue
        options = {**_default_options(defaults), **_options(lines, number + 1)}
        if directive == "automodule":
            plan.add(target, _module_selector(options))
            continue
        name = target
        module = _importable_prefix(target) if "." in target else ""
        if not module and current:
            name = f"{current}.{target}"
            module = _importable_prefix(name)
        if not module:
            continue
        local = name[len(module) + 1 :]
        nested = directive in _CLASS_DIRECTIVES and "members" in options
        plan.add(module, Selector(frozenset({local}), nested=nested))


def _options(lines: list[str], start: int) -> dict[str, str]:
    options: dict[str, str] = {}
    for line in lines[start:]:
        match = _OPTION.match(line)
        if match is None:
            break
        options[match["name"]] = match["value"].strip()
    return options


def _default_options(defaults: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for key in ("members", "exclude-members"):
        if key in defaults:
            value = defaults[key]
            found[key] = "" if value in (True, None) else str(value)
    return found


def _module_selector(options: dict[str, str]) -> Selector | None:
    if "members" not in options:
        return None  # only the module docstring is shown
    members = _names(options["members"])
    exclude = _names(options.get("exclude-members", "")) or frozenset()
    return Selector(members or None, exclude=exclude)


def _names(value: str) -> frozenset[str]:
    return frozenset(n.strip() for n in value.split(",") if n.strip())


def _importable_prefix(name: str) -> str:
    parts = name.split(".")
    for size in range(len(parts) - 1, 0, -1):
        candidate = ".".join(parts[:size])
        if module_file(candidate) is not None:
            return candidate
    return ""
