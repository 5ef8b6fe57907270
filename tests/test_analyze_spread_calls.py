"""A call spreading a known dict (``File(**file_kwargs)``) is read as its calls (issue 16).

The layout of click 8.1.7's ``test_file_prompt_default_format``: a test
parametrized with dict rows spreads its parameter into the class; the
class's ``lazy=None`` then holds ``bool | None``, and the method reading
it back is proven to return a ``bool``.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import analyse_module

_FILE = """
    class File:
        def __init__(self, mode="r", lazy=None):
            self.mode = mode
            self.lazy = lazy

        def resolve_lazy_flag(self, value):
            if self.lazy is not None:
                return self.lazy
            return "w" in self.mode
"""


def _returns(tmp_path: Path, tests: str) -> str | None:
    infos = analyse_module(tmp_path, _FILE, {"test_file.py": tests})
    returns = infos["File.resolve_lazy_flag"].returns
    return returns.type if returns else None


def test_parametrized_dict_rows_spread_into_a_call(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import pytest

        from pkg.mod import File


        @pytest.mark.parametrize("file_kwargs", [{"mode": "rt"}, {"lazy": True}])
        def test_prompt(file_kwargs):
            File(**file_kwargs).resolve_lazy_flag("-")


        @pytest.mark.parametrize("opts", [dict(lazy=False), dict(mode="w")])
        def test_rows_of_dict_calls(opts):
            File(**opts)


        def test_plain():
            options = {"lazy": False}
            File(**options)
        """,
    )
    assert found == "bool"


def test_a_spread_dict_changed_elsewhere_is_not_read(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import pytest

        from pkg.mod import File


        @pytest.mark.parametrize("file_kwargs", [{"mode": "rt"}, {"lazy": True}])
        def test_prompt(file_kwargs):
            file_kwargs["lazy"] = "yes"
            File(**file_kwargs)
        """,
    )
    # ``lazy`` may hold the string: nothing is proven
    assert found is None


def test_a_spread_of_unknown_keys_is_not_read(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        from pkg.mod import File


        def test_prompt(options):
            File(**options)
        """,
    )
    assert found is None


def test_a_dict_call_row_passing_another_type_counts(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import pytest

        from pkg.mod import File


        @pytest.mark.parametrize("opts", [dict(lazy="sometimes"), dict(mode="w")])
        def test_rows_of_dict_calls(opts):
            File(**opts)
        """,
    )
    # ``lazy`` may hold a str: ``self.lazy`` is no bool
    assert found == "bool | str"
