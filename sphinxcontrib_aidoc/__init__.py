"""sphinxcontrib-aidoc: complete and honest API documentation for Sphinx."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx entry point: register the extension (imports Sphinx glue lazily)."""
    from sphinxcontrib_aidoc.sphinxext import setup_extension  # noqa: PLC0415

    return setup_extension(app)
