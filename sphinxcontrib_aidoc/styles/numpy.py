"""NumPy style, as numpydoc and napoleon read it: underlined section titles."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from sphinxcontrib_aidoc.styles.base import DocstringStyle, block

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.model import Param

_TITLES = {
    "params": "Parameters",
    "returns": "Returns",
    "yields": "Yields",
    "raises": "Raises",
}


class NumpyStyle(DocstringStyle):
    """``name : type`` lines with the description indented below them.

    A NumPy ``Returns``/``Yields`` entry must start with a type, so when the
    type is unknown those sections are left out rather than given a made-up
    type (napoleon would show the description as the return type).
    """

    name: ClassVar[str] = "numpy"
    entry_indent: ClassVar[int] = 0

    def header(self, kind: str) -> list[str]:
        """Return the title and its dashed underline."""
        title = _TITLES[kind]
        return [title, "-" * len(title)]

    def param_entry(self, param: Param, desc: str, width: int) -> list[str]:
        """Return ``name : type`` (or ``name``) and the indented description."""
        typed = f" : {param.type}" if param.type else ""
        return block(f"{param.display_name}{typed}", desc, width)

    def returns_entry(self, type_: str, desc: str, width: int) -> list[str]:
        """Return the type line and the indented description."""
        return block(type_, desc, width) if type_ else []

    def yields_entry(self, type_: str, desc: str, width: int) -> list[str]:
        """Return the type line and the indented description."""
        return block(type_, desc, width) if type_ else []

    def raises_entry(self, name: str, desc: str, width: int) -> list[str]:
        """Return the exception name and the indented condition."""
        return block(name, desc, width)
