"""A package whose docs use a theme-like skip handler."""


def undocumented(value: int) -> int:
    return value


def excluded_on_purpose(value: int) -> int:
    return value


def documented(value: int) -> int:
    """Return *value* unchanged."""
    return value
