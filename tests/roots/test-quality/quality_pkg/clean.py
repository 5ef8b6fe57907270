"""Objects whose docstrings have no findings (Google style)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Optional


class InventoryError(Exception):
    """Signal that an inventory operation cannot be completed."""


@dataclass
class Item:
    """Describe one article kept in stock.

    Attributes:
        name: The article's display name.
        quantity: How many units are in stock.
    """

    name: str
    quantity: int = 0

    @property
    def available(self) -> bool:
        """Whether at least one unit is in stock."""
        return self.quantity > 0

    def restock(self, units: int) -> int:
        """Add units to the stock and report the new level.

        Args:
            units: How many units arrive.

        Returns:
            The quantity after restocking.

        Raises:
            InventoryError: If *units* is not positive.
        """
        if units <= 0:
            raise InventoryError("units must be positive")
        self.quantity += units
        return self.quantity


class Warehouse:
    """Keep articles by name and look them up.

    Args:
        label: A short name shown in reports.
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self._items: dict[str, Item] = {}

    def add(self, item: Item) -> None:
        """Store an article, replacing one with the same name.

        Args:
            item: The article to store.
        """
        self._items[item.name] = item

    def find(self, name: str) -> Item | None:
        """Look up an article by its display name.

        Args:
            name: The name to look for.

        Returns:
            The article, or None when there is none by that name.
        """
        return self._items.get(name)

    @classmethod
    def empty(cls) -> Warehouse:
        """Build a warehouse that holds nothing yet.

        Returns:
            A new warehouse labelled "empty".
        """
        return cls("empty")

    @staticmethod
    def normalise(name: str) -> str:
        """Turn a display name into the key used for lookups.

        Args:
            name: The display name.

        Returns:
            The name in lower case without surrounding blanks.
        """
        return name.strip().lower()


def iter_low_stock(items: list[Item], threshold: int = 1) -> Iterator[Item]:
    """Find the articles that need restocking soon.

    Args:
        items: The articles to look through.
        threshold: The quantity below which an article counts as low.

    Yields:
        Each article whose quantity is below the threshold.
    """
    for item in items:
        if item.quantity < threshold:
            yield item


def total_units(items: list[Item]) -> int:
    """Count the units of every article together.

    Args:
        items (list[Item]): The articles to count.

    Returns:
        int: The sum of their quantities.
    """
    return sum(item.quantity for item in items)


def parse_quantity(text: str, default: Optional[int] = None) -> int | None:
    """Read a quantity from what a user typed.

    Args:
        text (str): The text the user typed.
        default (int | None): The value to use when *text* is blank.

    Returns:
        Optional[int]: The quantity, or *default* for blank input.
    """
    if not text.strip():
        return default
    return int(text)
