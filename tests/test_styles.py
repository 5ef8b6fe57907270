from __future__ import annotations

import random
import textwrap

import pytest

from sphinxcontrib_aidoc.model import Draft, ObjectInfo, Param, Returns, Yields
from sphinxcontrib_aidoc.styles import augment, get_style, parse_docstring
from sphinxcontrib_aidoc.styles._parse import parse_layout

STYLES = ("google", "numpy", "rest")


def make_info(
    qualname: str = "pkg.mod.Client.fetch",
    kind: str = "method",
    params: tuple[Param, ...] = (),
    returns: Returns | None = None,
    yields: Yields | None = None,
    raises: tuple[str, ...] = (),
    is_async: bool = False,
) -> ObjectInfo:
    return ObjectInfo(
        qualname=qualname,
        module="pkg.mod",
        kind=kind,
        file="pkg/mod.py",
        lineno=1,
        params=params,
        returns=returns,
        yields=yields,
        raises=raises,
        is_async=is_async,
    )


FETCH = make_info(
    params=(
        Param("self"),
        Param("url", type="str"),
        Param("timeout", type="float", default="10.0"),
        Param("retries"),
        Param("args", kind="var_positional"),
        Param("kwargs", kind="var_keyword", type="Any"),
    ),
    returns=Returns("dict[str, int]"),
    raises=("ValueError", "requests.HTTPError"),
)
FETCH_DRAFT = Draft(
    summary="Fetch a page and count its words.",
    params=(
        ("url", "Address of the page."),
        ("timeout", "Seconds to wait."),
        ("retries", "How often to try again."),
        ("args", "Passed to the session."),
        ("kwargs", "Passed to the request."),
    ),
    returns="Word counts.",
    raises=(("ValueError", "If the URL is empty."),),
)


def dedent(text: str) -> list[str]:
    return textwrap.dedent(text).strip("\n").splitlines()


def squash(text: str) -> str:
    return " ".join(text.split())


# -- render --------------------------------------------------------------------


def test_render_google_method() -> None:
    assert get_style("google").render(FETCH, FETCH_DRAFT) == dedent(
        """
        Fetch a page and count its words.

        Args:
            url (str): Address of the page.
            timeout (float): Seconds to wait.
            retries: How often to try again.
            *args: Passed to the session.
            **kwargs (Any): Passed to the request.

        Returns:
            dict[str, int]: Word counts.

        Raises:
            ValueError: If the URL is empty.
            requests.HTTPError:
        """
    )


def test_render_numpy_method() -> None:
    assert get_style("numpy").render(FETCH, FETCH_DRAFT) == dedent(
        """
        Fetch a page and count its words.

        Parameters
        ----------
        url : str
            Address of the page.
        timeout : float
            Seconds to wait.
        retries
            How often to try again.
        *args
            Passed to the session.
        **kwargs : Any
            Passed to the request.

        Returns
        -------
        dict[str, int]
            Word counts.

        Raises
        ------
        ValueError
            If the URL is empty.
        requests.HTTPError
        """
    )


def test_render_rest_method() -> None:
    assert get_style("rest").render(FETCH, FETCH_DRAFT) == dedent(
        r"""
        Fetch a page and count its words.

        :param url: Address of the page.
        :type url: str
        :param timeout: Seconds to wait.
        :type timeout: float
        :param retries: How often to try again.
        :param \*args: Passed to the session.
        :param \*\*kwargs: Passed to the request.
        :type \*\*kwargs: Any
        :returns: Word counts.
        :rtype: dict[str, int]
        :raises ValueError: If the URL is empty.
        :raises requests.HTTPError:
        """
    )


def test_render_class_documents_init_params_only() -> None:
    info = make_info(
        "pkg.mod.RateLimiter",
        "class",
        params=(Param("self"), Param("rate", type="int")),
        returns=Returns("None"),
    )
    draft = Draft("A rate limiter.", "Counts calls per second.", (("rate", "Calls."),))
    assert get_style("google").render(info, draft) == dedent(
        """
        A rate limiter.

        Counts calls per second.

        Args:
            rate (int): Calls.
        """
    )


@pytest.mark.parametrize("style", STYLES)
def test_render_property_has_summary_description_and_raises_only(style: str) -> None:
    info = make_info(
        "pkg.mod.Queue.size",
        "property",
        params=(Param("self"),),
        returns=Returns("int"),
        raises=("RuntimeError",),
    )
    draft = Draft("The number of queued items.", returns="Size.")
    lines = get_style(style).render(info, draft)
    assert lines[0] == "The number of queued items."
    parsed = parse_docstring("\n".join(lines), style)
    assert parsed.sections == ("raises",)
    assert parsed.raise_names == ("RuntimeError",)


