"""``aidoc changelog``: the recorded history on stdout, and the CI gate."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sphinxcontrib_aidoc.cli import main
from tests.test_changelog import ATOM, check_atom, make_history

REPO = Path(__file__).parent.parent


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "aidoc.db"
    make_history(path).close()
    return path


def test_markdown_is_the_default(db, capsys):
    assert main(["changelog", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# demo API changelog\n\n## 2.0\n")
    assert (
        "- **breaking** `pkg.a.f`: `(x, y=1)` → `(x, y)` (parameter 'y' became required)"
        in out
    )


def test_formats_and_filters(db, capsys):
    assert (
        main(["changelog", "--db", str(db), "--format", "json", "--module", "pkg.b"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert [(c["kind"], c["qualname"]) for c in data["changes"]] == [
        ("documented", "pkg.b.k"),
        ("added", "pkg.b.k"),
        ("generated", "pkg.b.k"),
    ]
    assert (
        main(["changelog", "--db", str(db), "--format", "rst", "--breaking-only"]) == 0
    )
    rst = capsys.readouterr().out
    assert rst.startswith("demo API changelog\n==================\n")
    assert rst.count("* **breaking**") == 2
    assert main(["changelog", "--db", str(db), "--format", "atom", "--limit", "1"]) == 0
    root = check_atom(capsys.readouterr().out)
    assert len(root.findall(f"{ATOM}entry")) == 1
    assert (
        main(
            [
                "changelog",
                "--db",
                str(db),
                "--kinds",
                "added,removed",
                "--format",
                "json",
            ]
        )
        == 0
    )
    kinds = [c["kind"] for c in json.loads(capsys.readouterr().out)["changes"]]
    assert kinds == ["removed", "added"]


@pytest.mark.parametrize(
    ("since", "code"),
    [("1.0", 1), ("1.1", 1), ("2.0", 0), ("2025-01-06", 1), ("dddd", 0)],
)
def test_fail_on_breaking_since(db, capsys, since, code):
    argv = ["changelog", "--db", str(db), "--fail-on-breaking", "--since", since]
    assert main(argv) == code
    captured = capsys.readouterr()
    if code:
        assert "breaking change(s) since" in captured.err
    else:
        assert "breaking" not in captured.err


def test_fail_on_breaking_respects_the_module_filter(db, capsys):
    argv = ["changelog", "--db", str(db), "--fail-on-breaking", "--since", "1.0"]
    assert main([*argv, "--module", "pkg.b"]) == 0
    assert main([*argv, "--module", "pkg.a"]) == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--fail-on-breaking"], "--fail-on-breaking needs --since"),
        (["--since", "v9"], "no build matches 'v9'"),
        (["--kinds", "added,renamed"], "unknown change kind(s): renamed"),
        (["--limit", "-1"], "--limit must be 0 or more"),
    ],
)
def test_usage_errors_exit_2(db, capsys, argv, message):
    assert main(["changelog", "--db", str(db), *argv]) == 2
    assert message in capsys.readouterr().err


def test_unusable_database_exits_2(tmp_path, capsys):
    assert main(["changelog", "--db", str(tmp_path / "missing.db")]) == 2
    assert "there is no aidoc database" in capsys.readouterr().err
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 10)
    assert main(["changelog", "--db", str(junk)]) == 2
    assert "is not an SQLite database" in capsys.readouterr().err
    assert junk.read_bytes() == b"not a database at all" * 10


def test_since_a_git_ref(tmp_path, capsys):
    """A tag is resolved with git in the directory of the database."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.email=a@b.c", "-c", "user.name=A"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "one"], check=True)
    subprocess.run([*git, "tag", "v1"], check=True)
    commit = subprocess.run(
        [*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    store = make_history(repo / "aidoc.db")
    store.db.execute("UPDATE builds SET git_commit = ? WHERE id = 2", [commit])
    store.db.conn.commit()
    store.close()
    assert (
        main(
            [
                "changelog",
                "--db",
                str(repo / "aidoc.db"),
                "--since",
                "v1",
                "--format",
                "json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["since"]["build_id"] == 2


def test_cli_docs_name_the_subcommand():
    text = (REPO / "docs" / "cli.rst").read_text(encoding="utf-8")
    assert "aidoc changelog" in text
    assert "--fail-on-breaking" in text


def test_atom_from_the_cli_parses(db, capsys):
    assert main(["changelog", "--db", str(db), "--format", "atom"]) == 0
    root = ET.fromstring(capsys.readouterr().out)
    assert root.tag == f"{ATOM}feed"
