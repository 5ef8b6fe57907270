class Shape:
    def __init__(self, name: str, sides: int = 0) -> None:
        self.name = name
        self.sides = sides

    def area(self, scale: float = 1.0) -> float:
        return float(self.sides) * scale

    @property
    def label(self) -> str:
        return self.name.upper()

    def _secret(self) -> int:
        return 42


class Square(Shape):
    """A square, documented by hand."""

    def area(self, scale: float = 1.0) -> float:
        return 4.0 * scale


def skipped_by_user(flag: bool) -> bool:
    return not flag


def _private_function(x: int) -> int:
    return x


class ShapeError(Exception):
    pass
