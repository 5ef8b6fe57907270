"""A package whose classes subclass the standard library's."""

import enum
from typing import Any


class Colour(enum.Enum):
    RED = 1
    GREEN = 2


def describe(value: Any, prefix):
    return f"{prefix}{value}"
