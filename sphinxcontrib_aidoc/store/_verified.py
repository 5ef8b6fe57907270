"""The stamp of a database file as aidoc's last clean close left it.

:func:`~sphinxcontrib_aidoc.store.schema.inspect_file` runs ``PRAGMA
quick_check`` on an existing database before aidoc opens it for writing,
which reads every page: 0.05-0.07 s per build on the 50 MB database of a
20,000-object project, most of what a rebuild with nothing changed spends
in aidoc. A file that nothing has touched since aidoc closed it cleanly
is the file SQLite left, so the check is skipped for it.

At a clean close (:meth:`Store.close` of a writable file that saw no
damage), the file's device, inode, size, modification and change times
(nanoseconds) are written to a sidecar file, ``<db>-verified``. The next
:meth:`Store.open` skips the page check when the file's stamp is still
that one and there is no pending write-ahead log (a non-empty ``-wal``:
a build that stopped without closing, or another process using the file).
Anything else (a copy, a restore, an edit, a truncation, a crash, a
missing or unreadable sidecar) runs the check as before.

Timestamps have a granularity (a kernel clock tick, up to a few
milliseconds on some file systems): a write in the same tick as the
stamped one would leave the stamp as it was. So the sidecar is trusted
only when its own modification time is later than the stamped one
(:func:`remember` waits for the clock to move on, a few milliseconds at
most, when it has not); a write after the stamp is then seen. What stays
unseen is a change of the file's bytes that keeps its size within the
same tick as aidoc's last write, or damage of the medium itself; SQLite
still reports a damaged page where it reads one, and a store that met
such an error (:class:`VerifiedConnection`) writes no stamp, so the next
open checks the whole file again.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

#: The sidecar's name: the database file's name plus this.
SUFFIX = "-verified"
#: Format of the sidecar's content (a stamp of another format is not trusted).
FORMAT = 1
#: SQLite's primary result codes that say the file may be damaged: an I/O
#: error, a damaged page, a full disk, not a database.
DAMAGE_CODES = frozenset({10, 11, 13, 26})
#: How long :func:`remember` waits for the file clock to pass the stamp.
_WAIT_S = 0.1


def sidecar(path: Path) -> Path:
    """The file that holds *path*'s stamp."""
    return path.with_name(path.name + SUFFIX)


def _stamp(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def _wal_pending(path: Path) -> bool:
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except FileNotFoundError:
        return False
    except OSError:
        return True


def unchanged(path: Path) -> bool:
    """Whether *path* is as aidoc's last clean close left it (see the module doc)."""
    record = sidecar(path)
    try:
        written = record.stat().st_mtime_ns
        data = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return False
    stamp = data.get("stamp")
    if not isinstance(stamp, list) or len(stamp) != 5:
        return False
    # Written in a later clock tick than the file's last change (see above).
    return written > stamp[3] and _stamp(path) == stamp and not _wal_pending(path)


def forget(path: Path) -> None:
    """Remove *path*'s stamp: the next open checks the whole file."""
    with contextlib.suppress(OSError):
        sidecar(path).unlink()


def remember(path: Path) -> None:
    """Stamp *path* as it is now (call it just after a clean close).

    Nothing is written when the file has a pending write-ahead log (another
    connection still has it open: its own close stamps the file) or when
    the sidecar cannot be written (the next open checks the file).
    """
    stamp = _stamp(path)
    if stamp is None or _wal_pending(path):
        forget(path)
        return
    record = sidecar(path)
    temporary = record.with_name(f"{record.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(
            json.dumps({"format": FORMAT, "stamp": stamp}), encoding="utf-8"
        )
        temporary.replace(record)
        deadline = time.monotonic() + _WAIT_S
        while record.stat().st_mtime_ns <= stamp[3]:
            if time.monotonic() > deadline:
                forget(path)
                return
            time.sleep(0.001)
            os.utime(record)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
        forget(path)
        return
    if _stamp(path) != stamp:  # written meanwhile: no stamp to trust
        forget(path)


class VerifiedConnection(sqlite3.Connection):
    """A connection that notes an error saying its file may be damaged.

    :attr:`damaged` is set by any statement that fails with one of
    :data:`DAMAGE_CODES`; the store then writes no stamp at its close.
    """

    damaged = False

    def execute(self, *args: Any) -> sqlite3.Cursor:  # noqa: ANN401
        try:
            return super().execute(*args)
        except sqlite3.DatabaseError as exc:
            self._note(exc)
            raise

    def executemany(self, *args: Any) -> sqlite3.Cursor:  # noqa: ANN401
        try:
            return super().executemany(*args)
        except sqlite3.DatabaseError as exc:
            self._note(exc)
            raise

    def _note(self, exc: sqlite3.DatabaseError) -> None:
        code = getattr(exc, "sqlite_errorcode", None)
        if type(exc) is sqlite3.DatabaseError or (
            isinstance(code, int) and code & 0xFF in DAMAGE_CODES
        ):
            self.damaged = True
