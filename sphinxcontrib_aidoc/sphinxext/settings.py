"""Register :class:`AidocConfig` fields as ``aidoc_*`` values and validate them."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from sphinx.config import ENUM

from sphinxcontrib_aidoc.config import AidocConfig
from sphinxcontrib_aidoc.sphinxext.reporting import SphinxReporter

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

_NONE_TYPE = type(None)
_CONFIG_ATTR = "_aidoc_config"


def _types(f: dataclasses.Field[Any], default: Any) -> Any:  # noqa: ANN401
    meta = f.metadata
    if meta["choices"]:
        return ENUM(*meta["choices"])
    declared: tuple[type, ...] = meta["types"] or (type(default),)
    types = set(declared)
    if float in types:
        types.add(int)
    if default is None:
        types.add(_NONE_TYPE)
    return frozenset(types)


def setup_config(app: Sphinx) -> None:
    """Register every ``aidoc_*`` config value and the validation hook."""
    defaults = AidocConfig()
    for f in dataclasses.fields(AidocConfig):
        default = getattr(defaults, f.name)
        app.add_config_value(
            f"aidoc_{f.name}",
            default,
            f.metadata["rebuild"],
            types=_types(f, default),
            description=f.metadata["help"],
        )
    app.connect("config-inited", on_config_inited, priority=400)


def on_config_inited(app: Sphinx, config: Config) -> None:
    """Validate the ``aidoc_*`` values once; bad ones warn and use defaults."""
    values = {
        f.name: getattr(config, f"aidoc_{f.name}")
        for f in dataclasses.fields(AidocConfig)
    }
    aidoc = AidocConfig.from_mapping(values, SphinxReporter())
    # One validated object per Config (a plain attribute: Config pickles
    # only registered values, so it is rebuilt after a pickled env reload).
    setattr(config, _CONFIG_ATTR, aidoc)


def get_config(app: Sphinx) -> AidocConfig:
    """Return the validated settings of this application."""
    aidoc = getattr(app.config, _CONFIG_ATTR, None)
    if not isinstance(aidoc, AidocConfig):
        values = {
            f.name: getattr(app.config, f"aidoc_{f.name}")
            for f in dataclasses.fields(AidocConfig)
        }
        aidoc = AidocConfig.from_mapping(values)
        setattr(app.config, _CONFIG_ATTR, aidoc)
    return aidoc
