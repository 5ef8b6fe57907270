"""Register :class:`AidocConfig` fields as ``aidoc_*`` values; validate them once.

On ``config-inited`` (priority 400, before Sphinx's own type check at 800)
each ``aidoc_*`` value is read where the user gave it (``-D`` and
``confoverrides`` first, as given, then ``conf.py``), converted and checked
by :meth:`AidocConfig.from_mapping`, and the result is written back into the
Sphinx config. Sphinx's check then only meets valid values, every handler
reads the same validated object, and each bad value gives exactly one
``aidoc.config`` message. A bad quality gate is an error and fails the build
when it ends. ``aidoc_*`` names assigned in ``conf.py`` that are no setting
get a "did you mean" warning.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.config import ENUM

from sphinxcontrib_aidoc.config import FIELD_NAMES, AidocConfig
from sphinxcontrib_aidoc.diagnostics import Diagnostic
from sphinxcontrib_aidoc.sphinxext.reporting import SphinxReporter
from sphinxcontrib_aidoc.values import suggest

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from sphinx.application import Sphinx
    from sphinx.config import Config

_NONE_TYPE = type(None)
_CONFIG_ATTR = "_aidoc_config"
_ERRORS_ATTR = "_aidoc_config_errors"
_PREFIX = "aidoc_"
#: Module-level statements whose bodies still run at module level.
_BLOCKS = (ast.If, ast.Try, ast.With, ast.For, ast.While, ast.ExceptHandler)


class _Default:
    """A setting's default, registered as a callable.

    Sphinx converts a ``-D`` string by the type of the default and warns
    when it cannot (floats, lists, dicts); it does so even before
    ``config-inited``, when it logs the event's arguments. A callable
    default (a documented Sphinx feature) makes it keep the string as
    given, for :func:`on_config_inited` to convert once, with aidoc's
    messages.
    """

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __call__(self, config: Config) -> object:
        del config
        return copy.copy(self.value)

    def __repr__(self) -> str:
        return repr(self.value)


def _types(f: dataclasses.Field[Any], default: Any) -> Any:  # noqa: ANN401
    meta = f.metadata
    if meta["choices"]:
        return ENUM(*meta["choices"])
    declared: tuple[type, ...] = meta["types"] or (type(default),)
    types = set(declared)
    if float in types or bool in types:
        # Whole numbers are accepted for floats, and 0/1 for booleans;
        # two types also keep Sphinx from reading a -D string as a bool.
        types.add(int)
    if default is None:
        types.add(_NONE_TYPE)
    return frozenset(types)


def setup_config(app: Sphinx) -> None:
    """Register every ``aidoc_*`` config value and the validation hooks."""
    defaults = AidocConfig()
    for f in dataclasses.fields(AidocConfig):
        default = getattr(defaults, f.name)
        app.add_config_value(
            f"{_PREFIX}{f.name}",
            _Default(default),
            f.metadata["rebuild"],
            types=_types(f, default),
            description=f.metadata["help"],
        )
    app.connect("config-inited", on_config_inited, priority=400)
    app.connect("build-finished", on_build_finished, priority=400)


def on_config_inited(app: Sphinx, config: Config) -> None:
    """Validate the ``aidoc_*`` values once and write them back."""
    overrides = config.overrides
    values: dict[str, Any] = {}
    for name in FIELD_NAMES:
        key = f"{_PREFIX}{name}"
        # An override is read as given (a string from -D): Sphinx's own
        # conversion cannot read floats, optional numbers or dicts.
        values[name] = overrides[key] if key in overrides else getattr(config, key)
    reporter = SphinxReporter()
    aidoc = AidocConfig.from_mapping(values, reporter)
    for name, value in aidoc.to_dict().items():
        setattr(config, f"{_PREFIX}{name}", value)
    # One validated object per Config (a plain attribute: Config pickles
    # only registered values, so it is rebuilt after a pickled env reload).
    setattr(config, _CONFIG_ATTR, aidoc)
    setattr(config, _ERRORS_ATTR, reporter.errors)
    conf_py = Path(app.confdir, "conf.py")
    for diagnostic in unknown_names(conf_py, config):
        reporter.report(diagnostic)


def on_build_finished(app: Sphinx, exception: BaseException | None) -> None:
    """Fail the build when a quality gate's value could not be used."""
    errors: int = getattr(app.config, _ERRORS_ATTR, 0)
    if exception is None and errors:
        app.statuscode = 1


def get_config(app: Sphinx) -> AidocConfig:
    """Return the validated settings of this application."""
    aidoc = getattr(app.config, _CONFIG_ATTR, None)
    if not isinstance(aidoc, AidocConfig):
        values = {name: getattr(app.config, f"{_PREFIX}{name}") for name in FIELD_NAMES}
        aidoc = AidocConfig.from_mapping(values)
        setattr(app.config, _CONFIG_ATTR, aidoc)
    return aidoc


def unknown_names(conf_py: Path, config: Config) -> list[Diagnostic]:
    """Warn about ``aidoc_*`` names that ``conf.py`` assigns but nobody registered.

    Sphinx has no public view of the names ``conf.py`` defines (only of
    registered values), so the file is read with :mod:`ast`, never run
    again: module-level assignments, also inside ``if``/``try``/``with``.
    Names coming from ``from shared import *`` are not seen.
    """
    try:
        tree = ast.parse(conf_py.read_bytes(), filename=str(conf_py))
    except (OSError, SyntaxError, ValueError):
        return []
    found: list[Diagnostic] = []
    for name, lineno in _assigned(tree.body):
        if not name.startswith(_PREFIX) or name in config:
            continue
        # Compared without the shared prefix, which would make anything close.
        close = suggest(name.removeprefix(_PREFIX), FIELD_NAMES)
        hint = close.replace("'", "").replace("mean ", f"mean {_PREFIX}")
        found.append(
            Diagnostic(
                "config",
                f"{name} is not an aidoc setting and is ignored{hint}",
                location=f"{conf_py}:{lineno}",
            )
        )
    return found


def _assigned(body: Sequence[ast.AST]) -> Iterator[tuple[str, int]]:
    """Yield ``(name, line)`` of the names module-level statements assign."""
    for node in body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        for target in targets:
            for named in ast.walk(target):
                if isinstance(named, ast.Name):
                    yield named.id, named.lineno
        if isinstance(node, _BLOCKS):
            for block in ("body", "orelse", "finalbody", "handlers"):
                yield from _assigned(getattr(node, block, []))
