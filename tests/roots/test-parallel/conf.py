import os
import sys

sys.path.insert(0, os.path.abspath("."))

project = "parallel"
release = "2.0"
extensions = ["sphinxcontrib_aidoc"]
aidoc_provider = "offline"
