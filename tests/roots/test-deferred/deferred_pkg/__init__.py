from deferred_pkg.api import dumps, loads, parse_table
from deferred_pkg.items import Item, Table

__all__ = ["Item", "Table", "dumps", "loads", "parse_table"]
