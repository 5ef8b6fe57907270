"""Module 1."""


class Counter1:
    def __init__(self, start: int = 1) -> None:
        self.value = start

    def increment(self, step=1):
        self.value += step
        return self.value

    @property
    def doubled(self) -> int:
        return self.value * 2


def load_items_1(path: str, limit=10) -> list[str]:
    if limit < 0:
        raise ValueError("limit must not be negative")
    return [path] * limit


def iter_values_1(count: int):
    for n in range(count):
        yield n * 1


def documented_1(x: int) -> int:
    """Return x plus 1.

    Args:
        x: A number.

    Returns:
        The sum.
    """
    return x + 1
