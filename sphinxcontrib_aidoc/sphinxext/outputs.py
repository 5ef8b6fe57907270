"""Extra HTML outputs written again only when what they show changed.

The search page, its index, the changelog page, ``changelog.json`` and the
Atom feed are not documents: Sphinx writes them at ``html-collect-pages`` on
every build. Each is given a key: a digest of everything it renders from
(its content, the builder's build information, which changes with the
theme and the HTML settings, and the newest template's time). The keys of
the last build are kept in ``.aidoc-outputs.json`` in the output directory
(beside Sphinx's ``.buildinfo``); an output whose file exists and whose key
is unchanged is neither rendered nor written.

Sphinx pickles the environment before it writes, so this state cannot live
in the domain.

Under Sphinx 8, a rebuild in which no document changed stops before
writing: ``html-collect-pages`` is not emitted, so an output deleted since
the last build would stay missing. The state file also names each
output's files; when one is gone, ``env-updated`` asks Sphinx to write
the root document again, which makes it go on to the collecting step.
"""

from __future__ import annotations

import hashlib
import json
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

import sphinx

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: File in the output directory that keeps the keys of the last build.
STATE_FILE = ".aidoc-outputs.json"
#: Prefix of the state's entries naming a file an output wrote (its path
#: relative to the output directory), whose value is the output's name.
_FILE = "file:"


class OutputKeys:
    """The keys of the extra outputs of one build, against the last build's."""

    def __init__(self, app: Sphinx) -> None:
        self.outdir = Path(app.outdir)
        self.path = self.outdir / STATE_FILE
        self.site = _site_key(app)
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            loaded = {}
        self.previous: dict[str, str] = loaded if isinstance(loaded, dict) else {}
        self.current: dict[str, str] = dict(self.previous)

    def key(self, *parts: str, themed: bool = True) -> str:
        """The key of an output made from *parts* (and the site's theme)."""
        digest = hashlib.sha256(self.site.encode("utf-8") if themed else b"")
        for part in parts:
            digest.update(b"\0")
            digest.update(part.encode("utf-8"))
        return digest.hexdigest()

    def unchanged(self, name: str, key: str, *files: Path) -> bool:
        """Whether output *name* was last written with *key* and *files* exist.

        Either way *key* becomes the output's key of this build (call
        :meth:`save` once every output is known).
        """
        same = self.previous.get(name) == key and all(f.is_file() for f in files)
        self.current[name] = key
        for file in files:
            if file.is_relative_to(self.outdir):
                self.current[_FILE + file.relative_to(self.outdir).as_posix()] = name
        return same

    def forget(self, name: str) -> None:
        """Drop *name*'s key (it was not written in this build)."""
        self.current.pop(name, None)
        for entry in [k for k, v in self.current.items() if k.startswith(_FILE)]:
            if self.current[entry] == name:
                del self.current[entry]

    def missing(self) -> list[str]:
        """The files the last build's outputs wrote that are gone now."""
        return [
            entry[len(_FILE) :]
            for entry in self.previous
            if entry.startswith(_FILE)
            and not (self.outdir / entry[len(_FILE) :]).is_file()
        ]

    def save(self) -> None:
        """Keep this build's keys for the next one (only if they changed)."""
        if self.current == self.previous:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(
                json.dumps(self.current, sort_keys=True, indent=1), encoding="utf-8"
            )
        except OSError:  # an unwritable output directory: everything is rewritten
            return
        self.previous = dict(self.current)


def _site_key(app: Sphinx) -> str:
    """What every extra page of the site depends on beyond its own content."""
    builder = app.builder
    build_info = getattr(builder, "build_info", None)
    templates = getattr(builder, "templates", None)
    newest = getattr(templates, "newest_template_mtime", None)
    try:
        mtime = float(newest()) if callable(newest) else 0.0
    except (OSError, ValueError):
        mtime = -1.0
    hashes = (
        str(getattr(build_info, "config_hash", "")),
        str(getattr(build_info, "tags_hash", "")),
    )
    return repr((builder.name, hashes, mtime, str(app.config.root_doc)))


_KEYS: weakref.WeakKeyDictionary[Sphinx, OutputKeys] = weakref.WeakKeyDictionary()


def setup_outputs(app: Sphinx) -> None:
    """Keep the keys of a successful build at its end."""
    app.connect("build-finished", save_keys)
    if sphinx.version_info < (9,):
        app.connect("env-updated", write_missing, priority=900)


def write_missing(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The root document, to be written again when an output file is gone.

    Only connected under Sphinx 8 (see the module doc): writing a document
    is what makes it emit ``html-collect-pages``, where the outputs are
    written again.
    """
    del env
    if app.builder.format != "html" or not output_keys(app).missing():
        return []
    return [app.config.root_doc]


def output_keys(app: Sphinx) -> OutputKeys:
    """The output keys of *app*'s current build (read on first use)."""
    keys = _KEYS.get(app)
    if keys is None:
        keys = _KEYS[app] = OutputKeys(app)
    return keys


def save_keys(app: Sphinx, exception: BaseException | None) -> None:
    """Store the keys of a successful build; a failed one keeps the old keys."""
    keys = _KEYS.pop(app, None)
    if keys is not None and exception is None:
        keys.save()
