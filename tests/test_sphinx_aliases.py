"""A class documented under two names: generated references stay unique.

The layout copies tomlkit's docs: ``automodule`` of the package shows the
re-exported class, and ``.. module::`` + ``autoclass`` document it again
where it is defined; a method of another module returns it.
"""

from __future__ import annotations

import re


def test_a_generated_type_naming_a_re_exported_class_links_once(build):
    app = build("aliases", "html")
    warnings = app.warning.getvalue()
    assert "more than one target found" not in warnings, warnings
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    read = html[html.index('id="alias_pkg.files.File.read"') :]
    # The generated return type links to the class where it is defined.
    assert re.search(r'href="#alias_pkg\.doc\.Document"', read[:3000]), read[:3000]


def test_without_aidoc_the_same_reference_is_ambiguous(make_app, tmp_path):
    # The layout really is ambiguous to Sphinx: the fix is aidoc's doing.
    import shutil

    from tests.conftest import ROOTS

    srcdir = tmp_path / "plain"
    shutil.copytree(ROOTS / "test-aliases", srcdir)
    (srcdir / "index.rst").write_text(
        (srcdir / "index.rst").read_text(encoding="utf-8")
        + "\n.. py:function:: probe()\n   :module: alias_pkg.files\n\n"
        "   :rtype: Document\n",
        encoding="utf-8",
    )
    conf = srcdir / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace(
            'extensions = ["sphinxcontrib_aidoc"]',
            'extensions = ["sphinx.ext.autodoc"]',
        ),
        encoding="utf-8",
    )
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert "more than one target found" in app.warning.getvalue()
