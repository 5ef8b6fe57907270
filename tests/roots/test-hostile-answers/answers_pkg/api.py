"""Functions whose prose a hostile model writes (see tests/hostile_corpus.py)."""


def measure_0(width, height):
    if width < 0:
        raise ValueError("negative width")
    return width * height


def measure_1(width, height):
    if width < 0:
        raise ValueError("negative width")
    return width * height


def measure_2(width, height):
    if width < 0:
        raise ValueError("negative width")
    return width * height


def measure_3(width, height):
    if width < 0:
        raise ValueError("negative width")
    return width * height


def measure_4(width, height):
    if width < 0:
        raise ValueError("negative width")
    return width * height


def measure_5(width, height):
    if width < 0:
        raise ValueError("negative width")
    return width * height


def measure_6(width, height):
    if width < 0:
        raise ValueError("negative width")
    return width * height


def measure_7(width, height):
    if width < 0:
        raise ValueError("negative width")
    return width * height
