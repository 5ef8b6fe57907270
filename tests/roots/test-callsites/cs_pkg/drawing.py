from cs_pkg.shapes import scale


def draw():
    scale(3, 1.5)
