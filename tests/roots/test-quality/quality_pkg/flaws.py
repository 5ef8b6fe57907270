"""Objects with one docstring flaw each; the comment names its code."""

from __future__ import annotations

from collections.abc import Iterator


def no_docstring(value: int) -> int:  # AID100
    return value * 2


def missing_summary(value: int) -> int:  # AID101
    """
    Args:
        value: The number to double.

    Returns:
        Twice the number.
    """
    return value * 2


def undocumented_parameter(value: int, factor: int) -> int:  # AID102
    """Multiply a number by a factor.

    Args:
        value: The number to multiply.

    Returns:
        The product of both numbers.
    """
    return value * factor


def missing_returns(value: int) -> int:  # AID103
    """Double a number for the caller.

    Args:
        value: The number to double.
    """
    return value * 2


def missing_raises(value: int) -> int:  # AID104
    """Check that a number is positive and give it back.

    Args:
        value: The number to check.

    Returns:
        The same number.
    """
    if value < 0:
        raise ValueError("negative")
    return value


def missing_yields(limit: int) -> Iterator[int]:  # AID105
    """Count from zero up to a limit.

    Args:
        limit: The number to stop before.
    """
    number = 0
    while number < limit:
        yield number
        number += 1


class MissingAttributes:  # AID106
    """Hold the settings of a report page.

    Args:
        title: The heading of the page.
    """

    level: int = 1

    def __init__(self, title: str) -> None:
        self.title = title


def unknown_parameter(value: int) -> int:  # AID201
    """Double a number for the caller.

    Args:
        value: The number to double.
        factor: A parameter that the signature lacks.

    Returns:
        Twice the number.
    """
    return value * 2


def wrong_type(value: int) -> int:  # AID202
    """Double a number for the caller.

    Args:
        value (str): The number to double.

    Returns:
        Twice the number.
    """
    return value * 2


def never_raised(value: int) -> int:  # AID203
    """Double a number for the caller.

    Args:
        value: The number to double.

    Returns:
        Twice the number.

    Raises:
        KeyError: When the number is unknown.
    """
    return value * 2


def returns_not_yields(limit: int) -> Iterator[int]:  # AID204 (and AID105)
    """Count from zero up to a limit.

    Args:
        limit: The number to stop before.

    Returns:
        The numbers in order.
    """
    number = 0
    while number < limit:
        yield number
        number += 1


def numpy_style(value: int) -> int:  # AID301
    """Double a number for the caller.

    Parameters
    ----------
    value : int
        The number to double.

    Returns
    -------
    int
        Twice the number.
    """
    return value * 2


def sections_out_of_order(value: int) -> int:  # AID302
    """Check that a number is positive and give it back.

    Returns:
        The same number.

    Args:
        value: The number to check.
    """
    return value


def two_sentences(value: int) -> int:  # AID303
    """Double a number. The caller gets twice the value back.

    Args:
        value: The number to double.

    Returns:
        Twice the number.
    """
    return value * 2


def not_imperative(value: int) -> int:  # AID304
    """Doubles a number for the caller.

    Args:
        value: The number to double.

    Returns:
        Twice the number.
    """
    return value * 2


def empty_section(value: int) -> int:  # AID305
    """Double a number for the caller.

    Args:
        value: The number to double.

    Returns:
        Twice the number.

    Raises:
    """
    return value * 2


def long_line(value: int) -> int:  # AID306
    """Double a number for the caller.

    Args:
        value: The number to double, described on one line that runs well past the limit.

    Returns:
        Twice the number.
    """
    return value * 2


def get_name(user: dict[str, str]) -> str:  # AID401
    """Get the name.

    Args:
        user: The record to read from.

    Returns:
        The display name of the record.
    """
    return user["name"]


def too_short(value: int) -> int:  # AID402
    """Double numbers.

    Args:
        value: The number to double.

    Returns:
        Twice the number.
    """
    return value * 2


def too_long(value: int) -> int:  # AID403
    """Double the number that the caller passes in and hand the result back,
    which is handy for callers that need twice the value of any number at all.

    Args:
        value: The number to double.

    Returns:
        Twice the number.
    """
    return value * 2


def placeholder(value: int) -> int:  # AID404
    """Double a number for the caller.

    Args:
        value: Description of value.

    Returns:
        Twice the number.
    """
    return value * 2


def bare_entry(value: int) -> int:  # AID405
    """Double a number for the caller.

    Args:
        value: The value.

    Returns:
        Twice the number.
    """
    return value * 2


def circular_condition(value: int) -> int:  # AID406
    """Check that a number is positive and give it back.

    Args:
        value: The number to check.

    Returns:
        The same number.

    Raises:
        ValueError: If a value error occurs.
    """
    if value < 0:
        raise ValueError("negative")
    return value
