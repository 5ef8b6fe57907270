"""Offline prose from facts of the code (issue 11), read from analysed source.

Each case analyses a small module with the real analysis engine and checks
the offline summary (or field) a reader sees: what the body returns and
from what, what it does to its parameters, what other records say (a
callee's docstring, the ``#:`` comment of an attribute, overriding
subclasses), and the name wording that remains when nothing else is known.
"""

from __future__ import annotations

import textwrap

import pytest

from sphinxcontrib_aidoc.analyze import analyze_source
from sphinxcontrib_aidoc.generate._names import context, name_summary
from sphinxcontrib_aidoc.generate._words import phrase, sentence, split_name
from sphinxcontrib_aidoc.generate.offline import offline_draft
from sphinxcontrib_aidoc.model import identifier_words
from sphinxcontrib_aidoc.search_index import name_tokens


def drafts(source: str) -> dict[str, tuple[str, str]]:
    """``{local name: (summary, first raises text)}`` for every object."""
    infos = analyze_source(textwrap.dedent(source), module="m")
    related = {i.qualname: i for i in infos}
    found = {}
    for info in infos:
        draft = offline_draft(info, related)
        raised = draft.raises[0][1] if draft.raises else ""
        found[info.qualname.removeprefix("m.")] = (draft.summary, raised)
    return found


def summary(source: str, name: str) -> str:
    return drafts(source)[name][0]


def test_two_way_return_names_both_values_and_the_condition() -> None:
    source = """
        class SingleKey: ...
        class DottedKey: ...
        def key(k):
            if isinstance(k, str):
                return SingleKey(k)
            return DottedKey([key(x) for x in k])
    """
    assert summary(source, "key") == (
        "Return a ``SingleKey`` if *k* is a ``str``, else a ``DottedKey``."
    )


def test_a_condition_on_a_local_variable_is_not_worded() -> None:
    source = """
        def pick(items):
            first = items[0]
            if first is None:
                return 0
            return 1
    """
    # "if first is None" means nothing to a reader of the signature.
    assert "first" not in summary(source, "pick")


def test_chaining_setter_says_what_it_sets_and_returns_the_object() -> None:
    source = """
        class Array:
            def multiline(self, multiline: bool) -> "Array":
                self._multiline = multiline
                return self
    """
    assert summary(source, "Array.multiline") == (
        "Set ``self._multiline`` to *multiline* and return the object itself."
    )


def test_decorator_factory_returns_its_inner_function() -> None:
    source = """
        def pass_meta_key(key):
            def decorator(f):
                return f
            return decorator
    """
    assert summary(source, "pass_meta_key") == (
        "Return the inner function ``decorator``."
    )


def test_abstract_method_and_property() -> None:
    source = """
        class Item:
            def as_string(self) -> str:
                raise NotImplementedError()

            @property
            def discriminant(self) -> int:
                raise NotImplementedError()

            @property
            def trivia(self) -> str:
                raise RuntimeError("Called trivia on a Whitespace variant.")
    """
    found = drafts(source)
    assert found["Item.as_string"][0] == (
        "Return the item as a string; subclasses override it (it raises "
        "``NotImplementedError`` here)."
    )
    assert found["Item.discriminant"][0] == (
        "The discriminant, defined by subclasses (``NotImplementedError`` here)."
    )
    assert found["Item.trivia"][0] == (
        "The trivia; reading it always raises ``RuntimeError``."
    )


def test_registry_functions_say_which_registry() -> None:
    source = """
        import contextlib
        CUSTOM = []
        def register_encoder(encoder):
            CUSTOM.append(encoder)
            return encoder
        def unregister_encoder(encoder) -> None:
            with contextlib.suppress(ValueError):
                CUSTOM.remove(encoder)
    """
    found = drafts(source)
    assert found["register_encoder"][0] == (
        "Register an encoder: append *encoder* to ``CUSTOM`` and return it."
    )
    assert found["unregister_encoder"][0] == (
        "Unregister the encoder: remove *encoder* from ``CUSTOM``."
    )


