import os
import sys

sys.path.insert(0, os.path.abspath("."))

project = "hostile-answers"
release = "1.0"
extensions = ["sphinxcontrib_aidoc", "sphinx.ext.napoleon"]
aidoc_provider = "offline"
