"""Shapes: two objects are listed in the docs, one is not."""


class Shape:
    def scale(self, factor: float) -> float:
        return factor


def get_area(width: float, height: float) -> float:
    return width * height


def not_listed(value: int) -> int:
    return value
