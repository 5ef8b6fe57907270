"""Ledgers of amounts."""

from collections.abc import Callable


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


def each(ledger: Ledger, step: Callable[..., int]) -> list[int]:
    return [step(a) for a in ledger.amounts]


def scale(ledger: Ledger, factor: int) -> Ledger:
    """Scale every amount.

    :param ledger: the ledger's amounts -- all of them.
    """
    return Ledger([a * factor for a in ledger.amounts])


def shift(ledger: Ledger, by: int) -> Ledger:
    """Shift every amount.

    :param ledger: read `the guide <https://example.org/guide>`_ first.
    """
    return Ledger([a + by for a in ledger.amounts])
