"""Analysis kept between builds in the store (analyze.persist)."""

from __future__ import annotations

import json
import shutil

from sqlite_utils import Database

from sphinxcontrib_aidoc.analyze import analyze_file, clear_cache, persist
from sphinxcontrib_aidoc.analyze._deps import ImportGraph
from sphinxcontrib_aidoc.analyze._pass_files import package_root
from sphinxcontrib_aidoc.analyze.persist import (
    DEFAULT_STEPS,
    analysis_key,
    analyze_file_kept,
    drop_parsed,
    package_fingerprint,
    read_ahead,
)
from sphinxcontrib_aidoc.diagnostics import ListReporter
from sphinxcontrib_aidoc.store import Store
from tests.conftest import ROOTS


def _copy(tmp_path, root="test-missing", pkg="missing_pkg"):
    shutil.copytree(ROOTS / root / pkg, tmp_path / pkg)
    return tmp_path / pkg


def test_a_kept_analysis_is_served_without_analysing_again(tmp_path):
    pkg = _copy(tmp_path)
    path = pkg / "shapes.py"
    root = package_root(path, "missing_pkg.shapes")
    assert root == pkg
    with Store.open(tmp_path / "a.db") as store:
        fingerprint = package_fingerprint(root)
        first = analyze_file_kept(
            path, module="missing_pkg.shapes", cache=store, package=fingerprint
        )
        assert first == analyze_file(path, module="missing_pkg.shapes")
        assert all(info.source for info in first)
        # Doctor the stored result: a second call returns it as stored,
        # which shows that it did not analyse the file again.
        row = next(store.db.query("select key, payload from analysis"))
        payload = json.loads(row["payload"])
        payload["infos"][0]["docstring_own"] = "From the store."
        store.db.execute(
            "update analysis set payload = ? where key = ?",
            [json.dumps(payload), row["key"]],
        )
        clear_cache()
        again = analyze_file_kept(
            path, module="missing_pkg.shapes", cache=store, package=fingerprint
        )
        assert again[0].docstring == "From the store."
        assert again[0].source == first[0].source


def test_a_change_anywhere_in_the_package_analyses_again(tmp_path):
    pkg = _copy(tmp_path)
    path = pkg / "shapes.py"
    before = package_fingerprint(pkg)
    (pkg / "__init__.py").write_text('"""Changed."""\n', encoding="utf-8")
    assert package_fingerprint(pkg) != before
    with Store.open(tmp_path / "b.db") as store:
        analyze_file_kept(
            path, module="missing_pkg.shapes", cache=store, package=before
        )
        analyze_file_kept(
            path,
            module="missing_pkg.shapes",
            cache=store,
            package=package_fingerprint(pkg),
        )
        # One row per file: the newer result replaces the older one.
        assert store.db.execute("select count(*) from analysis").fetchone() == (1,)


def test_diagnostics_of_a_kept_analysis_are_reported_again(tmp_path):
    pkg = _copy(tmp_path, "test-broken-source", "broken_pkg")
    path = pkg / "syntax.py"
    with Store.open(tmp_path / "c.db") as store:
        for _ in range(2):
            reporter = ListReporter()
            analyze_file_kept(
                path,
                module="broken_pkg.syntax",
                cache=store,
                package=package_fingerprint(pkg),
                reporter=reporter,
            )
            assert [d.subtype for d in reporter.diagnostics] == ["parse"]


def test_an_unreadable_payload_is_analysed_again(tmp_path):
    pkg = _copy(tmp_path)
    path = pkg / "shapes.py"
    with Store.open(tmp_path / "d.db") as store:
        fingerprint = package_fingerprint(pkg)
        analyze_file_kept(
            path, module="missing_pkg.shapes", cache=store, package=fingerprint
        )
        store.db.execute("update analysis set payload = 'not json'")
        infos = analyze_file_kept(
            path, module="missing_pkg.shapes", cache=store, package=fingerprint
        )
        assert infos == analyze_file(path, module="missing_pkg.shapes")


