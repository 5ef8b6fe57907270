"""Conversions."""


def parse_size(text, *, strict=True):
    """Parse a size such as ``3x4``."""
    return tuple(int(p) for p in text.split("x"))


def format_size(size):
    return "x".join(str(p) for p in size)
