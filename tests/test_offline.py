from __future__ import annotations

import random

import pytest

from sphinxcontrib_aidoc.generate._words import article, singular, split_name
from sphinxcontrib_aidoc.generate.offline import offline_draft, restates, worded
from sphinxcontrib_aidoc.model import ObjectInfo, Param, Returns, Yields
from sphinxcontrib_aidoc.styles import get_style, parse_docstring

SELF = Param("self")
CLS = Param("cls")


def obj(
    local: str,
    kind: str = "function",
    params: tuple[Param | str, ...] = (),
    returns: str | None = None,
    yields: str | None = None,
    raises: tuple[str, ...] = (),
    bases: tuple[str, ...] = (),
    source: str = "",
    is_async: bool = False,
) -> ObjectInfo:
    return ObjectInfo(
        qualname=f"pkg.mod.{local}",
        module="pkg.mod",
        kind=kind,
        file="pkg/mod.py",
        lineno=1,
        params=tuple(Param(p) if isinstance(p, str) else p for p in params),
        returns=Returns(returns) if returns is not None else None,
        yields=Yields(yields) if yields is not None else None,
        raises=raises,
        bases=bases,
        source=source,
        is_async=is_async,
    )


SUMMARIES = [
    (obj("get_user", params=("user_id",), returns="User"), "Return the user."),
    (
        obj("is_valid", params=("value",), returns="bool"),
        "Return whether *value* is valid.",
    ),
    (obj("has_children", returns="bool"), "Return whether it has children."),
    (
        obj("Node.has_children", "method", (SELF,), "bool"),
        "Return whether the node has children.",
    ),
    (
        obj("Connection.is_open", "method", (SELF,), "bool"),
        "Return whether the connection is open.",
    ),
    (
        obj("should_retry", params=("error",), returns="bool"),
        "Return whether to retry.",
    ),
    (
        obj("RateLimiter.to_dict", "method", (SELF,), "dict"),
        "Convert the rate limiter to a dict.",
    ),
    (obj("to_json", params=("obj",), returns="str"), "Convert *obj* to JSON."),
    (
        obj("Config.from_file", "classmethod", (CLS, "path"), "Config"),
        "Create a config from the file *path*.",
    ),
    (
        obj("RateLimiter.from_dict", "classmethod", (CLS, "data"), "RateLimiter"),
        "Create a rate limiter from the dict *data*.",
    ),
    (
        obj("load_config", params=("path",), returns="Config"),
        "Load the config from *path*.",
    ),
    (obj("save_config", params=("config", "path")), "Save the config to *path*."),
    (obj("write_report", params=("report",)), "Write the report."),
    (obj("dump_state"), "Dump the state."),
    (
        obj("parse_header", params=("text",), returns="Header"),
        "Parse the header from *text*.",
    ),
    (obj("parse_header", params=("header",), returns="Header"), "Parse the header."),
    (obj("read_file", params=("path",), returns="str"), "Read the file from *path*."),
    (obj("fetch_page", params=("url",), returns="str"), "Fetch the page."),
    (obj("find_user", params=("name",), returns="User | None"), "Find the user."),
    (obj("compute_total", params=("items",), returns="float"), "Compute the total."),
    (obj("calculate_tax", params=("amount",), returns="float"), "Calculate the tax."),
    (obj("make_parser", returns="Parser"), "Create a parser."),
    (obj("create_tables", params=("conn",)), "Create tables."),
    (obj("build_index", params=("docs",), returns="Index"), "Create an index."),
    (obj("Cache.update_entry", "method", (SELF, "key", "value")), "Update the entry."),
    (obj("Widget.set_title", "method", (SELF, "title")), "Set the title."),
    (obj("Registry.add_item", "method", (SELF, "item")), "Add an item."),
    (obj("Registry.remove_item", "method", (SELF, "item")), "Remove the item."),
    (obj("delete_user", params=("user_id",)), "Delete the user."),
    (obj("validate_email", params=("email",)), "Validate the email."),
    (obj("check_permissions", params=("user",)), "Check the permissions."),
    (obj("format_date", params=("date",), returns="str"), "Format the date."),
    (obj("render_template", params=("name",), returns="str"), "Render the template."),
    (obj("iter_lines", params=("path",), yields="str"), "Iterate over the lines."),
    (obj("lines", yields="str"), "Yield the lines."),
    (obj("Handler.handle_request", "method", (SELF, "request")), "Handle the request."),
    (obj("Widget.on_click", "method", (SELF, "event")), "Handle the click event."),
    (obj("Server.run", "method", (SELF,)), "Run the server."),
    (obj("Server.start", "method", (SELF, "port")), "Start the server."),
    (obj("Server.stop", "method", (SELF,)), "Stop the server."),
    (obj("Connection.close", "method", (SELF,)), "Close the connection."),
    (obj("open_session", returns="Session"), "Open the session."),
    (obj("Counter.reset", "method", (SELF,)), "Reset the counter."),
    (obj("Cache.clear", "method", (SELF,)), "Clear the cache."),
    (obj("parse", params=("text",), returns="Tree"), "Parse *text*."),
    (obj("setup"), "Set up."),
    (obj("main"), "Run the main entry point."),
    (obj("fetch_all", params=("urls",), returns="list[bytes]"), "Fetch all items."),
    (
        obj("url_for", params=("endpoint",), returns="str"),
        "Return the URL for *endpoint*.",
    ),
    (obj("getUserName", returns="str"), "Return the user name."),
    (
        obj("parseJSONFile", params=("path",), returns="dict"),
        "Parse the JSON file from *path*.",
    ),
    # A name that is no sentence and no code to read: only the name again.
    (obj("total_size", params=("paths",), returns="int"), "Return the total size."),
    (obj("job_worker", params=("queue",)), "Run the job worker."),
    (
        obj("fetch_page", params=("url",), returns="str", is_async=True),
        "Fetch the page.",
    ),
    (obj("RateLimiter.__call__", "method", (SELF, "func")), "Call the rate limiter."),
    (
        obj("RateLimiter.__init__", "method", (SELF, "rate")),
        "Initialize the rate limiter.",
    ),
    (
        obj("Point.__eq__", "method", (SELF, "other"), "bool"),
        "Return whether the point equals *other*.",
    ),
    (
        obj("Bag.__len__", "method", (SELF,), "int"),
        "Return the number of items in the bag.",
    ),
    (obj("Bag.__frob__", "method", (SELF,)), "Implement ``__frob__``."),
    # classes, exceptions, properties
    (obj("RateLimiter", "class"), "A rate limiter."),
    (obj("HTTPClient", "class"), "An HTTP client."),
    (obj("Settings", "class"), "Settings."),
    (obj("Color", "class", bases=("enum.Enum",)), "A color enumeration."),
    (obj("ParseError", "exception"), "Error raised for parse failures."),
    (obj("ValidationError", "exception"), "Error raised for validation failures."),
    (obj("ConfigError", "exception"), "Error raised for config problems."),
    (obj("NotFoundError", "exception"), "Error raised when something is not found."),
    (obj("InvalidTokenError", "exception"), "Error raised for an invalid token."),
    (obj("Error", "exception"), "Error raised by the pkg package."),
    (obj("Queue.size", "property", (SELF,), "int"), "The size."),
    (obj("Queue.max_size", "property", (SELF,), "int"), "The maximum size."),
    (obj("Queue.num_items", "property", (SELF,), "int"), "The number of items."),
    (obj("Queue.is_empty", "property", (SELF,), "bool"), "Whether the queue is empty."),
    (obj("Queue.get_name", "property", (SELF,), "str"), "The name."),
]


