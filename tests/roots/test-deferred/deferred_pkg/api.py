from __future__ import annotations

from deferred_pkg.items import Item, Table


def dumps(data: dict, sort_keys: bool = False) -> str:
    keys = sorted(data) if sort_keys else list(data)
    return "\n".join(f"{key} = {data[key]}" for key in keys)


def loads(text: str) -> Table:
    """Parse *text* into a table.

    Args:
        text: The document, one ``key = value`` per line.

    Returns:
        The table of its items.
    """
    return parse_table(text.splitlines())


def parse_table(lines, strict=True):
    table = Table({})
    for line in lines:
        if "=" not in line:
            if strict:
                raise ValueError(line)
            continue
        key, _, value = line.partition("=")
        table.append(key.strip(), Item(int(value)))
    return table
