from prose_pkg._impl import render


def table(rows: list[str]) -> str:
    return render(rows)


def header(text: str) -> str:
    return text


def load_header(key: str) -> str:
    return _lookup(key)


def _lookup(key):
    return {"a": "b"}.get(key, "")


def shrink(value: int) -> int:
    if value < 0:
        raise ValueError("negative")
    return value // 2


class Box:
    pass


class Marker(Box):
    pass


class Plain:
    def size(self) -> int:
        return len(self.__dict__)
