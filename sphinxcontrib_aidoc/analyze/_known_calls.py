"""What well-known standard-library calls return: a small table, exact only.

The project-wide pass (:mod:`._project`) asks :func:`known_call_types`,
which reads the call's :mod:`ast` node and answers from two tables:

* :func:`method_result`: the type a method of a ``str``, ``bytes`` or
  ``bytearray`` value
  (or of a pattern ``re.compile`` made) returns (``text.strip()`` is
  ``str`` when ``text`` is proven a ``str``);
  asked only once the receiver's type is proven, and only for methods whose
  result type the receiver's type fixes whatever the arguments (an
  instance of a project class deriving from ``str`` that does not define
  the method counts as a ``str``: :func:`~._library_bases.text_base`);
* :func:`function_result`: the type a standard-library function returns,
  by its full dotted name as the module imports it (``os.path.join`` or
  ``join`` from ``from os.path import join``), given the types of its
  arguments when the result depends on them (``os.path.join`` of ``str``
  values is a ``str``, of ``bytes`` a ``bytes``).

Every entry is what CPython's documentation and typeshed state for every
argument of the accepted types; functions whose result depends on more
than that (``json.loads``, ``re.match``) are left out.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sphinxcontrib_aidoc.analyze._index import Scope, imported
from sphinxcontrib_aidoc.analyze._library_bases import text_base
from sphinxcontrib_aidoc.analyze._stdlib_objects import (
    MODULE_VALUES,
    OBJECT_METHODS,
)
from sphinxcontrib_aidoc.analyze._stub_calls import stub_arguments, stub_function_types
from sphinxcontrib_aidoc.analyze._stubs import every_return
from sphinxcontrib_aidoc.analyze._stubs import module_value as stub_module_value
from sphinxcontrib_aidoc.analyze._type_rules import split_union

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.analyze._frame import Frame
    from sphinxcontrib_aidoc.analyze._project import Solver

#: ``str`` methods, by the type they return whatever the arguments.
_STR_METHODS: dict[str, str] = {
    **dict.fromkeys(
        (
            "capitalize",
            "casefold",
            "center",
            "expandtabs",
            "format",
            "format_map",
            "join",
            "ljust",
            "lower",
            "lstrip",
            "removeprefix",
            "removesuffix",
            "replace",
            "rjust",
            "rstrip",
            "strip",
            "swapcase",
            "title",
            "translate",
            "upper",
            "zfill",
        ),
        "str",
    ),
    **dict.fromkeys(
        (
            "endswith",
            "isalnum",
            "isalpha",
            "isascii",
            "isdecimal",
            "isdigit",
            "isidentifier",
            "islower",
            "isnumeric",
            "isprintable",
            "isspace",
            "istitle",
            "isupper",
            "startswith",
        ),
        "bool",
    ),
    **dict.fromkeys(("count", "find", "index", "rfind", "rindex"), "int"),
    **dict.fromkeys(("split", "rsplit", "splitlines"), "list[str]"),
    **dict.fromkeys(("partition", "rpartition"), "tuple[str, str, str]"),
    "encode": "bytes",
}
#: ``str`` tests that ``bytes`` does not have.
_STR_ONLY_TESTS = frozenset({"isdecimal", "isidentifier", "isnumeric", "isprintable"})
#: ``bytes`` methods, by the type they return whatever the arguments.
_BYTES_METHODS: dict[str, str] = {
    **{
        name: "bytes"
        for name, result in _STR_METHODS.items()
        if result == "str" and name not in ("casefold", "format", "format_map")
    },
    **{
        name: result
        for name, result in _STR_METHODS.items()
        if result in ("bool", "int") and name not in _STR_ONLY_TESTS
    },
    **dict.fromkeys(("split", "rsplit", "splitlines"), "list[bytes]"),
    **dict.fromkeys(("partition", "rpartition"), "tuple[bytes, bytes, bytes]"),
    "decode": "str",
    "hex": "str",
}
#: ``bytearray`` methods: a ``bytes`` method's result, with ``bytearray``
#: for ``bytes`` (``bytearray.strip()`` is a ``bytearray``).
_BYTEARRAY_METHODS: dict[str, str] = {
    name: result.replace("bytes", "bytearray")
    for name, result in _BYTES_METHODS.items()
}
#: Methods of a compiled pattern of ``str`` (``re.Pattern[str]``).
_PATTERN_METHODS: dict[str, str] = {
    "sub": "str",
    "subn": "tuple[str, int]",
    "match": "re.Match[str] | None",
    "search": "re.Match[str] | None",
    "fullmatch": "re.Match[str] | None",
}
_METHODS = {
    **OBJECT_METHODS,
    "str": _STR_METHODS,
    "bytes": _BYTES_METHODS,
    "bytearray": _BYTEARRAY_METHODS,
    "re.Pattern[str]": _PATTERN_METHODS,
    "re.Pattern[bytes]": {
        name: result.replace("str", "bytes")
        for name, result in _PATTERN_METHODS.items()
    },
}
#: How an annotation may spell ``typing.TextIO``/``typing.BinaryIO``.
_IO_SPELLINGS = {
    f"{prefix}{name}": f"typing.{name}"
    for prefix in ("", "t.", "typing.")
    for name in ("TextIO", "BinaryIO")
}
#: Method names any table knows (a cheap first test before typing a receiver).
METHOD_NAMES = frozenset(name for table in _METHODS.values() for name in table)

#: Functions whose result type is fixed whatever the arguments.
_FIXED: dict[str, str] = {
    **dict.fromkeys(
        (
            "os.path.exists",
            "os.path.lexists",
            "os.path.isabs",
            "os.path.isdir",
            "os.path.isfile",
            "os.path.islink",
            "os.path.ismount",
            "os.path.samefile",
            "os.isatty",
            "os.access",
        ),
        "bool",
    ),
    **dict.fromkeys(
        (
            "os.getcwd",
            "json.dumps",
            "sys.getfilesystemencoding",
            "sys.getdefaultencoding",
            "platform.system",
            "textwrap.dedent",
            "textwrap.indent",
            "textwrap.fill",
            "textwrap.shorten",
            "unicodedata.normalize",
            "shlex.quote",
            "shlex.join",
            "html.escape",
            "html.unescape",
            "inspect.cleandoc",
            "getpass.getpass",
            "getpass.getuser",
            "locale.getpreferredencoding",
            "gettext.gettext",
            "gettext.ngettext",
            "gettext.pgettext",
            "gettext.npgettext",
        ),
        "str",
    ),
    **dict.fromkeys(("os.getpid", "os.system", "time.time_ns"), "int"),
    **dict.fromkeys(
        ("time.time", "time.monotonic", "time.perf_counter", "os.path.getmtime"),
        "float",
    ),
    # encodings, digests and compression: bytes whatever bytes-like they take
    **dict.fromkeys(
        (
            *(
                f"base64.{name}"
                for name in (
                    "b64encode",
                    "b64decode",
                    "urlsafe_b64encode",
                    "urlsafe_b64decode",
                    "standard_b64encode",
                    "standard_b64decode",
                    "b32encode",
                    "b32decode",
                    "b16encode",
                    "b16decode",
                    "b85encode",
                    "b85decode",
                    "a85encode",
                    "a85decode",
                    "encodebytes",
                    "decodebytes",
                )
            ),
            *(
                f"binascii.{name}"
                for name in (
                    "hexlify",
                    "unhexlify",
                    "b2a_hex",
                    "a2b_hex",
                    "b2a_base64",
                    "a2b_base64",
                )
            ),
            *(
                f"{module}.{name}"
                for module in ("zlib", "gzip", "bz2", "lzma")
                for name in ("compress", "decompress")
            ),
            "struct.pack",
            "hmac.digest",
            "secrets.token_bytes",
        ),
        "bytes",
    ),
    **dict.fromkeys(
        ("zlib.crc32", "zlib.adler32", "binascii.crc32", "struct.calcsize"), "int"
    ),
    **dict.fromkeys(
        (
            "hmac.compare_digest",
            "secrets.compare_digest",
            "fnmatch.fnmatch",
            "fnmatch.fnmatchcase",
            "keyword.iskeyword",
            "math.isclose",
            "math.isnan",
            "math.isinf",
            "math.isfinite",
        ),
        "bool",
    ),
    **dict.fromkeys(
        (
            "secrets.token_hex",
            "secrets.token_urlsafe",
            "fnmatch.translate",
            "string.capwords",
            "urllib.parse.quote",
            "urllib.parse.quote_plus",
            "urllib.parse.urlencode",
            "platform.machine",
            "platform.node",
            "platform.platform",
            "platform.python_version",
            "platform.release",
            "socket.gethostname",
            "tempfile.gettempdir",
            "time.strftime",
        ),
        "str",
    ),
    "hmac.new": "hmac.HMAC",
    "os.fsdecode": "str",
    "os.fsencode": "bytes",
    "os.getcwdb": "bytes",
    "os.read": "bytes",
    "os.urandom": "bytes",
    "shlex.split": "list[str]",
    "textwrap.wrap": "list[str]",
    "os.path.getsize": "int",
    "shutil.which": "str | None",
    **dict.fromkeys(
        ("shutil.get_terminal_size", "os.get_terminal_size"), "os.terminal_size"
    ),
    # The alternate constructors of ``datetime`` classes, called on the
    # class itself (a subclass's call names the subclass, not these).
    **dict.fromkeys(
        (
            "datetime.datetime.now",
            "datetime.datetime.utcnow",
            "datetime.datetime.today",
            "datetime.datetime.fromtimestamp",
            "datetime.datetime.utcfromtimestamp",
            "datetime.datetime.fromisoformat",
            "datetime.datetime.strptime",
            "datetime.datetime.combine",
        ),
        "datetime.datetime",
    ),
    **dict.fromkeys(
        (
            "datetime.date.today",
            "datetime.date.fromtimestamp",
            "datetime.date.fromisoformat",
            "datetime.date.fromordinal",
        ),
        "datetime.date",
    ),
}
#: Functions that return the type of their first argument (``str`` or ``bytes``).
_SAME_AS_FIRST = frozenset(
    {
        "os.path.abspath",
        "os.path.basename",
        "os.path.dirname",
        "os.path.expanduser",
        "os.path.expandvars",
        "os.path.join",
        "os.path.normcase",
        "os.path.normpath",
        "os.path.realpath",
        "re.escape",
    }
)
#: Functions that return a compiled pattern of their first argument's type.
_COMPILE = frozenset({"re.compile"})
_PATH_TYPES = frozenset({"str", "bytes"})
#: Functions that read an environment variable: ``str``, or ``None`` when it
#: is not set and no default (or a ``None`` one) is given.
_ENVIRONMENT = frozenset({"os.getenv", "os.environ.get"})
#: Functions whose result is their first argument's copy: the same type.
_SAME_OBJECT = frozenset({"copy.copy", "copy.deepcopy"})
#: Standard-library classes whose call gives an instance of exactly that class.
_CLASSES = frozenset(
    {
        "datetime.date",
        "datetime.datetime",
        "datetime.time",
        "datetime.timedelta",
        "decimal.Decimal",
        "fractions.Fraction",
        "io.BytesIO",
        "io.StringIO",
        "pathlib.Path",
        "pathlib.PurePath",
        "shlex.shlex",
        "subprocess.Popen",
        "uuid.UUID",
    }
)


def method_result(receiver: Sequence[str], name: str) -> str | None:
    """The type ``value.name(...)`` returns when *value* has one of *receiver*.

    None unless every possible type of the receiver has a table (``str``,
    ``bytes``, a compiled pattern, :data:`._stdlib_objects.OBJECT_METHODS`)
    that fixes the method's result; several give the union.
    """
    found: list[str] = []
    for type_ in receiver:
        result = _METHODS.get(_IO_SPELLINGS.get(type_, type_), {}).get(name)
        if result is None:
            return None
        if result not in found:
            found.append(result)
    return " | ".join(found) if found else None


def function_result(dotted: str, first: Sequence[str] | None) -> str | None:
    """The type a call of the standard function *dotted* returns, or None.

    Args:
        dotted: The function's full name (``os.path.join``).
        first: The proven types of the first argument, or None if unknown.
    """
    fixed = _FIXED.get(dotted)
    if fixed is not None:
        return fixed
    if first and len(set(first)) == 1 and first[0] in _PATH_TYPES:
        if dotted in _SAME_AS_FIRST:
            return first[0]
        if dotted in _COMPILE:
            return f"re.Pattern[{first[0]}]"
    return None


def is_known_function(dotted: str) -> bool:
    """Whether :func:`function_result` (or :func:`known_call_types`) may know it."""
    return (
        dotted in _FIXED
        or dotted in _SAME_AS_FIRST
        or dotted in _COMPILE
        or dotted in _ENVIRONMENT
        or dotted in _SAME_OBJECT
        or dotted in _CLASSES
    )


def environment_result(defaults: Sequence[str] | None) -> str | None:
    """What ``os.getenv(name[, default])`` returns, given the default's types.

    Args:
        defaults: The proven types of the default argument; ``[]`` when
            none is passed; None when it is not proven.
    """
    if defaults is None:
        return None
    kept = [t for t in defaults if t != "None"]
    if any(t != "str" for t in kept):
        return None
    return "str" if defaults and "None" not in defaults else "str | None"


def known_call_types(solver: Solver, call: ast.Call, frame: Frame) -> list[str] | None:
    """The type *call* gives by the tables above, or None (not known here).

    A method of a value proven ``str``/``bytes``; a standard-library
    function named through the module's imports (never a project name, a
    local or a parameter).
    """
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in METHOD_NAMES:
        receiver = solver.types_of(func.value, frame, 1)
        if receiver and not hasattr(None, func.attr):  # ``None`` raises here
            receiver = [t for t in receiver if t != "None"]
        if receiver:  # a project class deriving from ``str``: its method
            receiver = [
                (text_base(solver.index, t[1:], func.attr) or t)
                if t.startswith("~")
                else t
                for t in receiver
            ]
        found = method_result(receiver, func.attr) if receiver else None
        if found is not None:
            return split_union(found)
    dotted = imported_name(solver, func, frame)
    if dotted is None:
        return None
    if not is_known_function(dotted):  # the rest of the standard library
        return stub_function_types(solver, dotted, call, frame)
    if dotted in _CLASSES:
        return [dotted]
    if any(isinstance(a, ast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords
    ):
        return None
    first = solver.types_of(call.args[0], frame, 1) if call.args else None
    if dotted in _SAME_OBJECT:
        return first if first and len(call.args) == 1 else None
    if dotted in _ENVIRONMENT:
        found = environment_result(_default_types(solver, call, frame))
    else:
        # what the arguments select, else what any call may give (the stub's)
        found = function_result(dotted, first) or every_return(
            dotted, stub_arguments(solver, call, frame, partial=True)
        )
    return None if found is None else split_union(found)


def _default_types(solver: Solver, call: ast.Call, frame: Frame) -> list[str] | None:
    """The proven types of ``os.getenv``'s default (``[]``: none passed)."""
    default = call.args[1] if len(call.args) > 1 else None
    for keyword in call.keywords:
        if keyword.arg == "default":
            default = keyword.value
        else:
            return None
    if len(call.args) > 2 or (len(call.args) > 1 and call.keywords):
        return None
    if default is None:
        return []
    return solver.types_of(default, frame, 1)


