"""Colours."""


def hex_code(red, green, blue):
    """Return the hex code of a colour."""
    return f"#{red:02x}{green:02x}{blue:02x}"


def is_dark(color):
    return sum(color) < 300
