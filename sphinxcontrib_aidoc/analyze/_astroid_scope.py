"""Which standard-library modules astroid may parse while aidoc infers.

astroid's inference follows every import: a project whose modules import
``inspect``, ``gettext`` or ``urllib.parse`` pays for parsing those modules
(and running astroid's transforms over them) in every first build, although
the types aidoc states rarely come from there. On click 8.1.7 the standard
library was about 40% of the analysis: 3.4 s of CPU with it, 2.1 s without,
for one return type of 207 (a ``textwrap`` method's result).

So astroid's manager is given a deny list: the standard library except the
modules whose definitions astroid's own brains or aidoc's rules recognise
(``enum``, ``dataclasses``, ``typing``, ``functools``, ``contextlib``,
``collections``, ``abc``...). Inference that reaches a denied module gives
up there (astroid's "uninferable"), which aidoc already treats as "not
proven": fewer types, never a wrong one. A project package that has a
standard-library name is never denied (:func:`allow`).
"""

from __future__ import annotations

import contextlib
import sys

#: Standard-library modules still read (a package's submodules too, unless
#: only the submodule is named): astroid's brains and aidoc's rules
#: recognise their classes and functions by inference (enums, dataclasses,
#: ``typing`` generics and casts, ``functools.lru_cache``/``partial``,
#: ``contextlib.contextmanager``, abstract methods and the abstract
#: collections a class derives from). ``collections`` itself is not read:
#: on tomlkit it was 15% of the analysis, and no type came from it.
READ = frozenset(
    {
        "abc",
        "builtins",
        "collections.abc",
        "contextlib",
        "dataclasses",
        "enum",
        "functools",
        "types",
        "typing",
        "typing_extensions",
        "_collections_abc",
    }
)


class _Denied(set[str]):
    """astroid's module deny list: skipped standard-library modules.

    astroid asks ``modname in deny_list`` with the full dotted name of the
    module it is about to parse; submodules of a denied package are denied.
    """

    def __init__(self) -> None:
        super().__init__()
        self.project: set[str] = set()

    def __contains__(self, modname: object) -> bool:
        if not isinstance(modname, str):
            return False
        top = modname.partition(".")[0]
        return (
            top in sys.stdlib_module_names
            and top not in READ
            and modname not in READ
            and top not in self.project
        )


_DENIED = _Denied()


def install() -> None:
    """Give astroid's managers the deny list (idempotent).

    astroid makes a new manager object wherever it needs one; they all read
    their settings from the class's shared ``brain``, and the ready-made
    ``astroid.MANAGER`` copied the list when it was made.
    """
    from astroid import MANAGER  # type: ignore[import-untyped]  # noqa: PLC0415
    from astroid.manager import AstroidManager  # type: ignore[import-untyped]  # noqa: PLC0415

    AstroidManager.brain["module_denylist"] = _DENIED
    MANAGER.module_denylist = _DENIED


def allow(module: str) -> None:
    """Never deny the top-level package of the project *module*."""
    _DENIED.project.add(module.partition(".")[0])


def in_project(module: str) -> bool:
    """Whether *module* is in a project package :func:`allow` was given."""
    return module.partition(".")[0] in _DENIED.project


#: Modules astroid builds before the first analysis of a process.
PRELOADED = ("builtins", "typing")
_BOOTSTRAPPED: list[bool] = []


def bootstrap() -> None:
    """Build the trees of :data:`PRELOADED` once per process (after :func:`install`).

    Nearly every module's analysis reads them (0.15 s for ``builtins``, 0.1 s
    for ``typing``). A build's analysis child started early builds them
    while Sphinx starts (``persist.start_early``); every other process
    builds them here before its first module, so a module's records never
    depend on whether they were built before it or while it was analysed.
    """
    if _BOOTSTRAPPED:
        return
    from astroid import MANAGER  # noqa: PLC0415 (astroid's engine only)
    from astroid.builder import AstroidBuilder  # type: ignore[import-untyped]  # noqa: PLC0415

    _BOOTSTRAPPED.append(True)
    # astroid builds ``builtins`` by introspection the first time it makes a
    # builder (its bootstrap). Asked for ``builtins`` before that, it would
    # make that first builder for ``builtins`` itself and build the module a
    # second time, only to drop the copy (0.15-0.3 s).
    with contextlib.suppress(Exception):  # (built lazily, as before)
        AstroidBuilder(MANAGER)
    for name in PRELOADED:
        _build(MANAGER, name)


def _build(manager: object, name: str) -> None:
    try:
        manager.ast_from_module_name(name)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 (astroid cannot: built lazily, as before)
        return
