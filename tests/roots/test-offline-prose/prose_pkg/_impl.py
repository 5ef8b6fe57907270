def render(rows: list[str]) -> str:
    """Join the rows with newlines, each stripped of trailing spaces."""
    return "\n".join(row.rstrip() for row in rows)
