"""The evaluator's content rules: filler, circular conditions, complexity."""

from __future__ import annotations

import textwrap

import pytest

from sphinxcontrib_aidoc.analyze import analyze_source
from sphinxcontrib_aidoc.model import ObjectInfo
from sphinxcontrib_aidoc.quality import DocstringEvaluator, Score, restates_name
from sphinxcontrib_aidoc.quality._words import (
    bare_description,
    circular_condition,
    words_of,
)

#: tomlkit 0.13.2's ``String.from_raw`` (trimmed), undocumented.
FROM_RAW = '''
class InvalidStringError(ValueError):
    """The string contains characters its type does not allow."""


class String(str):
    """A TOML string literal: its type, its value and how it is written."""

    @classmethod
    def from_raw(cls, value: str, type_: str = "basic", escape: bool = True):
        invalid = {"basic": '"', "literal": "'"}[type_]
        if invalid in value:
            raise InvalidStringError(value)
        return cls(value.replace("\\\\", "\\\\\\\\") if escape else value)
'''
FILLER = """\
Create a string from a raw.

Args:
    value (str): The value.
    type_ (str): The type.
    escape (bool): The escape.

Returns:
    String: The string.

Raises:
    InvalidStringError: If an invalid string error occurs.
"""
HAND_WRITTEN = """\
Build a string item from the text of a TOML file.

Args:
    value: The characters between the quotes, as written in the file.
    type_: ``"basic"`` (double quotes, escapes allowed) or ``"literal"``
        (single quotes, taken as is).
    escape: Whether to double the backslashes of a basic string.

Returns:
    The item, which keeps the original spelling for round trips.

Raises:
    InvalidStringError: If *value* contains the quote that closes its type.
"""


def _info(source: str, name: str) -> ObjectInfo:
    infos = analyze_source(textwrap.dedent(source), module="m")
    return next(i for i in infos if i.qualname == f"m.{name}")


def _score(source: str, name: str, docstring: str, **kwargs: bool) -> Score:
    return DocstringEvaluator().evaluate(_info(source, name), docstring, **kwargs)


def test_filler_scores_below_a_complete_hand_written_docstring():
    filler = _score(FROM_RAW, "String.from_raw", FILLER, generated=True)
    written = _score(FROM_RAW, "String.from_raw", HAND_WRITTEN)
    assert {"AID401", "AID405", "AID406"} <= set(filler.codes)
    assert written.codes == ()
    assert written.overall == 100
    # every section is there, and none says anything: near nothing
    assert filler.overall <= 20 < 90 <= written.overall


def test_filler_scores_below_a_summary_only_hand_written_docstring():
    """A true one-line summary tells more than complete-looking filler."""
    summary_only = _score(
        FROM_RAW, "String.from_raw", "Build a string item from the text of a file."
    )
    filler = _score(FROM_RAW, "String.from_raw", FILLER, generated=True)
    assert filler.overall < summary_only.overall


def test_a_summary_that_only_gives_the_return_type_earns_nothing():
    """The offline "write less" summary says nothing the signature does not."""
    source = """
    def shrink(value: int) -> int:
        if value < 0:
            raise ValueError("negative")
        return value // 2
    """
    raises = 'Raises:\n    ValueError: If *value* is less than 0 ("negative").\n'
    type_only = _score(source, "shrink", f"Return a value of type ``int``.\n\n{raises}")
    told = _score(source, "shrink", f"Halve *value*, rounding down.\n\n{raises}")
    assert "AID401" in type_only.codes
    assert "AID401" not in told.codes
    assert type_only.completeness < told.completeness
    assert type_only.overall < told.overall


def test_a_circular_condition_is_penalised():
    circular = HAND_WRITTEN.replace(
        "If *value* contains the quote that closes its type.",
        "If an invalid string error occurs.",
    )
    clean = _score(FROM_RAW, "String.from_raw", HAND_WRITTEN)
    score = _score(FROM_RAW, "String.from_raw", circular)
    assert score.codes == ("AID406",)
    finding = score.findings[0]
    assert (
        finding.message == "the condition of InvalidStringError only restates its name"
    )
    assert score.completeness < clean.completeness  # half credit for the entry
    assert score.clarity == clean.clarity - 20
    assert score.overall < clean.overall


@pytest.mark.parametrize(
    ("condition", "exception", "circular"),
    [
        ("If an invalid string error occurs.", "InvalidStringError", True),
        ("When a key error is raised.", "KeyError", True),
        ("If a bad signature occurs.", "itsdangerous.BadSignature", True),
        ("If the key is missing.", "KeyError", False),
        ("If *value* contains a quote.", "InvalidStringError", False),
        ("", "KeyError", False),  # no condition: bare, not circular
    ],
)
def test_circular_conditions(condition, exception, circular):
    assert circular_condition(condition, exception) is circular


