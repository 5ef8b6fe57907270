"""The search page in a real headless Chromium, over http and over file://.

One site (tests/roots/test-search, built once) and one browser serve every
test here. Waits poll the page for a state (no timing asserts): the results
list carries the query it shows in ``data-query``.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sphinx.testing.util import SphinxTestApp

from tests.browser import browser_problem, chromium, serve
from tests.conftest import ROOTS

HOSTILE = (
    'Show </script><script>alert("docstring")</script>'
    "<img src=x onerror=alert(2)> <!-- now."
)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Path]:
    srcdir = tmp_path_factory.mktemp("browser") / "search"
    shutil.copytree(ROOTS / "test-search", srcdir)
    before = set(sys.modules)
    app = SphinxTestApp("html", srcdir=srcdir)
    try:
        app.build()
    finally:
        app.cleanup()
        for name in set(sys.modules) - before:
            if name.split(".")[0] == "search_pkg":
                del sys.modules[name]
    yield app.outdir


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    problem = browser_problem()
    if problem:
        pytest.skip(f"no headless Chromium: {problem}")
    with chromium(tmp_path_factory.mktemp("profile")) as browser:
        browser.set_page_load_timeout(30)
        yield browser


@pytest.fixture(scope="module")
def base(site) -> Iterator[str]:
    with serve(site) as url:
        yield url


def _wait(driver, condition, message: str = ""):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, 10).until(condition, message)


def _open(driver, url: str) -> None:
    driver.get(url)
    _wait(
        driver,
        lambda d: d.execute_script(
            "var r = document.getElementById('aidoc-search-results');"
            "return r && r.hasAttribute('data-query');"
        ),
        "the search page did not start",
    )


def _by(selector: str):
    from selenium.webdriver.common.by import By

    return By.CSS_SELECTOR, selector


def _names(driver) -> list[str]:
    return [e.text for e in driver.find_elements(*_by(".aidoc-result-name"))]


def _shown(driver) -> str | None:
    """The query whose results the page shows."""
    results = driver.find_element(*_by("#aidoc-search-results"))
    return results.get_attribute("data-query")


def _type(driver, text: str, *keys: str) -> list[str]:
    box = driver.find_element(*_by("#aidoc-search-input"))
    box.clear()
    box.send_keys(text)
    _wait(driver, lambda d: _shown(d) == text, f"no results for {text!r}")
    if keys:
        box.send_keys(*keys)
    return _names(driver)


def _no_alert(driver) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert  # noqa: B018 (the property raises when none is open)


CASES = [
    ("get_user", "search_pkg.users.get_user"),  # exact name, beats the method
    ("get_us", "search_pkg.users.get_user"),  # prefix
    ("HTTPServer", "search_pkg.text.HTTPServerConfig"),  # camelCase prefix
    ("user store", "search_pkg.users.UserStore"),  # name parts
    ("lod_record", "search_pkg.storage.load_record"),  # a typo
    ("compte_checksum", "search_pkg.storage.compute_checksum"),  # a typo
    ("adler", "search_pkg.storage.compute_checksum"),  # a summary word
    ("ini document", "search_pkg.text.parse_config"),  # summary words
]


def test_queries_rank_the_expected_object_first_over_http(driver, base):
    _open(driver, base + "aidoc-search.html")
    status = driver.find_element(*_by("#aidoc-search-status")).text
    assert status == "Type to search 17 API objects."
    for query, expected in CASES:
        assert _type(driver, query)[:1] == [expected], query
    _type(driver, "load_record")
    first = driver.find_element(*_by(".aidoc-result"))
    assert first.find_element(*_by(".aidoc-result-signature")).text == (
        "(key: str) -> dict"
    )
    assert first.find_element(*_by(".aidoc-result-kind")).text == "function"
    assert first.find_element(*_by(".aidoc-result-summary")).text == (
        "Read the record stored under key."
    )
    # the cyclomatic complexity of the code, as the quality table shows it
    complexity = first.find_element(*_by(".aidoc-result-complexity"))
    assert complexity.text == "complexity 1"
    _type(driver, "parse_config")
    first = driver.find_element(*_by(".aidoc-result"))
    complexity = first.find_element(*_by(".aidoc-result-complexity"))
    assert complexity.text == "complexity 2"
    assert _type(driver, "zzzzqqq") == []
    assert driver.find_element(*_by("#aidoc-search-status")).text == "No results."


def test_enter_opens_the_entry_of_the_first_result(driver, base):
    from selenium.webdriver.common.keys import Keys

    _open(driver, base + "aidoc-search.html")
    _type(driver, "get_user_by_email", Keys.ENTER)
    _wait(driver, lambda d: "#" in d.current_url)
    assert driver.current_url == base + "users.html#search_pkg.users.get_user_by_email"
    assert driver.execute_script(
        "return document.getElementById(location.hash.slice(1)).tagName"
    ) == ("DT")


def test_arrow_keys_choose_the_result_enter_opens(driver, base):
    from selenium.webdriver.common.keys import Keys

    _open(driver, base + "aidoc-search.html")
    names = _type(driver, "get_user", Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_UP)
    active = driver.find_element(*_by(".aidoc-result.aidoc-active"))
    assert active.get_attribute("id") == "aidoc-result-1"
    assert active.get_attribute("aria-selected") == "true"
    box = driver.find_element(*_by("#aidoc-search-input"))
    assert box.get_attribute("aria-activedescendant") == "aidoc-result-1"
    box.send_keys(Keys.ENTER)
    _wait(driver, lambda d: "#" in d.current_url)
    assert driver.current_url == f"{base}users.html#{names[1]}"


def test_clicking_a_result_opens_its_entry(driver, base):
    _open(driver, base + "aidoc-search.html?q=parse_config")
    assert _names(driver)[0] == "search_pkg.text.parse_config"
    driver.find_element(*_by(".aidoc-result-link")).click()
    _wait(driver, lambda d: "#" in d.current_url)
    assert driver.current_url == base + "text.html#search_pkg.text.parse_config"


def test_filters_by_kind_module_and_origin(driver, base):
    _open(driver, base + "aidoc-search.html?q=user&kind=method")
    kinds = {e.text for e in driver.find_elements(*_by(".aidoc-result-kind"))}
    assert kinds == {"method"}
    assert driver.find_element(*_by("#aidoc-search-kind")).get_attribute("value") == (
        "method"
    )
    _open(driver, base + "aidoc-search.html?origin=generated")
    results = driver.find_elements(*_by(".aidoc-result"))
    assert len(results) == 6
    assert all(r.find_elements(*_by(".aidoc-result-generated")) for r in results)
    _open(driver, base + "aidoc-search.html?module=search_pkg.storage")
    assert _names(driver) == [
        "search_pkg.storage.compute_checksum",
        "search_pkg.storage.load_record",
        "search_pkg.storage.save_record",
    ]


def test_hostile_queries_and_docstrings_stay_text(driver, base):
    hostile_query = "<img src=x onerror=alert(3)><script>alert(1)</script>"
    _open(driver, base + "aidoc-search.html?q=" + quote(hostile_query))
    _no_alert(driver)
    box = driver.find_element(*_by("#aidoc-search-input"))
    assert box.get_attribute("value") == hostile_query
    driver.execute_script(
        "window.aidocAlerts = 0; window.alert = function () { window.aidocAlerts++; };"
    )
    _type(driver, "<script>alert(1)</script>")
    assert _type(driver, "render_banner") == ["search_pkg.hostile.render_banner"]
    summary = driver.find_element(*_by(".aidoc-result-summary"))
    assert summary.text == HOSTILE
    injected = driver.execute_script(
        "return document.querySelectorAll("
        "'#aidoc-search-results script, #aidoc-search-results img').length"
    )
    assert injected == 0
    assert driver.execute_script("return window.aidocAlerts") == 0
    _no_alert(driver)


def test_search_works_from_file_urls(driver, site):
    _open(driver, (site / "aidoc-search.html").as_uri() + "?q=ping")
    assert _names(driver)[:1] == ["search_pkg.numbers.ping"]
    driver.find_element(*_by(".aidoc-result-link")).click()
    _wait(driver, lambda d: "#" in d.current_url)
    assert driver.current_url == (site / "numbers.html").as_uri() + (
        "#search_pkg.numbers.ping"
    )


def test_search_box_submits_to_the_search_page(driver, base):
    from selenium.webdriver.common.keys import Keys

    driver.get(base + "index.html")
    box = driver.find_element(*_by("form.aidoc-search-box input[name=q]"))
    box.send_keys("checksum", Keys.ENTER)
    _wait(driver, lambda d: "aidoc-search.html" in d.current_url)
    _wait(driver, lambda d: _shown(d) == "checksum")
    assert driver.current_url == base + "aidoc-search.html?q=checksum"
    assert _names(driver)[0] == "search_pkg.storage.compute_checksum"
