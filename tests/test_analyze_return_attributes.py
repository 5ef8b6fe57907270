"""Return types read from instance attributes and class hierarchies (issue 16).

Attributes bound by unpacking a tuple, empty containers the project fills
across methods, a check that an attribute is not ``None`` before it is
returned, the classes whose assignments reach an instance, and hooks that
do nothing until a subclass overrides them. Each case is a small package
analysed as ``aidoc generate`` does; the assertions read the return type a
user would see.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import returned_types as _returns


def test_a_checked_attribute_is_returned_without_none(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        class Editor:
            def __init__(self, editor=None):
                self.editor = editor

            def get_editor(self):
                if self.editor is not None:
                    return self.editor
                return "vi"

            def changed_between(self):
                if self.editor is not None:
                    self.reset()
                    return self.editor
                return "vi"

            def reset(self):
                self.editor = None


        def make():
            return Editor(editor="nano")
        """,
    )
    assert found["Editor.get_editor"] == "str"
    # a call between the check and the return may set it back to None
    assert found["Editor.changed_between"] == "str | None"


def test_a_hook_returns_none_or_what_its_overrides_return(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import abc


        class ParamType:
            def get_metavar(self, param):
                pass

            def unused_hook(self):
                pass


        class Choice(ParamType):
            def get_metavar(self, param):
                return "[a|b]"


        class Base(abc.ABC):
            @abc.abstractmethod
            def name(self):
                ...


        class Named(Base):
            def name(self):
                return "named"
        """,
    )
    assert found["ParamType.get_metavar"] == "str | None"
    # an abstract method never runs as the instance's own
    assert found["Base.name"] == "str"
    assert found["ParamType.unused_hook"] is None


def test_an_empty_attribute_the_project_fills_elsewhere(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        class Registry:
            def __init__(self):
                self.names = []
                self.sources = {}
                self.seen = set()
                self.loose = []

            def add(self, item):
                self.names.append(str(item))
                self.seen.update([len(self.names)])
                self.loose.append(item)

            def record(self, key):
                self.sources[str(key)] = 1.5

            def all_names(self):
                return list(self.names)

            def source(self, key):
                return self.sources.get(key)

            def counts(self):
                return self.seen

            def everything(self):
                return self.loose


        class Other:
            def __init__(self):
                self.names = []

            def fill(self):
                self.names.append(3)
        """,
    )
    assert found["Registry.all_names"] == "list[str]"
    assert found["Registry.source"] == "float | None"
    assert found["Registry.counts"] == "set[int]"
    # an item of unknown type: the element types stay unknown
    assert found["Registry.everything"] in (None, "list")


def test_an_attribute_filled_through_an_unknown_object_is_not_typed(
    tmp_path: Path,
) -> None:
    found = _returns(
        tmp_path,
        """
        class Registry:
            def __init__(self):
                self.names = []

            def add(self, item):
                self.names.append(str(item))

            def all_names(self):
                return list(self.names)


        def poke(anything):
            anything.names.append(b"raw")
        """,
    )
    assert found["Registry.all_names"] != "list[str]"


def test_a_siblings_assignment_never_reaches_an_instance(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import os


        class Item:
            def unwrap(self):
                return self._original


        class Integer(Item):
            def __init__(self):
                self._original = os.system("true")

            def unwrap(self):
                return self._original


        class Text(Item):
            def __init__(self):
                self._original = os.getcwd()

            def unwrap(self):
                return self._original
        """,
    )
    assert found["Integer.unwrap"] == "int"
    assert found["Text.unwrap"] == "str"
    # on an Item, either subclass's value may be read
    assert found["Item.unwrap"] == "int | str"


def test_attributes_bound_by_unpacking_a_tuple(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import os


        class Parameter:
            def __init__(self):
                self.name, self.opts = self._parse()

            def _parse(self):
                return os.getcwd(), [os.getcwd()]

            def label(self):
                return self.name

            def options(self):
                return self.opts
        """,
    )
    assert found["Parameter.label"] == "str"
    assert found["Parameter.options"] == "list[str]"


def test_items_added_elsewhere_widen_an_attributes_type(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import os


        class Box:
            def __init__(self):
                self.items = [os.getcwd()]
                self.loose = [os.getcwd()]

            def add(self, anything):
                self.items.append(os.getpid())
                self.loose.append(anything)

            def all(self):
                return self.items

            def everything(self):
                return self.loose
        """,
    )
    # an int is appended to the list of str it starts as
    assert found["Box.all"] == "list[int | str]"
    # an item of unknown type: never list[str]
    assert found["Box.everything"] != "list[str]"


def test_an_attribute_of_a_receiver_of_several_classes(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        class Kind:
            name: str

            def label(self):
                return self.name.upper()


        class Number(Kind):
            name = "number"


        class Choice(Kind):
            def __init__(self, choices):
                self.choices = choices

            @property
            def name(self):
                return "one of " + ", ".join(self.choices)


        class Count(Kind):
            size = 0


        class Sized(Kind):
            size = 0.5


        class Loose:
            def __init__(self, value):
                self.value = value


        class Fixed:
            value = 1


        class Field:
            def __init__(self, kind, sized, either):
                self.kind = kind
                self.sized = sized
                self.either = either

            def title(self):
                return self.kind.name

            def size(self):
                return self.sized.size

            def value(self):
                return self.either.value


        def fields(flag):
            return [
                Field(Number(), Count(), Loose(flag)),
                Field(Choice(["a"]), Sized(), Fixed()),
            ]
        """,
    )
    # the callers pass a Number or a Choice: each reads its own name
    assert found["Field.title"] == "str"
    assert found["Field.size"] == "float | int"
    # what a Loose holds is not known: nothing is claimed for the union
    assert found["Field.value"] is None
