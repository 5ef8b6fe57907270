import os
import sys

sys.path.insert(0, os.path.abspath("."))

project = "pycode-kept"
release = "1.0"
extensions = ["sphinx.ext.autodoc", "sphinxcontrib_aidoc"]
aidoc_provider = "offline"
