"""Standard-library objects whose methods and attributes have fixed types.

A small, exact table for the project-wide pass (:mod:`._known_calls` reads
the methods, :mod:`._project` the attributes): a ``pathlib.Path``, a file
``open()`` gives, an ``io.StringIO``/``io.BytesIO``, ``sys.stdout`` and its
kin (``typing.TextIO``, as typeshed declares them), a ``datetime``, a
``subprocess.Popen`` (``wait()``), an ``hmac.HMAC`` (its digests), a
``shlex.shlex`` (its tokens, when
iterated, are ``str``). Each entry is what
CPython's documentation and typeshed state whatever the arguments.

``open()`` is known only with a literal mode (or none) and no
``buffering`` argument: text modes give an ``io.TextIOWrapper``; binary
modes an ``io.BufferedReader`` (``"rb"``), ``io.BufferedWriter``
(``"wb"``, ``"ab"``, ``"xb"``) or ``io.BufferedRandom`` (with ``+``).
"""

from __future__ import annotations

import ast

_PATH = "pathlib.Path"
_TEXT_FILE = "io.TextIOWrapper"
_BINARY_FILES = ("io.BufferedReader", "io.BufferedWriter", "io.BufferedRandom")

#: ``pathlib.Path`` methods, by the type they return.
_PATH_METHODS: dict[str, str] = {
    **dict.fromkeys(
        (
            "absolute",
            "expanduser",
            "joinpath",
            "relative_to",
            "resolve",
            "with_name",
            "with_stem",
            "with_suffix",
        ),
        _PATH,
    ),
    **dict.fromkeys(
        (
            "exists",
            "is_absolute",
            "is_dir",
            "is_file",
            "is_relative_to",
            "is_symlink",
            "match",
        ),
        "bool",
    ),
    **dict.fromkeys(("as_posix", "read_text"), "str"),
    **dict.fromkeys(("write_bytes", "write_text"), "int"),
    "read_bytes": "bytes",
}
#: ``pathlib.Path`` attributes (properties), by their type.
_PATH_ATTRIBUTES: dict[str, str] = {
    **dict.fromkeys(("name", "stem", "suffix", "anchor", "drive", "root"), "str"),
    "parent": _PATH,
    "parts": "tuple[str, ...]",
    "suffixes": "list[str]",
}
#: What every file object's methods give, text or binary.
_FILE_METHODS = {
    "isatty": "bool",
    "fileno": "int",
    "readable": "bool",
    "writable": "bool",
    "seekable": "bool",
    "tell": "int",
}
_TEXT_METHODS = {
    **_FILE_METHODS,
    "read": "str",
    "readline": "str",
    "readlines": "list[str]",
    "write": "int",
    "getvalue": "str",
}
_BINARY_METHODS = {
    **_FILE_METHODS,
    "read": "bytes",
    "readline": "bytes",
    "readlines": "list[bytes]",
    "write": "int",
    "getvalue": "bytes",
}
_DATE_METHODS = {
    "isoformat": "str",
    "strftime": "str",
    "ctime": "str",
    "weekday": "int",
    "isoweekday": "int",
}
#: Methods of these objects, by receiver type.
OBJECT_METHODS: dict[str, dict[str, str]] = {
    "datetime.date": _DATE_METHODS,
    "datetime.datetime": {**_DATE_METHODS, "timestamp": "float"},
    "datetime.time": {"isoformat": "str", "strftime": "str"},
    "subprocess.Popen": {"wait": "int", "poll": "int | None"},
    "hmac.HMAC": {"digest": "bytes", "hexdigest": "str", "copy": "hmac.HMAC"},
    # what ``sys.stdout`` and an annotation ``TextIO``/``BinaryIO`` name
    "typing.TextIO": {k: v for k, v in _TEXT_METHODS.items() if k != "getvalue"},
    "typing.BinaryIO": {k: v for k, v in _BINARY_METHODS.items() if k != "getvalue"},
    _PATH: _PATH_METHODS,
    _TEXT_FILE: {k: v for k, v in _TEXT_METHODS.items() if k != "getvalue"},
    "io.StringIO": _TEXT_METHODS,
    "io.BytesIO": _BINARY_METHODS,
    **{
        name: {k: v for k, v in _BINARY_METHODS.items() if k != "getvalue"}
        for name in _BINARY_FILES
    },
}
#: Attributes of these objects, by receiver type.
OBJECT_ATTRIBUTES: dict[str, dict[str, str]] = {
    _PATH: _PATH_ATTRIBUTES,
    "os.terminal_size": {"columns": "int", "lines": "int"},
    "shlex.shlex": {"token": "str", "commenters": "str", "whitespace": "str"},
}
#: The items iterating these objects gives, by the object's type.
OBJECT_ITEMS: dict[str, str] = {"shlex.shlex": "str"}
#: Values standard-library modules hold, by their full dotted name.
MODULE_VALUES: dict[str, str] = {
    "os.environ": "os._Environ[str]",
    "os.environb": "os._Environ[bytes]",
    **dict.fromkeys(
        (
            "os.sep",
            "os.linesep",
            "os.pathsep",
            "os.curdir",
            "os.pardir",
            "os.devnull",
            "os.name",
            "sys.platform",
            "sys.version",
            "sys.executable",
            "sys.implementation.name",
            "sys.byteorder",
            "sys.prefix",
            "sys.base_prefix",
            "sys.exec_prefix",
            "string.ascii_letters",
            "string.ascii_lowercase",
            "string.ascii_uppercase",
            "string.digits",
            "string.hexdigits",
            "string.punctuation",
            "string.whitespace",
        ),
        "str",
    ),
    "sys.hexversion": "int",
    "os.altsep": "str | None",
    **dict.fromkeys(("sys.stdin", "sys.stdout", "sys.stderr"), "typing.TextIO"),
    "sys.argv": "list[str]",
    "sys.path": "list[str]",
    "sys.maxsize": "int",
}
#: Attribute names any table knows (a cheap first test).
ATTRIBUTE_NAMES = frozenset(n for t in OBJECT_ATTRIBUTES.values() for n in t)
#: Objects whose ``__enter__`` returns the object itself (``with x as y``).
ENTER_SELF = frozenset({_TEXT_FILE, "io.StringIO", "io.BytesIO", *_BINARY_FILES})


