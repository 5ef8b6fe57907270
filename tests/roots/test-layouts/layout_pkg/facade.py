"""A module that re-exports without ``__all__``."""

from layout_pkg.helpers import shout


def whisper(text: str) -> str:
    return text.lower()
