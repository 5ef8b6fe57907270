"""A literal default's type, and the functions that take more (issue 16).

``verify=True`` proves ``bool`` only as far as the function itself goes:
httpx's ``Client(verify=True)`` hands ``verify`` on, through two calls, to
a class that keeps it and tests it (``isinstance(self.verify, str)``), so
it takes a path or an SSL context too, and no type is stated. A default
handed to a function that uses it as it is keeps its type.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import analyse_module

_SOURCE = """
    class SSLConfig:
        def __init__(self, verify=True):
            self.verify = verify

        def load(self):
            if isinstance(self.verify, str):
                return "path"
            return "default"

    def create_context(verify=True):
        return SSLConfig(verify=verify).load()

    class Client:
        def __init__(self, verify=True, timeout=5.0, retries=3):
            self.context = create_context(verify)
            self.timeout = with_timeout(timeout)
            self.retries = as_count(retries)

    def with_timeout(timeout=1.0):
        return timeout * 2

    def as_count(value=0):
        return int(value)
"""


def _types(tmp_path: Path, qualname: str) -> dict[str, str | None]:
    info = analyse_module(tmp_path, _SOURCE, None)[qualname]
    return {p.name: p.type for p in info.params}


def test_a_default_handed_on_to_a_tested_attribute_states_no_type(
    tmp_path: Path,
) -> None:
    assert _types(tmp_path, "SSLConfig")["verify"] is None
    (tmp_path / "b").mkdir()
    assert _types(tmp_path / "b", "create_context")["verify"] is None
    (tmp_path / "c").mkdir()
    client = _types(tmp_path / "c", "Client")
    assert client["verify"] is None
    # handed to parameters that use it as it is, or convert it (as a
    # function converting its own parameter, the default's type stands)
    assert client["timeout"] == "float"
    assert client["retries"] == "int"
