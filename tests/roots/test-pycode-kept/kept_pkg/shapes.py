"""Shapes: ``#:`` comments, annotations, overloads and a final name."""

from __future__ import annotations

import enum
from typing import Final, overload

#: How many sides a shape may have, at most.
MAX_SIDES: Final = 12


class Color(enum.Enum):
    """A fill colour."""

    #: The colour of a ripe tomato.
    RED = 1
    #: The colour of the sea.
    BLUE = 2


class Box:
    """A box with a width and a height."""

    #: The width, in centimetres.
    width: int = 0
    height: float  #: The height, in centimetres.

    def __init__(self, width: int = 0, height: float = 1.0) -> None:
        self.width = width
        self.height = height

    def area(self):
        return self.width * self.height


@overload
def scale(value: int, factor: int = 2) -> int: ...
@overload
def scale(value: float, factor: float = 2.0, *, exact: bool = False) -> float: ...
def scale(value, factor=2, *, exact=False):
    return value * factor


def describe(box, color=Color.RED):
    return f"{color.name} box of {box.width}"
