"""Shapes and helpers, mostly without docstrings."""

from __future__ import annotations

from collections.abc import Iterator


class ShapeError(Exception):
    pass


class Shape:
    def __init__(self, name: str, sides: int = 0) -> None:
        self.name = name
        self.sides = sides

    @property
    def is_polygon(self) -> bool:
        return self.sides >= 3

    def scale(self, factor: float) -> Shape:
        if factor <= 0:
            raise ValueError("factor must be positive")
        return Shape(self.name, self.sides)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Shape:
        try:
            return cls(str(data["name"]), int(str(data.get("sides", 0))))
        except KeyError as exc:
            raise ShapeError("missing name") from exc

    @staticmethod
    def parse_sides(text="3"):
        return int(text)

    def _hidden(self):
        return None


def get_area(width, height=1.0):
    return float(width) * height


def is_square(width: float, height: float) -> bool:
    return width == height


def iter_names(shapes: list[Shape]) -> Iterator[str]:
    for shape in shapes:
        yield shape.name


async def load_shapes(path: str, *, limit: int = 10) -> list[Shape]:
    del path
    return [Shape("square", 4)][:limit]


def label(shape, prefix="shape"):
    if shape is None:
        return None
    return prefix + ":" + "x"


def documented(x: int) -> int:
    """Return x doubled.

    Args:
        x: The number to double.

    Returns:
        Twice the number.
    """
    return 2 * x


def partial(a: int, b: int) -> int:
    """Add two numbers, written by a human.

    Args:
        a: The first number, as a human wrote it.
    """
    if a < 0:
        raise ValueError("negative")
    return a + b


def _private_helper():
    return 1
