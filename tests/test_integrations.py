"""The pre-commit hooks and the Read the Docs recipe run the commands they declare."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml  # libcst's dependency, so aidoc's too

from tests.conftest import ROOTS

REPO = Path(__file__).parent.parent
BIN = Path(sys.executable).parent


def _env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "AZURE_OPENAI_ENDPOINT": "",
        "AZURE_OPENAI_API_KEY": "",
        **extra,
    }


def _hooks() -> dict[str, dict]:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    return {hook["id"]: hook for hook in hooks}


def _run_hook(hook: dict, files: list[Path], cwd: Path) -> subprocess.CompletedProcess:
    # As pre-commit runs it: entry, args, then the changed files.
    argv = [*shlex.split(hook["entry"]), *hook.get("args", []), *map(str, files)]
    return subprocess.run(
        argv, cwd=cwd, env=_env(), capture_output=True, text=True, check=False
    )


def test_pre_commit_hooks_run_their_commands(tmp_path):
    hooks = _hooks()
    assert set(hooks) == {"aidoc-report", "aidoc-apply-check"}
    assert all(
        h["language"] == "python" and h["types"] == ["python"] for h in hooks.values()
    )
    done = tmp_path / "done.py"
    done.write_text(
        '"""A module."""\n\n\ndef add(a: int, b: int) -> int:\n    """Add.\n\n    Args:\n        a: A.\n        b: B.\n\n    Returns:\n        The sum.\n    """\n    return a + b\n'
    )
    todo = tmp_path / "todo.py"
    todo.write_text("def twice(value: int) -> int:\n    return value * 2\n")

    check = hooks["aidoc-apply-check"]
    result = _run_hook(check, [done], tmp_path)
    assert result.returncode == 0, result.stderr
    result = _run_hook(check, [done, todo], tmp_path)
    assert result.returncode == 1
    assert "would write a docstring for twice" in result.stderr
    assert todo.read_text() == "def twice(value: int) -> int:\n    return value * 2\n"

    report = hooks["aidoc-report"]
    result = _run_hook(report, [done, todo], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "todo.py" in result.stdout
    failing = {**report, "args": ["--coverage-fail-under", "100"]}
    assert _run_hook(failing, [done, todo], tmp_path).returncode == 1


def _readthedocs_recipe() -> dict:
    text = (REPO / "docs" / "history.rst").read_text()
    block = text[text.index("   # .readthedocs.yaml") :]
    lines = []
    for line in block.splitlines()[1:]:
        if line and not line.startswith("   "):
            break
        lines.append(line[3:])
    return yaml.safe_load("\n".join(lines))


def test_read_the_docs_recipe_keeps_the_history_between_fresh_clones(tmp_path):
    recipe = _readthedocs_recipe()
    jobs = recipe["build"]["jobs"]
    assert recipe["sphinx"]["configuration"] == "docs/conf.py"

    def clone() -> Path:
        repo = tmp_path / "clone"
        if repo.exists():
            shutil.rmtree(repo)
        shutil.copytree(ROOTS / "test-changelog", repo / "docs")
        return repo

    def rtd_build(repo: Path) -> Path:
        output = repo / "_readthedocs"
        env = _env(READTHEDOCS_OUTPUT=str(output))
        for command in [
            *jobs["pre_build"],
            f"sphinx-build -b html docs {output}/html",
            *jobs["post_build"],
        ]:
            result = subprocess.run(
                command,
                shell=True,
                cwd=repo,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            assert result.returncode == 0, (command, result.stderr)
        return output / "html" / "_static" / "aidoc" / "history.jsonl"

    published = rtd_build(clone())
    first = published.read_text()
    assert first.count('"type": "build"') == 1
    # The maintainer commits the published history; the next RTD build is
    # another fresh clone, with a changed API.
    repo = clone()
    (repo / "docs" / "aidoc-history.jsonl").write_text(first)
    shapes = repo / "docs" / "changelog_pkg" / "shapes.py"
    shapes.write_text(
        shapes.read_text() + "\n\ndef brand_new(value):\n    return value\n"
    )
    second = rtd_build(repo).read_text()
    assert second.startswith(first)
    assert second.count('"type": "build"') == 2
    page = (repo / "_readthedocs" / "html" / "changelog.html").read_text()
    assert "changelog_pkg.shapes.brand_new" in page
