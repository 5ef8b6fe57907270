"""A build's pre-read lists and states a package's files once, not per module."""

from __future__ import annotations

from pathlib import Path

from sphinxcontrib_aidoc.analyze._pass_files import files_fixed, signature


def _package(tmp_path: Path) -> Path:
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "__init__.py").write_text("")
    (root / "a.py").write_text("def f():\n    return 1\n")
    return root


def test_inside_the_block_the_first_look_holds_and_after_it_the_files_count(tmp_path):
    root = _package(tmp_path)
    with files_fixed():
        before = signature(root)
        (root / "b.py").write_text("def g():\n    return 2\n")
        assert signature(root) == before  # taken once for the block
        with files_fixed():  # a nested block keeps the outer one's look
            assert signature(root) == before
    after = signature(root)
    assert after != before
    assert [Path(name).name for name, _, _ in after] == ["__init__.py", "a.py", "b.py"]
