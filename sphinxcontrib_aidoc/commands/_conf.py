"""``-c DIR``: one configuration for the command line and the Sphinx build.

Every subcommand accepts ``-c DIR`` as ``sphinx-build`` does: the
``aidoc_*`` settings of ``DIR/conf.py`` (executed the way Sphinx executes
it, in its own directory, with ``tags``) configure the command, and
``aidoc_db`` is resolved against ``DIR`` as the build resolves it. An
option given on the command line wins over conf.py.

Commands that work on the database look for a conf.py when neither ``-c``
nor ``--db`` is given: ``./conf.py``, then ``./docs/conf.py``.
``aidoc report`` and ``aidoc generate`` read a conf.py only with ``-c``,
so they stay fast and free of Sphinx.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinxcontrib_aidoc.config import AidocConfig
from sphinxcontrib_aidoc.diagnostics import StderrReporter

#: Where a conf.py is looked for when ``-c`` is not given.
DISCOVERED = (Path("conf.py"), Path("docs") / "conf.py")


class ConfError(Exception):
    """conf.py cannot be read, or no database is configured."""


@dataclass(frozen=True, slots=True)
class Settings:
    """The validated settings of a command and where they came from.

    Attributes:
        config: Every ``aidoc_*`` setting (defaults, then conf.py, then the
            command line).
        confdir: The directory of the conf.py read, or None.
        db: The database file: ``--db`` as given, else ``aidoc_db`` against
            the conf.py directory; None when neither is known.
        class_content: conf.py's ``autoclass_content`` (what autodoc shows
            as a class's docstring), ``"class"`` without a conf.py.
    """

    config: AidocConfig
    confdir: Path | None
    db: Path | None
    class_content: str = "class"


def add_conf_option(parser: argparse.ArgumentParser) -> None:
    """Add ``-c DIR`` to a subcommand's parser."""
    parser.add_argument(
        "-c",
        "--conf-dir",
        dest="confdir",
        metavar="DIR",
        help="read aidoc_* settings and aidoc_db from DIR/conf.py (as "
        "sphinx-build -c); options given here win",
    )


def add_db_option(parser: argparse.ArgumentParser, what: str = "database") -> None:
    """Add ``--db`` (optional: ``-c`` or a discovered conf.py gives it)."""
    parser.add_argument(
        "--db",
        help=f"the aidoc {what} (default: aidoc_db of the conf.py)",
    )


def load_settings(
    args: argparse.Namespace,
    overrides: dict[str, Any] | None = None,
    *,
    discover: bool = False,
) -> Settings:
    """Return the settings of this command line.

    Args:
        args: The parsed arguments (``confdir``, and ``db`` when present).
        overrides: Settings given as options (``None`` values are ignored).
        discover: Look for ``./conf.py`` and ``./docs/conf.py`` when
            neither ``-c`` nor ``--db`` is given.

    Raises:
        ConfError: ``-c`` names no conf.py, or conf.py fails to run.
    """
    confdir = _confdir(args, discover=discover)
    values: dict[str, Any] = {}
    class_content = "class"
    if confdir is not None:
        namespace = _namespace(confdir)
        values = _aidoc_values(namespace)
        class_content = str(namespace.get("autoclass_content") or "class")
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    config = AidocConfig.from_mapping(values, StderrReporter())
    db: Path | None = None
    given = getattr(args, "db", None)
    if given:
        db = Path(given)
    elif confdir is not None:
        db = Path(config.db)
        if not db.is_absolute():
            db = confdir / db
    return Settings(config=config, confdir=confdir, db=db, class_content=class_content)


def require_db(settings: Settings, command: str, *, exists: bool = False) -> Path:
    """Return the database path, or raise a usage error naming the fix.

    Raises:
        ConfError: Neither ``--db`` nor a conf.py gives the database, or
            *exists* and there is no file there.
    """
    if settings.db is None:
        msg = (
            f"aidoc {command}: no database: give --db FILE, or -c DIR with the "
            "conf.py of the Sphinx project"
        )
        raise ConfError(msg)
    if exists and not settings.db.is_file():
        msg = f"aidoc: no database at {settings.db}"
        raise ConfError(msg)
    return settings.db


def _confdir(args: argparse.Namespace, *, discover: bool) -> Path | None:
    given = getattr(args, "confdir", None)
    if given:
        confdir = Path(given)
        if not (confdir / "conf.py").is_file():
            msg = f"-c {given}: there is no conf.py in {confdir}"
            raise ConfError(msg)
        return confdir.resolve()
    if not discover or getattr(args, "db", None):
        return None
    for candidate in DISCOVERED:
        if candidate.is_file():
            return candidate.parent.resolve()
    return None


def read_conf(confdir: Path) -> dict[str, Any]:
    """Execute ``confdir/conf.py`` as Sphinx does; return its ``aidoc_*`` values.

    Keys lose their ``aidoc_`` prefix (``aidoc_style`` gives ``style``).

    Raises:
        ConfError: conf.py has an error (Sphinx's message).
    """
    return _aidoc_values(_namespace(confdir))


def _namespace(confdir: Path) -> dict[str, Any]:
    """The names ``confdir/conf.py`` defines, executed as Sphinx does."""
    import sphinx
    from sphinx.config import eval_config_file
    from sphinx.errors import ConfigError
    from sphinx.util.tags import Tags

    conf = confdir / "conf.py"
    # Sphinx 9 reads a Path (its parent is the directory to run in); Sphinx
    # 8 a string, whose name it encodes.
    filename: Any = conf if sphinx.version_info >= (9,) else str(conf)
    try:
        namespace = eval_config_file(filename, Tags())
    except ConfigError as exc:
        msg = f"cannot read {confdir / 'conf.py'}: {exc}"
        raise ConfError(msg) from exc
    return dict(namespace)


def _aidoc_values(namespace: dict[str, Any]) -> dict[str, Any]:
    prefix = "aidoc_"
    return {
        name[len(prefix) :]: value
        for name, value in namespace.items()
        if name.startswith(prefix)
    }


def usage_error(exc: ConfError) -> int:
    """Print *exc* and return the usage exit status (2)."""
    message = str(exc)
    if not message.startswith("aidoc"):
        message = f"aidoc: {message}"
    sys.stderr.write(message + "\n")
    return 2
