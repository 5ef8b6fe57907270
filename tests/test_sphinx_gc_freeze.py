"""A build keeps what it has read out of the collector's full collections.

``aidoc_freeze_gc`` (on by default) freezes what is alive once the
pre-read is done, and gives it back when the build ends: while pages are
read and written, the objects the build held then are not walked by any
collection; after the build, nothing stays frozen, unless ``sphinx-build``
ran it (the process ends next: Python's collection at exit need not walk
it again), and then the next build in the process gives it back. What
reading added is frozen too when the build read few pages (an incremental
rebuild), not when it read them all (Sphinx drops each doctree once
written).
"""

from __future__ import annotations

import gc
import shutil

from tests.conftest import ROOTS


def _frozen_while_writing(make_app, tmp_path, **confoverrides) -> list[int]:
    srcdir = tmp_path / "site"
    shutil.copytree(ROOTS / "test-missing", srcdir)
    app = make_app("html", srcdir=srcdir, confoverrides=confoverrides)
    seen: list[int] = []
    app.connect("html-page-context", lambda *args: seen.append(gc.get_freeze_count()))
    app.build()
    assert app.statuscode == 0
    return seen


def test_what_the_build_read_is_frozen_until_it_ends(make_app, tmp_path):
    gc.unfreeze()
    seen = _frozen_while_writing(make_app, tmp_path)
    assert seen
    assert min(seen) > 1000  # the configuration and the records at least
    assert gc.get_freeze_count() == 0  # given back at the end of the build


def test_a_command_line_build_keeps_it_frozen_until_the_next_build(make_app, tmp_path):
    from sphinx.cmd.build import build_main

    gc.unfreeze()
    srcdir = tmp_path / "cli"
    shutil.copytree(ROOTS / "test-missing", srcdir)
    assert build_main(["-q", "-b", "html", str(srcdir), str(tmp_path / "out")]) == 0
    assert gc.get_freeze_count() > 1000  # kept for the process's end
    app = make_app("html", srcdir=srcdir)  # the builder is made: the build starts
    assert gc.get_freeze_count() == 0  # given back when the next build starts
    app.build()
    assert gc.get_freeze_count() == 0  # and this one, not run by sphinx-build


def test_the_collector_is_left_alone_when_turned_off(make_app, tmp_path):
    gc.unfreeze()
    seen = _frozen_while_writing(make_app, tmp_path, aidoc_freeze_gc=False)
    assert seen
    assert set(seen) == {0}


def _frozen_counts(app) -> tuple[list[int], list[int]]:
    """Freeze counts once the pre-read is done, and while pages are written."""
    after_preread: list[int] = []
    writing: list[int] = []
    app.connect(
        "env-before-read-docs",
        lambda *args: after_preread.append(gc.get_freeze_count()),
        priority=950,
    )
    app.connect(
        "html-page-context", lambda *args: writing.append(gc.get_freeze_count())
    )
    app.build()
    assert app.statuscode == 0
    return after_preread, writing


def test_what_reading_added_is_frozen_only_when_few_pages_were_read(make_app, tmp_path):
    gc.unfreeze()
    srcdir = tmp_path / "site"
    shutil.copytree(ROOTS / "test-search", srcdir)
    preread, writing = _frozen_counts(make_app("html", srcdir=srcdir))
    assert max(writing) <= preread[0]  # every page read: nothing more frozen
    page = srcdir / "overview.rst"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n")
    preread, writing = _frozen_counts(make_app("html", srcdir=srcdir))
    assert min(writing) > preread[0]  # one page of seven read: frozen too
    assert gc.get_freeze_count() == 0


def test_the_collector_runs_less_often_during_the_build_only(make_app, tmp_path):
    before = gc.get_threshold()
    srcdir = tmp_path / "site"
    shutil.copytree(ROOTS / "test-missing", srcdir)
    app = make_app("html", srcdir=srcdir)
    seen: list[tuple[int, ...]] = []
    app.connect("html-page-context", lambda *args: seen.append(gc.get_threshold()))
    app.build()
    assert seen
    assert all(t[0] >= 2000 and t[2] >= 50 for t in seen)
    assert gc.get_threshold() == before  # given back at the end of the build


def test_thresholds_are_left_alone_when_turned_off(make_app, tmp_path):
    before = gc.get_threshold()
    srcdir = tmp_path / "site"
    shutil.copytree(ROOTS / "test-missing", srcdir)
    app = make_app("html", srcdir=srcdir, confoverrides={"aidoc_freeze_gc": False})
    seen: list[tuple[int, ...]] = []
    app.connect("html-page-context", lambda *args: seen.append(gc.get_threshold()))
    app.build()
    assert set(seen) == {before}
