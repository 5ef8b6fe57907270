"""Parameter types from module-level names and casts (issue 16).

Each case is a small package on disk, analysed as ``aidoc generate`` does,
and asserts the type stated for a parameter without a default.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import analyse_module


def _params(tmp_path: Path, source: str, qualname: str) -> dict[str, str | None]:
    return {p.name: p.type for p in analyse_module(tmp_path, source)[qualname].params}


def test_a_module_global_bound_to_a_subclass_instance_is_of_that_class(
    tmp_path: Path,
) -> None:
    # ``Text`` has a project base and no ``__init__`` anywhere in its
    # ancestry: calling it builds a ``Text``.
    source = """
        class Kind:
            def name(self):
                return "kind"

        class Text(Kind):
            def name(self):
                return "text"

        TEXT = Text()

        def describe(kind):
            return kind.name()

        def main():
            return describe(TEXT)
    """
    assert _params(tmp_path, source, "describe") == {"kind": "~pkg.mod.Text"}


def test_a_global_instance_of_a_class_with_an_outside_base_stays_untyped(
    tmp_path: Path,
) -> None:
    # ``dict`` may build anything its ``__new__`` likes: nothing is claimed.
    source = """
        class Table(dict):
            def size(self):
                return len(self)

        TABLE = Table()

        def measure(table):
            return table.size()

        def main():
            return measure(TABLE)
    """
    assert _params(tmp_path, source, "measure") == {"table": None}


def test_an_attribute_holding_an_instance_proven_later_reaches_its_call(
    tmp_path: Path,
) -> None:
    # ``self.kind`` holds what ``pick`` returns (proven by the project
    # pass from the ``isinstance`` check, not when the calls are first read): ``self.kind(...)`` then
    # calls ``Kind.__call__``, which passes ``field`` on to ``check``.
    source = """
        class Kind:
            def __call__(self, value, field):
                return self.check(value, field)

            def check(self, value, field):
                return value

        class Upper(Kind):
            pass

        UPPER = Upper()

        def pick(kind):
            if isinstance(kind, Kind):
                return kind
            return UPPER

        class Field:
            def __init__(self, kind):
                self.kind = pick(kind)

            def clean(self, value):
                return self.kind(value, self)
    """
    assert _params(tmp_path, source, "Kind.check")["field"] == "~pkg.mod.Field"


def test_a_cast_to_a_project_class_named_in_a_string_is_that_class(
    tmp_path: Path,
) -> None:
    source = """
        import typing as t

        _stack = []

        class Context:
            def close(self):
                return None

        def current():
            return t.cast("Context", _stack[-1])

        def finish(ctx):
            ctx.close()

        def main():
            ctx = t.cast("Context", _stack[-1])
            finish(ctx)
    """
    assert _params(tmp_path, source, "finish") == {"ctx": "~pkg.mod.Context"}


def test_a_cast_to_a_union_of_project_classes_is_each_class(tmp_path: Path) -> None:
    source = """
        from typing import Union, cast

        _events = []

        class Request:
            pass

        class Response:
            pass

        def send(event):
            return event

        def main():
            send(cast(Union[Request, Response], _events[-1]))
    """
    assert _params(tmp_path, source, "send") == {
        "event": "~pkg.mod.Request | ~pkg.mod.Response"
    }
