"""Pages whose types the project pass changed are read again (issue 16).

A parameter typed by its call sites shows on the callee's page, but the
calls are in other modules: an edit to a caller changes what the callee's
page must say, and Sphinx re-reads only the pages whose own module changed.
At ``env-get-outdated`` aidoc compares, for every documented module, the
digest of what the project pass changed in its records
(:attr:`~sphinxcontrib_aidoc.analyze._package_pass.PackageTypes.prints`)
with the one of the last build, and reads again the pages that document a
module whose digest changed: an edit costs the pages whose types it
changes, not every page of the package. The digests are kept in the
environment at ``env-updated``.

The digests are computed once per build: when no document was read,
``env-updated`` keeps those found at ``env-get-outdated``; otherwise its
call finds the files of the package where the first left them and the
module's packages already located, so it reads the pass from memory (no
lookup of module files, no parse). A package whose files have
the names, sizes and modification times they had when the last build ran
a complete pass over them (kept in the environment too, with the
analyser's fingerprint and options) keeps the digests of that build
without its files being read: a rebuild with nothing changed reads no
source file for the pass. A rebuild that checks the pass and finds
nothing changed reads no page, so Sphinx does not save the environment
(after an upgrade of aidoc, say): the database then keeps that check.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinxcontrib_aidoc.gc_pause import gc_paused
from sphinxcontrib_aidoc.sphinxext.domain import aidoc_domain
from sphinxcontrib_aidoc.sphinxext.runtime import runtime_of
from sphinxcontrib_aidoc.store import StoreError, kept_payload

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinxcontrib_aidoc.store import Store

#: Where the digests are kept in the domain's data (pickled with the env).
_KEY = "project_pass_prints"
#: Per package root, what its files were when a complete pass ran over them.
_SIGNATURES = "project_pass_signatures"
#: Per build (its application): each documented module's package root and
#: top-level name, None for a module not of the project (located once).
_ROOTS: weakref.WeakKeyDictionary[Sphinx, dict[str, tuple[Path, str] | None]] = (
    weakref.WeakKeyDictionary()
)
#: Per build: the digests found at ``env-get-outdated`` and the package
#: files they come from (kept as they are when no document is read, so
#: ``env-updated`` does not compute them again).
_FOUND: weakref.WeakKeyDictionary[
    Sphinx, tuple[dict[str, str], dict[str, object | None]]
] = weakref.WeakKeyDictionary()
#: Per build: the package files a call of :func:`_prints` without *keep*
#: did not record (recorded with the digests at ``env-updated``).
_PENDING: weakref.WeakKeyDictionary[Sphinx, dict[str, object | None]] = (
    weakref.WeakKeyDictionary()
)


def setup_project_pass(app: Sphinx) -> None:
    """Connect the re-read check and the keeping of the digests."""
    app.connect("env-get-outdated", pages_to_read_again)
    app.connect("env-updated", remember_prints)


@gc_paused()
def pages_to_read_again(
    app: Sphinx,
    env: BuildEnvironment,
    added: set[str],
    changed: set[str],
    removed: set[str],
) -> list[str]:
    """The pages documenting a module whose project-pass types changed."""
    stored: dict[str, str] | None = aidoc_domain(env).data.get(_KEY)
    if not stored:
        return []  # a first build reads every page anyway
    current = _prints(app, env, stored, keep=False, unread=not (added or changed))
    _FOUND[app] = (current, _PENDING.pop(app, {}))
    moved = {m for m, value in current.items() if stored.get(m, "") != value}
    if not moved:
        return []
    return sorted(
        docname
        for docname, objects in aidoc_domain(env).objects.items()
        if docname not in removed and any(s.module in moved for s in objects.values())
    )


def remember_prints(app: Sphinx, env: BuildEnvironment) -> None:
    """Keep this build's digests for the next one."""
    data = aidoc_domain(env).data
    found = _FOUND.pop(app, None)
    if found is None or runtime_of(app).documents_changed:
        data[_KEY] = _prints(app, env, data.get(_KEY) or {}, keep=True)
    else:
        _remember_found(data, found)
    _keep_sources(app, data.get(_SIGNATURES) or {})


def _remember_found(
    data: dict[str, Any], found: tuple[dict[str, str], dict[str, object | None]]
) -> None:
    """No document read: keep the digests found at ``env-get-outdated``.

    They are this build's; the package files they were computed from are
    recorded now.
    """
    current, pending = found
    _record(data.setdefault(_SIGNATURES, {}), pending)
    data[_KEY] = current


#: The database row of what the files of each package were at the last
#: complete pass (a digest of their :func:`signature`, by package root):
#: read at ``config-inited``, before the environment is loaded.
_SOURCES = "pass-sources"


def sources_changed(db: Path) -> bool:
    """Whether a file of a package the last build's pass read has changed since.

    Read from the database at *db* without opening the store, before the
    environment is loaded (``config-inited``: a rebuild whose package
    changed starts its analysis child then). False when the database
    keeps no such row.
    """
    payload = kept_payload(db, _SOURCES)
    if payload is None:
        return False
    try:
        kept = json.loads(payload)
        roots = list(kept.items())
    except (ValueError, AttributeError):
        return False
    from sphinxcontrib_aidoc.analyze._pass_files import signature  # noqa: PLC0415

    return any(
        _digest(signature(Path(root).resolve())) != digest
        for root, digest in roots
        if isinstance(root, str)
    )


