"""Sphinx glue: thin handlers over the core (analyze, generate, store)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinxcontrib_aidoc import __version__
from sphinxcontrib_aidoc.sphinxext.aliases import setup_aliases
from sphinxcontrib_aidoc.sphinxext.api_index import setup_api_index
from sphinxcontrib_aidoc.sphinxext.autoapi import setup_autoapi
from sphinxcontrib_aidoc.sphinxext.autodoc import setup_autodoc
from sphinxcontrib_aidoc.sphinxext.calls import setup_calls
from sphinxcontrib_aidoc.sphinxext.changelog import setup_changelog
from sphinxcontrib_aidoc.sphinxext.deferred import setup_deferred
from sphinxcontrib_aidoc.sphinxext.domain import AidocDomain
from sphinxcontrib_aidoc.sphinxext.fields import setup_fields
from sphinxcontrib_aidoc.sphinxext.html import setup_html
from sphinxcontrib_aidoc.sphinxext.lifecycle import setup_lifecycle
from sphinxcontrib_aidoc.sphinxext.marker import setup_marker
from sphinxcontrib_aidoc.sphinxext.packed import setup_packed
from sphinxcontrib_aidoc.sphinxext.pages import setup_pages
from sphinxcontrib_aidoc.sphinxext.project_pass import setup_project_pass
from sphinxcontrib_aidoc.sphinxext.pycode_tags import defer_definitions
from sphinxcontrib_aidoc.sphinxext.quality import setup_quality
from sphinxcontrib_aidoc.sphinxext.search import setup_search
from sphinxcontrib_aidoc.sphinxext.settings import setup_config
from sphinxcontrib_aidoc.sphinxext.type_comments import skip_uncommented

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Bump when the shape of AidocDomain data or of the doctrees changes
#: (3: cross-reference placeholders in object descriptions; 4: snapshots
#: record where each object is defined; 5: generated notes are one
#: placeholder node, rendered at ``doctree-resolved``; 6: generated field
#: lists packed between reading and writing; 7: quality scores kept in the
#: database only).
ENV_VERSION = 7


def setup_extension(app: Sphinx) -> dict[str, Any]:
    """Register config values, handlers, the domain and the directives."""
    # Only autodoc: an extension that changes how the project's own
    # docstrings are read (napoleon) is the project's choice, not ours.
    app.setup_extension("sphinx.ext.autodoc")
    defer_definitions()
    skip_uncommented()
    setup_config(app)
    app.add_domain(AidocDomain)
    setup_marker(app)
    setup_fields(app)
    setup_packed(app)
    setup_autodoc(app)
    setup_deferred(app)
    setup_autoapi(app)
    setup_lifecycle(app)
    setup_html(app)
    setup_changelog(app)
    setup_search(app)
    setup_calls(app)
    setup_api_index(app)
    setup_quality(app)
    setup_pages(app)
    setup_project_pass(app)
    setup_aliases(app)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
