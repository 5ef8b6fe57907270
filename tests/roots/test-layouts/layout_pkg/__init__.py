"""A package that publishes its API from private modules, as most do."""

from layout_pkg._api import dumps, loads, parse
from layout_pkg.core import Container, Document, Item

__all__ = ["Container", "Document", "Item", "dumps", "loads", "parse"]
