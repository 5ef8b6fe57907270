"""The engine-neutral rules both analysis engines share (``_rules`` and kin).

These are pure functions of names and texts; the engines' own tests
(``test_analyze.py``, ``test_analyze_fast.py``) check them through real code.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from sphinxcontrib_aidoc.analyze import _records, _rules, _type_rules, analyze_source
from sphinxcontrib_aidoc.analyze._nodes import child_nodes, walk, well_formed
from sphinxcontrib_aidoc.analyze._records import source_hash, source_text
from sphinxcontrib_aidoc.analyze._rules import (
    Parameter,
    ParamText,
    classify,
    constructor_signature,
    format_signature,
    function_signature,
    is_deprecated,
    is_deprecation_category,
    method_kind,
    named_like_exception,
    texts_of,
    typed_params,
)
from sphinxcontrib_aidoc.analyze._type_rules import (
    constant_type,
    container_type,
    dict_type,
    inferred_returns,
    iterator_item,
    join_all,
    join_types,
    one_type,
    sized,
    split_union,
    tuple_type,
)
from sphinxcontrib_aidoc.model import Param, Returns


def _def(name: str, *decorators: str, is_class: bool = False) -> tuple:
    return (name, decorators, is_class)


def _classify(defs: list[tuple], *, in_class: bool) -> list[tuple[str, str, list]]:
    entries = classify(
        defs,
        in_class=in_class,
        is_class=lambda d: d[2],
        decorators_of=lambda d: d[1],
        name_of=lambda d: d[0],
    )
    return [(node[0], kind, [a[0] for a in acc]) for node, kind, acc in entries]


def test_classify_module_scope():
    defs = [
        _def("C", is_class=True),
        _def("f"),
        _def("f", "typing.overload"),
        _def("g", "functools.lru_cache"),
    ]
    assert _classify(defs, in_class=False) == [
        ("C", "class", []),
        ("f", "function", []),
        ("g", "function", []),
    ]


def test_classify_class_scope_kinds_and_accessors():
    defs = [
        _def("Inner", is_class=True),
        _def("m"),
        _def("s", "staticmethod"),
        _def("c", "builtins.classmethod"),
        _def("__init_subclass__"),
        _def("p", "property"),
        _def("p", "p.setter"),
        _def("p", "p.deleter"),
        _def("q", "functools.cached_property"),
        _def("orphan", "missing.setter"),
        _def("o", "overload"),
    ]
    assert _classify(defs, in_class=True) == [
        ("Inner", "class", []),
        ("m", "method", []),
        ("s", "staticmethod", []),
        ("c", "classmethod", []),
        ("__init_subclass__", "classmethod", []),
        ("p", "property", ["p", "p"]),
        ("q", "property", []),
    ]


def test_method_kind():
    assert method_kind("f", set()) == "method"
    assert method_kind("f", {"staticmethod", "classmethod"}) == "staticmethod"
    assert method_kind("__class_getitem__", set()) == "classmethod"


P = Parameter


def test_format_signature_like_inspect():
    params: list[ParamText] = [
        P("a", "positional_only", None, None),
        P("b", "positional_or_keyword", "int", "1"),
        P("args", "var_positional", None, None),
        P("c", "keyword_only", None, "2"),
        P("kw", "var_keyword", "str", None),
    ]
    assert format_signature(params, "str") == (
        "(a, /, b: int = 1, *args, c=2, **kw: str) -> str"
    )
    assert format_signature([P("c", "keyword_only", None, None)]) == "(*, c)"
    assert format_signature([P("a", "positional_only", None, None)]) == "(a, /)"
    assert function_signature("property", params, "int") == "() -> int"
    assert function_signature("property", params, None) == "()"
    assert function_signature("method", params[:1], None) == "(a, /)"


def test_constructor_signature_drops_self_not_star_args():
    self_ = P("self", "positional_or_keyword", None, None)
    x = P("x", "positional_or_keyword", "int", None)
    assert constructor_signature([self_, x]) == "(x: int)"
    assert constructor_signature([P("args", "var_positional", None, None)]) == (
        "(*args)"
    )
    assert constructor_signature([]) == "()"


def test_texts_of_shows_dataclass_factories():
    raw = [
        P("a", "positional_or_keyword", "A", "_HAS_DEFAULT_FACTORY"),
        P("b", "keyword_only", "", None),
    ]
    texts = texts_of(raw, lambda n: n or None, str.upper)
    assert texts == [
        P("a", "positional_or_keyword", "A", "<factory>"),
        P("b", "keyword_only", None, None),
    ]


def test_typed_params_guesses_only_plain_unannotated_params():
    params = [
        P("self", "positional_or_keyword", None, None),
        P("a", "positional_or_keyword", "int", "1"),
        P("b", "positional_or_keyword", None, "2"),
        P("rest", "var_positional", None, None),
    ]
    asked: list[int] = []

    def guess(i: int) -> str | None:
        asked.append(i)
        return "int"

    assert typed_params(params, guess, bound=True) == (
        Param("self", "positional_or_keyword", None, None, False),
        Param("a", "positional_or_keyword", "int", "1", False),
        Param("b", "positional_or_keyword", "int", "2", True),
        Param("rest", "var_positional", None, None, False),
    )
    assert asked == [2]


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("int", True),
        ("list[str] | None", True),
        ("Callable[[int], str]", True),
        ("os.PathLike[str]", True),
        ("'Item'", True),
        ("self.kind | str", False),
        ("cls.Inner", False),
        ("f(x)", False),
        ("1 + 2", False),
        ("list[", False),
    ],
)
def test_well_formed_types(text, ok):
    assert well_formed(text) is ok


def test_unions():
    assert split_union("A | B[C | D] | (E | F)") == ["A", "B[C | D]", "(E | F)"]
    assert join_types(["str", "None", "int", "str"]) == "int | str | None"
    assert join_all([["int"], ["None"]]) == "int | None"
    assert join_all([["int"], None, ["str"]]) is None
    assert join_all([]) == ""


def test_join_all_stops_at_the_first_unknown():
    seen: list[int] = []

    def values():
        for i, found in enumerate([["int"], None, ["str"]]):
            seen.append(i)
            yield found

    assert join_all(values()) is None
    assert seen == [0, 1]


def test_inferred_returns():
    unknown = inferred_returns(None, falls_off=True, evidence="inference")
    assert unknown == Returns(None, inferred=True)
    assert unknown.evidence == ""  # no type: nothing proves it
    found = inferred_returns("int", falls_off=True, evidence="syntax")
    assert found == Returns("int | None", True)
    assert found.evidence == "syntax"
    assert inferred_returns("", falls_off=False, evidence="syntax") == Returns(
        "None", True
    )


def test_iterator_item():
    def text(arg: str) -> str | None:
        return arg or None

    assert iterator_item("typing.Iterator", ["int"], text) == ("int", "")
    assert iterator_item("Generator", ["int", "None", "str"], text) == ("int", "str")
    assert iterator_item("AsyncIterable", [""], text) == ("", "")
    assert iterator_item("list", ["int"], text) is None


def test_literal_types():
    assert constant_type(None) == "None"
    assert constant_type(1j) == "complex"
    assert constant_type(1j, _type_rules.DEFAULT_TYPES) is None
    assert constant_type(Ellipsis) is None
    assert not sized([])
    assert sized([0] * _type_rules.MAX_ELEMENTS)
    assert not sized([0] * (_type_rules.MAX_ELEMENTS + 1))
    assert one_type(["int", "int"]) == "int"
    assert one_type(["int", "str"]) is None
    assert one_type(["int", None]) is None
    assert container_type("list", "int") == "list[int]"
    assert container_type("set", None) == "set"
    assert tuple_type(["int", "str"]) == "tuple[int, str]"
    assert tuple_type(["int", None]) == "tuple"
    assert dict_type("str", "int") == "dict[str, int]"
    assert dict_type("str", None) == "dict[str, typing.Any]"  # a record
    assert dict_type(None, "int") == "dict"


def test_naming_conventions():
    assert is_deprecated(("typing_extensions.deprecated",), None)
    assert is_deprecated((), "Old.\n\n.. deprecated:: 1.0")
    assert not is_deprecated(("property",), "Fine.")
    assert is_deprecation_category("warnings.PendingDeprecationWarning")
    assert is_deprecation_category("MyDeprecationWarning")
    assert not is_deprecation_category("UserWarning")
    assert named_like_exception("errors.BadThing[int]", ("Thing",))
    assert named_like_exception("KeyError")
    assert named_like_exception("errors.ParseError")
    assert not named_like_exception("MyWarning")
    assert named_like_exception("MyWarning", (*_rules.EXCEPTION_SUFFIXES, "Warning"))


SOURCE = '''\
@decorator
def f():
    """Doc."""

    def g():
        """Inner doc."""
        return 1
    return g
'''


def _spans(source: str) -> list[_records.Span]:
    spans = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            doc = node.body[0]
            assert isinstance(doc, ast.Expr)
            end = (doc.end_lineno or 0, doc.end_col_offset or 0)
            spans.append((doc.lineno, doc.col_offset, *end))
    return spans


def test_source_hash_ignores_docstrings_and_blank_lines():
    lines = SOURCE.splitlines(keepends=True)
    other = SOURCE.replace("Doc.", "Other doc.").replace("Inner doc", "Changed")
    other_lines = (other + "\n\n").splitlines(keepends=True)
    first = source_hash(lines, [(1, 8, _spans(SOURCE))])
    assert first == source_hash(other_lines, [(1, 8, _spans(other))])
    changed = SOURCE.replace("return 1", "return 2")
    assert first != source_hash(
        changed.splitlines(keepends=True), [(1, 8, _spans(changed))]
    )


def test_source_text_dedents():
    lines = ["class A:\n", "    def f(self):\n", "        pass\n"]
    assert source_text(lines, 2, 3) == "def f(self):\n    pass\n"


@pytest.mark.parametrize("engine", ["ast", "astroid"])
def test_walk_keeps_the_later_definition_and_sorts_by_line(engine):
    source = 'def f():\n    pass\n\nclass C:\n    pass\n\ndef f():\n    "D."\n'
    infos = analyze_source(source, module="m", engine=engine)
    assert [(i.qualname, i.lineno, i.kind, i.docstring) for i in infos] == [
        ("m.C", 4, "class", None),
        ("m.f", 7, "function", "D."),
    ]
    assert [i.qualname for i in analyze_source(source, module="")] == ["C", "f"]


@pytest.mark.parametrize("module", [_rules, _type_rules, _records])
def test_shared_modules_know_no_syntax_tree(module):
    source = Path(module.__file__ or "").read_text(encoding="utf-8")
    tree = ast.parse(source)
    imported = {
        alias.name.partition(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        (node.module or "").partition(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    }
    assert not imported & {"ast", "astroid"}
    assert imported <= {*sys.stdlib_module_names, "sphinxcontrib_aidoc"}


def test_a_bare_type_absorbs_its_subscripted_forms():
    assert join_types(["tuple", "tuple[int, str]", "None"]) == "tuple | None"
    assert join_types(["list[int]", "list[str]"]) == "list[int] | list[str]"


def test_tuples_of_one_item_type_join_into_a_variadic_tuple():
    """``("a",)`` and ``("a", "b")`` passed or returned: ``tuple[str, ...]``."""
    assert join_types(["tuple[str, str]", "tuple[str]", "None"]) == (
        "tuple[str, ...] | None"
    )
    assert join_types(["tuple[str, ...]", "tuple[str, str]"]) == "tuple[str, ...]"
    # items of different types keep their places
    assert join_types(["tuple[str, int]", "tuple[str]"]) == (
        "tuple[str, int] | tuple[str]"
    )
    assert join_types(["tuple[int, int]"]) == "tuple[int, int]"


def test_walk_and_child_nodes_give_what_ast_gives_in_its_order() -> None:
    # The project pass's fast walks must visit what ast.walk visits, in its
    # order (breadth first): some readers keep the first node they find.
    import sphinxcontrib_aidoc.analyze as package

    for file in sorted(Path(package.__file__).parent.glob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"), type_comments=True)
        expected = list(ast.walk(tree))
        found = walk(tree)
        assert len(found) == len(expected)
        assert all(a is b for a, b in zip(found, expected, strict=True))
        for node in expected:
            children = child_nodes(node)
            assert [id(c) for c in children] == [
                id(c) for c in ast.iter_child_nodes(node)
            ]
