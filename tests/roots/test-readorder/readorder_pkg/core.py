def scale(value: float, factor: float = 2.0) -> float:
    if factor == 0:
        raise ValueError("factor must not be zero")
    return value * factor
