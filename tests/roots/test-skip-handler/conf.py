import os
import sys

sys.path.insert(0, os.path.abspath("."))

project = "skip handlers"
extensions = ["sphinx.ext.autodoc", "sphinxcontrib_aidoc"]


def echo_skip(app, what, name, obj, skip, options):
    """Like pallets_sphinx_themes.skip_internal: repeats autodoc's decision."""
    if skip or name == "excluded_on_purpose":
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", echo_skip)
