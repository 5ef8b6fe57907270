def dumps(data: dict[str, int], indent: int = 2) -> str:
    if indent < 0:
        raise ValueError("indent must not be negative")
    return " " * indent + repr(data)


def loads(text: str) -> dict[str, int]:
    return {text: len(text)}


def internal_helper(value: int) -> int:
    return value + 1
