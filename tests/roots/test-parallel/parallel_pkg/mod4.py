"""Module 4."""


class Counter4:
    def __init__(self, start: int = 4) -> None:
        self.value = start

    def increment(self, step=1):
        self.value += step
        return self.value

    @property
    def doubled(self) -> int:
        return self.value * 2


def load_items_4(path: str, limit=10) -> list[str]:
    if limit < 0:
        raise ValueError("limit must not be negative")
    return [path] * limit


def iter_values_4(count: int):
    for n in range(count):
        yield n * 4


def documented_4(x: int) -> int:
    """Return x plus 4.

    Args:
        x: A number.

    Returns:
        The sum.
    """
    return x + 4
