import typing as t


def pick(limit: int | None, key: t.Callable[[int], str], flag: bool) -> str:
    return key(limit or 0) if flag else ""
