"""Plane geometry on square grids."""


class Grid:
    """A square grid of cells, each ``size`` units wide."""

    def __init__(self, size):
        self.size = size

    def cell_area(self):
        return square(self.size)


def square(x):
    """Multiply *x* by itself."""
    return x * x


def total_area(grid, count):
    return grid.cell_area() * count
