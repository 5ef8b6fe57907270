"""Google style, as napoleon reads it: ``Args:``, ``Returns:``, ``Raises:``."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from sphinxcontrib_aidoc.styles._text import split_colon
from sphinxcontrib_aidoc.styles.base import DocstringStyle, field

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.model import Param

_HEADERS = {
    "params": "Args:",
    "returns": "Returns:",
    "yields": "Yields:",
    "raises": "Raises:",
}


class GoogleStyle(DocstringStyle):
    """``Args:`` entries as ``name (type): text`` indented by four spaces."""

    name: ClassVar[str] = "google"
    entry_indent: ClassVar[int] = 4

    def header(self, kind: str) -> list[str]:
        """Return ``["Args:"]`` and the like."""
        return [_HEADERS[kind]]

    def param_entry(self, param: Param, desc: str, width: int) -> list[str]:
        """Return ``name (type): desc`` (the type only when known)."""
        typed = f" ({param.type})" if param.type else ""
        return field(f"{param.display_name}{typed}: ", desc, width)

    def returns_entry(self, type_: str, desc: str, width: int) -> list[str]:
        """Return ``type: desc``, or just the text when the type is unknown."""
        return self._value(type_, desc, width)

    def yields_entry(self, type_: str, desc: str, width: int) -> list[str]:
        """Return ``type: desc``, or just the text when the type is unknown."""
        return self._value(type_, desc, width)

    def raises_entry(self, name: str, desc: str, width: int) -> list[str]:
        """Return ``Name: desc``."""
        return field(f"{name}: ", desc, width)

    @staticmethod
    def _value(type_: str, desc: str, width: int) -> list[str]:
        if type_:
            # Continuation lines of a Returns/Yields body are not indented.
            return field(f"{type_}: ", desc, width, indent=0)
        if not desc.strip():
            return []
        lines = field("", desc, width, indent=0)
        # napoleon reads ``text: more`` on the first line as ``type: desc``.
        # An escaped colon (``\\:``) counts too: napoleon splits on it.
        before, after, found = split_colon(lines[0])
        if found:
            lines[0] = f"{before.removesuffix(chr(92))} - {after}".rstrip()
        return lines
