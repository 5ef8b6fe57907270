from __future__ import annotations

from deferred_pkg.items import Table


class Document(Table):
    def render(self, indent: int = 0) -> str:
        return " " * indent + self.as_string()

    @property
    def size(self) -> int:
        return len(self.items)
