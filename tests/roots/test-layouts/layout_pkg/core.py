class Item:
    def __init__(self, key: str, value: int = 0) -> None:
        self.key = key
        self.value = value

    def as_tuple(self) -> tuple:
        return (self.key, self.value)


class Container:
    def __init__(self) -> None:
        self.items: list = []

    def add(self, item: Item) -> None:
        self.items.append(item)

    def documented(self) -> int:
        """Count the items (written by a person)."""
        return len(self.items)

    @property
    def size(self) -> int:
        return len(self.items)


class Document(Container):
    def __init__(self, data: dict) -> None:
        super().__init__()
        self.data = data

    def render(self) -> str:
        return str(self.data)

    def documented(self) -> int:
        return len(self.data)
