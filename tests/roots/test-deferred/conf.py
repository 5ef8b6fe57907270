import os
import sys

sys.path.insert(0, os.path.abspath("."))

project = "deferred"
release = "1.0"
# As tomlkit's docs (re-exports through __init__/__all__, a class shown with
# its inherited members, ``.. module::`` + short names), with napoleon.
extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinxcontrib_aidoc"]
aidoc_provider = "offline"
