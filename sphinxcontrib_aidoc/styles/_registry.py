"""Style names and the renderer for each."""

from __future__ import annotations

from sphinxcontrib_aidoc.styles.base import DocstringStyle
from sphinxcontrib_aidoc.styles.google import GoogleStyle
from sphinxcontrib_aidoc.styles.numpy import NumpyStyle
from sphinxcontrib_aidoc.styles.rest import RestStyle

_STYLES: dict[str, type[DocstringStyle]] = {
    "google": GoogleStyle,
    "numpy": NumpyStyle,
    "rest": RestStyle,
}
_ALIASES = {"numpydoc": "numpy", "rst": "rest", "sphinx": "rest", "napoleon": "google"}
#: The style names ``aidoc_style`` accepts.
STYLE_NAMES: tuple[str, ...] = tuple(_STYLES)


def normalize_style(name: str) -> str:
    """Return the canonical style name for *name* (``"rst"`` gives ``"rest"``).

    Raises:
        ValueError: If *name* is not a known style or alias.
    """
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    if key not in _STYLES:
        known = ", ".join(STYLE_NAMES)
        msg = f"unknown docstring style {name!r} (expected one of: {known})"
        raise ValueError(msg)
    return key


def get_style(name: str, width: int = 88) -> DocstringStyle:
    """Return the renderer for style *name* wrapping prose at *width* columns.

    Raises:
        ValueError: If *name* is not ``google``, ``numpy`` or ``rest``.
    """
    return _STYLES[normalize_style(name)](width=width)
