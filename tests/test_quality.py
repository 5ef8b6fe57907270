"""DocstringEvaluator: scores and findings on inline sources and the test root."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from sphinxcontrib_aidoc.analyze import analyze_paths, analyze_source
from sphinxcontrib_aidoc.config import AidocConfig
from sphinxcontrib_aidoc.quality import (
    CODES,
    DocstringEvaluator,
    Finding,
    Score,
    interrogate_coverage,
    summarize,
    summarize_modules,
)
from sphinxcontrib_aidoc.quality._types import contradicts, normalise

ROOT = Path(__file__).parent / "roots" / "test-quality"
PKG = ROOT / "quality_pkg"

#: The flawed object of tests/roots/test-quality for each code.
FLAWS = {
    "AID100": "no_docstring",
    "AID101": "missing_summary",
    "AID102": "undocumented_parameter",
    "AID103": "missing_returns",
    "AID104": "missing_raises",
    "AID105": "missing_yields",
    "AID106": "MissingAttributes",
    "AID201": "unknown_parameter",
    "AID202": "wrong_type",
    "AID203": "never_raised",
    "AID204": "returns_not_yields",
    "AID301": "numpy_style",
    "AID302": "sections_out_of_order",
    "AID303": "two_sentences",
    "AID304": "not_imperative",
    "AID305": "empty_section",
    "AID306": "long_line",
    "AID401": "get_name",
    "AID402": "too_short",
    "AID403": "too_long",
    "AID404": "placeholder",
    "AID405": "bare_entry",
    "AID406": "circular_condition",
}


def _scores(source: str, **kwargs) -> dict[str, Score]:
    evaluator = DocstringEvaluator(**kwargs)
    infos = analyze_source(textwrap.dedent(source), module="m")
    inits = {i.qualname.rpartition(".")[0]: i.docstring for i in infos}
    return {
        i.qualname.removeprefix("m."): evaluator.evaluate(
            i, init_docstring=inits.get(i.qualname)
        )
        for i in infos
        if i.name != "__init__"
    }


def _codes(source: str, name: str, **kwargs) -> list[str]:
    return [f.code for f in _scores(source, **kwargs)[name].findings]


@pytest.fixture(scope="module")
def root_scores() -> dict[str, Score]:
    from sphinxcontrib_aidoc.quality import evaluate_infos

    scores = evaluate_infos(DocstringEvaluator(), analyze_paths([PKG], calls=False))
    return {s.qualname.removeprefix("quality_pkg."): s for s in scores}


# -- the test root: one flaw per code, clean objects without findings ------


def test_every_code_has_a_flawed_object():
    assert set(FLAWS) == set(CODES)


@pytest.mark.parametrize(("code", "name"), sorted(FLAWS.items()))
def test_each_flaw_is_found_with_its_code(root_scores, code, name):
    score = root_scores[f"flaws.{name}"]
    expected = {code, "AID105"} if code == "AID204" else {code}
    assert set(score.codes) == expected
    finding = next(f for f in score.findings if f.code == code)
    assert finding.message
    assert finding.suggestion == CODES[code].suggestion
    assert finding.line >= score.lineno


def test_clean_objects_have_no_findings(root_scores):
    clean = {n: s for n, s in root_scores.items() if n.startswith("clean.")}
    assert len(clean) == 12
    assert {n: s.codes for n, s in clean.items() if s.codes} == {}
    assert all(s.overall == 100 for s in clean.values())


def test_finding_lines_point_into_the_docstring(root_scores):
    lines = (PKG / "flaws.py").read_text().splitlines()

    def line_of(name: str, code: str) -> str:
        score = root_scores[f"flaws.{name}"]
        return lines[next(f for f in score.findings if f.code == code).line - 1]

    assert "factor: A parameter" in line_of("unknown_parameter", "AID201")
    assert "value (str)" in line_of("wrong_type", "AID202")
    assert "KeyError" in line_of("never_raised", "AID203")
    assert "Raises:" in line_of("empty_section", "AID305")
    assert "runs well past" in line_of("long_line", "AID306")
    assert "Get the name." in line_of("get_name", "AID401")
    assert line_of("no_docstring", "AID100").startswith("def no_docstring")


# -- scores -----------------------------------------------------------------


def test_missing_docstring_scores_zero():
    score = _scores("def f(x):\n    return x\n")["f"]
    assert score.scores() == dict.fromkeys(
        ("completeness", "accuracy", "style", "clarity", "overall"), 0
    )
    assert score.codes == ("AID100",)
    assert not score.documented
    assert not score.covered


def test_completeness_is_the_share_of_covered_items():
    src = '''
    def f(a, b, c, d):
        """Combine four values into one."""
    '''
    score = _scores(src)["f"]
    # The summary carries 70% of completeness for straight-line code (the
    # 4 parameters share the other 30%, all missing here).
    assert score.completeness == 70
    assert score.accuracy == score.style == score.clarity == 100


def test_penalties_and_weights():
    src = '''
    def get_name(user):
        """Get name

        Args:
            user: The user record to read.

        Returns:
            The display name of the record.
        """
        return user.name
    '''
    score = _scores(src)["get_name"]
    assert set(score.codes) == {"AID303", "AID401", "AID402"}
    # The restating summary earns nothing of its 70%; the entries earn 30%.
    assert (score.completeness, score.accuracy) == (30, 100)
    assert (score.style, score.clarity) == (90, 60)
    # default weights 0.4 / 0.3 / 0.15 / 0.15; the others count in
    # proportion to completeness
    assert score.overall == round(0.4 * 30 + 0.3 * (30 + 0.15 * 90 + 0.15 * 60))
    only_style = DocstringEvaluator(weights={"completeness": 0, "accuracy": 0})
    info = analyze_source(textwrap.dedent(src), module="m")[0]
    assert only_style.evaluate(info).overall == round(0.3 * (90 + 60) / 2)


def test_from_config_uses_style_and_weights():
    config = AidocConfig(style="numpy", quality_weights={"clarity": 1.0})
    evaluator = DocstringEvaluator.from_config(config)
    assert evaluator.style == "numpy"
    assert evaluator.weights["clarity"] == 1.0
    assert evaluator.weights["completeness"] == 0.4


def test_generated_docstrings_are_scored_and_flagged():
    info = analyze_source("def area(width, height):\n    return width\n", module="m")[0]
    text = "Return the area.\n\nArgs:\n    width: The width.\n"
    score = DocstringEvaluator().evaluate(info, text, generated=True)
    assert score.generated
    assert score.documented
    assert not score.covered
    assert {"AID102", "AID103", "AID401"} <= set(score.codes)
    # a generated docstring is not in the source: findings point at the def
    assert {f.line for f in score.findings} == {1}


def test_select_and_ignore_filter_codes_and_scores():
    src = '''
    def get_name(user):
        """Get name"""
        return user.name
    '''
    assert set(_codes(src, "get_name")) == {
        "AID102",
        "AID103",
        "AID303",
        "AID401",
        "AID402",
    }
    assert _codes(src, "get_name", select=["AID4"]) == ["AID401", "AID402"]
    assert _codes(src, "get_name", ignore=["AID1", "aid303"]) == ["AID401", "AID402"]
    score = _scores(src, select=["AID3"])["get_name"]
    assert score.completeness == 100  # no completeness item is checked


def test_unknown_style_is_a_programmer_error():
    with pytest.raises(ValueError, match="style"):
        DocstringEvaluator("markdown")


# -- completeness ------------------------------------------------------------


def test_returns_not_required_for_none_classes_properties_init():
    src = '''
    class C:
        """Hold a value for later use."""

        def __init__(self) -> None:
            self.v = 1

        @property
        def value(self) -> int:
            """The value held by the instance."""
            return self.v

        def reset(self) -> None:
            """Forget the value held so far."""
            self.v = 0

        def unknown(self):
            """Compute something from the value."""
            return self.v.compute()
    '''
    scores = _scores(src)
    assert scores["C"].codes == ()
    assert scores["C.value"].codes == ()
    assert scores["C.reset"].codes == ()
    assert scores["C.unknown"].codes == ("AID103",)  # returns a value, type unknown


def test_class_args_may_be_documented_on_init():
    src = '''
    class C:
        """Hold a value for later use."""

        def __init__(self, value: int) -> None:
            """Store the value.

            Args:
                value: The value to hold.
            """
            self.value = value
    '''
    assert _scores(src)["C"].codes == ()


def test_star_args_must_be_documented_and_raise_names_compare_by_last_part():
    src = '''
    import errors

    def f(*args, **kwargs):
        """Forward everything to the handler.

        Args:
            *args: Positional values.

        Raises:
            ValueError: On bad input.
        """
        if not args:
            raise errors.ValueError("none")
        raise NotImplementedError
    '''
    assert _codes(src, "f") == ["AID102"]  # **kwargs; NotImplementedError is exempt


# -- accuracy ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("documented", "code", "contradiction"),
    [
        ("int", "str", True),
        ("str", "Optional[int]", True),
        ("list[int]", "list[str]", True),
        ("int | None", "Optional[int]", False),
        ("Optional[int]", "int | None", False),
        ("int or None", "Union[int, None]", False),
        ("list[str]", "List[str]", False),
        ("list", "List[str]", False),
        ("int, optional", "int | None", False),
        ("int", "int | None", False),
        ("float", "int", False),  # numeric tower: an int is a fine float
        ("int", "float", True),
        (":class:`~pkg.Item`", "Item", False),
        ("Shape", "Circle", False),  # may be a base class
        ("str", "Circle", True),
        ("Sequence[str]", "list[str]", False),
        ("dict of str to int", "dict[str, int]", False),  # prose: unknown
        ("str", None, False),
        ("typing.Dict[str, int]", "dict[str, int]", False),
    ],
)
def test_type_contradictions(documented, code, contradiction):
    assert contradicts(documented, code) is contradiction


def test_normalise_unions():
    assert normalise("Optional[int]") == normalise("int | None")
    assert normalise("array-like") is None


def test_documented_params_with_kwargs_are_not_unknown():
    src = '''
    def f(a, **options):
        """Configure the handler.

        Args:
            a: The first value.
            **options: Settings.

        Keyword Args:
            colour: The colour to use.
        """
    '''
    assert _codes(src, "f") == []


def test_inferred_types_are_compared_only_from_defaults():
    src = '''
    def f(a=1.5, b=None):
        """Scale the value of the handler.

        Args:
            a (int): Factor.
            b (str): Name.
        """
        if isinstance(b, int):
            pass
    '''
    findings = _scores(src)["f"].findings
    assert [f.code for f in findings] == ["AID202"]
    assert "'a'" in findings[0].message


def test_documented_return_type_is_checked():
    src = '''
    def f() -> int:
        """Count the handlers.

        Returns:
            str: The count.
        """
        return 1
    '''
    assert _codes(src, "f") == ["AID202"]


@pytest.mark.parametrize(
    "body",
    [
        "helper()",
        "await helper()",
        "data['key']",
        "for x in data: pass",
        "with data: pass",
        "raise exc",
        "assert data",
    ],
)
def test_never_raised_is_not_claimed_when_other_code_runs(body):
    src = f'''
    async def f(data, exc):
        """Read the data and check it.

        Args:
            data: The data.
            exc: An exception.

        Raises:
            KeyError: When the key is missing.
        """
        {body}
    '''
    assert "AID203" not in _codes(src, "f")


def test_never_raised_respects_builtin_hierarchy_and_project_exceptions():
    src = '''
    def f(path):
        """Open the settings file.

        Args:
            path: Where the file is.

        Raises:
            OSError: When the file cannot be read.
            LookupError: Never, really.
        """
        if not path:
            raise FileNotFoundError(path)
        raise MyError(path)
    '''
    # FileNotFoundError is an OSError; MyError may derive from LookupError
    # (so LookupError is not "never raised"), but it is not listed itself.
    findings = _scores(src)["f"].findings
    assert [(f.code, f.message) for f in findings] == [
        ("AID104", "raises MyError but the docstring does not say so")
    ]


# -- style and clarity ---------------------------------------------------------


@pytest.mark.parametrize(
    ("summary", "codes"),
    [
        ("Return the area of the shape.", []),
        ("Returns the area of the shape.", ["AID304"]),
        ("This function computes the area.", ["AID304"]),
        ("Process the queued shapes.", []),
        ("Compute the area, e.g. of a square.", []),
        ("Compute the area. Then print it.", ["AID303"]),
        ("Compute the area of the shape", ["AID303"]),
        ("Compute the area: TODO.", ["AID404"]),
        ("Compute the area (XXX check units).", ["AID404"]),
        ("Compute the area; todo lists are elsewhere.", []),
        ("Lorem ipsum dolor sit amet.", ["AID404"]),
        ("Description of the format, for humans.", []),
    ],
)
def test_summary_rules(summary, codes):
    src = f'''
    def measure():
        """{summary}"""
    '''
    assert _codes(src, "measure") == codes


def test_imperative_mood_is_for_functions_only():
    src = '''
    class Shapes:
        """Holds shapes by their names."""

        @property
        def names(self) -> list:
            """Returns the names in order."""
            return []
    '''
    assert _codes(src, "Shapes") == []
    assert _codes(src, "Shapes.names") == []


@pytest.mark.parametrize(
    ("name", "summary", "restates"),
    [
        ("get_name", "Get name.", True),
        ("get_name", "Return the name.", True),
        ("getName", "Gets the name.", True),
        ("Shape", "A shape.", True),
        ("get_name", "Read the display name from the user record.", False),
        ("get_name", "Return the user's display name.", False),
        ("Returns", "The return value of a function (or a property).", False),
    ],
)
def test_restating_the_name(name, summary, restates):
    src = f'''
    def {name}():
        """{summary}"""
    '''
    assert ("AID401" in _codes(src, name)) is restates


def test_wrong_style_is_judged_in_its_own_style():
    src = '''
    def f(value: int) -> int:
        """Double the value of the handler.

        :param value: The number to double.
        :returns: Twice the value.
        """
        return value * 2
    '''
    assert _codes(src, "f") == ["AID301"]
    assert _codes(src, "f", style="rest") == []


def test_numpy_configured_accepts_numpy():
    src = '''
    def f(value: int) -> int:
        """Double the value of the handler.

        Parameters
        ----------
        value : int
            The number to double.

        Returns
        -------
        int
            Twice the value.
        """
        return value * 2
    '''
    assert _codes(src, "f", style="numpy") == []


# -- aggregates and coverage -------------------------------------------------


def _score(name: str, overall: int, *, generated=False, documented=True, codes=()):
    return Score(
        qualname=name,
        module=name.rpartition(".")[0],
        kind="function",
        file="f.py",
        lineno=1,
        completeness=overall,
        accuracy=overall,
        style=overall,
        clarity=overall,
        overall=overall,
        findings=tuple(Finding(c, "m") for c in codes),
        generated=generated,
        documented=documented,
    )


def test_summaries():
    scores = [
        _score("a.f", 100),
        _score("a.g", 0, documented=False, codes=["AID100"]),
        _score("b.h", 75, generated=True, codes=["AID401", "AID402"]),
        _score("b.i", 50, codes=["AID401"]),
    ]
    project = summarize(scores)
    assert project.objects == 4
    assert project.covered == 2  # the generated one does not count
    assert project.coverage == 50.0
    assert project.mean == 56.2
    assert project.distribution == (1, 1, 1, 1)
    assert project.codes == (("AID100", 1), ("AID401", 2), ("AID402", 1))
    modules = summarize_modules(scores)
    assert [(m.name, m.coverage) for m in modules] == [("a", 50.0), ("b", 50.0)]
    assert summarize([]).coverage == 100.0
    assert project.to_json()["distribution"] == {
        "0-49": 1,
        "50-69": 1,
        "70-89": 1,
        "90-100": 1,
    }


def test_interrogate_coverage_counts_modules_nested_and_private(tmp_path):
    (tmp_path / "m.py").write_text(
        textwrap.dedent('''
        """Module."""

        def outer():
            def inner():
                """Inner."""

        class _Private:
            def __init__(self):
                pass

            async def run(self):
                """Run."""
        ''')
    )
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "x.py").write_text("def f(): pass\n")
    (tmp_path / "broken.py").write_text("def (:\n")
    coverage = interrogate_coverage([tmp_path])
    assert (coverage.total, coverage.covered) == (6, 3)


def test_codes_are_well_formed():
    for code, meaning in CODES.items():
        assert re.fullmatch(r"AID[1-4]\d\d", code)
        assert meaning.title
        assert meaning.suggestion.endswith(".")
    assert CODES["AID202"].category == "accuracy"


def test_every_code_is_documented():
    text = (Path(__file__).parent.parent / "docs" / "quality.rst").read_text()
    for code, meaning in CODES.items():
        assert f"``{code}`` {meaning.title}\n" in text, code


def test_star_args_documented_without_stars():
    src = '''
    def f(*args, **kwargs):
        """Forward everything to the handler.

        Args:
            args: Positional values.
            **kwargs: Keyword values.
        """
    '''
    findings = _scores(src)["f"].findings
    assert [(f.code, f.message, f.suggestion) for f in findings] == [
        ("AID201", "documents 'args'; the signature has '*args'", "Write it as *args.")
    ]
    rest = '''
    def f(*args, **kwargs):
        """Forward everything to the handler.

        :param args: Positional values.
        :param kwargs: Keyword values.
        """
    '''
    assert _codes(rest, "f", style="rest") == []


def test_analysis_without_calls_is_cached_apart(tmp_path):
    from sphinxcontrib_aidoc.analyze import analyze_file

    path = tmp_path / "mod.py"
    path.write_text("import os\n\ndef f():\n    return os.getcwd()\n")
    assert analyze_file(path, calls=False)[0].calls == ()
    assert analyze_file(path)[0].calls == ("os.getcwd",)
    assert analyze_file(path, calls=False)[0].calls == ()


def test_dataclass_fields_count_once_and_may_be_documented_in_place():
    src = '''
    from dataclasses import dataclass

    @dataclass
    class Point:
        """A position on the drawing surface."""

        #: Horizontal position.
        x: float
        y: float  #: Vertical position.
        z: float = 0.0
        """Depth, for 3D drawings."""
        label: str = ""
    '''
    score = _scores(src)["Point"]
    assert [f.message for f in score.findings] == [
        "parameter 'label' is not documented"
    ]
    # the summary's 70%, and 3 of the 4 fields' 30%: 'label' is missing
    assert score.completeness == 92


def test_every_public_quality_name_is_loaded_from_its_module():
    """``quality`` loads its names on first use: each one of ``__all__`` resolves."""
    import importlib

    quality = importlib.import_module("sphinxcontrib_aidoc.quality")
    assert set(quality.__all__) == set(quality._HOMES)
    for name in quality.__all__:
        home = importlib.import_module(
            f"sphinxcontrib_aidoc.quality.{quality._HOMES[name]}"
        )
        assert getattr(quality, name) is getattr(home, name)
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = quality.nothing_here
