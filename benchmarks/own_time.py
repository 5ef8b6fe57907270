"""Time aidoc's own code inside a Sphinx build (issues 14 and 15).

A build with the extension is not "plain's build plus aidoc's work": the
extension changes what Sphinx does (pages hold more nodes, the collector
runs under other thresholds), so the difference between the two builds
is not the extension's cost. This instrument measures that cost directly:
the process CPU time spent inside aidoc's own code, outermost call only
(a handler of ours that Sphinx calls back into ours is counted once):

* every event listener whose function is defined in ``sphinxcontrib_aidoc``
  (the pre-read, ``autodoc-process-docstring``, ``doctree-resolved``...);
* the ``run`` of aidoc's directives and the ``apply``/``run`` of its
  transforms, the methods of its domain, the visitors of its nodes;
* its ``setup``, which imports the extension's modules (what Sphinx had
  imported already is not imported again).

What Sphinx does with the nodes aidoc adds (reading, resolving and writing
them) is Sphinx's time, not counted. The analysis worker's CPU is the
build's children's (``RUSAGE_CHILDREN``), which the runners print apart.

:func:`install` is called by the benchmark's runner before Sphinx starts;
the wrapping happens when Sphinx emits ``config-inited`` (every
extension's ``setup`` has run); :func:`report` prints ``AIDOC_OWN
<seconds>`` on stderr, and ``AIDOC_OWN_GC <seconds>``: the part of it the
collector took (collections that started while aidoc's code ran).
"""

from __future__ import annotations

import functools
import gc
import inspect
import sys
import time
from collections.abc import Callable
from typing import Any

_PACKAGE = "sphinxcontrib_aidoc"
_spent = [0.0]
_depth = [0]
#: Of :data:`_spent`, the collector's pauses (collections that started
#: while aidoc's code ran: its garbage, or the heap's turn to be walked).
_collected = [0.0]
_since = [0.0]
#: Method names wrapped on aidoc's classes, by base class name.
_METHODS = {
    "Directive": ("run",),
    "Transform": ("apply",),
    "SphinxPostTransform": ("run",),
    "Domain": (
        "process_doc",
        "clear_doc",
        "merge_domaindata",
        "resolve_xref",
        "resolve_any_xref",
        "get_objects",
    ),
}


def _ours(func: object) -> bool:
    return _ours_name(getattr(func, "__module__", None) or "")


def _timed(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
        if _depth[0]:
            return func(*args, **kwargs)
        _depth[0] += 1
        started = time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            _spent[0] += time.process_time() - started
            _depth[0] -= 1

    wrapper.__aidoc_timed__ = True  # type: ignore[attr-defined]
    return wrapper


def _instrument(app: Any) -> None:  # noqa: ANN401
    """Wrap aidoc's listeners, directives, transforms, domain and visitors."""
    for name, listeners in app.events.listeners.items():
        app.events.listeners[name] = [
            listener._replace(handler=_timed(listener.handler))
            if _ours(listener.handler)
            else listener
            for listener in listeners
        ]
    for module in [m for n, m in sys.modules.items() if _ours_name(n)]:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            bases = {b.__name__ for b in cls.__mro__}
            for base, methods in _METHODS.items():
                if base not in bases:
                    continue
                for method in methods:
                    own = cls.__dict__.get(method)
                    if callable(own) and not getattr(own, "__aidoc_timed__", False):
                        setattr(cls, method, _timed(own))
    for handlers in app.registry.translation_handlers.values():
        for node, (visit, depart) in list(handlers.items()):
            handlers[node] = (
                _timed(visit) if visit and _ours(visit) else visit,
                _timed(depart) if depart and _ours(depart) else depart,
            )


def _ours_name(name: str) -> bool:
    return name == _PACKAGE or name.startswith(_PACKAGE + ".")


def _collector(phase: str, info: dict[str, int]) -> None:
    del info
    if not _depth[0]:
        return
    if phase == "start":
        _since[0] = time.process_time()
    else:
        _collected[0] += time.process_time() - _since[0]


def install() -> None:
    """Wrap aidoc's code when the next Sphinx application emits ``config-inited``."""
    from sphinx.events import EventManager  # noqa: PLC0415

    gc.callbacks.append(_collector)

    emit = EventManager.emit

    def emitting(self: Any, name: str, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
        if name == "config-inited":
            _instrument(self.app)
        return emit(self, name, *args, **kwargs)

    EventManager.emit = emitting  # type: ignore[method-assign]
    # The extension's ``setup`` imports its Sphinx glue: counted too.
    import sphinxcontrib_aidoc  # noqa: PLC0415

    sphinxcontrib_aidoc.setup = _timed(sphinxcontrib_aidoc.setup)  # type: ignore[method-assign]


def report() -> None:
    """Print the CPU seconds spent in aidoc's own code (``AIDOC_OWN``)."""
    print("AIDOC_OWN", f"{_spent[0]:.4f}", file=sys.stderr)
    print("AIDOC_OWN_GC", f"{_collected[0]:.4f}", file=sys.stderr)
