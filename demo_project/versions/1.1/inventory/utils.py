"""Small helpers shared by the other inventory modules."""

import re
import warnings
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

_SKU_PATTERN = re.compile(r"^[A-Z]{3}-\d{4,}$")


def sku_prefix(category="misc"):
    return category[:3].upper()


def make_sku(category: str, number: int) -> str:
    """Build a SKU such as ``"ELE-0042"`` from a category and a serial number.

    Args:
        category: Category name; only its first three letters are used.
        number: Serial number, zero-padded to four digits.

    Returns:
        The formatted SKU.

    Raises:
        ValueError: If ``number`` is negative.
    """
    warnings.warn(
        "make_sku() is deprecated; use format_sku()", DeprecationWarning, stacklevel=2
    )
    return format_sku(category, number)


def format_sku(category, number, *, width=4):
    if number < 0:
        raise ValueError(f"serial number must be non-negative, got {number}")
    return f"{sku_prefix(category)}-{number:0{width}d}"


def is_valid_sku(sku: str) -> bool:
    """Tell whether ``sku`` follows the ``ABC-0000`` convention."""
    return bool(_SKU_PATTERN.match(sku))


def normalize_name(name: str) -> str:
    return " ".join(name.split()).title()


def parse_quantity(text: str) -> int:
    """Parse a quantity such as ``"12"`` or ``"1,200"``.

    Args:
        text: The raw text read from a file or a form.

    Returns:
        The quantity as an integer.
    """
    cleaned = text.strip().replace(",", "").replace("_", "")
    if not cleaned.isdigit():
        raise ValueError(f"not a valid quantity: {text!r}")
    return int(cleaned)


def format_money(amount, currency, *, decimals=2):
    return f"{amount:,.{decimals}f} {currency}"


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Split ``items`` into lists of ``size`` elements (the last may be shorter).

    Args:
        items: Any iterable; it is read once.
        size: Number of elements per list, at least 1.

    Yields:
        Lists of consecutive elements, in order.

    Raises:
        ValueError: If ``size`` is below 1.
    """
    if size < 1:
        raise ValueError("chunk size must be at least 1")
    batch: list[T] = []
    for element in items:
        batch.append(element)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
