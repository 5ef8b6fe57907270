"""Sphinx configuration for the inventory demo documentation."""

import os
import sys

sys.path.insert(0, os.path.abspath(".."))  # noqa: PTH100 - the usual Sphinx idiom

project = "inventory"
author = "Inventory demo authors"
copyright = "2025, Inventory demo authors"
release = "1.0.0"
version = "1.0"

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
html_title = "inventory 1.0.0"
