"""Import and export of inventories as CSV and JSON files."""

import csv
import json
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from inventory.errors import ImportFormatError
from inventory.models import Item
from inventory.storage import Inventory

logger = logging.getLogger(__name__)

CSV_HEADER = ["sku", "name", "unit_price", "quantity", "category"]


def read_csv_rows(path: str | Path) -> Iterator[tuple[int, list[str]]]:
    """Yield the non-empty data rows of a CSV file with their line numbers.

    Args:
        path: File to read. The first line must be the header.

    Yields:
        ``(line_number, row)`` pairs.

    Raises:
        ImportFormatError: If the header is missing or unexpected.
    """
    with Path(path).open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header != CSV_HEADER:
            raise ImportFormatError(str(path), 1)
        for row in reader:
            if any(cell.strip() for cell in row):
                yield reader.line_num, row


def _parse_row(source: str, line: int, row: list[str]) -> Item:
    try:
        return Item.from_csv_row(row)
    except ValueError as exc:
        raise ImportFormatError(source, line) from exc


def import_csv(path: str | Path) -> Inventory:
    """Load an inventory from a CSV file written by :func:`export_csv`.

    Args:
        path: File to read.

    Returns:
        A new inventory holding every row of the file.
    """
    rows = read_csv_rows(path)
    return Inventory([_parse_row(str(path), line, row) for line, row in rows])


def export_csv(items: Iterable[Item], path: str | Path) -> int:
    """Write items to a CSV file.

    Args:
        items: Items to write.
        path: Destination file; it is overwritten.

    Returns:
        The number of rows written, header excluded.

    Raises:
        OSError: If the file cannot be written.
    """
    count = 0
    try:
        with Path(path).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(CSV_HEADER)
            for item in items:
                writer.writerow(item.to_csv_row())
                count += 1
    except OSError:
        logger.error("could not export inventory to %s", path)
        raise
    return count


def import_json(path):
    try:
        records = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ImportFormatError(str(path), exc.lineno) from exc
    if not isinstance(records, list):
        raise ImportFormatError(str(path))
    return Inventory([Item.from_dict(record) for record in records])


def export_json(inventory: Inventory, path: str | Path, indent: int = 2) -> None:
    """Write an inventory to a JSON file as a list of objects."""
    records = [item.to_dict() for item in inventory.iter_items()]
    Path(path).write_text(json.dumps(records, indent=indent), encoding="utf-8")