def attribute_result(receiver: list[str], name: str) -> list[str] | None:
    """The types ``value.name`` has when *value* has one of *receiver*, or None."""
    found: list[str] = []
    for type_ in receiver:
        result = OBJECT_ATTRIBUTES.get(type_, {}).get(name)
        if result is None:
            return None
        if result not in found:
            found.append(result)
    return found or None


def path_operator(left: str, op: ast.operator, right: str) -> str | None:
    """``path / "name"`` (and ``"dir" / path``) is a ``pathlib.Path``."""
    if not isinstance(op, ast.Div):
        return None
    if (left == _PATH and right in ("str", _PATH)) or (
        left == "str" and right == _PATH
    ):
        return _PATH
    return None


def open_result(call: ast.Call) -> str | None:
    """The class a call of the builtin ``open`` returns, or None (see module doc)."""
    if not call.args or len(call.args) > 2:
        return None
    if any(
        k.arg not in ("mode", "encoding", "errors", "newline") for k in call.keywords
    ):
        return None
    mode_node = call.args[1] if len(call.args) == 2 else None
    for keyword in call.keywords:
        if keyword.arg == "mode":
            mode_node = keyword.value
    mode = "r"
    if mode_node is not None:
        if not isinstance(mode_node, ast.Constant) or not isinstance(
            mode_node.value, str
        ):
            return None
        mode = mode_node.value
    if "b" not in mode:
        return _TEXT_FILE
    if "+" in mode:
        return "io.BufferedRandom"
    return "io.BufferedReader" if "r" in mode else "io.BufferedWriter"
