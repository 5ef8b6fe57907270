"""Sphinx's cache of parsed modules: filled while the build waits, failures kept light.

:func:`warm_analyzers` parses, while the build would wait for the
analysis child, the modules autodoc will read for the objects the pages
show (:func:`source_modules`), into the cache autodoc reads them from.

Failures Sphinx caches for modules without source are kept without their
stack (:func:`release_cached_tracebacks`).

``ModuleAnalyzer.for_module`` caches a module it cannot read as the
exception it raised (``PycodeError: no source found for module
'builtins'``), and raises that same object again on the next look-up. The
exception keeps its traceback, and the traceback every frame that was
running when it was first raised: autodoc's, the parser's, the state
machine's, and so the page being read then and, through the frames
above, what they held. Measured with aidoc on a 1,000-object project
(``-E``): 488,000 objects alive after a full collection at
``build-finished``, 177,000 with the traceback dropped (pages read are
freed once written); at 5,000 objects the peak went from 442 to 379 MB.

The cached exception is raised again without it (Python gives it a new
traceback where it is raised); nothing else reads the old one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sphinxcontrib_aidoc.model import CLASS_KINDS
from sphinxcontrib_aidoc.sphinxext.members import safe_getattr


def release_cached_tracebacks() -> int:
    """Drop the tracebacks of the failures ``ModuleAnalyzer`` caches; how many."""
    from sphinx.pycode import ModuleAnalyzer  # noqa: PLC0415 (loaded with autodoc)

    released = 0
    for value in list(ModuleAnalyzer.cache.values()):
        error: BaseException | None = (
            value if isinstance(value, BaseException) else None
        )
        seen: set[int] = set()
        while error is not None and id(error) not in seen:
            seen.add(id(error))
            if error.__traceback__ is not None:
                error.__traceback__ = None
                released += 1
            error = error.__cause__ or error.__context__
    return released


def source_modules(objects: Iterable[tuple[Any, str]]) -> list[str]:
    """The modules autodoc's ``ModuleAnalyzer`` reads for *objects*, in order.

    *objects* are (live object, autodoc kind) pairs. For each: the module
    that defines it and, for a class, the module of each class of its MRO
    (autodoc looks the constructor's overloads and the attributes'
    comments up there: ``datetime``, ``enum``, ``typing`` for a library's
    subclasses of theirs).
    """
    found: dict[str, None] = {}
    for obj, kind in objects:
        module = safe_getattr(obj, "__module__")
        if isinstance(module, str):
            found.setdefault(module)
        if kind not in CLASS_KINDS:
            continue
        for cls in safe_getattr(obj, "__mro__") or ():
            module = safe_getattr(cls, "__module__")
            if isinstance(module, str):
                found.setdefault(module)
    return list(found)


def warm_analyzers(modules: Iterable[str], *, until: Callable[[], bool]) -> int:
    """Parse *modules* into ``ModuleAnalyzer``'s cache, in order, until *until*.

    Time the build would otherwise spend idle (waiting for the analysis
    child) is spent on work autodoc does anyway when it reads the pages,
    with the very cache it reads: what it finds there is what it would
    have made (a module without source is cached as the failure autodoc
    would have met). Returns how many modules were looked at.
    """
    from sphinx.pycode import ModuleAnalyzer  # noqa: PLC0415 (loaded with autodoc)

    visited = 0
    for modname in modules:
        if until():
            break
        visited += 1
        try:  # (a module parsed already returns at once)
            ModuleAnalyzer.for_module(modname).analyze()
        except Exception:  # noqa: BLE001, S112 (autodoc meets it again, and says so)
            continue
    return visited