def test_complexity_raises_what_a_docstring_owes():
    """The same one-line docstring is less complete on branching code."""
    simple = """
    def scale(value: int, factor: int) -> int:
        return value * factor
    """
    branching = """
    def scale(value: int, factor: int) -> int:
        if factor < 0:
            factor = -factor
        for _ in range(3):
            if value > 100 or value < -100:
                value //= 2
        while value % 2 and factor:
            value += 1
        return value * factor
    """
    text = "Multiply a measurement by a positive multiplier, halving large ones."
    easy = _score(simple, "scale", text)
    hard = _score(branching, "scale", text)
    assert (easy.complexity, hard.complexity) == (1, 7)
    assert easy.codes == hard.codes == ("AID102", "AID103")
    assert (easy.completeness, hard.completeness) == (70, 40)
    assert hard.overall < easy.overall
    # a complete docstring owes nothing more, whatever the complexity
    complete = (
        f"{text}\n\nArgs:\n    value: The measurement, in millimetres.\n"
        "    factor: How many times larger the result is; its sign is ignored.\n\n"
        "Returns:\n    The scaled measurement.\n"
    )
    assert _score(branching, "scale", complete).overall == 100


def test_entries_that_repeat_names_earn_nothing():
    src = """
    def area(width: float, height: float) -> float:
        return width * height
    """
    bare = (
        "Compute the surface of a rectangle in square units.\n\n"
        "Args:\n    width (float): The width.\n    height: The height.\n\n"
        "Returns:\n    float:\n"
    )
    score = _score(src, "area", bare)
    assert score.codes == ("AID405",)
    assert score.findings[0].message == (
        "3 entries say nothing beyond their name or type: width, height, Returns"
    )
    # the summary's 70% only: the three entries are there but tell nothing
    assert score.completeness == 70


def test_an_entry_with_a_type_the_code_lacks_earns_half():
    src = "def area(width, height):\n    return width * height\n"
    text = (
        "Compute the surface of a rectangle in square units.\n\n"
        "Args:\n    width (float): The width.\n    height (float): The height.\n"
    )
    score = _score(src, "area", text)
    assert score.completeness == round(100 * (0.7 + 0.3 * (0.5 + 0.5 + 0) / 3))


def test_prose_that_names_a_parameter_earns_half():
    src = """
    def move_to_end(key: str, last: bool = True) -> None:
        pass
    """
    named = "Move the item of *key* to the end if *last* is true, else to the start."
    plain = "Move an item to one end of the ordering, as the caller asks."
    assert _score(src, "move_to_end", named).completeness == 85
    assert _score(src, "move_to_end", plain).completeness == 70


@pytest.mark.parametrize(
    ("summary", "name", "context", "restates"),
    [
        ("Clear the array.", "Array.clear", (), True),
        ("Return the ao t as a string.", "AoT.as_string", (), True),
        ("A connection state.", "ConnectionState", (), True),
        ("Escape *s*.", "escape", ("s",), True),
        ("Return the app directory.", "get_app_dir", (), True),
        ("A node created from *prv* and *nxt*.", "Node", ("prv", "nxt"), True),
        ("A weak attribute: a subclass of a Generic.", "WeakAttr", ("Generic",), True),
        ("Check if the key is bare.", "SingleKey.is_bare", (), True),
        ("Make a (shallow) copy of this bidict.", "BidictBase.copy", (), False),
        ("Create a TOML date.", "date", ("raw", "str", "Date"), False),
        ("Read the display name from the user record.", "get_name", (), False),
        ("Return self.", "Builder.chain", (), False),
    ],
)
def test_restating_summaries(summary, name, context, restates):
    assert restates_name(summary, name, context=context) is restates


@pytest.mark.parametrize(
    ("description", "known", "bare"),
    [
        ("The value.", ["value", "int", "f"], True),
        ("", ["value", "int", "f"], True),
        ("The str.", ["str", "make_str"], True),
        ("Whether to echo.", ["echo", "bool", "getchar"], True),
        ("The key to remove.", ["key", "Key | str", "Container.remove"], True),
        ("The number to double.", ["value", "int", "f"], False),
        ("Settings.", ["options", "", "f"], False),
        ("Passed to ``self._src.consume``.", ["chars", "str", "consume"], False),
    ],
)
def test_bare_descriptions(description, known, bare):
    assert bare_description(description, known) is bare


def test_words_of_splits_acronyms_and_camel_case():
    assert words_of("URLSafeSerializer.get_HTTPServer2") == [
        "url",
        "safe",
        "serializer",
        "get",
        "http",
        "server",
        "2",
    ]
    assert words_of("AoT") == ["ao", "t"]


def test_ignoring_the_content_codes_gives_the_credit_back():
    plain = DocstringEvaluator().evaluate(
        _info(FROM_RAW, "String.from_raw"), FILLER, generated=True
    )
    relaxed = DocstringEvaluator(ignore=["AID401", "AID405", "AID406"]).evaluate(
        _info(FROM_RAW, "String.from_raw"), FILLER, generated=True
    )
    assert relaxed.codes == ()
    assert relaxed.completeness == 100 > plain.completeness
