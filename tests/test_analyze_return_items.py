"""Return types from what a function adds to containers and standard objects.

Issue 16: element types of containers a function builds with ``extend``
or ``update`` of any iterable whose items are proven, displays with
``*iterable``, locals a loop rebinds from themselves, a few
standard-library objects whose results are fixed (``os.system``,
``subprocess.Popen.wait``, the tokens of a ``shlex.shlex``, methods a
project class gets from ``str`` or ``datetime``), and project functions a
function imports itself. Each case is a small package analysed as
``aidoc generate`` does; the assertions read the return type a user
would see.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import returned_types as _returns


def test_extend_with_a_comprehension_or_a_typed_list(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        class Item:
            def __init__(self, name):
                self.name = name


        def generated(names):
            out = []
            out.extend(Item(n) for n in names)
            return out

        def from_words(value):
            text = str(value)
            out = []
            out.extend(text.split())
            out += text.splitlines()
            return out

        def from_a_set(value):
            text = str(value)
            seen = set()
            seen.update(text.split(), [len(text)])
            return seen

        def from_unknown(values):
            out = []
            out.extend(values)
            return out
        """,
    )
    assert found["generated"] == "list[~pkg.mod.Item]"
    assert found["from_words"] == "list[str]"
    assert found["from_a_set"] == "set[int | str]"
    # the items of a parameter of unknown type are unknown: the bare kind only
    assert found["from_unknown"] in (None, "list")


def test_standard_objects_with_fixed_results(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import os
        import subprocess
        from datetime import datetime


        def tokens(text):
            import shlex
            lex = shlex.shlex(text, posix=True)
            out = []
            for token in lex:
                out.append(token)
            out.append(lex.token)
            return out

        def run(args, wait):
            if wait:
                return subprocess.Popen(args).wait()
            return os.system(" ".join(args))

        def first_bytes(fd):
            return os.read(fd, 32).decode("utf-8", "replace")

        def stamp():
            return datetime(2020, 1, 1).isoformat()

        def lines(data):
            buffer = bytearray(data)
            if not buffer:
                return []
            found = buffer.split(b"\\n")
            del found[-1:]
            return found
        """,
    )
    assert found["tokens"] == "list[str]"
    assert found["run"] == "int"
    assert found["first_bytes"] == "str"
    assert found["stamp"] == "str"
    assert found["lines"] == "list[bytearray]"


def test_a_function_importing_a_project_function_itself(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import os


        def width():
            return os.system("tput cols")

        def columns():
            from .mod import width as measure
            return measure()
        """,
    )
    assert found["columns"] == "int"


def test_a_project_class_deriving_from_str_indexes_as_str(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        class Source(str):
            def __init__(self, text):
                self.start = 0
                self.end = 0

            def extract(self):
                return self[self.start:self.end]

            def shout(self):
                return self.upper()


        class Items(str):
            def __getitem__(self, index):
                return len(self)

            def extract(self):
                return self[0:1]
        """,
    )
    assert found["Source.extract"] == "str"
    assert found["Source.shout"] == "str"
    # its own __getitem__ decides: not claimed as str
    assert found["Items.extract"] != "str"


def test_a_local_a_loop_rebinds_from_itself(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import os


        def joined(names):
            rv = ""
            for name in names:
                rv = rv + str(name)
            return rv

        def trimmed(lines):
            text = os.getcwd()
            for line in lines:
                text = text.strip().replace("a", "b")
            return text

        def widened(values):
            total = 0
            for value in values:
                total = total / 2
            return total

        def unknown(values, start):
            rv = start
            for value in values:
                rv = rv + value
            return rv
        """,
    )
    assert found["joined"] == "str"
    assert found["trimmed"] == "str"
    assert found["widened"] == "float | int"  # the rounds add what each gives
    assert found["unknown"] is None


def test_a_method_a_project_class_gets_from_datetime(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        from datetime import datetime


        class Stamp(datetime):
            def text(self):
                return self.isoformat()


        class Own(datetime):
            def isoformat(self):
                return 1

            def text(self):
                return self.isoformat()
        """,
    )
    assert found["Stamp.text"] == "str"
    assert found["Own.text"] == "int"


def test_unpacked_displays_none_receivers_and_abstract_iterables(
    tmp_path: Path,
) -> None:
    found = _returns(
        tmp_path,
        """
        import os
        from collections.abc import Sequence


        class Option:
            def __init__(self, name=None):
                self.name = name

            def upper_name(self):
                return self.name.upper()


        def make():
            return Option("a")


        def names():
            words = os.getcwd().split()
            return [*words, os.getcwd()]

        def spread():
            words = os.getcwd().split()
            return (*words, 1)

        def shouted(options: Sequence[str]):
            return [option.upper() for option in options]
        """,
    )
    assert found["names"] == "list[str]"
    assert found["spread"] == "tuple[int | str, ...]"
    assert found["shouted"] == "list[str]"
    # None has no ``upper``: a call that returns was on the str
    assert found["Option.upper_name"] == "str"


def test_standard_streams_and_io_annotations(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import sys
        import typing as t


        def interactive():
            return sys.stdin.isatty()

        def emit(text):
            return sys.stderr.write(str(text))

        def chunk(stream: t.BinaryIO):
            return stream.read(10)
        """,
    )
    assert found["interactive"] == "bool"
    assert found["emit"] == "int"
    assert found["chunk"] == "bytes"


