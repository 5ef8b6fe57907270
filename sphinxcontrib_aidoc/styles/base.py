"""The :class:`DocstringStyle` ABC: a Draft plus an ObjectInfo to lines.

Structure (which parameters, return and yield types, which exceptions) comes
from the :class:`~sphinxcontrib_aidoc.model.ObjectInfo` only; the
:class:`~sphinxcontrib_aidoc.model.Draft` contributes prose. A subclass says
how one entry and one section look; this module decides which sections an
object gets and lays them out.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from sphinxcontrib_aidoc.model import ROUTINE_KINDS
from sphinxcontrib_aidoc.styles._text import wrap_text
from sphinxcontrib_aidoc.styles.escape import rst_draft

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.model import Draft, ObjectInfo, Param

#: Canonical order of the structured sections.
SECTION_ORDER: dict[str, int] = {"params": 0, "returns": 1, "yields": 2, "raises": 3}


@dataclass(frozen=True, slots=True)
class Outline:
    """The structured sections an object's docstring should have.

    ``returns``/``yields`` hold the type (``""`` when unknown), or None when
    the section does not apply. ``returns_note``/``yields_note`` is a
    sentence the entry's description must carry (:func:`outer_only_note`
    when the type proves a container but not what it holds).
    """

    params: tuple[Param, ...] = ()
    returns: str | None = None
    yields: str | None = None
    raises: tuple[str, ...] = ()
    returns_note: str = ""
    yields_note: str = ""


#: The containers an outer-only type names first (see :func:`outer_only_note`).
_CONTAINER = re.compile(
    r"\b(list|dict|set|frozenset|tuple|deque|defaultdict|OrderedDict|Counter)\b"
)


def outer_only_note(type_text: str) -> str:
    """Said of a value whose inferred type names a container without its items.

    Self-contained, so that it reads as the whole description too:
    ``What the ``list`` holds is not known.``
    """
    found = _CONTAINER.search(type_text)
    what = f"the ``{found.group(1)}``" if found else "it"
    return f"What {what} holds is not known."


def param_note(param: Param) -> str:
    """The sentence a parameter's entry must carry about its type, or ``""``.

    A type read from the project's calls is what every call passes, which
    may be narrower than what the function accepts: the entry says so.
    """
    if param.type and param.evidence == "call sites":
        return f"Every call in the project passes {_article(param.type)}."
    return ""


def _article(type_: str) -> str:
    """``a ``str````, ``an ``int````; a ``~pkg.mod.Class`` shows as ``Class``."""
    short = re.sub(r"~(?:\w+\.)*(\w+)", r"\1", type_)
    return f"{'an' if short[:1].lower() in 'aeiou' else 'a'} ``{short}``"


def with_note(desc: str, note: str) -> str:
    """*desc* followed by *note* (a sentence), unless it already says it."""
    if not note or note in desc:
        return desc
    text = desc.rstrip()
    if text and text[-1] not in ".!?":
        text += "."
    return f"{text} {note}" if text else note


def outline(info: ObjectInfo) -> Outline:
    """Return the sections *info* calls for.

    Properties get no parameter, return or yield sections (their value is the
    summary's subject). Generators document what they yield; analysis gives
    them a ``returns`` only when they also ``return`` a value.
    """
    raises = tuple(dict.fromkeys(info.raises))
    if info.kind == "property":
        return Outline(raises=raises)
    params = info.documented_params
    if info.kind not in ROUTINE_KINDS:
        return Outline(params=params, raises=raises)
    returns: str | None = None
    yields: str | None = None
    notes = {"returns_note": "", "yields_note": ""}
    if info.yields is not None:
        yields = info.yields.type or ""
        notes["yields_note"] = outer_only_note(yields) if info.yields.outer_only else ""
    if info.returns is not None and info.returns.type != "None":
        returns = info.returns.type or ""
        notes["returns_note"] = (
            outer_only_note(returns) if info.returns.outer_only else ""
        )
    return Outline(
        params=params, returns=returns, yields=yields, raises=raises, **notes
    )


class DocstringStyle(ABC):
    """One docstring convention: how entries and sections are written.

    Args:
        width: Maximum line length of the rendered lines, not counting the
            indentation the docstring gets in the source file.
    """

    #: Name used by ``aidoc_style`` and :func:`get_style`.
    name: ClassVar[str]
    #: Indentation of entries inside a section this style creates.
    entry_indent: ClassVar[int] = 0
    #: Whether sections are separated by a blank line.
    blank_between_sections: ClassVar[bool] = True

    def __init__(self, width: int = 88) -> None:
        self.width = width

    def __repr__(self) -> str:
        return f"{type(self).__name__}(width={self.width})"

    # -- entries: lines at indentation 0, continuation lines indented -------

    @abstractmethod
    def param_entry(self, param: Param, desc: str, width: int) -> list[str]:
        """Return the lines documenting one parameter."""

    @abstractmethod
    def returns_entry(self, type_: str, desc: str, width: int) -> list[str]:
        """Return the lines of the returns section body (``[]`` to omit it)."""

    @abstractmethod
    def yields_entry(self, type_: str, desc: str, width: int) -> list[str]:
        """Return the lines of the yields section body (``[]`` to omit it)."""

    @abstractmethod
    def raises_entry(self, name: str, desc: str, width: int) -> list[str]:
        """Return the lines documenting one exception."""

    @abstractmethod
    def header(self, kind: str) -> list[str]:
        """Return the header lines of a section (``kind`` as in SECTION_ORDER)."""

    # -- layout --------------------------------------------------------------

    def section(self, kind: str, entries: list[str]) -> list[str]:
        """Return a whole section: header plus *entries* indented for it."""
        pad = " " * self.entry_indent
        return [*self.header(kind), *(pad + line if line else "" for line in entries)]

    def sections(self, info: ObjectInfo, draft: Draft) -> list[tuple[str, list[str]]]:
        """Return ``(kind, entry lines)`` for each section *info* calls for."""
        plan = outline(info)
        width = self.width - self.entry_indent
        found: list[tuple[str, list[str]]] = []
        params: list[str] = []
        for param in plan.params:
            desc = with_note(draft.param_doc(param.name), param_note(param))
            params.extend(self.param_entry(param, desc, width))
        if params:
            found.append(("params", params))
        if plan.returns is not None:
            desc = with_note(draft.returns, plan.returns_note)
            body = self.returns_entry(plan.returns, desc, width)
            if body:
                found.append(("returns", body))
        if plan.yields is not None:
            desc = with_note(draft.yields, plan.yields_note)
            body = self.yields_entry(plan.yields, desc, width)
            if body:
                found.append(("yields", body))
        raises: list[str] = []
        for name in plan.raises:
            raises.extend(self.raises_entry(name, draft.raises_doc(name), width))
        if raises:
            found.append(("raises", raises))
        return found

    def render(self, info: ObjectInfo, draft: Draft) -> list[str]:
        """Return the docstring lines for *info* with the prose of *draft*.

        The result starts with the summary, has no trailing blank line and is
        not indented: callers indent it as their context requires. A
        model's words are escaped here (:func:`.escape.rst_draft`), so they
        show as text whatever they say.
        """
        draft = rst_draft(draft)
        lines = wrap_text(draft.summary.strip(), self.width)
        description = wrap_text(draft.description, self.width)
        if description:
            lines.extend(["", *description] if lines else description)
        first = True
        for kind, entries in self.sections(info, draft):
            if lines and (first or self.blank_between_sections):
                lines.append("")
            lines.extend(self.section(kind, entries))
            first = False
        return lines


def field(prefix: str, desc: str, width: int, indent: int = 4) -> list[str]:
    """Return *prefix* followed by *desc* wrapped with a hanging indent."""
    return wrap_text(desc, width, prefix, " " * indent)


def block(first: str, desc: str, width: int, indent: int = 4) -> list[str]:
    """Return the line *first* followed by *desc* indented below it."""
    pad = " " * indent
    return [first, *wrap_text(desc, width, pad, pad)]
