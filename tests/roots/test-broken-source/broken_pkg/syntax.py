"""A module with a syntax error."""


def fine() -> int:
    return 1


def broken(:
    return 2
