"""The tests' own helper functions carry the types the tests pass them.

A helper of a test module (``def _complete(cli, words): ...``) reaches the
project with its parameters; what the tests pass the helper is what the
helper passes on, so the project's parameters are typed through it, under
the call-site reader's guards (every use of the helper is a call read).
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import analyse_module

SOURCE = """\
class Shell:
    def __init__(self, name):
        self.name = name

    def complete(self, words, prefix):
        return [w for w in words if w.startswith(prefix)]
"""

HELPER = """\
from pkg.mod import Shell


def _complete(words, prefix):
    return Shell("bash").complete(words, prefix)


def test_empty():
    assert _complete([], "") == []


def test_some():
    assert _complete(["add", "remove"], "a") == ["add"]
"""


def _params(tmp_path: Path, tests: dict[str, str]) -> dict[str, str | None]:
    found = analyse_module(tmp_path, SOURCE, tests)
    return {p.name: p.type for p in found["Shell.complete"].params}


def test_a_helper_passes_on_what_the_tests_pass_it(tmp_path):
    params = _params(tmp_path, {"test_shell.py": HELPER})
    # ``[]`` is a ``list[str]`` when the other call passes one.
    assert params["words"] == "list[str]"
    assert params["prefix"] == "str"


def test_a_helper_used_other_than_by_a_call_types_nothing(tmp_path):
    escaped = HELPER + "\n\nCOMPLETERS = [_complete]\n"
    params = _params(tmp_path, {"test_shell.py": escaped})
    assert params["words"] is None
    assert params["prefix"] is None


def test_a_helper_another_test_module_imports_types_nothing(tmp_path):
    other = (
        "from test_shell import _complete\n\n\ndef test_it():\n    _complete(1, 2)\n"
    )
    params = _params(tmp_path, {"test_shell.py": HELPER, "test_other.py": other})
    assert params["words"] is None
    assert params["prefix"] is None


def test_a_decorated_helper_types_nothing(tmp_path):
    decorated = HELPER.replace(
        "def _complete", "import functools\n\n\n@functools.lru_cache\ndef _complete"
    )
    params = _params(tmp_path, {"test_shell.py": decorated})
    assert params["prefix"] is None
