"""The docs describe every setting and warning subtype (drift tests)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from sphinxcontrib_aidoc.config import AidocConfig
from sphinxcontrib_aidoc.diagnostics import SUBTYPES

DOCS = Path(__file__).parent.parent / "docs"


def test_every_setting_is_documented():
    text = (DOCS / "configuration.rst").read_text(encoding="utf-8")
    for field in dataclasses.fields(AidocConfig):
        assert f".. confval:: aidoc_{field.name}\n" in text, field.name


def test_every_warning_subtype_is_documented():
    text = (DOCS / "warnings.rst").read_text(encoding="utf-8")
    for subtype in SUBTYPES:
        assert f"``aidoc.{subtype}``" in text, subtype
