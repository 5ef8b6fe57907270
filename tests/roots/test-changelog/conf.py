import os
import sys

sys.path.insert(0, os.path.abspath("."))

project = "changelog"
author = "Changelog authors"
release = "1.0"
version = "1.0"
extensions = ["sphinxcontrib_aidoc"]
aidoc_provider = "offline"
