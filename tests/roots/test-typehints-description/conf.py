import os
import sys

sys.path.insert(0, os.path.abspath("."))

project = "typehints-description"
release = "1.0"
extensions = ["sphinx.ext.autodoc", "sphinxcontrib_aidoc"]
aidoc_provider = "offline"
# As click's docs: the annotations go to the parameter descriptions.
autodoc_typehints = "description"