@pytest.mark.parametrize(
    ("info", "expected"), SUMMARIES, ids=[i.local_name + i.kind for i, _ in SUMMARIES]
)
def test_summary(info: ObjectInfo, expected: str) -> None:
    # The name's sentence; written only when it says more than the name.
    assert worded(info, {}) == expected
    draft = offline_draft(info)
    assert draft.summary == ("" if restates(info, expected) else expected)
    assert (draft.source, draft.provider, draft.model) == ("inference", "offline", "")
    assert draft.description == ""


def test_a_summary_that_only_restates_the_name_is_not_written() -> None:
    written = {i.local_name: offline_draft(i).summary for i, _ in SUMMARIES}
    # Nothing but the name and the signature is known: no sentence at all.
    assert written["parse_header"] == ""
    assert written["total_size"] == ""
    assert written["Cache.clear"] == ""
    assert written["HTTPClient"] == ""
    # A name whose sentence says more than its words keeps it.
    assert written["main"] == "Run the main entry point."
    assert written["Widget.on_click"] == "Handle the click event."
    assert written["Bag.__len__"] == "Return the number of items in the bag."
    # The fields are still there, typed, without invented descriptions.
    info = obj("load_header", params=(Param("key", type="str"),), returns="Header")
    lines = get_style("google").render(info, offline_draft(info))
    assert lines == ["Args:", "    key (str):", "", "Returns:", "    Header:"]


