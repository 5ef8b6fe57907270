"""Static assets for HTML builders."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

STATIC_DIR = Path(__file__).parent / "static"


def setup_html(app: Sphinx) -> None:
    """Register the CSS on builder-inited, for HTML builders only."""
    app.connect("builder-inited", add_assets)


def add_assets(app: Sphinx) -> None:
    """Make ``_static/aidoc/`` available and link the stylesheet."""
    if app.builder.format != "html":
        return
    add_static_dir = getattr(app, "add_static_dir", None)
    if callable(add_static_dir):  # Sphinx 9.1 and later
        add_static_dir(STATIC_DIR)
    elif str(STATIC_DIR) not in map(str, app.config.html_static_path):
        app.config.html_static_path.append(str(STATIC_DIR))
    app.add_css_file("aidoc/aidoc.css")
