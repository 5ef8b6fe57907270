"""Ledgers of amounts."""


class Ledger:
    """Amounts in order."""

    def __init__(self, amounts: list[int]) -> None:
        self.amounts = amounts


def open_ledger(amounts: list[int], floor: int = 0) -> Ledger:
    if floor < 0:
        raise ValueError("negative floor")
    return Ledger([a for a in amounts if a > floor])


def merge(first: Ledger, second: Ledger) -> Ledger:
    return open_ledger(first.amounts + second.amounts)


def total(ledger: Ledger) -> int:
    """Add up the amounts of *ledger*."""
    return sum(merge(ledger, Ledger([])).amounts)
