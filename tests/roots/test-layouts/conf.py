import os
import sys

sys.path.insert(0, os.path.abspath("."))

project = "layouts"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.autosummary", "sphinxcontrib_aidoc"]
autosummary_generate = True
exclude_patterns = ["_build", "included.rst.inc"]