def _keep_sources(app: Sphinx, kept: dict[str, object]) -> None:
    """Store the digest of each package's files of *kept*, if they changed."""
    store = runtime_of(app).store
    if store is None:
        return
    digests = {
        root: _digest(files[2])
        for root, files in kept.items()
        if isinstance(files, tuple) and len(files) == 3
    }
    payload = json.dumps(digests, sort_keys=True)
    with contextlib.suppress(StoreError):  # a store that cannot write: a late child
        if store.analysis_get(_SOURCES) != payload:
            store.analysis_put(
                _SOURCES, module="", file="#pass-sources", payload=payload
            )


def _digest(files: object) -> str:
    return hashlib.sha256(repr(files).encode("utf-8")).hexdigest()


#: The database row of a package root whose files were checked (see :func:`_check`).
_CHECKED = "pass-checked:"


def _check(store: Store, root: Path, files: object, prints: dict[str, str]) -> None:
    """Remember that the pass over *root*'s *files* gives the *prints* kept.

    A rebuild that reads no page leaves the environment unsaved: without
    this, after an upgrade of aidoc (a new analyser fingerprint) every such
    rebuild would load the stored pass again to find nothing changed.
    """
    with contextlib.suppress(StoreError):  # a store that cannot write: a load
        store.analysis_put(
            _CHECKED + str(root),
            module="",
            file=f"{root}#pass-checked",
            payload=json.dumps({"files": repr(files), "prints": prints}),
        )


def _checked(store: Store, root: Path, files: object, prints: dict[str, str]) -> bool:
    """Whether the database says *root*'s *files* were checked, giving *prints*."""
    try:
        payload = store.analysis_get(_CHECKED + str(root))
    except StoreError:
        return False
    if payload is None:
        return False
    try:
        data = json.loads(payload)
    except ValueError:
        return False
    return bool(data.get("files") == repr(files) and data.get("prints") == prints)


def _record(kept: dict[str, object], pending: dict[str, object | None]) -> None:
    """Record each package root's files (None: the pass was not complete)."""
    for root, files in pending.items():
        if files is None:
            kept.pop(root, None)
        else:
            kept[root] = files


def _prints(
    app: Sphinx,
    env: BuildEnvironment,
    stored: dict[str, str],
    *,
    keep: bool,
    unread: bool = False,
) -> dict[str, str]:
    """Per documented project module, the digest of what the pass changed.

    *stored*: the last build's digests, kept for a package whose files are
    as they were then. With *keep*, the files of each package are recorded
    as those of *stored*'s next value: only when the digests returned are
    stored with them (at ``env-updated``), else a later call of the same
    build would take the old digests for the new files. With *unread* (no
    document is to be read), a pass found unchanged is remembered in the
    database (:func:`_check`), since the environment will not be saved.
    """
    runtime = runtime_of(app)
    store = runtime.store
    if store is None or runtime.config.mode == "off":
        return {}
    from sphinxcontrib_aidoc.analyze._pass_files import (  # noqa: PLC0415
        analyzer_fingerprint,
        package_root,
        signature,
    )

    packages: dict[tuple[Path, str], list[str]] = {}
    located = _ROOTS.setdefault(app, {})
    modules = sorted({s.module for s in aidoc_domain(env).all_objects().values()})
    for module in modules:
        if module not in located:
            path = runtime.project_file(module)  # (found once: no second look-up)
            located[module] = (
                None
                if path is None
                else (package_root(path, module), module.partition(".")[0])
            )
        where = located[module]
        if where is not None:
            packages.setdefault(where, []).append(module)
    found: dict[str, str] = {}
    kept: dict[str, object] = aidoc_domain(env).data.setdefault(_SIGNATURES, {})
    for (root, top), names in packages.items():
        files = (
            analyzer_fingerprint(),
            runtime.config.infer_steps,
            signature(root.resolve()),
        )
        if all(m in stored for m in names) and (
            kept.get(str(root)) == files
            or _checked(store, root, files, {m: stored[m] for m in names})
        ):
            found.update({m: stored[m] for m in names})
            continue
        # Only a package whose files changed needs the pass itself.
        from sphinxcontrib_aidoc.analyze._package_pass import (  # noqa: PLC0415
            package_types,
        )

        types = package_types(
            root,
            top,
            cache=store,
            infer_timeout=runtime.config.infer_timeout,
            infer_steps=runtime.config.infer_steps,
            known=runtime.parsed_imports,
            stored_keys=runtime.analysed_keys,
        )
        prints = {m: types.prints.get(m, "") for m in names}
        found.update(prints)
        if unread and types.complete and prints == {m: stored.get(m) for m in names}:
            # Nothing moved and no page is read: Sphinx keeps the environment
            # as it was; the database remembers that these files were checked.
            _check(store, root, files, prints)
        done: dict[str, object | None] = {str(root): files if types.complete else None}
        if keep:
            _record(kept, done)
        else:
            _PENDING.setdefault(app, {}).update(done)
    return found