def test_builds_keep_one_analysis_row_per_module(build):
    first = build("parallel", srcname="kept")
    db = Database(first.srcdir / "_aidoc" / "aidoc.db")
    modules = {
        r["module"]
        for r in db.query(
            "select module from analysis where file not like '%#project-pass'"
            " and file not like '%#module-walks' and file not like '%#imports'"
            " and file not like '%#pycode' and file not like '%#pass-sources'"
            " and key != 'scores:last-build'"
        )
    }
    # The package's own module too: the project pass reads every module.
    assert modules == {"parallel_pkg"} | {f"parallel_pkg.mod{i}" for i in range(1, 9)}
    passes = "select count(*) from analysis where file like '%#project-pass'"
    assert db.execute(passes).fetchone() == (1,)  # one row for the package
    walks = "select count(*) from analysis where file like '%#module-walks'"
    assert db.execute(walks).fetchone() == (1,)  # one for its modules' walks
    html = (first.outdir / "mod3.html").read_text(encoding="utf-8")
    clear_cache()
    second = build("parallel", srcname="kept", freshenv=True)
    assert (second.outdir / "mod3.html").read_text(encoding="utf-8") == html
    # Nine modules, the pass and the walks; the scores' row
    # (test_warm_scores), what each file imports (test_warm_imports), the
    # parses of Sphinx (test_pycode_kept) and the package's files as the
    # pass read them (test_early_child) aside.
    assert db.execute(
        "select count(*) from analysis where key != 'scores:last-build'"
        " and file not like '%#imports' and file not like '%#pycode'"
        " and file not like '%#pass-sources'"
    ).fetchone() == (11,)


def test_an_edit_invalidates_the_module_and_its_importers_only(tmp_path):
    pkg = tmp_path / "dep_pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "sub" / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "base.py").write_text("def f() -> int:\n    return 1\n", encoding="utf-8")
    (pkg / "user.py").write_text(
        "from dep_pkg.base import f\n\ndef g():\n    return f()\n", encoding="utf-8"
    )
    (pkg / "sub" / "rel.py").write_text(
        "from ..base import f\n\ndef h():\n    return f()\n", encoding="utf-8"
    )
    (pkg / "alone.py").write_text("def k() -> str:\n    return ''\n", encoding="utf-8")
    modules = ("dep_pkg.base", "dep_pkg.user", "dep_pkg.sub.rel", "dep_pkg.alone")
    before = ImportGraph.scan(pkg, "dep_pkg")
    (pkg / "base.py").write_text("def f() -> str:\n    return ''\n", encoding="utf-8")
    after = ImportGraph.scan(pkg, "dep_pkg")
    changed = {m for m in modules if before.fingerprint(m) != after.fingerprint(m)}
    assert changed == {"dep_pkg.base", "dep_pkg.user", "dep_pkg.sub.rel"}


def test_appending_a_function_does_not_invalidate_the_importers(tmp_path):
    # An importer's analysis depends on the names it imports from a module
    # (and what they name), not on the module's whole text.
    pkg = tmp_path / "dep_pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    compat = pkg / "_compat.py"
    compat.write_text(
        "import os\n\ndef helper():\n    return 1\n\ndef f():\n    return helper()\n",
        encoding="utf-8",
    )
    (pkg / "user.py").write_text(
        "from dep_pkg._compat import f\n\ndef g():\n    return f()\n",
        encoding="utf-8",
    )
    (pkg / "attrs.py").write_text(
        "from dep_pkg import _compat\n\ndef w():\n    return _compat.f()\n",
        encoding="utf-8",
    )
    (pkg / "aliased.py").write_text(
        "import dep_pkg._compat as c\n\ndef a():\n    return c.f()\n",
        encoding="utf-8",
    )
    (pkg / "whole.py").write_text(
        "from dep_pkg import _compat\n\ndef w():\n    return vars(_compat)\n",
        encoding="utf-8",
    )
    modules = (
        "dep_pkg._compat",
        "dep_pkg.user",
        "dep_pkg.attrs",
        "dep_pkg.aliased",
        "dep_pkg.whole",
    )

    def changed_by(text: str) -> set[str]:
        before = ImportGraph.scan(pkg, "dep_pkg")
        compat.write_text(text, encoding="utf-8")
        after = ImportGraph.scan(pkg, "dep_pkg")
        return {m for m in modules if before.fingerprint(m) != after.fingerprint(m)}

    base = compat.read_text(encoding="utf-8")
    appended = base + "\ndef added(x):\n    return str(x)\n"
    # imported by name, or a module only read as ``module.name``: kept; a
    # module used as a value (it may reach anything in it): analysed again
    assert changed_by(appended) == {"dep_pkg._compat", "dep_pkg.whole"}
    # a function the imported name calls changes: the importer is analysed again
    edited = appended.replace("return 1", "return 'one'")
    assert changed_by(edited) == set(modules)
    # a module-level statement (it may bind any name) counts too
    assert changed_by(edited + "\nLIMIT = 3\n") == set(modules)


