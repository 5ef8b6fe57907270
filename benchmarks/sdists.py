"""Source distributions for the benchmarks: downloaded once, kept on disk."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def sdist(requirement: str, into: Path) -> Path:
    """The ``.tar.gz`` of *requirement* (``name==version``) in *into*.

    Downloaded with pip (``--no-binary :all: --no-deps``) the first time;
    the archive is found under the project's name as written or with ``_``.
    """
    name, _, version = requirement.partition("==")
    into.mkdir(parents=True, exist_ok=True)
    names = {name, name.replace("-", "_"), name.replace("_", "-")}

    def found() -> Path | None:
        return next(
            (
                p
                for n in sorted(names)
                for p in sorted(into.glob(f"{n}-{version}.tar.gz"))
            ),
            None,
        )

    if found() is None:
        command = [sys.executable, "-m", "pip", "download", "--no-binary", ":all:"]
        command += ["--no-deps", "-q", "-d", str(into), requirement]
        subprocess.run(command, check=True)
    archive = found()
    if archive is None:
        msg = f"pip downloaded no sdist of {requirement} into {into}"
        raise SystemExit(msg)
    return archive
