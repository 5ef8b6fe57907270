"""Shapes."""


def area(width, height):
    """Return the area of a rectangle."""
    return width * height


def perimeter(width, height):
    return 2 * (width + height)


def scale(shape, factor):
    """Scale a shape by a factor."""
    return shape


def old_helper(value):
    """Do what the old helper did."""
    return value


class Shape:
    """A shape."""

    def __init__(self, sides):
        self.sides = sides

    def describe(self, verbose=False):
        """Describe the shape."""
        return str(self.sides)