@pytest.mark.parametrize("style", STYLES)
def test_render_generator_yields(style: str) -> None:
    info = make_info(
        "pkg.mod.iter_lines",
        "function",
        params=(Param("path", type="Path"),),
        yields=Yields("str"),
    )
    draft = Draft("Iterate over the lines.", yields="Each line.")
    parsed = parse_docstring("\n".join(get_style(style).render(info, draft)))
    assert parsed.style == style
    assert parsed.yields == ("str", "Each line.")
    assert parsed.returns is None
    assert parsed.params == (("path", "Path", ""),)
    assert parsed.sections == ("params", "yields")


@pytest.mark.parametrize("style", STYLES)
def test_render_generator_that_also_returns_a_value(style: str) -> None:
    # Analysis gives a generator a Returns only when it returns a value.
    info = make_info(
        "pkg.mod.copy", "function", returns=Returns("int"), yields=Yields("bytes")
    )
    draft = Draft("Copy.", returns="Bytes copied.", yields="Each chunk.")
    parsed = parse_docstring("\n".join(get_style(style).render(info, draft)))
    assert parsed.returns == ("int", "Bytes copied.")
    assert parsed.yields == ("bytes", "Each chunk.")
    assert parsed.sections == ("returns", "yields")


def test_render_rest_yields_field() -> None:
    info = make_info("pkg.mod.walk", "function", yields=Yields("Path"))
    lines = get_style("rest").render(info, Draft("Walk.", yields="Each file."))
    assert lines[-1] == ":Yields: Path -- Each file."


@pytest.mark.parametrize("style", STYLES)
def test_render_async_function_like_sync(style: str) -> None:
    sync = make_info("pkg.mod.load", "function", (Param("key"),), Returns("bytes"))
    coro = make_info(
        "pkg.mod.load", "function", (Param("key"),), Returns("bytes"), is_async=True
    )
    draft = Draft("Load the value.", params=(("key", "Key."),), returns="Data.")
    assert get_style(style).render(coro, draft) == get_style(style).render(sync, draft)


@pytest.mark.parametrize("style", STYLES)
def test_no_returns_section_for_none(style: str) -> None:
    info = make_info("pkg.mod.save", "function", (Param("x"),), Returns("None"))
    lines = get_style(style).render(info, Draft("Save.", returns="Nothing."))
    assert "Nothing." not in "\n".join(lines)
    assert parse_docstring("\n".join(lines), style).returns is None


def test_unknown_types_are_omitted() -> None:
    info = make_info("pkg.mod.f", "function", (Param("x"),), Returns(None))
    draft = Draft("Do it.", params=(("x", "The x."),), returns="The result.")
    assert get_style("google").render(info, draft)[2:] == [
        "Args:",
        "    x: The x.",
        "",
        "Returns:",
        "    The result.",
    ]
    assert get_style("rest").render(info, draft)[2:] == [
        ":param x: The x.",
        ":returns: The result.",
    ]
    # A NumPy returns entry must start with a type: leave it out, don't invent one.
    assert get_style("numpy").render(info, draft)[2:] == [
        "Parameters",
        "----------",
        "x",
        "    The x.",
    ]


def test_google_untyped_returns_colon_is_not_read_as_type() -> None:
    info = make_info("pkg.mod.f", "function", returns=Returns(None))
    lines = get_style("google").render(info, Draft("Do.", returns="Pairs: a to b."))
    assert lines[-1] == "    Pairs - a to b."


def test_types_never_come_from_the_draft() -> None:
    info = make_info("pkg.mod.f", "function", (Param("x"),))
    draft = Draft("Do.", params=(("x", "A number."),))
    assert get_style("google").render(info, draft)[-1] == "    x: A number."


@pytest.mark.parametrize("style", STYLES)
def test_long_prose_wraps_with_style_indentation(style: str) -> None:
    info = make_info("pkg.mod.f", "function", (Param("x", type="int"),), Returns("int"))
    long = " ".join(["word"] * 60)
    draft = Draft(long, long + "\n\nSecond paragraph.", (("x", long),), long)
    lines = get_style(style).render(info, draft)
    assert all(len(line) <= 88 for line in lines)
    parsed = parse_docstring("\n".join(lines), style)
    assert squash(parsed.summary) == long
    assert squash(parsed.description) == long + " Second paragraph."
    assert squash(parsed.params[0][2]) == long
    assert parsed.returns is not None
    assert squash(parsed.returns[1]) == long
    assert get_style(style, width=60).render(info, draft) != lines


