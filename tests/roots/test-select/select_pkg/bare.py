"""Documented without members, plus one function on its own."""


def shown_alone(count: int) -> int:
    return count


def never_shown(count: int) -> int:
    return count
