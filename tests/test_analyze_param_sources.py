"""Parameter types from call sites (issue 16): classes passed, local helpers.

Each case is a small package on disk (with tests as extra call sites where
given), analysed as ``aidoc generate`` does, and asserts the type stated
for a parameter without a default.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import analyse_module

_SENTINELS = """
    class Sentinel(type):
        pass

    class CLIENT(Sentinel, metaclass=Sentinel):
        pass

    class SERVER(Sentinel, metaclass=Sentinel):
        pass

    class State:
        def process(self, role):
            return role
"""


def _sentinels(body: str) -> str:
    return _SENTINELS + body


def _param(
    tmp_path: Path,
    source: str,
    qualname: str,
    name: str,
    tests: dict[str, str] | None = None,
) -> str | None:
    info = analyse_module(tmp_path, source, tests)[qualname]
    return next(p.type for p in info.params if p.name == name)


def test_a_class_passed_as_a_value_is_typed_as_its_class_object(
    tmp_path: Path,
) -> None:
    source = _sentinels("""
    def main():
        State().process(CLIENT)
    """)
    assert _param(tmp_path, source, "State.process", "role") == "type[~pkg.mod.CLIENT]"


def test_sibling_classes_passed_join_into_their_common_base_class_object(
    tmp_path: Path,
) -> None:
    # The tests name the classes through the module (``mod.SERVER``) too.
    tests = {
        "test_state.py": """
            from pkg import mod

            def test_process():
                mod.State().process(mod.SERVER)
        """
    }
    source = _sentinels("""
    def main():
        State().process(CLIENT)
    """)
    found = _param(tmp_path, source, "State.process", "role", tests)
    assert found == "type[~pkg.mod.Sentinel]"


def test_a_class_name_the_module_binds_twice_is_no_class_object(
    tmp_path: Path,
) -> None:
    source = _sentinels("""
    if len(__name__) > 3:
        CLIENT = SERVER

    def main():
        State().process(CLIENT)
    """)
    assert _param(tmp_path, source, "State.process", "role") is None


def test_a_nested_helper_called_only_by_name_takes_what_its_calls_pass(
    tmp_path: Path,
) -> None:
    source = """
        class Connection:
            def __init__(self, role):
                self.role = role

        def scenario():
            def connect(port):
                return Connection(port)

            connect(80)
            connect(443)
    """
    assert _param(tmp_path, source, "Connection", "role") == "int"


def test_a_nested_helper_whose_name_escapes_leaves_its_callees_untyped(
    tmp_path: Path,
) -> None:
    source = """
        class Connection:
            def __init__(self, role):
                self.role = role

        def register(callback):
            return callback

        def scenario():
            def connect(port):
                return Connection(port)

            connect(80)
            register(connect)
    """
    assert _param(tmp_path, source, "Connection", "role") is None


def test_a_call_through_a_builtin_class_reaches_no_project_method(
    tmp_path: Path,
) -> None:
    # ``Exception.__init__(self, message)`` is the builtin's ``__init__``:
    # it does not leave every project ``__init__`` open.
    source = """
        class ProtocolError(Exception):
            def __init__(self, message):
                Exception.__init__(self, message)

        class Connection:
            def __init__(self, role):
                self.role = role

        def main():
            Connection("client")
            ProtocolError("bad")
    """
    assert _param(tmp_path, source, "Connection", "role") == "str"


def test_super_through_project_bases_without_the_method_reaches_no_project_code(
    tmp_path: Path,
) -> None:
    # ``Event`` defines no ``__init__``: ``super().__init__()`` in a subclass
    # reaches ``object``'s, not every project ``__init__``.
    source = """
        class Event:
            pass

        class Request(Event):
            def __init__(self, method):
                super().__init__()
                self.method = method

        class Connection:
            def __init__(self, role):
                self.role = role

        def main():
            Connection("client")
            Request("GET")
    """
    assert _param(tmp_path, source, "Connection", "role") == "str"


def test_a_nested_function_reads_what_the_function_around_it_binds(
    tmp_path: Path,
) -> None:
    # ``port`` is the loop's item when ``connect`` runs: an ``int``.
    source = """
        class Connection:
            def __init__(self, port):
                self.port = port

        def scenario(run):
            for port in [80, 443]:
                def connect():
                    return Connection(port)

                run(connect)
    """
    assert _param(tmp_path, source, "Connection", "port") == "int"


def test_a_nested_function_of_a_test_reads_what_the_test_binds(
    tmp_path: Path,
) -> None:
    tests = {
        "test_conn.py": """
            from pkg.mod import Connection

            def test_ports():
                for port in ["80", "443"]:
                    def setup():
                        return Connection(port)

                    setup()
        """
    }
    source = """
        class Connection:
            def __init__(self, port):
                self.port = port
    """
    assert _param(tmp_path, source, "Connection", "port", tests) == "str"


def test_a_name_a_nested_function_declares_nonlocal_is_not_read_through(
    tmp_path: Path,
) -> None:
    source = """
        class Connection:
            def __init__(self, port):
                self.port = port

        def scenario(run, other):
            port = 80

            def rebind():
                nonlocal port
                port = other

            def connect():
                return Connection(port)

            run(rebind)
            run(connect)
    """
    assert _param(tmp_path, source, "Connection", "port") is None


def test_a_test_parametrized_with_written_rows_passes_their_values(
    tmp_path: Path,
) -> None:
    tests = {
        "test_split.py": """
            import pytest
            from pkg.mod import split

            @pytest.mark.parametrize(("text", "expect"), [
                ("a b", ["a", "b"]),
                pytest.param("c", ["c"], id="one"),
            ])
            def test_split(text, expect):
                assert split(text) == expect
        """
    }
    source = """
        def split(text):
            return text.split()
    """
    assert _param(tmp_path, source, "split", "text", tests) == "str"


def test_an_indirect_parametrization_passes_nothing_known(tmp_path: Path) -> None:
    tests = {
        "test_split.py": """
            import pytest
            from pkg.mod import split

            @pytest.mark.parametrize("text", ["a b"], indirect=True)
            def test_split(text):
                assert split(text)
        """
    }
    source = """
        def split(text):
            return text.split()
    """
    assert _param(tmp_path, source, "split", "text", tests) is None


def test_a_parametrized_test_of_the_package_is_typed_by_its_rows(
    tmp_path: Path,
) -> None:
    source = """
        import pytest

        @pytest.mark.parametrize("data", [b"\\x00", b" "])
        def test_rejects(data):
            assert data
    """
    assert _param(tmp_path, source, "test_rejects", "data") == "bytes"


def test_unpacking_a_call_takes_the_element_its_returns_write_there(
    tmp_path: Path,
) -> None:
    # The second element is of unknown type, so the call's return type is
    # a bare ``tuple``; the first is a ``str`` in every ``return``.
    source = """
        def split(record):
            if record.kind:
                return "named", record.payload
            return "plain", record.payload

        def show(label):
            return label

        def main(record):
            label, payload = split(record)
            show(label)
    """
    assert _param(tmp_path, source, "show", "label") == "str"


def test_unpacking_a_call_that_returns_a_name_is_unknown(tmp_path: Path) -> None:
    source = """
        def split(record):
            if record.kind:
                return "named", record.payload
            return record.pair

        def show(label):
            return label

        def main(record):
            label, payload = split(record)
            show(label)
    """
    assert _param(tmp_path, source, "show", "label") is None


def test_a_parameter_passed_on_inside_an_isinstance_check_passes_the_checked_type(
    tmp_path: Path,
) -> None:
    """Tomlkit's ``item(value)``: ``Integer(value, ...)`` under ``isinstance(value, int)``."""
    found = analyse_module(
        tmp_path,
        """
        class Integer:
            def __init__(self, value, raw):
                self.value = value
                self.raw = raw

        class Text:
            def __init__(self, value):
                self.value = value

        def item(value):
            if isinstance(value, bool):
                return None
            if isinstance(value, int):
                return Integer(value, str(value))
            return Text(value)

        def parse(raw):
            return item(int(raw))
        """,
    )
    params = {p.name: p.type for p in found["Integer"].params if p.name != "self"}
    assert params == {"value": "int", "raw": "str"}
    # passed on without a check: what ``item``'s own calls pass, not known
    assert [p.type for p in found["Text"].params if p.name != "self"] == [None]
