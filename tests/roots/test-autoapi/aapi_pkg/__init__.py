"""A package that publishes its API through ``__init__`` and ``__all__``."""

from aapi_pkg._impl import dumps, loads
from aapi_pkg.shapes import Shape

__all__ = ["Shape", "documented", "dumps", "loads"]


def documented(count: int, label: str = "x") -> str:
    """Repeat a label, as its author wrote it.

    The delimiter: nothing, the label is repeated as is.

    :param count: how many times.
    :param label: the text to repeat.
    :returns: the repeated label.
    """
    return label * count
