"""Settings behave like Sphinx's own: conf.py, -D and confoverrides agree.

Builds run through ``sphinx-build``'s own entry point (``build_main``, so
``-D`` strings and exit statuses are the real ones) or ``make_app`` with
``confoverrides`` (to read the validated values back).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from sphinxcontrib_aidoc.sphinxext.settings import get_config
from tests.conftest import ROOTS


def sphinx_build(
    tmp_path: Path, conf: str = "", args: tuple[str, ...] = ()
) -> tuple[int, str, Path]:
    """Run ``sphinx-build`` on a copy of test-settings with *conf* appended.

    Returns the exit status, the warnings and the output directory.
    """
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-settings", src)
    conf_py = src / "conf.py"
    conf_py.write_text(conf_py.read_text(encoding="utf-8") + conf, encoding="utf-8")
    out = tmp_path / "out"
    warnings = tmp_path / "warnings.txt"
    argv = ["-q", "-N", "-b", "html", "-w", str(warnings), *args, str(src), str(out)]
    status = build_main(argv)
    return status, warnings.read_text(encoding="utf-8"), out


def _messages(warnings: str) -> list[str]:
    plain = re.sub(r"\x1b\[[0-9;]*m", "", warnings)
    return [line for line in plain.splitlines() if "[aidoc.config]" in line]


def test_command_line_strings_of_every_type_are_read(tmp_path):
    status, warnings, out = sphinx_build(
        tmp_path,
        args=(
            "-D", "aidoc_budget=0.5",
            "-D", "aidoc_price_per_1k_input=0.001",
            "-D", "aidoc_infer_timeout=1.5",
            "-D", "aidoc_requests_per_minute=none",
            "-D", "aidoc_concurrency=4",
            "-D", "aidoc_mark_generated=0",
            "-D", "aidoc_undoc_members=false",
            "-D", "aidoc_quality_weights.style=0.5",
            "-D", "aidoc_exclude=pkg.internal.*,*.legacy_*",
            "-D", "aidoc_style=NumPy",
            "-D", "aidoc_fail_under=10",
        ),
    )  # fmt: skip
    assert status == 0, warnings
    assert warnings == ""
    assert (out / "index.html").is_file()


def test_validated_values_are_written_back(make_app, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-settings", src)
    overrides = {
        "aidoc_budget": "0.5",
        "aidoc_price_per_1k_input": "0.001",
        "aidoc_requests_per_minute": "none",
        "aidoc_concurrency": "4",
        "aidoc_mark_generated": "0",
        "aidoc_quality_weights.style": "0.5",
        "aidoc_exclude": "pkg.internal.*, *.legacy_*",
        "aidoc_style": "NumPy",
        "aidoc_fail_under": "80",
        "aidoc_undoc_members": "off",
    }
    app = make_app("html", srcdir=src, confoverrides=overrides)
    expected = {
        "budget": 0.5,
        "price_per_1k_input": 0.001,
        "requests_per_minute": None,
        "concurrency": 4,
        "mark_generated": False,
        "exclude": ("pkg.internal.*", "*.legacy_*"),
        "style": "numpy",
        "fail_under": 80.0,
        "undoc_members": False,
    }
    aidoc = get_config(app)
    for name, value in expected.items():
        assert getattr(app.config, f"aidoc_{name}") == value, name
        assert getattr(aidoc, name) == value, name
    assert aidoc.quality_weights == {
        "completeness": 0.4,
        "accuracy": 0.3,
        "style": 0.5,
        "clarity": 0.15,
    }
    assert app.config.aidoc_quality_weights == aidoc.quality_weights
    assert "aidoc" not in app.warning.getvalue()


def test_command_line_beats_conf_py(make_app, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-settings", src)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('aidoc_style = "rest"\naidoc_budget = 2\n')
    app = make_app(
        "html",
        srcdir=src,
        confoverrides={"aidoc_style": "google", "aidoc_budget": "0.25"},
    )
    app.build()
    assert app.config.aidoc_style == get_config(app).style == "google"
    assert app.config.aidoc_budget == get_config(app).budget == 0.25
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    # Generated text renders whatever the style (issue: "-D aidoc_style=google
    # over aidoc_style = 'rest'" used to show raw "Args:" text).
    assert "Args:" not in html
    assert "<strong>width</strong> (<em>int</em>)" in html


def test_conf_py_values_of_every_type(make_app, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-settings", src)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(
            "aidoc_budget = 1\n"
            "aidoc_requests_per_minute = None\n"
            "aidoc_tokens_per_minute = 90000\n"
            "aidoc_quality_weights = {'style': 1, 'clarity': 0}\n"
            "aidoc_exclude = ['pkg.*']\n"
            "aidoc_undoc_members = False\n"
            "aidoc_mode = 'Augment'\n"
        )
    app = make_app("html", srcdir=src)
    aidoc = get_config(app)
    assert aidoc.budget == 1.0
    assert isinstance(aidoc.budget, float)
    assert aidoc.requests_per_minute is None
    assert aidoc.tokens_per_minute == 90000
    assert aidoc.quality_weights["style"] == 1.0
    assert aidoc.quality_weights["clarity"] == 0.0
    assert aidoc.exclude == ("pkg.*",)
    assert aidoc.undoc_members is False
    assert aidoc.mode == app.config.aidoc_mode == "augment"
    assert "aidoc" not in app.warning.getvalue()


def test_bad_values_give_one_message_each_and_the_build_goes_on(tmp_path):
    status, warnings, out = sphinx_build(
        tmp_path,
        conf=(
            "aidoc_mode = 3\n"
            "aidoc_style = 3\n"
            "aidoc_budget = float('nan')\n"
            "aidoc_max_tokens_per_build = float('inf')\n"
            "aidoc_concurrency = 'many'\n"
            "aidoc_mark_generated = 'maybe'\n"
            "aidoc_quality_weights = {'styel': 1}\n"
            "aidoc_exclude = 'pkg.*'\n"
        ),
        args=("-D", "aidoc_request_timeout=soon"),
    )
    assert status == 0, warnings
    assert (out / "index.html").is_file()
    assert "The config value" not in warnings  # Sphinx's own check is quiet
    messages = _messages(warnings)
    expected = [
        (
            "aidoc_mode: expected one of missing, augment, off, got 3; "
            "using the default 'missing'"
        ),
        (
            "aidoc_style: expected one of google, numpy, rest, got 3; "
            "using the default 'google'"
        ),
        "aidoc_budget: nan is not a finite number; using the default None",
        (
            "aidoc_max_tokens_per_build: inf is not a finite number; "
            "using the default None"
        ),
        "aidoc_concurrency: 'many' is not a whole number; using the default 8",
        (
            "aidoc_mark_generated: expected True or False, got 'maybe'; "
            "using the default True"
        ),
        (
            "aidoc_quality_weights: unknown weight(s) styel (did you mean 'style'?); "
            "using the default"
        ),
        "aidoc_request_timeout: 'soon' is not a number; using the default 60.0",
    ]
    for text in expected:
        assert sum(text in line for line in messages) == 1, (text, warnings)
    assert len(messages) == len(expected), warnings
    # A string is one pattern, as on the command line: not a bad value.
    assert "aidoc_exclude" not in warnings


def test_style_names_ignore_case_and_misspellings_get_a_suggestion(build):
    app = build("settings", confoverrides={"aidoc_style": "Google"})
    assert get_config(app).style == "google"
    assert "aidoc" not in app.warning.getvalue()

    app = build("settings", srcname="typo", confoverrides={"aidoc_style": "googel"})
    messages = _messages(app.warning.getvalue())
    assert len(messages) == 1
    assert messages[0].endswith(
        "aidoc_style: 'googel' is not one of google, numpy, rest "
        "(did you mean 'google'?); using the default 'google' [aidoc.config]"
    )
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "Args:" not in html
    assert "<strong>width</strong> (<em>int</em>)" in html


def test_provider_and_mode_misspellings_get_a_suggestion(build):
    app = build(
        "settings", confoverrides={"aidoc_provider": "ofline", "aidoc_mode": "Augmnet"}
    )
    warnings = app.warning.getvalue()
    assert "aidoc_provider: 'ofline' is not one of auto, azure, openai, offline " in (
        warnings
    )
    assert "(did you mean 'offline'?); using the default 'auto'" in warnings
    assert "(did you mean 'augment'?); using the default 'missing'" in warnings


def test_unknown_aidoc_name_in_conf_py_gets_did_you_mean(tmp_path):
    status, warnings, _ = sphinx_build(
        tmp_path,
        conf='aidoc_styel = "numpy"\nif True:\n    aidoc_privider = "azure"\n'
        "aidoc_something_else = 1\n",
    )
    assert status == 0
    conf_py = tmp_path / "src" / "conf.py"
    lines = conf_py.read_text(encoding="utf-8").splitlines()
    line = lines.index('aidoc_styel = "numpy"') + 1
    messages = _messages(warnings)
    assert (
        f"{conf_py}:{line}: WARNING: aidoc_styel is not an aidoc setting and is "
        in (warnings)
    )
    assert "aidoc_styel is not an aidoc setting and is ignored (did you mean " in (
        warnings
    )
    assert "(did you mean aidoc_style?) [aidoc.config]" in warnings
    assert "aidoc_privider is not an aidoc setting and is ignored (did you mean " in (
        warnings
    )
    assert "aidoc_something_else is not an aidoc setting and is ignored [aidoc" in (
        warnings
    )
    assert len(messages) == 3


def test_unknown_name_warning_can_be_suppressed(tmp_path):
    status, warnings, _ = sphinx_build(
        tmp_path, conf='aidoc_styel = "numpy"\nsuppress_warnings = ["aidoc.config"]\n'
    )
    assert status == 0
    assert warnings == ""


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "aidoc_fail_under = 'eighty'",
            (
                "aidoc_fail_under: 'eighty' is not a number; the gate cannot be "
                "checked, so the build fails [aidoc.config]"
            ),
        ),
        (
            "aidoc_coverage_fail_under = 150",
            (
                "aidoc_coverage_fail_under: 150 is above the maximum 100; the gate "
                "cannot be checked, so the build fails [aidoc.config]"
            ),
        ),
        (
            "aidoc_fail_under = [80]",
            (
                "aidoc_fail_under: expected a number, got [80]; the gate cannot be "
                "checked, so the build fails [aidoc.config]"
            ),
        ),
    ],
)
def test_a_bad_gate_fails_the_build(tmp_path, setting, message):
    status, warnings, out = sphinx_build(tmp_path, conf=setting + "\n")
    assert status == 1
    assert (out / "index.html").is_file()  # the site is still written
    assert warnings.count(message) == 1, warnings
    assert "ERROR: " + message in warnings


def test_a_numeric_gate_string_from_the_command_line_is_enforced(tmp_path):
    # One of the two functions is undocumented: coverage is 50%.
    status, warnings, _ = sphinx_build(
        tmp_path, args=("-D", "aidoc_coverage_fail_under=80")
    )
    assert status == 1
    assert "below aidoc_coverage_fail_under = 80 [aidoc.quality]" in warnings
    assert "[aidoc.config]" not in warnings


def _style_project(tmp_path: Path, name: str) -> Path:
    src = tmp_path / name
    shutil.copytree(ROOTS / "test-settings", src)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('aidoc_style = "rest"\n')
    with (src / "index.rst").open("a", encoding="utf-8") as index:
        index.write("\n.. aidoc-quality::\n")
    return src


def test_d_aidoc_style_over_conf_py_is_the_style_the_build_uses(
    make_app, tmp_path, capsys
):
    # conf.py says rest, and settings_pkg.documented is written in rest.
    as_conf = make_app("text", srcdir=_style_project(tmp_path, "conf"))
    as_conf.build()
    text = (as_conf.outdir / "index.txt").read_text(encoding="utf-8")
    assert "AID301" not in text

    src = _style_project(tmp_path, "override")
    app = make_app("text", srcdir=src, confoverrides={"aidoc_style": "numpy"})
    app.build()
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    # The quality table checks hand-written docstrings against the override.
    assert "AID301" in text
    # Generated text renders as fields whatever the style.
    assert "**width** (*int*)" in text
    assert "Parameters\n" not in text
    assert "[aidoc." not in app.warning.getvalue()

    # aidoc generate -c reads conf.py (rest), and the build's drafts serve it:
    # the style is applied when rendering, so it is no part of the cache key.
    from sphinxcontrib_aidoc.cli import main

    capsys.readouterr()
    assert main(["generate", str(src / "settings_pkg"), "-c", str(src), "--json"]) == 0
    (record,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert record["qualname"] == "settings_pkg.undocumented"
    assert record["source"] == "cache"
    assert ":param width:" in record["docstring"]
