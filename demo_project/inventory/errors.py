"""Exceptions; all derive from :class:`InventoryError`."""


class InventoryError(Exception):
    """Base class for all errors raised by the inventory library."""


class ItemNotFoundError(InventoryError, KeyError):
    """Raised when a SKU is not present in an inventory.

    Args:
        sku: The SKU that could not be found.
    """

    def __init__(self, sku: str) -> None:
        super().__init__(sku)
        self.sku = sku

    def __str__(self) -> str:
        return f"no item with SKU {self.sku!r}"


class DuplicateItemError(InventoryError):
    def __init__(self, sku: str) -> None:
        super().__init__(f"an item with SKU {sku!r} already exists")
        self.sku = sku


class InsufficientStockError(InventoryError):
    """Raised when a withdrawal would make the stock negative."""

    def __init__(self, sku: str, requested: int, available: int) -> None:
        super().__init__(
            f"cannot take {requested} of {sku!r}: only {available} in stock"
        )
        self.sku = sku
        self.requested = requested
        self.available = available

    @property
    def shortfall(self) -> int:
        return self.requested - self.available


class ValidationError(InventoryError, ValueError):
    """Raised when an item field has an invalid value."""


class ImportFormatError(InventoryError):
    def __init__(self, source: str, line: int | None = None) -> None:
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"malformed inventory data in {where}")
        self.source = source
        self.line = line


class PricingError(InventoryError):
    pass


class RemoteStockError(InventoryError):
    pass
