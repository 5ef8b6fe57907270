import os
import sys

sys.path.insert(0, os.path.abspath("."))

project = "opt-out"
extensions = ["sphinx.ext.autodoc", "sphinxcontrib_aidoc"]
aidoc_exclude = ["optout_pkg.legacy_*"]
