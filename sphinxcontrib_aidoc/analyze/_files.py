"""Files and parse diagnostics, shared by both engines (no astroid here)."""

from __future__ import annotations

import io
import os
import tokenize
import warnings
from collections.abc import Iterator
from pathlib import Path

from sphinxcontrib_aidoc.diagnostics import Diagnostic, Reporter


def python_files(root: Path, skip: frozenset[str]) -> Iterator[Path]:
    """``*.py`` files under *root*, skipping hidden directories and *skip*.

    Resolved paths, each directory's files in name order before its
    subdirectories (in name order); links to directories are not entered
    (as :func:`os.walk` does). *root* is resolved once: a path under it
    needs resolving again only when it is a link itself.
    """
    yield from _python_files(root.resolve(), skip)


def _python_files(directory: Path, skip: frozenset[str]) -> Iterator[Path]:
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError:
        return
    subdirectories: list[str] = []
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if (
                not entry.name.startswith(".")
                and entry.name not in skip
                and not entry.is_symlink()
            ):
                subdirectories.append(entry.name)
        elif entry.name.endswith(".py"):
            path = directory / entry.name
            yield path.resolve() if entry.is_symlink() else path
    for name in subdirectories:
        yield from _python_files(directory / name, skip)


def stamp(path: Path) -> tuple[int, int] | None:
    """``(mtime_ns, size)`` of *path*, None when it cannot be read."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def read_source(path: Path, reporter: Reporter) -> str | None:
    """The text of *path* decoded as Python does (PEP 263); None on failure."""
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        reporter.report(Diagnostic("parse", f"cannot read {where}: {why(exc)}", where))
        return None
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        reporter.report(Diagnostic("parse", f"cannot parse {where}: {why(exc)}", where))
        return None


def report_parse(reporter: Reporter | None, file: str, error: BaseException) -> None:
    """Report that *file* does not parse (``file:line`` when the line is known)."""
    lineno = getattr(error, "lineno", None)
    message = f"cannot parse {file}: {why(error)}"
    if lineno:
        message += f" (line {lineno})"
    location = f"{file}:{lineno}" if lineno else file
    report(reporter, Diagnostic("parse", message, location))


def why(error: BaseException) -> str:
    """One line describing *error*."""
    if isinstance(error, SyntaxError) and error.msg:
        return error.msg
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    if isinstance(error, RecursionError):
        return "code nested too deeply to analyse"
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def report(reporter: Reporter | None, diagnostic: Diagnostic) -> None:
    """Pass *diagnostic* to *reporter*, if there is one."""
    if reporter is not None:
        reporter.report(diagnostic)


def quiet_compile_warnings() -> None:
    """Ignore warnings Python emits while *compiling* analysed code."""
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.filterwarnings("ignore", "invalid escape sequence", DeprecationWarning)
    warnings.filterwarnings("ignore", "invalid .* literal", DeprecationWarning)
