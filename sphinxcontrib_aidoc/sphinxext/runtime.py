"""Per-process state of a build: analysis results, drafts, the open store.

Plain data (analysed objects, drafts) lives in :class:`Runtime` and is
inherited by ``-j N`` worker processes when Sphinx forks them, so a batch
generated in the main process before reading is served to every worker
without a database round trip. Connections are per process: a worker that
needs the store opens its own (``os.getpid()`` differs).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze import analyze_file
from sphinxcontrib_aidoc.analyze.persist import (
    analyze_file_kept,
    package_fingerprint,
    package_root,
)
from sphinxcontrib_aidoc.diagnostics import Diagnostic, Reporter
from sphinxcontrib_aidoc.generate import Generator, Progress
from sphinxcontrib_aidoc.generate.select import select_provider
from sphinxcontrib_aidoc.plan import wants_draft
from sphinxcontrib_aidoc.store import Store, StoreError

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.config import AidocConfig
    from sphinxcontrib_aidoc.model import Draft, ObjectInfo


@dataclass
class Runtime:
    """Everything aidoc keeps in memory during one build, in one process."""

    config: AidocConfig
    db_path: Path
    reporter: Reporter
    infos: dict[str, ObjectInfo] = field(default_factory=dict)
    drafts: dict[str, Draft] = field(default_factory=dict)
    modules: dict[str, bool] = field(default_factory=dict)
    store_error: str = ""
    #: Row id of this build in the ``builds`` table (main process only).
    build_id: int | None = None
    #: Documents (re)read in this build.
    read_docs: set[str] = field(default_factory=set)
    #: Modules named by the documents that failed to parse or import.
    failed_modules: set[str] = field(default_factory=set)
    #: Content fingerprints of package roots, computed once per build.
    packages: dict[Path, str] = field(default_factory=dict)
    _store: Store | None = None
    _store_pid: int = 0
    _generator: Generator | None = None
    _generator_pid: int = 0

    # -- store ---------------------------------------------------------
    @property
    def store(self) -> Store | None:
        """The store of this process, opened lazily; None if it is unusable."""
        if self.store_error:
            return None
        if self._store is None or self._store_pid != os.getpid():
            try:
                self._store = Store.open(self.db_path)
            except StoreError as exc:
                self.store_error = str(exc)
                self.reporter.report(Diagnostic("db", str(exc), level="error"))
                self._store = None
                return None
            self._store_pid = os.getpid()
            if self._store.notice:  # a read-only file, used as a read-only cache
                self.reporter.report(Diagnostic("db", self._store.notice))
        return self._store

    def close(self) -> None:
        """Close this process's store connection."""
        if self._store is not None and self._store_pid == os.getpid():
            self._store.close()
        self._store = None

    # -- generation ----------------------------------------------------
    @property
    def generator(self) -> Generator:
        """The generator of this process (provider clients are per process)."""
        if self._generator is None or self._generator_pid != os.getpid():
            store = self.store
            recorder = (
                functools.partial(store.record_call, self.build_id)
                if store is not None
                else None
            )
            self._generator = Generator(
                provider=select_provider(self.config, self.reporter, recorder),
                style=self.config.style,
                reporter=self.reporter,
                cache=store,
            )
            self._generator_pid = os.getpid()
        return self._generator

    def analyse_modules(self, modnames: list[str]) -> list[ObjectInfo]:
        """Analyse *modnames*; return the objects that need a draft."""
        todo: list[ObjectInfo] = []
        for modname in modnames:
            todo.extend(self._analyse_module(modname))
        return todo

    def draft_batch(
        self, infos: list[ObjectInfo], progress: Progress | None = None
    ) -> int:
        """Draft *infos* in one batch; return how many were new to this run."""
        return self._draft(infos, progress)

    def lookup(
        self, name: str, module_hint: str | None, *, draft: bool = True
    ) -> ObjectInfo | None:
        """Return the analysed object autodoc calls *name*.

        A module analysed for the first time is drafted in one batch (for
        autodoc, which is about to need its drafts); ``draft=False`` only
        analyses (for scores, the search index and cross-references).
        """
        info = self.infos.get(name)
        if info is not None:
            return info
        for modname in _candidate_modules(name, module_hint):
            if modname in self.modules:
                continue
            todo = self._analyse_module(modname)
            if draft:
                self._draft(todo)
            info = self.infos.get(name)
            if info is not None:
                return info
        return None

    def draft_for(self, info: ObjectInfo) -> Draft:
        """Return the draft of *info*, generating it if no batch did."""
        draft = self.drafts.get(info.qualname)
        if draft is None:
            self._draft([info])
            draft = self.drafts[info.qualname]
        return draft

    def _analyse_module(self, modname: str) -> list[ObjectInfo]:
        if modname in self.modules:
            return []
        path = module_file(modname)
        self.modules[modname] = path is not None
        if path is None:
            return []
        infos = self._analyse_file(path, modname)
        for info in infos:
            self.infos.setdefault(info.qualname, info)
        return [i for i in infos if wants_draft(i, self.config.mode)]

    def _analyse_file(self, path: Path, modname: str) -> list[ObjectInfo]:
        """Analyse one file, through the store's analysis table when it works."""
        store = self.store
        if store is None:
            return analyze_file(
                path,
                module=modname,
                reporter=self.reporter,
                infer_timeout=self.config.infer_timeout,
            )
        root = package_root(path, modname)
        if root not in self.packages:
            self.packages[root] = package_fingerprint(root)
        return analyze_file_kept(
            path,
            module=modname,
            cache=store,
            package=self.packages[root],
            reporter=self.reporter,
            infer_timeout=self.config.infer_timeout,
        )

    def _draft(self, infos: list[ObjectInfo], progress: Progress | None = None) -> int:
        todo = [i for i in infos if i.qualname not in self.drafts]
        if not todo:
            return 0
        self.drafts.update(self.generator.drafts(todo, progress=progress))
        return len(todo)


def module_file(modname: str) -> Path | None:
    """Return the ``.py`` file of *modname* without importing it if possible."""
    module = sys.modules.get(modname)
    filename = getattr(module, "__file__", None) if module is not None else None
    if filename is None:
        try:
            spec = importlib.util.find_spec(modname)
        except (ImportError, ValueError, AttributeError):
            return None
        filename = spec.origin if spec is not None else None
    if not filename or not filename.endswith(".py"):
        return None
    return Path(filename)


def _candidate_modules(name: str, module_hint: str | None) -> list[str]:
    parts = name.split(".")
    prefixes = [".".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]
    known = [p for p in prefixes if p in sys.modules]
    if module_hint and module_hint not in known:
        known.insert(0, module_hint)
    return known