def test_summaries_are_imperative_sentences() -> None:
    callables = [
        i for i, _ in SUMMARIES if i.kind not in ("class", "exception", "property")
    ]
    assert len(callables) > 40
    for info in callables:
        text = worded(info, {})
        first = text.split()[0]
        assert text.endswith(".")
        assert first[0].isupper()
        assert not first.endswith("s") or first == "Process", text  # "Returns" etc.


PARAM_DOCS = [
    (
        obj("f", params=(Param("max_retries", type="int"),)),
        "",
    ),
    (obj("f", params=(Param("max_size", type="int"),)), ""),
    (obj("f", params=(Param("min_length", type="int"),)), ""),
    (obj("f", params=(Param("num_workers", type="int"),)), ""),
    (obj("f", params=(Param("n_jobs", type="int"),)), ""),
    (obj("f", params=(Param("timeout", type="float"),)), ""),
    (obj("f", params=(Param("timeout"),)), ""),
    (obj("f", params=(Param("delay_ms", type="int"),)), "Delay in milliseconds."),
    (obj("f", params=(Param("use_cache", type="bool"),)), "Whether to use cache."),
    (
        obj("f", params=(Param("enable_logging", default="False"),)),
        "Whether to enable logging.",
    ),
    (
        obj("f", params=(Param("include_hidden", type="bool"),)),
        "Whether to include hidden.",
    ),
    (obj("f", params=(Param("overwrite", type="bool"),)), "Whether to overwrite."),
    (obj("f", params=(Param("verbose", type="bool"),)), ""),
    (obj("f", params=(Param("dry_run", type="bool"),)), "Whether to do a dry run."),
    (obj("f", params=(Param("callback"),)), "Function to call."),
    (obj("f", params=(Param("func"),)), "Function to call."),
    (obj("f", params=(Param("user_id", type="int"),)), ""),
    (obj("f", params=(Param("db"),)), ""),
    (obj("f", params=(Param("x", type="int"),)), ""),
    (obj("parse", params=("text",)), "Text to parse."),
    (obj("load_config", params=("path",)), "Path to load."),
    (obj("read", params=("path",)), "Path to read."),
    (obj("Registry.add_item", "method", (SELF, "item")), "Item to add."),
    (
        obj("f", params=(Param("args", kind="var_positional"),)),
        "",
    ),
    (
        obj("f", params=(Param("kwargs", kind="var_keyword"),)),
        "",
    ),
    (
        obj(
            "f",
            params=(Param("args", kind="var_positional"),),
            source="def f(*args):\n    return g(*args)\n",
        ),
        "Passed to ``g``.",
    ),
    (
        obj(
            "f",
            params=(Param("options", kind="var_keyword"),),
            source="def f(**options):\n    g(**options)\n",
        ),
        "Passed to ``g``.",
    ),
]


@pytest.mark.parametrize(("info", "expected"), PARAM_DOCS)
def test_param_doc(info: ObjectInfo, expected: str) -> None:
    draft = offline_draft(info)
    assert draft.params[-1][1] == expected
    assert [n for n, _ in draft.params] == [p.name for p in info.documented_params]


