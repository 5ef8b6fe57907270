"""Sphinx's cached failures keep no stack once aidoc's build has read its pages.

Sphinx caches a module it finds no source for (``builtins``) as the
exception it raised, whose traceback held the frames of the page being
read then (its doctree, parser and state machine), and through them much
of the build, to its end. aidoc drops those tracebacks after its pre-read
and after reading (``sphinxext/pycode_cache.py``); the cached exception is
raised again as before.
"""

from __future__ import annotations

import shutil

from sphinx.pycode import ModuleAnalyzer

from tests.conftest import ROOTS


def test_cached_failures_keep_no_traceback_after_the_build(make_app, tmp_path):
    srcdir = tmp_path / "site"
    shutil.copytree(ROOTS / "test-search", srcdir)
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert app.statuscode == 0
    failures = [v for v in ModuleAnalyzer.cache.values() if isinstance(v, Exception)]
    assert failures  # autodoc asked for a module without source
    assert all(f.__traceback__ is None for f in failures)
