"""inventory: a small warehouse and stock-keeping library.

Example::

    from inventory import Inventory, Item

    stock = Inventory([Item("ELE-0001", "Desk Lamp", 24.5, quantity=12)])
"""

from inventory.errors import InventoryError, ItemNotFoundError
from inventory.models import Category, Item, Warehouse
from inventory.pricing import PriceList
from inventory.storage import Inventory, fetch_remote_stock

__version__ = "1.1.0"

__all__ = [
    "Category",
    "Inventory",
    "InventoryError",
    "Item",
    "ItemNotFoundError",
    "PriceList",
    "Warehouse",
    "fetch_remote_stock",
]
