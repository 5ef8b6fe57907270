"""Sphinx's parses of module sources, kept in the database from one build to the next.

autodoc reads every module that defines an object it documents, and the
module of every base class of a documented class (``typing``, ``enum``,
``datetime``...), through ``sphinx.pycode.ModuleAnalyzer``: a tokenizing
parse for the ``#:`` comments, the attribute annotations, the overloads
and the order of definitions. In a fresh environment (``-E``, a deleted
``_build``) it parses them all again. On tomlkit's own docs that is 14
modules, 410,000 characters, about 0.8 s of a 3.1 s plain build.

What a parse found depends only on the source text, the Sphinx version
and the Python version. So :class:`KeptParses` keeps it in the
database's analysis table, one row per module, with the source's digest.
A later build that reads pages restores it into ``ModuleAnalyzer``'s
cache, for a module whose source has that digest, before anything parses
it. autodoc then finds the cache filled, as if it had parsed the module
itself: the same values (``tests/test_pycode_kept.py`` compares them).

* The scan asks :meth:`KeptParses.analyzer` for each module it reads the
  comments of; once it has imported what the pages show, :meth:`restore`
  fills in every other module kept that is imported by then (the bases'
  modules, autodoc's own sentinels), before the reading starts and before
  ``-j N`` workers fork.
* Nothing is imported for this: a module is restored only once it is in
  ``sys.modules`` (``ModuleAnalyzer.for_module`` imports what it reads).
  A module imported later (by a page's own code) is parsed as usual.
* :meth:`keep` writes, at ``build-finished``, the modules parsed in this
  build (none after a warm ``-E``). The rows are JSON, not pickles: a
  database shared through a repository must not run code when read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
from inspect import Parameter, Signature
from typing import TYPE_CHECKING, Any

import sphinx
from sphinx.pycode import ModuleAnalyzer
from sphinx.util.inspect import DefaultValue

from sphinxcontrib_aidoc.sphinxext.pycode_tags import walked
from sphinxcontrib_aidoc.store import StoreError

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.store import Store

#: The rows' keys: this prefix and the module's name.
PREFIX = "pycode:"
#: What a row was made by: its layout, Sphinx's parser, Python's ``ast``.
#: A row made by another is ignored (and replaced once parsed again).
MADE_BY = "pycode 2; sphinx {}; python {}.{}".format(
    sphinx.__version__, *sys.version_info[:2]
)
_EMPTY = Parameter.empty


class KeptParses:
    """One build's kept parses: restored before the pages are read, new ones kept."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._rows: dict[str, str] | None = None
        #: Modules analysed in this process before this build (not its parses).
        self._before = set(_analysed())
        #: Modules restored from a row in this build.
        self.restored: set[str] = set()

    def analyzer(self, modname: str) -> ModuleAnalyzer:
        """``ModuleAnalyzer.for_module(modname)``, restored from its row if it has one."""
        self._restore(modname)
        return ModuleAnalyzer.for_module(modname)

    def restore(self) -> int:
        """Restore the row of every module kept and imported by now; how many were."""
        return sum(self._restore(modname) for modname in self._kept())

    def keep(self) -> int:
        """Store the parses made in this build that differ from their rows; how many."""
        rows: list[tuple[str, str, str]] = []
        for modname, analyzer in _analysed().items():
            if modname in self._before or modname in self.restored:
                continue
            try:
                payload = _pack(analyzer)
            except (AttributeError, TypeError):
                continue  # a value this layout cannot hold: parsed again
            if self._kept().get(modname) == payload:
                continue  # (parsed again, as kept: imported after the restore)
            rows.append((PREFIX + modname, analyzer.srcname + "#pycode", payload))
        if rows:
            # A store that cannot write only costs a parse in the next build.
            with contextlib.suppress(StoreError):
                self._store.analysis_put_many(rows)
        return len(rows)

    def _restore(self, modname: str) -> bool:
        if ("module", modname) in ModuleAnalyzer.cache or modname not in sys.modules:
            return False
        payload = self._kept().get(modname)
        if payload is None:
            return False
        try:
            analyzer = ModuleAnalyzer.for_module(modname)
        except Exception:  # noqa: BLE001 (no source: autodoc meets it again, and says so)
            return False
        if analyzer._analyzed:  # (what analyze() itself checks)
            return False
        try:
            values = _unpack(payload, _digest(analyzer.code))
        except (ValueError, TypeError, KeyError, AttributeError):
            return False  # a damaged row: the module is parsed as usual
        if values is None:
            return False
        for name, value in values.items():
            setattr(analyzer, name, value)
        analyzer._analyzed = True
        self.restored.add(modname)
        return True

    def _kept(self) -> dict[str, str]:
        if self._rows is None:
            try:
                found = self._store.analysis_prefixed(PREFIX)
            except StoreError:
                found = []
            self._rows = {key.removeprefix(PREFIX): payload for key, payload in found}
        return self._rows