def test_items_added_to_a_local_after_it_is_bound(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import os


        def mixed():
            rv = [os.getcwd()]
            rv.append(os.getpid())
            return rv

        def keyed():
            table = {os.getcwd(): 1}
            table[os.getpid()] = os.getcwd()
            return table

        def handed_on(fill):
            rv = [os.getcwd()]
            rv.append(os.getcwd())
            fill(rv)
            return rv
        """,
    )
    assert found["mixed"] == "list[int | str]"
    assert found["keyed"] == "dict[int | str, int | str]"
    # passed to a call that may add anything: the element types are unknown
    assert found["handed_on"] in (None, "list")


def test_encodings_digests_and_compression_of_the_standard_library(
    tmp_path: Path,
) -> None:
    found = _returns(
        tmp_path,
        """
        import base64
        import hmac
        import zlib
        from binascii import hexlify


        def encode(data):
            return base64.urlsafe_b64encode(data).rstrip(b"=")

        def sign(key, value):
            mac = hmac.new(key, value, "sha256")
            return mac.digest()

        def verify(key, value, sig):
            return hmac.compare_digest(sig, sign(key, value))

        def packed(data):
            return hexlify(zlib.compress(data)).decode("ascii")

        def checksum(data):
            return zlib.crc32(data)
        """,
    )
    assert found["encode"] == "bytes"
    assert found["sign"] == "bytes"
    assert found["verify"] == "bool"
    assert found["packed"] == "str"
    assert found["checksum"] == "int"


def test_values_standard_modules_hold(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import string
        import sys


        def interpreter():
            return sys.implementation.name

        def alphabet():
            return string.ascii_letters + string.digits
        """,
    )
    assert found["interpreter"] == "str"
    assert found["alphabet"] == "str"


def test_an_annotated_module_global_holds_its_annotation(tmp_path: Path) -> None:
    # The author's annotation holds whatever the code adds later; without
    # one, a container added to elsewhere keeps only its kind.
    found = _returns(
        tmp_path,
        """
        SHORT: dict[str, str] = {}
        LOOSE = {}


        def register(name, short):
            SHORT[name] = short
            LOOSE[name] = short

        def short_name(name):
            return SHORT.get(name) or "?"

        def loose(name):
            return LOOSE.get(name)
        """,
    )
    assert found["short_name"] == "str"
    assert found["loose"] is None


def test_a_dict_filled_from_its_own_items(tmp_path: Path) -> None:
    """``counts[k] = counts.get(k, 0) + 1``: a fixed point from the default."""
    found = _returns(
        tmp_path,
        """
        def counts():
            found = {}
            for word in ["a", "b", "a"]:
                found[word] = found.get(word, 0) + 1
            return found

        def widths():
            sizes = {}
            for row in [["a", "bc"]]:
                for index, cell in enumerate(row):
                    sizes[index] = max(sizes.get(index, 0), len(cell))
            return tuple(size for _, size in sorted(sizes.items()))

        def halves():
            seen = {}
            for word in ["a", "b"]:
                seen[word] = seen.get(word, 0) + 0.5
            return seen

        def unknown(other):
            seen = {}
            for word in ["a", "b"]:
                seen[word] = seen.get(word, other)
            return seen
        """,
    )
    assert found["counts"] == "dict[str, int]"
    assert found["widths"] == "tuple[int, ...]"
    # what is stored is always ``int + float`` or ``float + float``: the
    # default's int is read, never stored
    assert found["halves"] == "dict[str, float]"
    assert found["unknown"] == "dict"  # its items: a parameter of unknown type


def test_a_dict_of_lists_grouped_by_setdefault(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        def grouped():
            groups = {}
            for word in ["ab", "cd"]:
                groups.setdefault(word[0], []).append(len(word))
            return groups

        def sizes():
            seen = {}
            for word in ["ab", "cd"]:
                seen.setdefault(word, 0)
            return seen

        def aliased():
            groups = {}
            for word in ["ab", "cd"]:
                bucket = groups.setdefault(word[0], [])
                bucket.append(word)
            return groups
        """,
    )
    assert found["grouped"] == "dict[str, list[int]]"
    assert found["sizes"] == "dict[str, int]"
    # the new list kept in a local may get anything: not claimed
    assert found["aliased"] == "dict"


def test_calling_a_parameter_that_holds_project_classes(tmp_path: Path) -> None:
    """A factory of exceptions (tomlkit's ``parse_error``): what its calls pass."""
    found = _returns(
        tmp_path,
        """
        class ParseError(Exception):
            pass

        class EofError(ParseError):
            pass

        class CharError(ParseError):
            pass

        class Source:
            def parse_error(self, exception=ParseError, *args):
                return exception(*args)

        class Parser:
            def __init__(self):
                self.source = Source()

            def fail(self, last):
                if last:
                    raise self.source.parse_error(EofError)
                raise self.source.parse_error(CharError, "x")

            def other(self):
                raise self.source.parse_error()
        """,
    )
    assert found["Source.parse_error"] == "~pkg.mod.ParseError"


def test_the_alternate_constructors_of_datetime(tmp_path: Path) -> None:
    found = _returns(
        tmp_path,
        """
        import datetime as dt
        from datetime import date, datetime, timezone

        def stamped(ts):
            return datetime.fromtimestamp(ts, tz=timezone.utc)

        def parsed(text):
            return dt.datetime.strptime(text, "%Y-%m-%d")

        def today():
            return date.today()
        """,
    )
    assert found["stamped"] == "datetime.datetime"
    assert found["parsed"] == "datetime.datetime"
    assert found["today"] == "datetime.date"
