"""In-memory stock storage, with simulated remote synchronisation."""

import asyncio
import random
from collections.abc import Iterator

from inventory.errors import (
    DuplicateItemError,
    InsufficientStockError,
    ItemNotFoundError,
    RemoteStockError,
)
from inventory.models import Category, Item


async def fetch_remote_stock(url: str, timeout: float = 5.0) -> dict[str, int]:
    """Fetch stock levels from a supplier feed (simulated, no network).

    Args:
        url: Address of the supplier feed; must use ``https``.
        timeout: Seconds to wait before giving up.

    Returns:
        A mapping from SKU to the quantity reported by the supplier.

    Raises:
        ValueError: If ``url`` is not an ``https`` address.
        RemoteStockError: If the feed does not answer within ``timeout``.
    """
    if not url.startswith("https://"):
        raise ValueError(f"refusing insecure feed URL: {url}")
    try:
        await asyncio.wait_for(asyncio.sleep(0.01), timeout=timeout)
    except asyncio.TimeoutError as exc:
        raise RemoteStockError(f"{url} did not answer in {timeout}s") from exc
    seed = sum(map(ord, url))
    return {f"ELE-{n:04d}": (seed * n) % 50 for n in range(1, 4)}


async def stream_stock_updates(skus, interval=0.01):
    rng = random.Random(len(skus))
    for sku in skus:
        await asyncio.sleep(interval)
        yield sku, rng.randint(-5, 5)


class Inventory:
    """A collection of items indexed by SKU.

    Args:
        items: Optional initial items.
    """

    def __init__(self, items: list[Item] | None = None) -> None:
        self._items: dict[str, Item] = {}
        self.last_sync_failed = False
        for item in items or []:
            self.add(item)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, sku: object) -> bool:
        return sku in self._items

    def add(self, item: Item) -> None:
        """Register a new item.

        Args:
            item: The item to add.

        Raises:
            DuplicateItemError: If an item with the same SKU exists.
        """
        if item.sku in self._items:
            raise DuplicateItemError(item.sku)
        self._items[item.sku] = item

    def get(self, sku: str) -> Item:
        """Return the item stored under ``sku``.

        Args:
            sku: The SKU to look up.

        Returns:
            The matching item.
        """
        try:
            return self._items[sku]
        except KeyError as exc:
            raise ItemNotFoundError(sku) from exc

    def remove(self, sku):
        if sku not in self._items:
            raise KeyError(sku)
        return self._items.pop(sku)

    def withdraw(self, sku: str, quantity: int) -> int:
        """Take units out of stock and return the remaining quantity.

        Args:
            sku: The item to withdraw from.
        """
        item = self.get(sku)
        if quantity > item.quantity:
            raise InsufficientStockError(sku, quantity, item.quantity)
        item.quantity -= quantity
        return item.quantity

    def iter_items(self, category: Category | None = None) -> Iterator[Item]:
        """Iterate over stored items, optionally restricted to one category.

        Args:
            category: Only yield items of this category when given.

        Yields:
            Items in insertion order.
        """
        for item in self._items.values():
            if category is None or item.category is category:
                yield item

    def iter_low_stock(self):
        for item in self._items.values():
            if item.is_low_stock:
                yield item

    async def sync_from_remote(self, url: str, timeout: float = 5.0) -> int:
        """Overwrite local quantities with those reported by a supplier feed.

        Args:
            url: Address of the supplier feed.
            timeout: Seconds to wait for the feed.

        Returns:
            The number of items whose quantity was updated.
        """
        try:
            remote = await fetch_remote_stock(url, timeout=timeout)
        except RemoteStockError:
            self.last_sync_failed = True
            raise
        updated = 0
        for sku, quantity in remote.items():
            if sku in self._items:
                self._items[sku].quantity = quantity
                updated += 1
        self.last_sync_failed = False
        return updated

    @property
    def total_value(self) -> float:
        return sum(item.stock_value for item in self._items.values())
