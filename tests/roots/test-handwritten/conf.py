import os
import sys

sys.path.insert(0, os.path.abspath("."))

project = "handwritten"
# No napoleon: the project's docstrings are plain reST, and must stay so.
extensions = ["sphinx.ext.autodoc", "sphinxcontrib_aidoc"]
aidoc_provider = "offline"
