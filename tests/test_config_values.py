"""AidocConfig.from_mapping: objects and strings, one message per bad value."""

from __future__ import annotations

import pytest

from sphinxcontrib_aidoc.config import DEFAULT_WEIGHTS, AidocConfig
from sphinxcontrib_aidoc.diagnostics import ListReporter


def _config(**values: object) -> tuple[AidocConfig, list[str]]:
    reporter = ListReporter()
    config = AidocConfig.from_mapping(values, reporter)
    return config, [d.format() for d in reporter.diagnostics]


@pytest.mark.parametrize(
    ("name", "given", "expected"),
    [
        ("budget", "0.5", 0.5),
        ("budget", 2, 2.0),
        ("budget", "none", None),
        ("budget", "", None),
        ("requests_per_minute", "None", None),
        ("requests_per_minute", "600", 600),
        ("concurrency", "4", 4),
        ("concurrency", 4.0, 4),
        ("infer_timeout", "1e-1", 0.1),
        ("mark_generated", "0", False),
        ("mark_generated", "Yes", True),
        ("mark_generated", 1, True),
        ("undoc_members", "off", False),
        ("style", " NumPy ", "numpy"),
        ("mode", "AUGMENT", "augment"),
        ("provider", "Offline", "offline"),
        ("exclude", "a.*, *.b ,", ("a.*", "*.b")),
        ("exclude", ["a.*"], ("a.*",)),
        ("fail_under", "80", 80.0),
        ("coverage_fail_under", 0, 0.0),
        ("changelog_page", "", ""),
    ],
)
def test_values_and_strings_are_converted(name, given, expected):
    config, messages = _config(**{name: given})
    assert getattr(config, name) == expected
    assert type(getattr(config, name)) is type(expected)
    assert messages == []


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"style": 1}, {**DEFAULT_WEIGHTS, "style": 1.0}),
        (
            '{"style": 1, "clarity": 0}',
            {**DEFAULT_WEIGHTS, "style": 1.0, "clarity": 0.0},
        ),
        ("style=1, clarity:0.5", {**DEFAULT_WEIGHTS, "style": 1.0, "clarity": 0.5}),
        ({"accuracy": "0.2"}, {**DEFAULT_WEIGHTS, "accuracy": 0.2}),
    ],
)
def test_weights_from_dicts_json_and_pairs(given, expected):
    config, messages = _config(quality_weights=given)
    assert config.quality_weights == expected
    assert messages == []


@pytest.mark.parametrize(
    ("name", "given", "message"),
    [
        (
            "style",
            "googel",
            (
                "WARNING: aidoc_style: 'googel' is not one of google, "
                "numpy, rest (did you mean 'google'?); using the default 'google'"
            ),
        ),
        (
            "style",
            "markdown",
            (
                "WARNING: aidoc_style: 'markdown' is not one of "
                "google, numpy, rest; using the default 'google'"
            ),
        ),
        (
            "mode",
            3,
            (
                "WARNING: aidoc_mode: expected one of missing, augment, off, "
                "got 3; using the default 'missing'"
            ),
        ),
        (
            "budget",
            float("nan"),
            (
                "WARNING: aidoc_budget: nan is not a finite "
                "number; using the default None"
            ),
        ),
        (
            "budget",
            "inf",
            (
                "WARNING: aidoc_budget: 'inf' is not a finite number; "
                "using the default None"
            ),
        ),
        (
            "budget",
            -1,
            (
                "WARNING: aidoc_budget: -1 is below the minimum 0; using "
                "the default None"
            ),
        ),
        (
            "concurrency",
            "2.5",
            (
                "WARNING: aidoc_concurrency: '2.5' is not a whole "
                "number; using the default 8"
            ),
        ),
        (
            "concurrency",
            True,
            (
                "WARNING: aidoc_concurrency: expected a whole "
                "number, got True; using the default 8"
            ),
        ),
        (
            "mark_generated",
            "maybe",
            (
                "WARNING: aidoc_mark_generated: expected True "
                "or False, got 'maybe'; using the default True"
            ),
        ),
        (
            "exclude",
            [1],
            (
                "WARNING: aidoc_exclude: expected a list of strings, got "
                "[1]; using the default ()"
            ),
        ),
        (
            "db",
            3,
            (
                "WARNING: aidoc_db: expected a string, got 3; using the default "
                "'_aidoc/aidoc.db'"
            ),
        ),
        (
            "quality_weights",
            {"style": -1},
            (
                "WARNING: aidoc_quality_weights: weight "
                "style=-1 is not a non-negative number; using the default"
            ),
        ),
        (
            "quality_weights",
            "style",
            (
                "WARNING: aidoc_quality_weights: 'style' is "
                "not 'name=weight,...'; using the default"
            ),
        ),
        (
            "quality_weights",
            dict.fromkeys(DEFAULT_WEIGHTS, 0),
            (
                "WARNING: "
                "aidoc_quality_weights: weights must not all be zero; using the default"
            ),
        ),
        (
            "fail_under",
            "eighty",
            (
                "ERROR: aidoc_fail_under: 'eighty' is not a "
                "number; the gate cannot be checked, so the build fails"
            ),
        ),
        (
            "coverage_fail_under",
            101,
            (
                "ERROR: aidoc_coverage_fail_under: 101 is "
                "above the maximum 100; the gate cannot be checked, so the build fails"
            ),
        ),
    ],
)
def test_bad_values_give_one_message_and_the_default(name, given, message):
    config, messages = _config(**{name: given})
    assert getattr(config, name) == getattr(AidocConfig(), name)
    assert len(messages) == 1
    assert messages[0].startswith(message)
    assert messages[0].endswith("[aidoc.config]")


def test_unknown_keys_are_ignored_and_defaults_kept():
    config, messages = _config(nonsense=1)
    assert config == AidocConfig()
    assert messages == []
