"""Per-object opt-out: aidoc_exclude patterns and ``# aidoc: skip`` markers."""

from __future__ import annotations

import os
import re
import textwrap

import pytest

from sphinxcontrib_aidoc.analyze import analyze_paths
from sphinxcontrib_aidoc.model import ObjectInfo
from sphinxcontrib_aidoc.optout import opt_out_reason, opted_out

SOURCE = """\
def plain():
    return 1


def on_def_line():  # aidoc: skip
    return 1


# Kept out of the generated docs.
# aidoc: skip
def comment_above():
    return 1


@staticmethod  # aidoc: skip
@property
def on_decorator():
    return 1


@functools.cache
def long_signature(
    a,
    b,
):  # aidoc: skip
    return a


class Marked:  # aidoc: skip
    def method(self):
        return 1


class Open:
    def kept(self):
        return 1

    def dropped(self):  # aidoc:skip
        return 1

    def after_dropped(self):
        # an ordinary comment
        return 1


def skipper():  # aidoc: skip-module is not this marker
    return 1


def not_a_marker():  # aidoc: skipped
    return "# aidoc"
"""


def _infos(tmp_path, source: str, name: str = "optmod.py") -> dict[str, ObjectInfo]:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return {
        i.qualname.rpartition(".")[2]: i
        for i in analyze_paths([path], engine="ast", calls=False)
    }


def test_source_markers_opt_definitions_out(tmp_path):
    infos = _infos(tmp_path, SOURCE)
    out = {name for name, info in infos.items() if opted_out(info)}
    assert out == {
        "on_def_line",
        "comment_above",
        "on_decorator",
        "long_signature",
        "Marked",
        "method",  # inside a marked class
        "dropped",
    }
    reason = opt_out_reason(infos["dropped"])
    assert reason is not None
    assert reason.startswith("'# aidoc: skip' at ")
    assert reason.endswith(f"optmod.py:{infos['dropped'].lineno}")


def test_module_marker_opts_the_whole_file_out(tmp_path):
    source = "# aidoc: skip-module\n\ndef one():\n    pass\n\nclass Two:\n    pass\n"
    infos = _infos(tmp_path, source)
    assert infos
    assert all(opted_out(info) for info in infos.values())
    assert "skip-module" in (opt_out_reason(infos["one"]) or "")


def test_indented_module_marker_is_not_one(tmp_path):
    source = "def one():\n    # aidoc: skip-module\n    pass\n\ndef two():\n    pass\n"
    infos = _infos(tmp_path, source)
    assert not opted_out(infos["two"])


@pytest.mark.parametrize(
    ("patterns", "expected"),
    [
        (["optmod.plain"], {"plain"}),
        (["*.on_*"], {"on_def_line", "on_decorator"}),
        (["optmod.Open"], {"Open", "kept", "dropped", "after_dropped"}),
        (["optmod.Open.*"], {"kept", "dropped", "after_dropped"}),
        (["optmod.open"], set()),  # case-sensitive, like Python names
        ([], set()),
    ],
)
def test_exclude_patterns(tmp_path, patterns, expected):
    source = re.sub(r"\s*# aidoc:.*", "", SOURCE)
    infos = _infos(tmp_path, source)
    out = {name for name, info in infos.items() if opted_out(info, patterns)}
    assert out == expected


def test_exclude_pattern_is_named_in_the_reason():
    info = ObjectInfo("pkg.internal.helper", "pkg.internal", "function", "", 1)
    assert opt_out_reason(info, ["pkg.internal.*"]) == (
        "aidoc_exclude pattern 'pkg.internal.*'"
    )


def test_missing_or_unparsable_files_are_tolerated(tmp_path):
    gone = ObjectInfo("pkg.mod.f", "pkg.mod", "function", str(tmp_path / "no.py"), 3)
    assert not opted_out(gone)
    assert not opted_out(ObjectInfo("pkg.mod.f", "pkg.mod", "function", "", 0))
    broken = tmp_path / "broken.py"
    broken.write_text(
        "def ok():  # aidoc: skip\n    return (\n\n@dec\n# aidoc: skip\ndef g():\n",
        encoding="utf-8",
    )
    first = ObjectInfo("broken.ok", "broken", "function", str(broken), 1)
    second = ObjectInfo("broken.g", "broken", "function", str(broken), 6)
    other = ObjectInfo("broken.h", "broken", "function", str(broken), 2)
    assert opted_out(first)
    assert opted_out(second)
    assert not opted_out(other)


def test_an_edited_file_is_read_again(tmp_path):
    path = tmp_path / "edited.py"
    path.write_text("def f():  # aidoc: skip\n    pass\n", encoding="utf-8")
    info = ObjectInfo("edited.f", "edited", "function", str(path), 1)
    assert opted_out(info)
    path.write_text(textwrap.dedent("def f():\n    pass\n# aidoc\n"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert not opted_out(info)
