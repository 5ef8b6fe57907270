"""Portable build history: export and import as JSON lines.

A fresh CI checkout or a Read the Docs build starts with no database; the
history (successful builds, their API snapshots and what each changed)
travels as a text file instead: kept in the repository or carried as a CI
artifact, exported after the build and imported before the next one.

The file is diff-friendly: one JSON object per line, keys sorted, builds in
order, and each build lists only the objects that differ from the build
before it (``object`` lines for added or changed ones, ``removed`` lines),
so a build that changed nothing adds a single ``build`` line. Its
``change`` lines are the changelog rows as recorded, so an imported
history renders the same changelog page. Build ids are kept when they are
free, since the changelog's JSON shows them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

from sphinxcontrib_aidoc.model import ObjectSnapshot
from sphinxcontrib_aidoc.store._base import StoreError, dump_json
from sphinxcontrib_aidoc.store._builds import COUNTERS, BuildsMixin
from sphinxcontrib_aidoc.store._changes import CHANGE_COLUMNS

#: Version of the export format (the ``history`` line).
HISTORY_FORMAT = 1
#: Columns that say which build a ``builds`` row is, across databases.
IDENTITY = ("started_at", "project", "release", "version", "git_commit", "builder")
_BUILD_FIELDS = (*IDENTITY, "ended_at", "status", *COUNTERS)
_CHANGE_FIELDS = tuple(c for c in CHANGE_COLUMNS if c not in ("build_id",))


@dataclass(frozen=True, slots=True)
class HistoryImport:
    """What :meth:`HistoryMixin.history_import` did."""

    builds: int = 0
    skipped: int = 0
    objects: int = 0
    changes: int = 0


class HistoryMixin(BuildsMixin):
    """The ``history_*`` methods of :class:`~sphinxcontrib_aidoc.store.Store`."""

    def history_export(self, out: TextIO) -> int:
        """Write the history of successful builds to *out*; return the lines."""
        lines = 0
        for record in self._history_records():
            out.write(json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n")
            lines += 1
        return lines

    def _history_records(self) -> Iterator[dict[str, Any]]:
        yield {"type": "history", "format_version": HISTORY_FORMAT}
        builds = self._rows("SELECT * FROM builds WHERE status = 'ok' ORDER BY id")
        previous: dict[str, ObjectSnapshot] = {}
        base = self.path.resolve().parent
        for build in builds:
            build_id = int(build["id"])
            record = {name: build[name] for name in _BUILD_FIELDS}
            record.update(
                type="build",
                id=build_id,
                config=json.loads(build["config_json"] or "{}"),
                usage=json.loads(build.get("usage_json") or "{}"),
            )
            yield record
            current = {s.qualname: s for s in self.snapshot(build_id)}
            for name in sorted(current.keys() - previous.keys()):
                yield _object_line(build_id, current[name], base)
            for name in sorted(current.keys() & previous.keys()):
                if current[name] != previous[name]:
                    yield _object_line(build_id, current[name], base)
            for name in sorted(previous.keys() - current.keys()):
                yield {"type": "removed", "build": build_id, "qualname": name}
            previous = current
            rows = self._rows(
                "SELECT * FROM changes WHERE build_id = ? ORDER BY id", [build_id]
            )
            for row in rows:
                change = {name: row[name] for name in _CHANGE_FIELDS}
                change.update(type="change", build=build_id)
                yield change

    def history_import(self, source: TextIO) -> HistoryImport:
        """Add the builds of an exported history that this database lacks.

        A build already here (same start time, project, release, version,
        commit and builder) is skipped with its objects and changes. All or
        nothing: one transaction.

        Raises:
            StoreError: A line is not JSON or not a history record (the
                message gives its number); nothing is imported.
        """
        builds, objects, changes = _parse(source)
        imported = skipped = object_rows = change_rows = 0
        ids: dict[int, int] = {}
        current: dict[str, ObjectSnapshot] = {}
        base = self.path.resolve().parent
        with self._write() as db:
            # Builds this import adds are never "already present": two builds
            # of one second can look alike in everything but their ids.
            before = self._rows("SELECT coalesce(max(id), 0) AS n FROM builds")[0]["n"]
            for old_id, build in builds:
                for line in objects.get(old_id, []):
                    if line["type"] == "removed":
                        current.pop(line["qualname"], None)
                    else:
                        snapshot = _local(ObjectSnapshot.from_json(line), base)
                        current[snapshot.qualname] = snapshot
                existing = self._same_build(old_id, build, int(before))
                if existing is not None:
                    ids[old_id] = existing
                    skipped += 1
                    continue
                new_id = self._insert_build(old_id, build)
                ids[old_id] = new_id
                imported += 1
                object_rows += self.record_objects(new_id, current.values())
                rows = [
                    (
                        new_id,
                        ids[c["since_build_id"]],
                        *[c[f] for f in _CHANGE_FIELDS[1:]],
                    )
                    for c in changes.get(old_id, [])
                    if c["since_build_id"] in ids
                ]
                columns = ", ".join(CHANGE_COLUMNS)
                marks = ", ".join("?" * len(CHANGE_COLUMNS))
                db.conn.executemany(
                    f"INSERT OR IGNORE INTO changes ({columns}) VALUES ({marks})",  # noqa: S608 (constant)
                    rows,
                )
                change_rows += len(rows)
        return HistoryImport(imported, skipped, object_rows, change_rows)

    def _same_build(self, old_id: int, build: dict[str, Any], up_to: int) -> int | None:
        """The id of a build here that is *build* (its own id first)."""
        where = " AND ".join(f"{name} = ?" for name in IDENTITY)
        rows = self._rows(
            f"SELECT id FROM builds WHERE id <= ? AND {where}"  # noqa: S608 (constant)
            " ORDER BY id = ? DESC, id",
            [up_to, *(build.get(name) or "" for name in IDENTITY), old_id],
        )
        return int(rows[0]["id"]) if rows else None

    def _insert_build(self, old_id: int, build: dict[str, Any]) -> int:
        row = {name: build.get(name) for name in _BUILD_FIELDS}
        for name in IDENTITY:
            row[name] = row[name] or ""
        row["status"] = "ok"
        row["config_json"] = dump_json(build.get("config") or {})
        row["usage_json"] = dump_json(build.get("usage") or {})
        if not self._rows("SELECT 1 FROM builds WHERE id = ?", [old_id]):
            row["id"] = old_id
        columns = ", ".join(row)
        marks = ", ".join(f":{name}" for name in row)
        cursor = self.db.execute(
            f"INSERT INTO builds ({columns}) VALUES ({marks})",  # noqa: S608 (constant)
            row,
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid


def _object_line(build_id: int, snapshot: ObjectSnapshot, base: Path) -> dict[str, Any]:
    """The export line of one object; its file relative to the database."""
    line = {
        **snapshot.to_json(),
        "docstring": snapshot.docstring,
        "type": "object",
        "build": build_id,
    }
    if snapshot.file and Path(snapshot.file).is_absolute():
        relative = os.path.relpath(snapshot.file, base)
        line["file"] = Path(relative).as_posix()
    return line


def _local(snapshot: ObjectSnapshot, base: Path) -> ObjectSnapshot:
    """Return *snapshot* with a relative (exported) file made absolute."""
    if not snapshot.file or Path(snapshot.file).is_absolute():
        return snapshot
    return replace(snapshot, file=os.path.normpath(base / snapshot.file))


def _parse(
    source: TextIO,
) -> tuple[
    list[tuple[int, dict[str, Any]]],
    dict[int, list[dict[str, Any]]],
    dict[int, list[dict[str, Any]]],
]:
    """Read an export: builds in order, object lines and change lines by build."""
    builds: list[tuple[int, dict[str, Any]]] = []
    objects: dict[int, list[dict[str, Any]]] = {}
    changes: dict[int, list[dict[str, Any]]] = {}
    header = False
    for number, line in enumerate(source, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            kind = record["type"]
            if kind == "history":
                if record.get("format_version") != HISTORY_FORMAT:
                    msg = f"format_version {record.get('format_version')!r}"
                    raise ValueError(msg)
                header = True
            elif not header:
                msg = "the first line must be the history line"
                raise ValueError(msg)
            elif kind == "build":
                builds.append((int(record["id"]), record))
            elif kind in ("object", "removed"):
                str(record["qualname"])
                objects.setdefault(int(record["build"]), []).append(record)
            elif kind == "change":
                missing = {"since_build_id", "qualname", "kind"} - record.keys()
                if missing:
                    msg = f"a change without {', '.join(sorted(missing))}"
                    raise ValueError(msg)
                changes.setdefault(int(record["build"]), []).append(record)
            else:
                msg = f"unknown record type {kind!r}"
                raise ValueError(msg)
        except (ValueError, KeyError, TypeError) as exc:
            msg = f"line {number} is not an aidoc history record ({exc}); nothing imported"
            raise StoreError(msg) from exc
    if not header:
        msg = "not an aidoc history export (no history line); nothing imported"
        raise StoreError(msg)
    return builds, objects, changes