def _analysed() -> dict[str, ModuleAnalyzer]:
    """The modules ``ModuleAnalyzer``'s cache holds parsed, by name."""
    return {
        str(key[1]): value
        for key, value in list(ModuleAnalyzer.cache.items())
        if key[0] == "module" and isinstance(value, ModuleAnalyzer) and value._analyzed
    }


def _digest(code: str) -> str:
    return hashlib.blake2b(
        code.encode("utf-8", "surrogatepass"), digest_size=20
    ).hexdigest()


def _pack(analyzer: ModuleAnalyzer) -> str:
    """A row's payload: what *analyzer* parsed, with its source's digest."""
    tags = walked(analyzer)
    data = {
        "made_by": MADE_BY,
        "digest": _digest(analyzer.code),
        "attr_docs": [
            [*_pair(key), list(value)] for key, value in analyzer.attr_docs.items()
        ],
        "annotations": [
            [*_pair(key), _text(value)] for key, value in analyzer.annotations.items()
        ],
        "finals": [_text(name) for name in analyzer.finals],
        "overloads": {
            _text(name): [_signature(sig) for sig in sigs]
            for name, sigs in analyzer.overloads.items()
        },
        # (None when nothing read them: walked if a later build does)
        "tags": None
        if tags is None
        else {
            _text(name): [_text(kind), int(start), int(end)]
            for name, (kind, start, end) in tags.items()
        },
        "tagorder": {
            _text(name): int(order) for name, order in analyzer.tagorder.items()
        },
    }
    return json.dumps(data, separators=(",", ":"))


def _unpack(payload: str, digest: str) -> dict[str, Any] | None:
    """The analyzer's values from *payload*; None when made by another or for other code."""
    data = json.loads(payload)
    if data["made_by"] != MADE_BY or data["digest"] != digest:
        return None
    values = {
        "attr_docs": {(ns, name): list(lines) for ns, name, lines in data["attr_docs"]},
        "annotations": {(ns, name): text for ns, name, text in data["annotations"]},
        "finals": list(data["finals"]),
        "overloads": {
            name: [_unsigned(sig) for sig in sigs]
            for name, sigs in data["overloads"].items()
        },
        "tagorder": dict(data["tagorder"]),
    }
    if data["tags"] is not None:  # (else walked when read: :mod:`.pycode_tags`)
        values["tags"] = {
            name: (kind, start, end)
            for name, (kind, start, end) in data["tags"].items()
        }
    return values


def _pair(key: tuple[str, str]) -> list[str]:
    namespace, name = key
    return [_text(namespace), _text(name)]


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(type(value).__name__)
    return value


def _signature(sig: Signature) -> list[Any]:
    """An overload's signature, as ``signature_from_ast`` makes them (strings)."""
    params = []
    for param in sig.parameters.values():
        default = param.default
        if isinstance(default, DefaultValue):
            default = _text(default.value)
        elif default is _EMPTY:
            default = None
        else:
            raise TypeError(type(default).__name__)
        params.append(
            [
                param.name,
                int(param.kind),
                default,
                None if param.annotation is _EMPTY else _text(param.annotation),
            ]
        )
    returns = sig.return_annotation
    return [params, None if returns is Signature.empty else _text(returns)]


def _unsigned(data: list[Any]) -> Signature:
    params, returns = data
    return Signature(
        [
            Parameter(
                name,
                kind,  # (Parameter takes the kind's number)
                default=_EMPTY if default is None else DefaultValue(default),
                annotation=_EMPTY if annotation is None else annotation,
            )
            for name, kind, default, annotation in params
        ],
        return_annotation=Signature.empty if returns is None else returns,
    )
