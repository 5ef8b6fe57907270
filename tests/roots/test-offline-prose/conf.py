import os
import sys

sys.path.insert(0, os.path.abspath("."))

project = "offline-prose"
release = "1.0"
extensions = ["sphinxcontrib_aidoc"]
aidoc_provider = "offline"
