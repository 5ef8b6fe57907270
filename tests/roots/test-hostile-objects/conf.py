import os
import sys

sys.path.insert(0, os.path.abspath("."))

project = "hostile objects"
extensions = ["sphinx.ext.autodoc", "sphinxcontrib_aidoc"]