def test_parameters_changed_in_place_or_called() -> None:
    source = """
        def merge_dicts(d1: dict, d2: dict) -> None:
            for k, v in d2.items():
                d1[k] = v

        def write_headers(headers, write) -> None:
            for name, value in headers:
                write(name + b": " + value)

        def option(*decls, **kwargs):
            kwargs.setdefault("help", "x")

        def rebind(items):
            items = list(items)
            items.append(1)
    """
    found = drafts(source)
    assert found["merge_dicts"][0] == "Merge the dicts: modify *d1* in place."
    assert found["write_headers"][0] == "Write the headers: call *write*."
    # **kwargs is the function's own dict; a rebound name is a local.
    assert "in place" not in found["option"][0]
    assert "in place" not in found["rebind"][0]


def test_a_reassigned_parameter_is_not_returned_unchanged() -> None:
    source = """
        class Parameter:
            def process_value(self, ctx, value):
                value = self.cast(ctx, value)
                if self.callback is not None:
                    value = self.callback(ctx, self, value)
                return value
    """
    assert "*value*" not in summary(source, "Parameter.process_value")


def test_property_computed_from_attributes() -> None:
    source = """
        class ProgressBar:
            @property
            def pct(self) -> float:
                if self.finished:
                    return 1.0
                return min(self.pos / (float(self.length or 1) or 1), 1.0)
    """
    assert summary(source, "ProgressBar.pct") == (
        "The percentage, computed from ``self.finished``, ``self.pos`` and "
        "``self.length``."
    )


def test_property_takes_the_authors_attribute_comment() -> None:
    source = """
        class Runner:
            def __init__(self, charset: str = "utf-8") -> None:
                #: The character set of the input and output data.
                self._charset = charset

            @property
            def charset(self) -> str:
                return self._charset
    """
    assert summary(source, "Runner.charset") == (
        "The character set of the input and output data."
    )


def test_classes_name_subclasses_dataclass_fields_and_protocols() -> None:
    source = """
        import dataclasses

        class Key:
            def __iter__(self):
                return iter(())

        class SingleKey(Key): ...

        class DottedKey(Key): ...

        @dataclasses.dataclass
        class Trivia:
            indent: str = ""
            comment: str = ""
    """
    found = drafts(source)
    assert found["Key"][0] == (
        "A key: the base class of ``DottedKey`` and ``SingleKey``; its instances "
        "are iterable."
    )
    assert found["Trivia"][0] == (
        "A trivia: a dataclass with the fields ``indent`` and ``comment``."
    )


def test_thin_wrapper_takes_the_callees_docstring() -> None:
    source = '''
        def parse(text: str) -> dict:
            """Parse a TOML document into a dictionary.

            More detail that stays with parse.
            """
            return {}

        def loads(text: str) -> dict:
            return parse(text)
    '''
    assert summary(source, "loads") == (
        "Parse a TOML document into a dictionary (through ``parse``)."
    )


def test_empty_method_names_the_subclasses_that_override_it() -> None:
    source = """
        class BodyWriter:
            def send_eom(self, headers, write) -> None:
                pass

        class ChunkedWriter(BodyWriter):
            def send_eom(self, headers, write) -> None:
                write(b"0\\r\\n")
    """
    assert summary(source, "BodyWriter.send_eom") == (
        "Do nothing here (``ChunkedWriter`` overrides it)."
    )


def test_context_manager_says_what_it_yields() -> None:
    source = """
        import contextlib
        from collections.abc import Iterator

        class Context:
            @contextlib.contextmanager
            def scope(self) -> Iterator["Context"]:
                yield self
    """
    summary_text = summary(source, "Context.scope")
    assert summary_text.startswith("Return a context manager")
    assert "scope" not in summary_text.lower()


def test_unreadable_name_without_facts_gives_no_summary() -> None:
    source = """
        class Parameter:
            def consume_value(self, ctx, opts) -> int:
                value = opts.get(self.name)
                for step in self.steps:
                    value = step(value)
                return value
    """
    assert summary(source, "Parameter.consume_value") == ""  # not "Consume the value."
    source = """
        def getchar(echo: bool = False) -> str:
            text = _read(echo)
            while not text:
                text = _read(echo)
            return text
    """
    assert summary(source, "getchar") == ""  # not "Return a value of type ``str``."


def test_raises_states_only_the_guard_the_code_shows() -> None:
    source = """
        def date(raw: str):
            value = parse(raw)
            if not isinstance(value, str):
                raise ValueError("date() only accepts date strings.")
            return value

        def lookup(table, key):
            try:
                return table.find(key)
            finally:
                table.close()
            raise KeyError(key)
    """
    found = drafts(source)
    assert found["date"][1] == (
        'If ``value`` is not a ``str`` ("date() only accepts date strings.").'
    )
    # No guard to read: no "usual cause" ("If a key is missing.") either.
    assert found["lookup"][1] == ""


