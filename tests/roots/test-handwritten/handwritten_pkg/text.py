"""Text helpers, half documented by hand (plain reST, no napoleon)."""

from collections.abc import Iterator


def split_fields(line: str, sep: str = ",") -> list[str]:
    """Split *line* at each separator.

    Args:
        line: this is not a napoleon section here, just a paragraph
            and a definition list, as plain reST reads it.

    Returns:
        The fields, in order.
    """
    return line.split(sep)


def join_fields(fields: list[str], sep: str = ",") -> str:
    """Join *fields* with *sep*.

    :param fields: The fields.
    :type fields: list[str]
    :param sep: The separator.
    :returns: One line.
    :rtype: str
    :raises ValueError: Never, in fact.
    """
    return sep.join(fields)


def quote(text: str) -> str:
    """Quote *text*.

    Returns: a paragraph that starts with a word and a colon.

    Example:
        quote("a") gives '"a"'.
    """
    return f'"{text}"'


class Reader:
    """Reads fields.

    Attributes:
        sep: a plain definition list item, as plain reST reads it.
    """

    def __init__(self, sep: str = ",") -> None:
        self._sep = sep

    @property
    def delimiter(self) -> str:
        """The delimiter: the character between two fields."""
        return self._sep

    def read(self, line: str) -> list[str]:
        """Read one *line*.

        Raises: nothing: this line is prose too.
        """
        return line.split(self._sep)


def count_fields(line: str, sep: str = ",", strict: bool = False) -> int:
    if strict and not line:
        raise ValueError("empty line")
    return len(line.split(sep))


def iter_fields(lines: list[str], sep: str = ",") -> Iterator[str]:
    for line in lines:
        yield from line.split(sep)


class Writer:
    def __init__(self, sep: str = ",") -> None:
        self.sep = sep

    def write(self, fields: list[str]) -> str:
        return self.sep.join(fields)


def partial_google(text: str, width: int = 80) -> str:
    """Wrap *text*.

    Args:
        text: The text.
    """
    if width < 1:
        raise ValueError("width")
    return text[:width]


def partial_rest(text: str, width: int = 80) -> str:
    """Cut *text*.

    :param text: The text.
    """
    if width < 1:
        raise ValueError("width")
    return text[:width]
