"""Return types the project-wide pass proves from rules (issue 16).

Each case is a small package on disk, analysed as ``aidoc generate`` does
(:func:`analyze_paths`: astroid oracle, then the project-wide pass); the
assertions read the return type a user would see in the docstring.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from sphinxcontrib_aidoc.analyze import analyze_paths, clear_cache


def _returns(tmp_path: Path, source: str) -> dict[str, str | None]:
    """The stated return type of every function of a one-module package."""
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "__init__.py").write_text("")
    (root / "mod.py").write_text(textwrap.dedent(source))
    clear_cache()
    return {
        i.qualname.removeprefix("pkg.mod."): i.returns.type if i.returns else None
        for i in analyze_paths([root])
        if i.kind != "class"
    }


def test_standard_library_calls_from_the_table(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import copy
        import os
        from datetime import date
        from gettext import gettext as _


        class Box:
            def copied(self):
                return copy.copy(self)


        def message(name):
            return _("Hello {name}").format(name=name)

        def variable(name):
            return os.environ.get(name)

        def variable_or_default(name):
            return os.getenv(name, "fallback")

        def variable_or_unknown(name, default):
            return os.environ.get(name, default)

        def day(year, month):
            return date(year, month, 1)

        def secret(prompt):
            import getpass
            return getpass.getpass(prompt)

        def shadowed(prompt):
            getpass = object()
            return getpass.getpass(prompt)
        """,
    )
    assert found["Box.copied"] == "~pkg.mod.Box"
    assert found["message"] == "str"
    assert found["variable"] == "str | None"
    assert found["variable_or_default"] == "str"
    assert found["variable_or_unknown"] is None  # the default's type is unknown
    assert found["day"] == "datetime.date"
    assert found["secret"] == "str"  # imported in the function itself
    assert found["shadowed"] is None
