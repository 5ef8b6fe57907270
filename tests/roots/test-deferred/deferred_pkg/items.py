from __future__ import annotations


class Item:
    def __init__(self, value: int, comment: str | None = None) -> None:
        self.value = value
        self.comment = comment

    def as_string(self) -> str:
        return f"{self.value} # {self.comment}" if self.comment else str(self.value)

    def unwrap(self):
        return self.value


class Table(Item):
    """A table of items, by key."""

    def __init__(self, items: dict[str, Item]) -> None:
        super().__init__(len(items))
        self.items = items

    def append(self, key: str, item: Item) -> Table:
        if key in self.items:
            raise KeyError(key)
        self.items[key] = item
        return self

    def keys(self):
        yield from self.items
