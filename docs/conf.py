"""Sphinx configuration of the sphinxcontrib-aidoc documentation."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sphinxcontrib_aidoc import __version__

project = "sphinxcontrib-aidoc"
author = "sphinxcontrib-aidoc developers"
copyright = "2026, sphinxcontrib-aidoc developers"
release = version = __version__

# We eat our own cooking: the API reference is filled in by aidoc.
extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinxcontrib_aidoc"]
aidoc_provider = "offline"
aidoc_db = "_aidoc/aidoc.db"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
nitpicky = True
nitpick_ignore_regex = [
    # Third-party and stdlib types named in signatures; no intersphinx offline.
    (
        "py:class",
        r"(os|sphinx|docutils|sqlite3|sqlite_utils|argparse|pathlib|collections|typing|_io|io|weakref|openai|astroid)\..*",
    ),
    (
        "py:class",
        r"(Sphinx|BuildEnvironment|Config|OptionSpec|Path|TextIO|Any|Draft|ObjectInfo|Reporter|Diagnostic|Iterable|Sequence|Mapping|Set|Callable|Iterator|Protocol|ParsedDocstring|ObjectSnapshot|Param|Returns|Yields)",
    ),
    (
        "py:class",
        r"(optional|T|Kind|DraftSource|ParamKind|dataclasses\..*|NoneType|Field.*)",
    ),
    ("py:.*", r".*\._.*"),
    ("py:class", r"(Database|Clock|datetime\..*)"),
    ("py:mod", r"sphinxcontrib_aidoc\.changelog\.render"),
    ("py:attr", r"events"),
]
html_theme = "alabaster"
exclude_patterns = ["_build", "_aidoc"]
