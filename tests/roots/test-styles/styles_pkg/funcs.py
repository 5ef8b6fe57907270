"""One undocumented function per feature."""

from collections.abc import Iterator


def parse_header(text: str, strict: bool = False) -> dict[str, str]:
    if strict and ":" not in text:
        raise ValueError("not a header")
    name, _, value = text.partition(":")
    return {name.strip(): value.strip()}


def iter_lines(text: str) -> Iterator[str]:
    yield from text.splitlines()
