"""A build keeps what it has read out of the collector's full collections.

``aidoc_freeze_gc`` (on by default) freezes what is alive once the
pre-read is done, and gives it back when the build ends: while pages are
read and written, the objects the build held then are not walked by any
collection; after the build, nothing stays frozen, unless ``sphinx-build``
ran it (the process ends next: Python's collection at exit need not walk
it again), and then the next build in the process gives it back. A serial
build, which finishes the pre-read while it reads, freezes when it begins
it and again when it is done (with the pages that show no object, read
meanwhile). What reading added is frozen too when the build read few
pages (an incremental rebuild), not when it read them all (Sphinx drops
each doctree once written).
"""

from __future__ import annotations

import gc
import shutil

from tests.conftest import ROOTS, needs_deferral, slow_child, wait_for_analyses


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
    """Freeze counts just before what reading added is frozen or not, and after.

    Taken at ``env-updated`` right before aidoc's handler that freezes
    what reading added (priority 900), once the pre-read is done (a serial
    build finishes it while it reads, at priority 100 at the latest) and
    the stacks of Sphinx's cached failures are dropped (priority 890), and
    right after it. Earlier, the count could fall between the two: frozen
    objects that die (those stacks, a closed pool's threads) leave the
    frozen generation, which made the comparison depend on timing.
    """
    before: list[int] = []
    after: list[int] = []
    app.connect(
        "env-updated", lambda *args: before.append(gc.get_freeze_count()), priority=899
    )
    app.connect(
        "env-updated", lambda *args: after.append(gc.get_freeze_count()), priority=901
    )
    app.build()
    assert app.statuscode == 0
    return before, after


def test_what_reading_added_is_frozen_only_when_few_pages_were_read(make_app, tmp_path):
    gc.unfreeze()
    srcdir = tmp_path / "site"
    shutil.copytree(ROOTS / "test-search", srcdir)
    before, after = _frozen_counts(make_app("html", srcdir=srcdir))
    assert after[0] <= before[0]  # every page read: nothing more frozen
    page = srcdir / "overview.rst"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n")
    before, after = _frozen_counts(make_app("html", srcdir=srcdir))
    assert after[0] > before[0]  # one page of seven read: frozen too
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


def test_a_serial_build_freezes_what_its_pre_read_made_while_reading(
    make_app, tmp_path
):
    # A build that waits for the analyses (a project handler reads the lines
    # aidoc writes) finishes the pre-read while the pages are read (at
    # usage.rst, whose included directive needs it): its records and drafts
    # are frozen then.
    gc.unfreeze()
    srcdir = tmp_path / "site"
    shutil.copytree(ROOTS / "test-readorder", srcdir)
    app = make_app("html", srcdir=srcdir)
    wait_for_analyses(app)
    counts: dict[str, int] = {}
    app.connect(
        "env-before-read-docs",
        lambda *args: counts.setdefault("begun", gc.get_freeze_count()),
        priority=950,
    )
    app.connect(
        "source-read",
        lambda app, docname, source: counts.setdefault(docname, gc.get_freeze_count()),
    )
    app.build()
    assert app.statuscode == 0
    assert counts["begun"] > 1000
    # Nothing more frozen while the pages showing nothing were read (the
    # count only drops, as frozen objects are freed) ...
    assert counts["usage"] <= counts["begun"]
    # ... then the pre-read's records and drafts, and those pages, once done.
    assert counts["api"] > counts["usage"]
    assert gc.get_freeze_count() == 0


@needs_deferral
def test_a_build_filling_after_reading_freezes_what_its_pre_read_made_then(
    make_app, tmp_path, monkeypatch
):
    # Without a handler to wait for, every page is read first while the
    # child works; the pre-read is finished once reading ends, and what it
    # made frozen then.
    slow_child(monkeypatch, "readorder_pkg")
    gc.unfreeze()
    srcdir = tmp_path / "site"
    shutil.copytree(ROOTS / "test-readorder", srcdir)
    app = make_app("html", srcdir=srcdir)
    counts: dict[str, int] = {}
    app.connect(
        "source-read",
        lambda app, docname, source: counts.setdefault(docname, gc.get_freeze_count()),
    )

    def filled(app, env) -> list[str]:
        counts["filled"] = gc.get_freeze_count()
        return []

    app.connect("env-updated", filled, priority=150)  # after aidoc's pre-read (100)
    app.build()
    assert app.statuscode == 0
    assert counts["api"] <= counts["guide"]  # nothing frozen while reading
    assert counts["filled"] > counts["api"]
    assert gc.get_freeze_count() == 0
