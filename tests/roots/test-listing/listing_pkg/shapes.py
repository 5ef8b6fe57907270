"""Shapes."""


def area(width: float, height: float) -> float:
    return width * height


class Square:
    def __init__(self, side: float) -> None:
        self.side = side

    def scaled(self, factor: float) -> "Square":
        return Square(self.side * factor)
