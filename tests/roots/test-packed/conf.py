import os
import sys

sys.path.insert(0, os.path.abspath("."))

project = "packed"
extensions = ["sphinx.ext.autodoc", "sphinxcontrib_aidoc"]
aidoc_provider = "offline"
autodoc_member_order = "bysource"
aidoc_mode = "augment"