def test_structured_description_keeps_its_lines() -> None:
    info = make_info("pkg.mod.f", "function", (Param("x"),))
    desc = "Steps:\n\n- one\n- two\n\n>>> f(1)\n1"
    lines = get_style("google").render(info, Draft("Do.", desc, (("x", desc),)))
    assert lines == dedent(
        """
        Do.

        Steps:

        - one
        - two

        >>> f(1)
        1

        Args:
            x: Steps:

                - one
                - two

                >>> f(1)
                1
        """
    )
    parsed = parse_docstring("\n".join(lines))
    assert parsed.params == (("x", "", desc),)


def test_get_style_names() -> None:
    assert get_style("Google").name == "google"
    assert get_style("numpydoc").name == "numpy"
    assert get_style("rst").name == "rest"
    with pytest.raises(ValueError, match="unknown docstring style"):
        get_style("epytext")


# -- round trip and napoleon -----------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
def test_round_trip(style: str) -> None:
    lines = get_style(style).render(FETCH, FETCH_DRAFT)
    parsed = parse_docstring("\n".join(lines))
    assert parsed.style == style
    assert parsed.summary == FETCH_DRAFT.summary
    assert parsed.params == (
        ("url", "str", "Address of the page."),
        ("timeout", "float", "Seconds to wait."),
        ("retries", "", "How often to try again."),
        ("*args", "", "Passed to the session."),
        ("**kwargs", "Any", "Passed to the request."),
    )
    assert parsed.param_names == ("url", "timeout", "retries", "args", "kwargs")
    assert parsed.returns == ("dict[str, int]", "Word counts.")
    assert parsed.raises == (
        ("ValueError", "If the URL is empty."),
        ("requests.HTTPError", ""),
    )
    assert parsed.sections == ("params", "returns", "raises")
    assert parsed.empty_sections == ()


@pytest.mark.parametrize("style", ["google", "numpy"])
def test_napoleon_accepts_rendered_output(style: str) -> None:
    from sphinx.ext.napoleon import Config
    from sphinx.ext.napoleon.docstring import GoogleDocstring, NumpyDocstring

    info = make_info(
        "pkg.mod.f",
        "function",
        (Param("x", type="int"), Param("kwargs", kind="var_keyword")),
        Returns("str"),
        raises=("KeyError",),
    )
    long = " ".join(["text"] * 40)
    draft = Draft("Do.", params=(("x", long), ("kwargs", "Options.")), returns=long)
    lines = get_style(style).render(info, draft)
    parser = GoogleDocstring if style == "google" else NumpyDocstring
    config = Config(napoleon_use_param=True, napoleon_use_rtype=True)
    out = str(parser(lines, config)).splitlines()
    assert out[0] == "Do."
    x_line = next(line for line in out if line.startswith(":param x:"))
    assert squash(x_line.partition(":param x:")[2]) in long
    assert ":type x: int" in out
    assert r":param \*\*kwargs: Options." in out
    assert any(line.startswith(":returns: text text") for line in out)
    assert ":rtype: str" in out
    assert ":raises KeyError:" in out


def test_rest_output_is_a_valid_field_list() -> None:
    from docutils.core import publish_doctree
    from docutils.nodes import field_name

    lines = get_style("rest").render(FETCH, FETCH_DRAFT)
    tree = publish_doctree(
        "\n".join(lines), settings_overrides={"report_level": 2, "halt_level": 2}
    )
    names = [n.astext() for n in tree.findall(field_name)]
    assert names[:3] == ["param url", "type url", "param timeout"]
    assert "param *args" in names
    assert "raises ValueError" in names


# -- parse -----------------------------------------------------------------------

GOOGLE_DOC = """Fetch rows from the table.

    Rows come back in primary key order. Pass *limit*
    to page through large tables.

    Args:
        table (str): Name of the table.
        limit (int, optional): Maximum number of rows. Defaults
            to all rows.
        columns: Columns to select.
        *args: Extra filters.

    Keyword Args:
        timeout (float): Seconds to wait.

    Returns:
        list[Row]: The rows, in key order.
            Empty when nothing matches.

    Raises:
        KeyError: If the table does not exist.
        :exc:`~db.errors.LockedError`: If the table is locked.

    Example:
        >>> fetch("users", limit=2)
        [Row(1), Row(2)]

    Note:
        Not thread safe.
    """


