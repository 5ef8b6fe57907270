"""Numbers that call each other."""


def ping(count: int) -> int:
    """Count down through :func:`pong`."""
    return pong(count - 1) if count else 0


def pong(count: int) -> int:
    return ping(count - 1) if count else 0


def total_amount(values: list) -> float:
    return float(sum(values))