def test_an_importer_depends_on_the_text_of_what_it_imports(tmp_path):
    # The part of a module an importer uses is read as text: moving it
    # keeps the importer's key; its decorator and its body are part of it,
    # whatever the file's line endings.
    pkg = tmp_path / "dep_pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "user.py").write_text(
        "from dep_pkg.base import f\n\ndef g():\n    return f()\n", encoding="utf-8"
    )
    base = pkg / "base.py"
    source = "import functools\n\n@functools.cache\ndef f():\n    return 1\n"

    def user_changed(before: str, after: str, newline: str = "\n") -> bool:
        base.write_bytes(before.replace("\n", newline).encode())
        old = ImportGraph.scan(pkg, "dep_pkg").fingerprint("dep_pkg.user")
        base.write_bytes(after.replace("\n", newline).encode())
        new = ImportGraph.scan(pkg, "dep_pkg").fingerprint("dep_pkg.user")
        return old != new

    assert not user_changed(source, source.replace("\n\n@", "\n\n\n\n@"))
    assert not user_changed(source, source + "\n\ndef other():\n    return 2\n")
    assert user_changed(source, source.replace("@functools.cache", "@functools.wraps"))
    plain = "def other():\n    return 2\n\n\ndef f():\n    return 1\n"
    for newline in ("\n", "\r\n", "\r"):
        assert user_changed(plain, plain.replace("return 1", "return '1'"), newline)


def test_a_result_cut_short_by_the_clock_is_not_kept(tmp_path):
    # A busy machine must not fix the gaps of its analysis for later builds:
    # the timed-out result is used once, and the next run analyses again.
    pkg = tmp_path / "patho"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    path = pkg / "mod.py"
    lines = ["a0 = [1, 'a']"] + [f"a{i} = a{i - 1} + a{i - 1}" for i in range(1, 23)]
    lines += ["def explode():", "    return a22"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fingerprint = package_fingerprint(pkg)
    with Store.open(tmp_path / "e.db") as store:
        reporter = ListReporter()
        busy = analyze_file_kept(
            path,
            module="patho.mod",
            cache=store,
            package=fingerprint,
            reporter=reporter,
            infer_timeout=0.001,
        )
        assert [d.transient for d in reporter.diagnostics] == [True]
        assert busy[0].qualname == "patho.mod.explode"
        assert store.db.execute("select count(*) from analysis").fetchone() == (0,)
        clear_cache()
        reporter = ListReporter()
        idle = analyze_file_kept(
            path,
            module="patho.mod",
            cache=store,
            package=fingerprint,
            reporter=reporter,
            infer_steps=50,
        )
        # Cut by its step budget instead: kept, and the same on any machine.
        assert [d.transient for d in reporter.diagnostics] == [False]
        assert idle == busy
        assert store.db.execute("select count(*) from analysis").fetchone() == (1,)


def test_an_analysis_parsed_ahead_is_the_one_served_once(tmp_path):
    # A build waiting for its child parses the analyses stored so far; the
    # read that follows takes those records (once), the same records as
    # parsing then.
    pkg = _copy(tmp_path)
    path = pkg / "shapes.py"
    module = "missing_pkg.shapes"
    drop_parsed()  # (what earlier tests in this process left)
    with Store.open(tmp_path / "a.db") as store:
        fingerprint = package_fingerprint(package_root(path, module))
        first = analyze_file_kept(path, module=module, cache=store, package=fingerprint)
        key = analysis_key(path, module, package=fingerprint, infer_steps=DEFAULT_STEPS)
        assert read_ahead(store, [key], until=lambda: True) == 0
        assert read_ahead(store, ["nothing-stored", key], until=lambda: False) == 1
        [(ahead, _)] = persist._PARSED.values()
        taken = analyze_file_kept(path, module=module, cache=store, package=fingerprint)
        assert taken == first
        assert taken[0] is ahead[0]
        assert not persist._PARSED  # taken once
        parsed = analyze_file_kept(
            path, module=module, cache=store, package=fingerprint
        )
        assert parsed == first
        assert parsed[0] is not ahead[0]
        assert read_ahead(store, [key], until=lambda: False) == 1
        drop_parsed()
        assert not persist._PARSED