@pytest.mark.parametrize(
    ("source", "name", "expected"),
    [
        (
            (
                "class Parameter:\n    def add_to_parser(self, parser, ctx):\n"
                "        parser.add(self)\n"
            ),
            "Parameter.add_to_parser",
            "Add the parameter to *parser*.",
        ),
        (
            (
                "class OrderedBidict:\n    def move_to_end(self, key, last=True):\n"
                "        self._move(key, last)\n"
            ),
            "OrderedBidict.move_to_end",
            "Move *key* to the end.",
        ),
        (
            (
                "class Array:\n    def insert(self, pos, value):\n"
                "        self._insert(pos, value)\n"
            ),
            "Array.insert",
            "Insert *value* into the array at *pos*.",
        ),
        (
            "def normalize_and_validate(headers):\n    return _check(headers)\n",
            "normalize_and_validate",
            "Normalize and validate *headers*.",
        ),
        (
            (
                "class LazyFile:\n    def close_intelligently(self):\n"
                "        self._close(); self._log()\n"
            ),
            "LazyFile.close_intelligently",
            "Close the lazy file intelligently.",
        ),
        (
            (
                "class Buffer:\n    def maybe_extract_lines(self):\n"
                "        a = self._x(); return self._y(a)\n"
            ),
            "Buffer.maybe_extract_lines",
            "Try to extract the lines.",
        ),
        (
            (
                "class String:\n    @classmethod\n"
                "    def from_raw(cls, value: str) -> 'String':\n"
                "        v = decode(value); return cls(v)\n"
            ),
            "String.from_raw",
            "Create a string from the raw *value*.",
        ),
        (
            "def parse_rfc3339(string: str):\n    a = _m(string); return _b(a)\n",
            "parse_rfc3339",
            "Parse the RFC 3339 from *string*.",
        ),
    ],
)
def test_name_grammar(source: str, name: str, expected: str) -> None:
    # The name's own sentence, which a fact of the body completes.
    info = next(
        i for i in analyze_source(source, module="m") if i.qualname == f"m.{name}"
    )
    assert sentence(name_summary(context(info))) == expected


def test_one_splitter_for_wording_and_search() -> None:
    assert identifier_words("insert_AoT") == ["insert", "AoT"]
    assert identifier_words("IoTDevice") == ["IoT", "Device"]
    assert identifier_words("getHTTPResponseCode") == [
        "get",
        "HTTP",
        "Response",
        "Code",
    ]
    assert name_tokens("Container.insert_AoT") == ("container", "insert", "aot")
    assert phrase(split_name("parse_rfc3339")) == "parse RFC 3339"
    assert phrase(split_name("utf8_decode")) == "UTF-8 decode"
    assert phrase(split_name("md5sum")) == "MD5 sum"
    assert phrase(split_name("AoT")) == "AoT"


def test_a_toggle_names_its_pairs() -> None:
    source = """
        import enum

        class StringType(enum.Enum):
            SLB = 1
            MLB = 2

            def toggle(self) -> "StringType":
                return {
                    StringType.SLB: StringType.MLB,
                    StringType.MLB: StringType.SLB,
                }[self]
    """
    assert summary(source, "StringType.toggle") == (
        "Return the other member of the pair ``self`` is in (``SLB`` and ``MLB``)."
    )


def test_a_value_chosen_with_or_is_no_predicate() -> None:
    source = """
        class CliRunner:
            def get_default_prog_name(self, cli) -> str:
                return cli.name or "root"

            def is_ready(self, a, b) -> bool:
                return a > 0 and b is None
    """
    found = drafts(source)
    assert found["CliRunner.get_default_prog_name"][0] == (
        "Return the default prog name, ``cli.name or 'root'``."
    )
    assert found["CliRunner.is_ready"][0] == (
        "Return whether *a* is greater than 0 and *b* is None."
    )


