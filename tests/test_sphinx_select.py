"""The pre-read batch drafts only what the auto* directives will show.

With a paid provider, drafting a member that no directive shows spends money
on text nobody sees; the fake Azure server counts what was asked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.fake_azure import FakeAzure

pytest_plugins = ("tests.fake_azure",)

SHOWN = {
    "select_pkg.shapes.get_area",
    "select_pkg.shapes.Shape",
    "select_pkg.shapes.Shape.scale",
    "select_pkg.tools.kept_tool",
    "select_pkg.bare.shown_alone",
}


def test_only_shown_objects_are_sent_to_the_provider(build, fake_azure: FakeAzure):
    app = build("select", "text", confoverrides={"aidoc_provider": "azure"})
    asked = set(fake_azure.asked)
    assert asked == SHOWN
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    for qualname in SHOWN:
        assert f"Fake summary for {qualname.rpartition('.')[2]}." in text
    for hidden in ("not_listed", "hidden_tool", "never_shown"):
        assert hidden not in text


def test_default_members_option_is_honoured(build, fake_azure: FakeAzure):
    app = build(
        "select",
        "text",
        confoverrides={
            "aidoc_provider": "azure",
            "autodoc_default_options": {"members": True},
        },
    )
    asked = set(fake_azure.asked)
    # With members on by default, the bare automodule shows its members too.
    assert asked >= SHOWN | {"select_pkg.bare.never_shown"}
    # Whatever was asked is on the page (autodoc merges the default with a
    # directive's own list; aidoc drafts what autodoc then shows).
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    for qualname in asked:
        assert f"Fake summary for {qualname.rpartition('.')[2]}." in text
