import os
import sys

# Nothing puts the package on sys.path: autoapi reads the source, and aidoc
# analyses the files autoapi found, without importing them. With the tag
# "autodoc", a page also documents an object through autodoc (which imports).
project = "autoapi"
extensions = ["autoapi.extension", "sphinxcontrib_aidoc"]
autoapi_dirs = ["aapi_pkg"]
autoapi_options = [
    "members",
    "undoc-members",
    "show-inheritance",
    "show-module-summary",
    "imported-members",
]
exclude_patterns = ["_build"]
if tags.has("autodoc"):  # noqa: F821 (Sphinx provides tags to conf.py)
    sys.path.insert(0, os.path.abspath("."))
else:
    exclude_patterns.append("with_autodoc.rst")


def skip_by_user(app, what, name, obj, skip, options):
    """A user's own handler: hide one undocumented function."""
    if name.endswith(".skipped_by_user"):
        return True
    return None


def setup(app):
    app.connect("autoapi-skip-member", skip_by_user)