def test_self_and_cls_are_never_described() -> None:
    info = obj("Config.from_dict", "classmethod", (CLS, "data"), "Config")
    assert [n for n, _ in offline_draft(info).params] == ["data"]


RETURNS = [
    (obj("get_user", params=("user_id",), returns="User"), ""),
    (
        obj("is_valid", params=("value",), returns="bool"),
        "True if *value* is valid, else False.",
    ),
    (
        obj("Node.has_children", "method", (SELF,), "bool"),
        "",
    ),
    (obj("A.to_dict", "method", (SELF,), "dict"), ""),
    (
        obj("Config.from_file", "classmethod", (CLS, "path"), "Config"),
        "",
    ),
    (obj("make_parser", returns="Parser"), ""),
    (obj("parse_header", params=("text",), returns="Header"), ""),
    (obj("find_user", params=("name",), returns="User | None"), ""),
    (obj("active_users", returns="list[User]"), ""),
    (obj("count_edges", returns="int"), ""),
    (obj("total_size", returns="int"), ""),
    (obj("run", returns="int"), ""),
    (obj("Bag.__len__", "method", (SELF,), "int"), ""),
    (obj("save", params=("x",), returns="None"), ""),
    (obj("save", params=("x",)), ""),
]


@pytest.mark.parametrize(("info", "expected"), RETURNS)
def test_returns_doc(info: ObjectInfo, expected: str) -> None:
    assert offline_draft(info).returns == expected


def test_yields_doc() -> None:
    # Only what the name makes certain: each item of a plural it names.
    assert offline_draft(obj("iter_open_files", yields="str")).yields == (
        "Each open file."
    )
    assert offline_draft(obj("iter_lines", yields="str")).yields == ""
    assert offline_draft(obj("walk", yields="Node")).yields == ""
    assert offline_draft(obj("copy", returns="int", yields="bytes")).returns == ""


def test_raises_doc() -> None:
    names = ("ValueError", "KeyError", "myapp.errors.ParseError", "HTTPError")
    draft = offline_draft(obj("f", raises=names))
    # No source to read: no condition, not even a builtin's "usual" cause,
    # and no circular text for project exceptions.
    assert draft.raises == (
        ("ValueError", ""),
        ("KeyError", ""),
        ("myapp.errors.ParseError", ""),
        ("HTTPError", ""),
    )


def test_raises_doc_reads_the_guard_and_the_message() -> None:
    source = (
        "def scale(self, factor, strict=False):\n"
        "    if factor <= 0:\n"
        "        raise ValueError('factor must be positive')\n"
        "    if not isinstance(factor, float) and strict:\n"
        "        raise TypeError(f'bad {factor}')\n"
        "    try:\n"
        "        return self.table[factor]\n"
        "    except KeyError:\n"
        "        raise LookupError('unknown') from None\n"
    )
    info = obj(
        "Shape.scale",
        "method",
        (SELF, "factor", "strict"),
        "Shape",
        raises=("ValueError", "TypeError", "LookupError"),
        source=source,
    )
    assert offline_draft(info).raises == (
        ("ValueError", 'If *factor* is at most 0 ("factor must be positive").'),
        (
            "TypeError",
            'If *factor* is not a ``float`` and *strict* is true ("bad ...").',
        ),
        ("LookupError", 'When a ``KeyError`` is caught ("unknown").'),
    )


