import os
import sys

sys.path.insert(0, os.path.abspath("."))

project = "callsites"
extensions = ["sphinxcontrib_aidoc"]
aidoc_provider = "offline"
