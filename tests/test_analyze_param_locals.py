"""A local name that shadows a module-level function is not a use of it (issue 16).

Each case is a small package on disk, analysed as ``aidoc generate`` does,
and asserts the type stated for a parameter without a default.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import analyse_module


def _params(tmp_path: Path, source: str, qualname: str) -> dict[str, str | None]:
    return {p.name: p.type for p in analyse_module(tmp_path, source)[qualname].params}


def test_a_parameter_or_local_of_the_same_name_does_not_hide_the_call_sites(
    tmp_path: Path,
) -> None:
    # ``value`` the local and ``value`` the parameter are not the function
    # ``value``: its only use is the call in ``main``.
    source = """
        def value(raw):
            return raw.strip()

        def render(value):
            return str(value)

        def twice(raw):
            value = raw + raw
            return len(value)

        def main():
            return value("1")
    """
    assert _params(tmp_path, source, "value") == {"raw": "str"}


def test_a_name_declared_global_is_still_a_use(tmp_path: Path) -> None:
    # ``global`` makes ``value`` the module's function: passed on, it may be
    # called with anything.
    source = """
        def value(raw):
            return raw.strip()

        def register(hook):
            return hook

        def swap():
            global value
            register(value)
            value = None

        def main():
            return value("1")
    """
    assert _params(tmp_path, source, "value") == {"raw": None}


def test_a_comprehension_variable_does_not_shadow_the_function(
    tmp_path: Path,
) -> None:
    # The comprehension's ``value`` lives in the comprehension only: the
    # ``value`` passed to ``register`` afterwards is the function.
    source = """
        def value(raw):
            return raw.strip()

        def register(hook):
            return hook

        def collect(items):
            found = [value for value in items]
            register(value)
            return found

        def main():
            return value("1")
    """
    assert _params(tmp_path, source, "value") == {"raw": None}
