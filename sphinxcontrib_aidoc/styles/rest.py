"""reStructuredText info field lists, as plain Sphinx (no napoleon) reads them."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from sphinxcontrib_aidoc.styles.base import DocstringStyle, field

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.model import Param


def _escape(name: str) -> str:
    """Escape the stars of ``*args`` so reST does not start emphasis."""
    return name.replace("*", "\\*")


class RestStyle(DocstringStyle):
    """``:param x:``/``:type x:``, ``:returns:``/``:rtype:``, ``:raises X:``.

    reST has no standard yields field; generators get a generic
    ``:Yields: type -- text`` field, which Sphinx shows as its own entry.
    """

    name: ClassVar[str] = "rest"
    entry_indent: ClassVar[int] = 0
    blank_between_sections: ClassVar[bool] = False

    def header(self, kind: str) -> list[str]:
        """Field lists have no section headers."""
        return []

    def param_entry(self, param: Param, desc: str, width: int) -> list[str]:
        """Return ``:param name: desc`` and ``:type name: type`` when known."""
        name = _escape(param.display_name)
        lines = field(f":param {name}: ", desc, width)
        if param.type:
            lines.append(f":type {name}: {param.type}")
        return lines

    def returns_entry(self, type_: str, desc: str, width: int) -> list[str]:
        """Return ``:returns: desc`` and ``:rtype: type`` (each when known)."""
        lines = field(":returns: ", desc, width) if desc.strip() else []
        if type_:
            lines.append(f":rtype: {type_}")
        return lines

    def yields_entry(self, type_: str, desc: str, width: int) -> list[str]:
        """Return ``:Yields: type -- desc`` (each part when known)."""
        if not type_ and not desc.strip():
            return []
        if type_ and desc.strip():
            return field(f":Yields: {type_} -- ", desc, width)
        return field(":Yields: ", desc or type_, width)

    def raises_entry(self, name: str, desc: str, width: int) -> list[str]:
        """Return ``:raises Name: desc``."""
        return field(f":raises {name}: ", desc, width)


class SphinxFieldsStyle(RestStyle):
    """Info fields as written into a Sphinx build (not a user-facing style).

    Like :class:`RestStyle`, except that the yielded type is emphasised as
    napoleon shows it (``:Yields: *str* -- text``): Sphinx has no yields
    field that links its type, and emphasis sets the type apart from the
    text the way parameter types are.
    """

    def yields_entry(self, type_: str, desc: str, width: int) -> list[str]:
        """Return ``:Yields: *type* -- desc`` (each part when known)."""
        if not type_:
            return super().yields_entry(type_, desc, width)
        shown = type_.replace("\\", "\\\\").replace("*", "\\*").replace("`", "\\`")
        return super().yields_entry(f"*{shown}*", desc, width)
