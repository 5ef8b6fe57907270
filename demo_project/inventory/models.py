"""Domain objects: categories, items and warehouses."""

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

from inventory.errors import ValidationError
from inventory.utils import is_valid_sku, normalize_name, parse_quantity


class Category(Enum):
    """Product families used to group items and build SKU prefixes."""

    ELECTRONICS = "electronics"
    FURNITURE = "furniture"
    GROCERY = "grocery"
    TOOLS = "tools"
    MISC = "misc"

    @classmethod
    def parse(cls, value: str) -> "Category":
        try:
            return cls(value.strip().lower())
        except ValueError:
            return cls.MISC


@dataclass
class Item:
    """A stocked product.

    Args:
        sku: Unique stock-keeping unit, e.g. ``"ELE-0042"``.
        name: Human-readable product name.
        unit_price: Price of one unit, in the store currency.
        quantity: Units currently in stock.
        category: Product family.
        reorder_level: Stock level at or below which to reorder.
    """

    sku: str
    name: str
    unit_price: float
    quantity: int = 0
    category: Category = Category.MISC
    reorder_level: int = 10
    tags: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.validate_sku(self.sku)
        if self.unit_price < 0:
            raise ValidationError(f"negative price for {self.sku}")
        if self.quantity < 0:
            raise ValidationError(f"negative quantity for {self.sku}")

    @staticmethod
    def validate_sku(sku: str) -> str:
        """Check that a SKU is well formed.

        Args:
            sku: The SKU to check.

        Returns:
            The SKU, unchanged, so the call can be used inline.

        Raises:
            ValidationError: If the SKU does not match ``ABC-0000``.
        """
        if not is_valid_sku(sku):
            raise ValidationError(f"malformed SKU: {sku!r}")
        return sku

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Item":
        """Build an item from a mapping such as one decoded from JSON.

        Args:
            data: Mapping with at least ``sku``, ``name`` and ``unit_price``.

        Returns:
            A new :class:`Item`.
        """
        try:
            return cls(
                sku=data["sku"],
                name=normalize_name(data["name"]),
                unit_price=float(data["unit_price"]),
                quantity=int(data.get("quantity", 0)),
                category=Category.parse(data.get("category", "misc")),
                reorder_level=int(data.get("reorder_level", 10)),
                tags=list(data.get("tags", [])),
            )
        except KeyError as exc:
            raise ValidationError(f"missing field {exc.args[0]!r}") from exc

    @classmethod
    def from_csv_row(cls, row: list[str]):
        sku, name, price, quantity, category = row[:5]
        return cls(
            sku=sku.strip(),
            name=normalize_name(name),
            unit_price=float(price),
            quantity=parse_quantity(quantity),
            category=Category.parse(category),
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["category"] = self.category.value
        return data

    def to_csv_row(self):
        return [
            self.sku,
            self.name,
            f"{self.unit_price:.2f}",
            str(self.quantity),
            self.category.value,
        ]

    @property
    def stock_value(self) -> float:
        """Total value of the units in stock."""
        return self.unit_price * self.quantity

    @property
    def is_low_stock(self):
        return self.quantity <= self.reorder_level


class Warehouse:
    """A physical site with a limited number of storage slots.

    Args:
        name: Display name of the site.
        capacity: Maximum number of units the site can hold.
    """

    def __init__(self, name: str, capacity: int = 10_000) -> None:
        self.name = name
        self._capacity = capacity
        self._used = 0

    @property
    def capacity(self) -> int:
        """Maximum number of units; assigning a negative number fails."""
        return self._capacity

    @capacity.setter
    def capacity(self, value: int) -> None:
        if value < 0:
            raise ValueError("capacity cannot be negative")
        if value < self._used:
            raise ValueError(f"{self.name} already holds {self._used} units")
        self._capacity = value

    @property
    def utilization(self):
        if self._capacity == 0:
            return 1.0
        return self._used / self._capacity

    def reserve(self, units: int) -> None:
        """Reserve storage space for incoming units.

        Args:
            units: Number of units that will be stored.

        Raises:
            ValueError: If ``units`` is negative or exceeds the free space.
        """
        if units < 0:
            raise ValueError("cannot reserve a negative number of units")
        if self._used + units > self._capacity:
            raise ValueError(f"{self.name} has no room for {units} more units")
        self._used += units