def test_parse_google() -> None:
    parsed = parse_docstring(GOOGLE_DOC)
    assert parsed.style == "google"
    assert parsed.summary == "Fetch rows from the table."
    assert parsed.description == (
        "Rows come back in primary key order. Pass *limit*\n"
        "to page through large tables."
    )
    assert parsed.params == (
        ("table", "str", "Name of the table."),
        ("limit", "int, optional", "Maximum number of rows. Defaults\nto all rows."),
        ("columns", "", "Columns to select."),
        ("*args", "", "Extra filters."),
        ("timeout", "float", "Seconds to wait."),
    )
    assert parsed.returns == (
        "list[Row]",
        "The rows, in key order.\n    Empty when nothing matches.",
    )
    assert parsed.raises == (
        ("KeyError", "If the table does not exist."),
        ("db.errors.LockedError", "If the table is locked."),
    )
    assert parsed.sections == ("params", "returns", "raises", "examples", "notes")
    assert parsed.empty_sections == ()


NUMPY_DOC = """
Compute the weighted mean
of an array.

The weights need not sum to one.

Parameters
----------
values : array_like
    Input values. Must not
    be empty.

    A second paragraph.
weights, offsets : ndarray, optional
    Weights and offsets.
axis
    Axis to reduce.

Returns
-------
mean : float
    The weighted mean.

Raises
------
ValueError
    If *values* is empty.
TypeError, ZeroDivisionError
    If the weights are bad.

See Also
--------
numpy.average : The general version.

Notes
-----
Uses a stable algorithm.
"""


def test_parse_numpy() -> None:
    parsed = parse_docstring(NUMPY_DOC)
    assert parsed.style == "numpy"
    assert parsed.summary == "Compute the weighted mean of an array."
    assert parsed.description == "The weights need not sum to one."
    assert parsed.params == (
        (
            "values",
            "array_like",
            "Input values. Must not\nbe empty.\n\nA second paragraph.",
        ),
        ("weights", "ndarray, optional", "Weights and offsets."),
        ("offsets", "ndarray, optional", "Weights and offsets."),
        ("axis", "", "Axis to reduce."),
    )
    assert parsed.returns == ("float", "The weighted mean.")
    assert parsed.raise_names == ("ValueError", "TypeError", "ZeroDivisionError")
    assert parsed.raises[0] == ("ValueError", "If *values* is empty.")
    assert parsed.sections == ("params", "returns", "raises", "other", "notes")


REST_DOC = """Send a message.

:param str channel: Channel name.
:param body: The text,
    over two lines.
:type body: str or bytes
:param \\*\\*headers: Extra headers.
:keyword retry: Whether to retry.
:returns: The message id.
:rtype: int
:raises ConnectionError: If the server is down.
:raise ValueError: If *body* is empty.
:ivar sent: Count of sent messages.
:vartype sent: int
"""


def test_parse_rest() -> None:
    parsed = parse_docstring(REST_DOC)
    assert parsed.style == "rest"
    assert parsed.summary == "Send a message."
    assert parsed.description == ""
    assert parsed.params == (
        ("channel", "str", "Channel name."),
        ("body", "str or bytes", "The text,\nover two lines."),
        ("**headers", "", "Extra headers."),
        ("retry", "", "Whether to retry."),
    )
    assert parsed.param_names == ("channel", "body", "headers", "retry")
    assert parsed.returns == ("int", "The message id.")
    assert parsed.raises == (
        ("ConnectionError", "If the server is down."),
        ("ValueError", "If *body* is empty."),
    )
    assert parsed.attributes == (("sent", "int", "Count of sent messages."),)
    assert parsed.sections == ("params", "returns", "raises", "attributes")


def test_parse_rest_yields_and_examples() -> None:
    parsed = parse_docstring(
        "Walk.\n\n>>> list(walk())\n[]\n\n:Yields: Path -- Each file.\n:raises: OSError"
    )
    assert parsed.yields == ("Path", "Each file.")
    assert parsed.raise_names == ("OSError",)
    assert parsed.sections == ("examples", "yields", "raises")