def module_value_types(
    solver: Solver, expr: ast.Attribute, frame: Frame
) -> list[str] | None:
    """The type of a standard-library module's value (``os.environ``), or None.

    The table's, else what typeshed's stub declares (``sys.argv``).
    """
    dotted = imported_name(solver, expr, frame)
    if dotted is None:
        return None
    found = MODULE_VALUES.get(dotted) or stub_module_value(dotted)
    return None if found is None else split_union(found)


def imported_name(solver: Solver, func: ast.expr, frame: Frame) -> str | None:
    """``os.path.join`` for ``os.path.join``/``path.join``/``join`` as imported."""
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name) or func.id in frame.local:
        return None
    if func.id in frame.params or func.id == frame.self_name:
        return None
    scope = solver.index.scopes.get(frame.module)
    origin = imported_here(frame, func.id, scope)
    if origin is None and scope is not None:
        origin = scope.names.get(func.id)
    if origin is None or origin.partition(".")[0] in solver.tops:
        return None
    return ".".join([origin, *reversed(parts)])


def imported_here(frame: Frame, name: str, scope: Scope | None) -> str | None:
    """What *name* stands for when the function itself imports it, else None.

    A name the function imports more than once (or under two origins)
    stands for nothing known.
    """
    if scope is None:
        return None
    origins = {
        found[name]
        for node in frame.own_imports()
        for found in (imported(scope, node),)
        if name in found
    }
    return origins.pop() if len(origins) == 1 else None
