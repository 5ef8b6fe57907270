"""``self.name(...)`` calls: inferred once per class and name in a module.

``self`` in a plain method is an instance of the method's class whatever
the caller, so what ``self.name`` calls is the same in every method of
that class; the analysis infers it once per module and takes it again for
the class's other methods (on tomlkit, 269 such calls name 84 methods).
Where ``self`` is something else (a class method's first parameter, a
static method's, a rebound name, a closure's), each call is inferred on
its own. The records are those of an analysis that infers every call.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sphinxcontrib_aidoc.analyze import ObjectInfo, _effects, analyze_file, clear_cache
from tests.conftest import write_package

_SOURCE = """
class Base:
    def shared(self):
        return 1

    def run(self):
        return self.shared()


class Child(Base):
    def shared(self):
        return 2

    def helper(self):
        return 3

    def go(self):
        return self.shared()

    def again(self):
        self.shared()
        return self.helper()

    def inherited(self):
        return self.run()

    @classmethod
    def make(cls):
        return cls()

    @classmethod
    def build(self):
        return self.make()

    @staticmethod
    def util(self):
        return self.shared()

    def rebound(self, other):
        if other:
            self = other
        return self.helper()

    def nested(self):
        def inner():
            return self.helper()

        return inner()

    def held(self):
        self.hook = Base().run
        return self.hook()


class Other:
    def shared(self):
        return 4

    def go(self):
        return self.shared()
"""


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.syspath_prepend(str(tmp_path))
    clear_cache()
    yield write_package(tmp_path, "sc_pkg", {"mod": _SOURCE})
    clear_cache()


def _calls(folder: Path) -> dict[str, tuple[str, ...]]:
    infos: list[ObjectInfo] = analyze_file(folder / "mod.py", module="sc_pkg.mod")
    return {i.qualname.removeprefix("sc_pkg.mod."): i.calls for i in infos}


def test_each_method_calls_what_self_finds_in_its_own_class(package: Path) -> None:
    calls = _calls(package)

    assert calls["Base.run"] == ("sc_pkg.mod.Base.shared",)
    assert calls["Child.go"] == ("sc_pkg.mod.Child.shared",)
    assert calls["Child.again"] == (
        "sc_pkg.mod.Child.helper",
        "sc_pkg.mod.Child.shared",
    )
    assert calls["Child.inherited"] == ("sc_pkg.mod.Base.run",)
    assert calls["Other.go"] == ("sc_pkg.mod.Other.shared",)
    assert "sc_pkg.mod.Child.make" in calls["Child.build"]


def test_the_records_are_those_of_inferring_every_call(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    once = _calls(package)
    clear_cache()
    monkeypatch.setattr(_effects, "_self_attribute", lambda func: None)

    assert _calls(package) == once


def test_only_a_plain_method_s_own_self_is_taken_as_its_class_s_instance(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyed: list[str] = []
    original = _effects._self_attribute

    def noting(func: object) -> tuple[int, str] | None:
        key = original(func)  # type: ignore[arg-type]
        if key is not None:
            keyed.append(func.scope().name)  # type: ignore[attr-defined]
        return key

    monkeypatch.setattr(_effects, "_self_attribute", noting)
    _calls(package)

    assert set(keyed) == {"run", "go", "again", "inherited", "held"}