@pytest.mark.parametrize(
    ("text", "style"),
    [
        ("Summary.", "google"),
        ("Summary.\n\nArgs:\n    x: y", "google"),
        ("Summary.\n\nParameters\n----------\nx : int", "numpy"),
        ("Summary.\n\n:param x: y", "rest"),
        ("Summary.\n\n:returns: y", "rest"),
        ("Summary.\n\n:raises KeyError: y", "rest"),
        ("Summary.\n\n:param x: y\n\nNotes\n-----\nZ.", "rest"),
        ("Summary.\n\nNotes\n-----\nSee :param x: below.", "numpy"),
        ("Summary.\n\nReturns\n-------\nint\n\n:param x: y", "numpy"),
    ],
)
def test_style_detection(text: str, style: str) -> None:
    assert parse_docstring(text).style == style


def test_explicit_style_wins() -> None:
    assert parse_docstring("S.\n\nArgs:\n    x: y", "rest").params == ()
    assert parse_docstring("S.\n\nArgs:\n    x: y", "bogus").param_names == ("x",)


def test_empty_sections() -> None:
    parsed = parse_docstring("Do.\n\nArgs:\n\nReturns:\n\nRaises:\n    KeyError: k")
    assert parsed.sections == ("params", "returns", "raises")
    assert parsed.empty_sections == ("params", "returns")
    assert parsed.returns is None
    numpy = parse_docstring("Do.\n\nReturns\n-------\n\nNotes\n-----\nx")
    assert numpy.empty_sections == ("returns",)


def test_google_returns_without_type_and_sentence_with_colon() -> None:
    parsed = parse_docstring("Do.\n\nReturns:\n    The mapping of a: b, see http://x.")
    assert parsed.returns == ("", "The mapping of a: b, see http://x.")


def test_summary_only_and_empty() -> None:
    assert parse_docstring("").summary == ""
    assert parse_docstring("   \n  ").sections == ()
    parsed = parse_docstring("One line\nsummary.\n\nBody.")
    assert (parsed.summary, parsed.description) == ("One line summary.", "Body.")


FRAGMENTS = [
    "Args:",
    "Returns:",
    "Raises:",
    "Parameters",
    "----------",
    "-------",
    ":param x:",
    ":param:",
    ":type x:",
    ":returns:",
    ":raises:",
    ":raise ValueError:",
    ":Yields: int --",
    "    x (int): y",
    "    x (int: y",
    "x : int",
    "  ValueError: bad",
    "(",
    ")",
    "`",
    ":",
    "::",
    "*args",
    "\\*",
    "\t\tindent",
    "",
    "  ",
    "Example::",
    ">>> 1",
    "x, y, : z",
    "é ünïcode ✓",
]


def test_parse_never_raises_on_random_text() -> None:
    rng = random.Random(1234)
    for _ in range(600):
        lines = [rng.choice(FRAGMENTS) for _ in range(rng.randint(0, 14))]
        if rng.random() < 0.3:
            lines = ["".join(rng.choice(":()[]`*- \tab\n") for _ in range(30))]
        text = "\n".join(lines)
        for style in (None, *STYLES):
            parse_docstring(text, style)
            parse_layout(text.splitlines(), style)  # no safety net here
        info = FETCH
        augment(text.splitlines(), info, FETCH_DRAFT, rng.choice(STYLES))


# -- augment ---------------------------------------------------------------------

FULL = make_info(
    "pkg.mod.fetch",
    "function",
    (
        Param("url", type="str"),
        Param("timeout", type="float", default="1.0"),
        Param("retries"),
    ),
    Returns("bytes"),
    raises=("KeyError", "http.ValueError"),
)
FULL_DRAFT = Draft(
    "Fetch a URL.",
    params=(("url", "Address."), ("timeout", "Seconds to wait."), ("retries", "")),
    returns="The body.",
    raises=(("KeyError", "If missing."),),
)


def check_augment(
    before: list[str], after: list[str], added: list[str], style: str = "google"
) -> None:
    lines, labels = augment(before, FULL, FULL_DRAFT, style)
    assert lines == after
    assert labels == added
    it = iter(lines)  # human lines are kept verbatim and in order
    assert all(line in it for line in before)


def test_augment_google_inserts_into_existing_sections() -> None:
    before = dedent(
        """
        Fetch a URL.

        Args:
          url: The address
            to fetch.

        Raises:
          ValueError: when bad.
        """
    )
    before.append("")
    after = dedent(
        """
        Fetch a URL.

        Args:
          url: The address
            to fetch.
          timeout (float): Seconds to wait.
          retries:

        Returns:
            bytes: The body.

        Raises:
          ValueError: when bad.
          KeyError: If missing.
        """
    )
    after.append("")
    check_augment(
        before, after, ["param timeout", "param retries", "returns", "raises KeyError"]
    )


