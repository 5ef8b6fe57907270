"""Sphinx configuration for the inventory demo documentation."""

import os
import sys

# The directory that holds the ``inventory`` package: demo_project/ (1.0.0),
# or a copy with demo_project/versions/1.1 laid over it (see demo_project/build).
sys.path.insert(0, os.environ.get("INVENTORY_SRC") or os.path.abspath(".."))  # noqa: PTH100

from inventory import __version__  # after the path is set

project = "inventory"
author = "Inventory demo authors"
copyright = "2025, Inventory demo authors"
release = __version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinxcontrib_aidoc",
]

autodoc_member_order = "bysource"
autodoc_typehints = "description"

napoleon_google_docstring = True
napoleon_numpy_docstring = False

# sphinxcontrib-aidoc: write missing docstrings in Google style, offline
# (no API key), and keep the analysis database next to the sources.
aidoc_style = "google"
aidoc_provider = "offline"
aidoc_db = "_aidoc/aidoc.db"

exclude_patterns = ["_build", "_aidoc"]

html_theme = "alabaster"
html_title = f"inventory {release}"
