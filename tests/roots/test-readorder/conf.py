import os
import sys

sys.path.insert(0, os.path.abspath("."))

project = "readorder"
release = "1.0"
extensions = ["sphinx.ext.autodoc", "sphinxcontrib_aidoc"]
exclude_patterns = ["_snippets"]
aidoc_provider = "offline"
