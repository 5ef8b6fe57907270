"""Static assets for HTML builders."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

STATIC_DIR = Path(__file__).parent / "static"


def setup_html(app: Sphinx) -> None:
    """Register the static folder once the configuration is read, the CSS later."""
    app.connect("config-inited", add_static_path)
    app.connect("builder-inited", add_assets)


def add_static_path(app: Sphinx, config: Config) -> None:
    """Make ``_static/aidoc/`` available (before Sphinx 9.1, as a static path).

    Added as soon as the configuration is read, before Sphinx compares it
    with the one the last build pickled: added later, every rebuild would
    report "The configuration has changed (html_static_path)".
    """
    if callable(getattr(app, "add_static_dir", None)):
        return  # Sphinx 9.1 and later: add_assets registers the folder
    if str(STATIC_DIR) not in map(str, config.html_static_path):
        config.html_static_path.append(str(STATIC_DIR))


def add_assets(app: Sphinx) -> None:
    """Link the stylesheet (and, from Sphinx 9.1, register the folder)."""
    if app.builder.format != "html":
        return
    add_static_dir = getattr(app, "add_static_dir", None)
    if callable(add_static_dir):  # Sphinx 9.1 and later
        add_static_dir(STATIC_DIR)
    app.add_css_file("aidoc/aidoc.css")
