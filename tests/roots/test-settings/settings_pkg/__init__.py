"""A tiny package for the settings tests."""


def documented(value: int) -> int:
    """Return *value* doubled.

    :param value: The number to double.
    :returns: Twice *value*.
    """
    return value * 2


def undocumented(text: str, width: int = 10) -> str:
    return text[:width]