def test_augment_numpy() -> None:
    before = dedent(
        """
        Fetch a URL.

        Parameters
        ----------
        url : str
            The address.

        Returns
        -------
        bytes
            Body.
        """
    )
    after = dedent(
        """
        Fetch a URL.

        Parameters
        ----------
        url : str
            The address.
        timeout : float
            Seconds to wait.
        retries

        Returns
        -------
        bytes
            Body.

        Raises
        ------
        KeyError
            If missing.
        http.ValueError
        """
    )
    check_augment(
        before,
        after,
        ["param timeout", "param retries", "raises KeyError", "raises http.ValueError"],
    )


def test_augment_rest() -> None:
    before = [
        "Fetch a URL.",
        "",
        ":param url: The address.",
        ":raises ValueError: bad.",
    ]
    after = [
        "Fetch a URL.",
        "",
        ":param url: The address.",
        ":param timeout: Seconds to wait.",
        ":type timeout: float",
        ":param retries:",
        ":returns: The body.",
        ":rtype: bytes",
        ":raises ValueError: bad.",
        ":raises KeyError: If missing.",
    ]
    check_augment(
        before, after, ["param timeout", "param retries", "returns", "raises KeyError"]
    )


@pytest.mark.parametrize("style", STYLES)
def test_augment_summary_only_uses_fallback_style(style: str) -> None:
    before = ["Fetch a URL.", "", "Details.", "", ""]
    lines, added = augment(before, FULL, FULL_DRAFT, style)
    assert lines[:4] == ["Fetch a URL.", "", "Details.", ""]
    assert lines[-2:] == ["", ""] and lines[-3].strip()
    assert len(added) == 6
    parsed = parse_docstring("\n".join(lines))
    assert parsed.style == style
    assert parsed.param_names == ("url", "timeout", "retries")
    assert parsed.raise_names == ("KeyError", "http.ValueError")
    if style != "numpy":
        assert parsed.returns == ("bytes", "The body.")


def test_augment_new_params_section_goes_before_returns() -> None:
    before = ["Fetch.", "", "Returns:", "    bytes: Body.", "", "Raises:",
              "    KeyError: k", "    ValueError: v"]  # fmt: skip
    lines, added = augment(before, FULL, FULL_DRAFT, "google")
    assert added == ["param url", "param timeout", "param retries"]
    assert lines[:7] == [
        "Fetch.",
        "",
        "Args:",
        "    url (str): Address.",
        "    timeout (float): Seconds to wait.",
        "    retries:",
        "",
    ]
    assert lines[7:] == before[2:]


@pytest.mark.parametrize("style", STYLES)
def test_augment_complete_docstring_is_unchanged(style: str) -> None:
    draft = Draft("Fetch a URL.", raises=(("http.ValueError", "If bad."),))
    lines = [*get_style(style).render(FULL, draft), ""]
    new, added = augment(lines, FULL, FULL_DRAFT, "google")
    assert added == []
    assert new is lines


@pytest.mark.parametrize("style", STYLES)
def test_augment_adds_yields(style: str) -> None:
    info = make_info("pkg.mod.walk", "function", yields=Yields("Path"))
    draft = Draft("Walk.", yields="Each file.")
    lines, added = augment(["Walk the tree."], info, draft, style)
    assert added == ["yields"]
    assert parse_docstring("\n".join(lines)).yields == ("Path", "Each file.")
    assert augment(lines, info, draft, style) == (lines, [])


def test_augment_property_and_class() -> None:
    prop = make_info("pkg.mod.Q.size", "property", (Param("self"),), Returns("int"))
    assert augment(["The size."], prop, Draft("x"), "google") == (["The size."], [])
    cls = make_info("pkg.mod.Q", "class", (Param("self"), Param("n", type="int")))
    lines, added = augment(
        ["A queue."], cls, Draft("x", params=(("n", "Size."),)), "numpy"
    )
    assert added == ["param n"]
    assert lines == ["A queue.", "", "Parameters", "----------", "n : int", "    Size."]


def test_augment_does_not_put_params_into_keyword_args() -> None:
    info = make_info(
        "pkg.mod.f",
        "function",
        (Param("x", type="int"), Param("kwargs", kind="var_keyword")),
    )
    before = ["Do.", "", "Keyword Args:", "    kwargs: Options."]
    lines, added = augment(before, info, Draft("Do.", params=(("x", "X."),)), "google")
    assert added == ["param x"]
    assert lines == ["Do.", "", "Args:", "    x (int): X.", "", *before[2:]]