def test_summaries_come_from_the_code_not_the_name() -> None:
    def draft(local, source, kind="method", params=(SELF,), returns="int"):
        return offline_draft(obj(local, kind, params, returns, source=source))

    assert draft(
        "Item.discriminant", "def d(self):\n    return 2", "property"
    ).summary == ("Always ``2``.")
    assert draft(
        "loads", "def loads(s):\n    return parse(s)", "function", ("s",)
    ).summary == ("Return ``parse(s)``.")
    assert draft(
        "Key.is_bare", "def f(self):\n    return self.t == KeyType.Bare", returns="bool"
    ).summary == ("Return whether ``self.t`` equals ``KeyType.Bare``.")
    assert draft("T.toggle", "def t(self):\n    return {1: 2, 2: 1}[self]").summary == (
        "Return the other member of the pair ``self`` is in (``1`` and ``2``)."
    )
    assert draft(
        "C.fail",
        "def fail(self, m):\n    raise UsageError(m, self)",
        params=(SELF, "m"),
        returns=None,
    ).summary == ("Raise a ``UsageError`` with *m*.")
    # A property returning what the constructor stored names that parameter.
    cls = obj(
        "Box",
        "class",
        ("size",),
        source="class Box:\n    def __init__(self, size):\n        self._size = size\n",
    )
    prop = obj(
        "Box.size",
        "property",
        (SELF,),
        "int",
        source="def size(self):\n    return self._size",
    )
    assert offline_draft(prop, {cls.qualname: cls}).summary == (
        "The *size* the object was created with."
    )
    # A known verb keeps the name's sentence ("Parse", not "Create a Document").
    parse = obj(
        "parse",
        params=("text",),
        returns="Document",
        source="def parse(text):\n    return Document(loads(text))",
    )
    # What is done to *text* before the constructor is shown whole ...
    assert offline_draft(parse).summary == (
        "Parse *text*: return ``Document(loads(text))``."
    )
    # ... and a constructor given the parameter itself is the signature again.
    plain = obj(
        "parse",
        params=("text",),
        returns="Document",
        source="def parse(text):\n    return Document(text)",
    )
    assert worded(plain, {}) == "Parse *text*: create a ``Document`` from *text*."
    assert offline_draft(plain).summary == ""


def test_pathological_source_falls_back_to_the_name() -> None:
    deep = "def f(x):\n    return " + "not " * 5000 + "x\n"
    draft = offline_draft(obj("check_it", params=("x",), source=deep))
    assert draft.summary == ""  # the name again ("Check it."): not written
    assert draft.params == (("x", ""),)


def test_words() -> None:
    assert split_name("HTTPClient") == ["HTTP", "client"]
    assert split_name("parseJSONFile") == ["parse", "JSON", "file"]
    assert split_name("_private_name_") == ["private", "name"]
    assert split_name("Base64Encoder") == ["base64", "encoder"]
    assert [article(w) for w in ("apple", "user", "HTTP", "URL", "hour", "dict")] == [
        "an",
        "a",
        "an",
        "a",
        "an",
        "a",
    ]
    assert [
        singular(w) for w in ("entries", "boxes", "lines", "status", "children")
    ] == [
        "entry",
        "box",
        "line",
        "status",
        "child",
    ]


def test_deterministic() -> None:
    infos = [info for info, _ in SUMMARIES + PARAM_DOCS + RETURNS]
    first = [offline_draft(info) for info in infos]
    shuffled = list(zip(infos, first, strict=True))
    random.Random(7).shuffle(shuffled)
    for info, draft in shuffled:
        assert offline_draft(info) == draft


def test_odd_names_still_give_a_sentence() -> None:
    for local, kind in [
        ("_", "function"),
        ("__", "function"),
        ("_", "class"),
        ("A._", "property"),
        ("X", "exception"),
        ("a1_2", "function"),
        ("Ünïcode", "class"),
    ]:
        text = worded(obj(local, kind), {})
        assert text.endswith(".")
        assert len(text) > 2


@pytest.mark.parametrize("style", ["google", "numpy", "rest"])
def test_offline_drafts_render_and_parse_back(style: str) -> None:
    info = obj(
        "Client.fetch_json",
        "method",
        (
            SELF,
            Param("url", type="str"),
            Param("max_retries", type="int", default="3"),
            Param("kwargs", kind="var_keyword"),
        ),
        "dict[str, Any]",
        raises=("ValueError", "TimeoutError"),
    )
    draft = offline_draft(info)
    lines = get_style(style).render(info, draft)
    parsed = parse_docstring("\n".join(lines))
    assert parsed.summary == ""  # "Fetch the JSON." only restates the name
    assert parsed.param_names == ("url", "max_retries", "kwargs")
    assert parsed.params[1] == ("max_retries", "int", "")
    assert parsed.returns == ("dict[str, Any]", "")
    assert parsed.raise_names == ("ValueError", "TimeoutError")