def test_sentinels_updates_and_counts() -> None:
    source = """
        class Sentinel(type): ...

        class NEED_DATA(Sentinel): ...

        class Bidict:
            def update(self, arg) -> None:
                self._update(arg, 1)

        class Stdin:
            def read(self, n: int = -1) -> bytes:
                data = self._input.read(n)
                return self._echo(data)
    """
    found = drafts(source)
    # Its name and base are all it is: an empty body says so (not "The
    # ``NEED_DATA`` class: a subclass of a ``Sentinel``.", the signature again).
    assert found["NEED_DATA"][0] == "A subclass of a ``Sentinel``; its body is empty."
    assert found["Bidict.update"][0] == (
        "Update the bidict with *arg*: call ``self._update(arg, 1)``."
    )
    # A local used once is read through: what is returned, from what.
    assert found["Stdin.read"][0] == (
        "Read the stdin: return ``self._echo(self._input.read(n))``."
    )


def test_a_few_calls_in_a_row_are_the_summary() -> None:
    source = """
        class Source:
            def reset(self):
                self.inc()
                self.mark()

            def inc(self): ...

            def mark(self): ...
    """
    assert summary(source, "Source.reset") == (
        "Reset the source: call ``self.inc()`` and ``self.mark()``, in that order."
    )


def test_a_local_used_in_a_comprehension_is_not_read_through() -> None:
    source = """
        def total_cost(items) -> int:
            rate = load_rate()
            return sum(rate * i for i in items)
    """
    assert "load_rate" not in summary(source, "total_cost")


def test_a_call_to_a_name_from_elsewhere_takes_no_docstring() -> None:
    other = analyze_source(
        'def parse(text):\n    """Parse something else entirely."""\n    return 1\n',
        module="other",
    )
    mine = analyze_source(
        "from json import loads as parse\n\ndef loads(text):\n    return parse(text)\n",
        module="m",
    )
    related = {i.qualname: i for i in [*other, *mine]}
    loads = next(i for i in mine if i.name == "loads")
    # ``parse`` here is json's, not other.parse: no borrowed sentence.
    assert "something else" not in offline_draft(loads, related).summary


def test_a_stored_parameter_gets_the_authors_comment_on_its_attribute() -> None:
    source = """
        class BadHeader(Exception):
            def __init__(self, message, header=None, error=None):
                super().__init__(message)
                #: If the header is available but malformed it is kept
                #: here. This might be ``None``.
                self.header = header
                #: The :class:`Error` that made it invalid.
                self.error = error
    """
    infos = analyze_source(textwrap.dedent(source), module="m")
    info = next(i for i in infos if i.qualname == "m.BadHeader")
    params = dict(offline_draft(info).params)
    # The first sentence of the author's words, after what the code does.
    assert params["header"] == (
        "Stored as ``header``. If the header is available but malformed it is "
        "kept here."
    )
    # Markup of the author's (a role) is not carried into generated text.
    assert params["error"] == "Stored as ``error``."


def test_a_callee_sentence_with_markup_is_not_quoted() -> None:
    source = '''
        def _render(rows):
            """Join *rows* as :func:`table` does."""
            return "\\n".join(rows)

        def _plain(rows):
            """Join the rows with newlines."""
            return "\\n".join(rows)

        def show(rows):
            return _render(rows)

        def dump(rows):
            return _plain(rows)
    '''
    # A role of the author's may not resolve where the wrapper is shown.
    assert "table" not in summary(source, "show")
    assert (
        summary(source, "dump") == "Join the rows with newlines (through ``_plain``)."
    )


def test_a_try_that_returns_true_or_false_says_what_it_tries() -> None:
    source = """
        class Signer:
            def validate(self, signed_value) -> bool:
                try:
                    self.unsign(signed_value)
                    return True
                except BadSignature:
                    return False
    """
    assert summary(source, "Signer.validate") == (
        "Validate *signed_value*: return ``True`` if ``self.unsign(signed_value)``"
        " raises no ``BadSignature``, else ``False``."
    )


def test_a_named_tuple_names_its_fields() -> None:
    source = """
        import typing as t

        class OnDup(t.NamedTuple):
            key: str = "raise"
            val: str = "raise"
    """
    assert "a named tuple with the fields ``key`` and ``val``" in summary(
        source, "OnDup"
    )


def test_each_batch_names_the_subclasses_of_its_own_records() -> None:
    """The subclasses index is the batch's: a second batch is not read in the first's."""
    first = drafts(
        """
        class Key: ...

        class SingleKey(Key): ...
        """
    )
    second = drafts(
        """
        class Key: ...

        class DottedKey(Key): ...

        class BareKey(Key): ...
        """
    )
    assert first["Key"][0] == "A key: the base class of ``SingleKey``."
    assert second["Key"][0] == "A key: the base class of ``BareKey`` and ``DottedKey``."
