"""``aidoc review``: review states of generated docstrings across builds."""

from __future__ import annotations

pytest_plugins = ("tests.fake_azure",)

import io
import json
import textwrap
from contextlib import redirect_stdout

from sphinxcontrib_aidoc.cli import main
from sphinxcontrib_aidoc.model import Draft
from sphinxcontrib_aidoc.sphinxext.marker import marker_lines

PKG = "missing_pkg"


def _review(srcdir, *args) -> tuple[int, list[dict]]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["review", "-c", str(srcdir), "--json", *args])
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


def _states(srcdir) -> dict[str, str]:
    code, items = _review(srcdir, "--all")
    assert code == 0
    return {i["qualname"].rpartition(".")[2]: i["state"] for i in items}


def _forget(srcdir):
    import shutil
    import sys

    for name in [m for m in sys.modules if m.split(".")[0] == PKG]:
        del sys.modules[name]
    shutil.rmtree(srcdir / PKG / "__pycache__", ignore_errors=True)
    from sphinx.pycode import ModuleAnalyzer

    for key in list(ModuleAnalyzer.cache):
        if key[0] == "module" and str(key[1]).split(".")[0] == PKG:
            del ModuleAnalyzer.cache[key]


def test_review_states_across_builds(build, tmp_path, capsys):
    app = build("missing", srcname="review")
    srcdir = app.srcdir
    code, items = _review(srcdir)
    assert code == 0
    new = {i["qualname"]: i for i in items}
    area = new[f"{PKG}.shapes.get_area"]
    assert area["state"] == "new"
    assert area["provider"] == "offline"
    assert area["source"] == "inference"
    assert isinstance(area["score"], int)
    assert area["docstring"].startswith("Return the area, ")
    assert "aidoc-generated" not in area["docstring"]

    edited = tmp_path / "label.txt"
    edited.write_text("Return the label of a shape, for humans.\n")
    assert (
        main(
            [
                "review",
                "-c",
                str(srcdir),
                "--accept",
                f"{PKG}.shapes.get_area",
                "--accept",
                f"{PKG}.shapes.Shape.*",
                "--reject",
                f"{PKG}.shapes.is_square",
                "--edit",
                f"{PKG}.shapes.label",
                "--text-file",
                str(edited),
            ]
        )
        == 0
    )
    states = _states(srcdir)
    assert states["get_area"] == "accepted"
    assert states["scale"] == "accepted"
    assert states["is_square"] == "rejected"
    assert states["label"] == "edited"
    assert states["iter_names"] == "new"
    code, waiting = _review(srcdir)
    assert "get_area" not in {w["qualname"].rpartition(".")[2] for w in waiting}

    # Another build of the same code: every decision holds.
    _forget(srcdir)
    build("missing", srcname="review", freshenv=True)
    assert _states(srcdir) == states

    # The code of get_area changes: it waits for review again; the others hold.
    shapes = srcdir / PKG / "shapes.py"
    assert "return float(width) * height" in shapes.read_text()
    shapes.write_text(
        shapes.read_text().replace(
            "return float(width) * height", "return height * float(width)"
        )
    )
    _forget(srcdir)
    build("missing", srcname="review", freshenv=True)
    after = _states(srcdir)
    assert after["get_area"] == "new"
    assert after["is_square"] == "rejected"
    assert after["label"] == "edited"


def test_review_usage_errors(build, tmp_path, capsys):
    app = build("missing", srcname="usage")
    assert main(["review", "-c", str(app.srcdir), "--edit", "x"]) == 2
    assert "needs --text-file" in capsys.readouterr().err
    assert main(["review", "-c", str(app.srcdir), "--accept", "nothing.*"]) == 2
    assert "matches no generated docstring" in capsys.readouterr().err
    assert main(["review", "--db", str(tmp_path / "none.db")]) == 2


def test_the_note_tells_reviewed_from_unreviewed(make_app, tmp_path):
    draft = Draft(summary="S.", source="llm", provider="azure", model="gpt")
    assert marker_lines(draft, True) == ["", ".. aidoc-generated:: azure gpt"]
    assert marker_lines(draft, True, review="accepted")[-1] == "   :review: accepted"
    srcdir = tmp_path / "notes"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text("extensions = ['sphinxcontrib_aidoc']\n")
    notes = "\n".join(
        f"{state}\n\n.. aidoc-generated::\n   :provider: azure\n   :review: {state}\n"
        for state in ("new", "accepted", "edited")
    )
    (srcdir / "index.rst").write_text(
        "Notes\n=====\n\nplain\n\n.. aidoc-generated::\n   :provider: azure\n\n"
        + notes
        + "\nargs\n\n.. aidoc-generated:: azure gpt-4o mini\n"
    )
    app = make_app("html", srcdir=srcdir)
    app.build()
    html = (app.outdir / "index.html").read_text("utf-8")
    assert 'class="aidoc-generated docutils container"' in html
    assert 'class="aidoc-generated aidoc-review-new docutils container"' in html
    assert "Not reviewed yet." in html
    assert 'class="aidoc-generated aidoc-review-accepted docutils container"' in html
    assert ">generated, accepted</span>" in html
    assert "Accepted in review." in html
    assert "Edited in review." in html
    # The form aidoc writes: provider and model as arguments.
    assert "Docstring generated by aidoc with azure (gpt-4o mini);" in html
    text_app = make_app("text", srcdir=srcdir)
    text_app.build()
    text = (text_app.outdir / "index.txt").read_text("utf-8")
    assert textwrap.dedent(
        "generated, accepted Docstring generated by aidoc with azure; review it "
    ) in text.replace("\n", " ")


def test_the_build_honours_review_decisions(build, fake_azure):
    """Rejected: never asked for again; edited: the reviewer's text; states shown."""
    from sphinxcontrib_aidoc.analyze import analyze_file
    from sphinxcontrib_aidoc.store import Review, Store

    overrides = {"aidoc_provider": "auto", "aidoc_max_retries": 0}
    first = build("missing", "text", srcname="reviewed", confoverrides=overrides)
    infos = {
        i.qualname: i for i in analyze_file(first.srcdir / "missing_pkg" / "shapes.py")
    }
    area = infos["missing_pkg.shapes.get_area"]
    square = infos["missing_pkg.shapes.is_square"]
    with Store.open(first.srcdir / "_aidoc" / "aidoc.db") as store:
        store.review_record(
            [
                Review(area.qualname, "rejected", area.source_hash),
                Review(
                    square.qualname,
                    "edited",
                    square.source_hash,
                    text="Tell whether the shape is a square (a person wrote this).",
                ),
            ]
        )
    store_cache = first.srcdir / "_aidoc" / "aidoc.db"
    before = fake_azure.request_count
    # A fresh cache for get_area: the rejection, not the cache, must stop it.
    with Store.open(store_cache) as store:
        store.db.execute("delete from cache")
    second = build(
        "missing", "text", srcname="reviewed", confoverrides=overrides, freshenv=True
    )
    asked = {r.qualname for r in fake_azure.log[before:]}
    assert area.qualname not in asked
    text = (second.outdir / "index.txt").read_text(encoding="utf-8")
    assert "Fake summary for get_area." not in text
    assert "Tell whether the shape is a square (a person wrote this)." in text
    assert "Edited in review." in text
    assert "Not reviewed yet." in text  # the others
