"""Calls the call-site reader leaves unresolved still type what they must.

The reader skips calls whose callee name no open function has and that
pass none of the caller's parameters (``analyze/_call_filter.py``). A call
through an import's ``as`` name and a call of a fully annotated function
that hands on a parameter with a default are not skipped: each still says
what it says.
"""

from __future__ import annotations

from tests.conftest import analyse_module

SOURCE = """\
def shout(word):
    return word.upper()


def pad(text: object, width: int = 2) -> str:
    if isinstance(text, int):
        return str(text).rjust(width)
    return repr(text)


def label(value=0):
    return pad(value)
"""


def test_a_call_through_an_import_alias_types_the_parameter(tmp_path):
    found = analyse_module(
        tmp_path,
        SOURCE,
        tests={
            "test_mod.py": "from pkg.mod import shout as yell\n\n\ndef test_it():\n    yell('hi')\n"
        },
    )
    assert found["shout"].params[0].type == "str"


def test_a_parameter_handed_on_to_an_annotated_function_keeps_no_default_type(
    tmp_path,
):
    found = analyse_module(tmp_path, SOURCE)
    # ``pad`` tests what it takes: ``value``'s default (an int) does not bound it.
    assert found["label"].params[0].type is None
