"""The commit a build documents, asked of git without ever failing."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def git_commit(cwd: Path) -> str:
    """Return the commit checked out at *cwd*, or ``""``.

    Runs ``git rev-parse HEAD`` with a 5 second timeout. Any failure (no git,
    not a repository, no commits yet, a hung process) gives ``""``.

    Args:
        cwd: A directory inside the working tree.

    Returns:
        The full hexadecimal commit id, or ``""`` when it is unknown.
    """
    return rev_parse(cwd, "HEAD")


def rev_parse(cwd: Path, ref: str) -> str:
    """Return the commit that *ref* (a tag, branch, ``HEAD~2``...) names, or ``""``.

    Never fails: a ref git does not know, or one that looks like an option,
    gives ``""``.

    Args:
        cwd: A directory inside the working tree.
        ref: Anything ``git rev-parse`` accepts.
    """
    git = shutil.which("git")
    if git is None or not ref or ref.startswith("-"):
        return ""
    try:
        proc = subprocess.run(  # noqa: S603 (fixed argv, no shell)
            [git, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, ValueError, subprocess.SubprocessError):
        return ""
    commit = proc.stdout.strip()
    if proc.returncode != 0 or not _COMMIT.fullmatch(commit):
        return ""
    return commit
