"""Other ``autodoc-skip-member`` handlers: echoing ``skip`` hides nothing aidoc writes."""

from __future__ import annotations


def test_a_handler_that_echoes_skip_does_not_hide_undocumented_members(build):
    app = build("skip-handler", "text")
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    assert "skip_pkg.undocumented(value: int) -> int" in text
    assert "skip_pkg.documented(value: int) -> int" in text
    # A member the handler excludes on purpose stays hidden.
    assert "excluded_on_purpose" not in text
