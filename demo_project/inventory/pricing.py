"""Price calculations: discounts, taxes and restocking costs."""

import warnings
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from inventory.errors import PricingError
from inventory.models import Item

DEFAULT_TAX_RATE = 0.2


def apply_discount(price: float, percent: float) -> float:
    """Reduce a price by a percentage.

    Args:
        price: Original price.
        percent: Discount between 0 and 100.

    Returns:
        The discounted price.

    Raises:
        ValueError: If ``percent`` is outside ``[0, 100]``.
    """
    if not 0 <= percent <= 100:
        raise ValueError(f"discount must be between 0 and 100, got {percent}")
    return price * (1 - percent / 100)


def price_with_tax(price, rate=DEFAULT_TAX_RATE):
    return round(price * (1 + rate), 2)


def restock_amount(current, target=100):
    return max(target - current, 0)


def legacy_unit_price(item, currency="EUR"):
    """Return the unit price as a string.

    .. deprecated:: 1.0
       Use :func:`inventory.utils.format_money` instead.
    """
    warnings.warn(
        "legacy_unit_price() is deprecated; use inventory.utils.format_money()",
        DeprecationWarning,
        stacklevel=2,
    )
    return f"{item.unit_price:.2f} {currency}"


@dataclass
class DiscountRule:
    """A percentage discount applied to every item carrying a tag."""

    tag: str
    percent: float

    def applies_to(self, item: Item) -> bool:
        return self.tag in item.tags


class PriceList:
    """Computes selling prices for items, applying discount rules and tax.

    Args:
        tax_rate: Tax rate as a fraction, e.g. ``0.2`` for 20 %.
        rules: Discount rules, applied in order.
    """

    def __init__(
        self,
        tax_rate: float = DEFAULT_TAX_RATE,
        rules: list[DiscountRule] | None = None,
    ) -> None:
        self.tax_rate = tax_rate
        self.rules = list(rules or [])

    @staticmethod
    def round_price(amount: float) -> float:
        """Round a price to the cent, halves away from zero."""
        cents = Decimal(str(amount)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return float(cents)

    def add_rule(self, rule):
        self.rules.append(rule)
        return self

    def selling_price(self, item: Item) -> float:
        """Price of one unit of ``item`` after discounts and tax.

        Args:
            item: The item to price.

        Returns:
            The final unit price, rounded to the cent.

        Raises:
            PricingError: If the combined discounts exceed 100 %.
        """
        total_discount = sum(r.percent for r in self.rules if r.applies_to(item))
        if total_discount > 100:
            raise PricingError(f"discounts on {item.sku} add up to {total_discount}%")
        net = apply_discount(item.unit_price, total_discount)
        return self.round_price(price_with_tax(net, self.tax_rate))
