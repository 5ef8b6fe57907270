"""A list built, then handed on as the function returns (issue 16).

h11 0.14.0's ``normalize_and_validate`` builds ``new_headers`` from
checked ``bytes`` and returns ``Headers(new_headers)``; ``EndOfMessage``
passes ``Headers([])``. ``Headers.raw_items`` then returns a
``list[tuple[bytes, bytes]]``.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import returned_types as _returns

_HEADERS = """
    class Headers:
        def __init__(self, full_items):
            self._full_items = full_items

        def raw_items(self):
            return [(raw_name, value) for raw_name, _, value in self._full_items]


    class EndOfMessage:
        def __init__(self):
            self.headers = Headers([])
"""


def test_a_list_handed_on_as_the_function_returns(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        _HEADERS
        + """

    def normalize(headers):
        new_headers = []
        for name, value in headers:
            assert isinstance(name, bytes)
            assert isinstance(value, bytes)
            if name == b"content-length":
                lengths = {length.strip() for length in value.split(b",")}
                value = lengths.pop()
                new_headers.append((name, name.lower(), value))
            else:
                new_headers.append((name, name.lower(), value))
        return Headers(new_headers)
    """,
    )
    # ``lengths.pop()`` of a ``set[bytes]`` is a ``bytes``; ``Headers([])``
    # passes an empty list, a ``list[tuple[bytes, bytes, bytes]]`` too
    assert found["Headers.raw_items"] == "list[tuple[bytes, bytes]]"


def test_a_list_handed_on_before_the_end_is_not_read(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        _HEADERS
        + """

    def keep(rows):
        rows.append(1)


    def normalize(headers):
        new_headers = []
        for name, value in headers:
            assert isinstance(name, bytes)
            assert isinstance(value, bytes)
            new_headers.append((name, name.lower(), value))
        keep(new_headers)
        return Headers(new_headers)
    """,
    )
    # ``keep`` added an int before ``Headers`` got the list: a list, of
    # items not known
    assert found["Headers.raw_items"] in (None, "list")
