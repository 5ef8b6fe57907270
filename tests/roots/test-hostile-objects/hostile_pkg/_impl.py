def later(value: int) -> int:
    return value * 2
