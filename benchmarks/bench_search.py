"""API search benchmark: index size, time to first result, ranking quality.

1. **Index size.** 10,000 synthetic objects (200 modules of functions,
   classes and methods with realistic names, signatures, summaries, quality
   scores and calls) go through the same core functions the extension calls
   at ``html-collect-pages`` (:func:`build_index`, :func:`dumps_index`). They
   are built from synthetic :class:`SearchRecord` values directly, not from
   a Sphinx build of 10,000 objects. Printed: bytes per object, raw and
   gzipped.
2. **Time to first result** in headless Debian Chromium: the real search
   page of the demo site, built with the real extension, with its index
   replaced by the 10,000-object one, served from 127.0.0.1. For each query
   the page measures, with ``performance.now()``, the time from the input
   event (the query typed) to the first result in the DOM, and to the next
   animation frame (painted). Medians over every query and repetition.
3. **Ranking quality**: 30 fixed queries over the demo project (exact
   names, prefixes, typos, summary words), each with the object a reader
   wants; the share whose expected object is the top result (aim: 90%+).

Run: ``.venv/bin/python benchmarks/bench_search.py`` (about 30 s; needs
``/usr/bin/chromium`` and ``/usr/bin/chromedriver``).
"""

from __future__ import annotations

import argparse
import gzip
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sphinxcontrib_aidoc.search_index import (
    SearchRecord,
    build_index,
    dumps_index,
    write_index,
)
from tests.browser import browser_problem, chromium, serve

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

WORK = ROOT / "benchmarks" / "_work" / "search"

# fmt: off
VERBS = [
    "get", "set", "load", "save", "parse", "build", "render", "fetch", "update",
    "delete", "create", "find", "compute", "validate", "merge", "split", "format",
    "read", "write", "sync", "resolve", "check", "apply", "convert", "normalize",
]
NOUNS = [
    "user", "order", "item", "price", "record", "config", "session", "token",
    "cache", "queue", "report", "invoice", "account", "address", "payment",
    "product", "stock", "batch", "event", "message", "schema", "query", "result",
    "index", "page", "file", "stream", "buffer", "rule", "policy",
]
# fmt: on
SUFFIXES = ("Manager", "Client", "Store", "Builder", "Parser", "Service")
LINKS = ("of", "for", "from", "into", "with")
EXTRA = (
    "",
    " and cache it",
    ", validating it first",
    " without touching the network",
    " in one transaction",
    " if it is stale",
)

# (query, expected top result) over demo_project: what a reader wants.
DEMO_QUERIES: tuple[tuple[str, str], ...] = (
    # exact names
    ("withdraw", "inventory.storage.Inventory.withdraw"),
    ("PriceList", "inventory.pricing.PriceList"),
    ("make_sku", "inventory.utils.make_sku"),
    ("import_csv", "inventory.io.import_csv"),
    ("Warehouse", "inventory.models.Warehouse"),
    ("apply_discount", "inventory.pricing.apply_discount"),
    ("ItemNotFoundError", "inventory.errors.ItemNotFoundError"),
    ("Item.from_dict", "inventory.models.Item.from_dict"),
    # prefixes
    ("selling", "inventory.pricing.PriceList.selling_price"),
    ("fetch_rem", "inventory.storage.fetch_remote_stock"),
    ("sync", "inventory.storage.Inventory.sync_from_remote"),
    ("round", "inventory.pricing.PriceList.round_price"),
    ("export_j", "inventory.io.export_json"),
    ("parse_q", "inventory.utils.parse_quantity"),
    ("InsufficientSt", "inventory.errors.InsufficientStockError"),
    ("stream", "inventory.storage.stream_stock_updates"),
    # typos
    ("withdrw", "inventory.storage.Inventory.withdraw"),
    ("aply_discount", "inventory.pricing.apply_discount"),
    ("pricelsit", "inventory.pricing.PriceList"),
    ("utilisation", "inventory.models.Warehouse.utilization"),
    ("normalise_name", "inventory.utils.normalize_name"),
    ("formatt_money", "inventory.utils.format_money"),
    ("chunkd", "inventory.utils.chunked"),
    ("valdate_sku", "inventory.models.Item.validate_sku"),
    # summary words
    ("stock levels", "inventory.storage.fetch_remote_stock"),
    ("storage slots", "inventory.models.Warehouse"),
    ("halves away from zero", "inventory.pricing.PriceList.round_price"),
    ("line numbers", "inventory.io.read_csv_rows"),
    ("product families", "inventory.models.Category"),
    ("decoded from json", "inventory.models.Item.from_dict"),
)

# Measures one query in the page: input event -> first result in the DOM,
# and -> the next animation frame. Returns [dom_ms, frame_ms, results].
MEASURE_JS = """
var query = arguments[0], done = arguments[arguments.length - 1];
var input = document.getElementById('aidoc-search-input');
var list = document.getElementById('aidoc-search-results');
input.value = '';
input.dispatchEvent(new Event('input'));
var start = performance.now();
input.value = query;
input.dispatchEvent(new Event('input'));
var dom = list.firstElementChild ? performance.now() - start : -1;
requestAnimationFrame(function () {
  done([dom, performance.now() - start, list.children.length]);
});
"""

TOP_JS = """
var input = document.getElementById('aidoc-search-input');
input.value = arguments[0];
input.dispatchEvent(new Event('input'));
var first = document.querySelector('.aidoc-result-name');
return first ? first.textContent : null;
"""

# Installed before the page's own scripts: when is the index loaded and ready?
READY_JS = """
new MutationObserver(function (changes, observer) {
  var status = document.getElementById('aidoc-search-status');
  if (status && status.textContent.indexOf('Type to search') === 0) {
    window.aidocReadyAt = performance.now();
    observer.disconnect();
  }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def synthetic_records(count: int, seed: int = 7) -> list[SearchRecord]:
    """Return *count* records shaped like a large real API."""
    rng = random.Random(seed)
    records: list[SearchRecord] = []
    module_count = max(1, count // 50)
    for m in range(module_count):
        area = NOUNS[m % len(NOUNS)]
        module = f"synth.{area}_{m // len(NOUNS)}.{('core', 'api', 'models', 'utils')[m % 4]}"
        page = f"api/{module}.html"
        names: set[str] = set()
        for _ in range(10):
            name = _unique(names, f"{rng.choice(VERBS)}_{area}_{rng.choice(NOUNS)}")
            records.append(_record(rng, f"{module}.{name}", "function", module, page))
        for _ in range(4):
            cls = _unique(
                names,
                f"{area.title()}{rng.choice(NOUNS).title()}{rng.choice(SUFFIXES)}",
            )
            records.append(_record(rng, f"{module}.{cls}", "class", module, page))
            methods: set[str] = set()
            for _ in range(9):
                meth = _unique(methods, f"{rng.choice(VERBS)}_{rng.choice(NOUNS)}")
                records.append(
                    _record(rng, f"{module}.{cls}.{meth}", "method", module, page)
                )
    records = records[:count]
    names_all = [r.qualname for r in records]
    return [
        SearchRecord(
            qualname=r.qualname,
            kind=r.kind,
            module=r.module,
            page=r.page,
            signature=r.signature,
            summary=r.summary,
            generated=r.generated,
            quality=r.quality,
            calls=tuple(rng.sample(names_all, rng.randint(0, 3))),
        )
        for r in records
    ]


def _unique(taken: set[str], name: str) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}{n}", n + 1
    taken.add(candidate)
    return candidate


def _record(
    rng: random.Random, qualname: str, kind: str, module: str, page: str
) -> SearchRecord:
    noun, other = rng.choice(NOUNS), rng.choice(NOUNS)
    verb = qualname.rpartition(".")[2].split("_")[0]
    params = ", ".join(f"{n}_id: int" for n in rng.sample(NOUNS, rng.randint(0, 3)))
    if kind == "method":
        params = "self" + (", " + params if params else "")
    summary = (
        f"{verb.capitalize()} the {noun} {rng.choice(LINKS)} the {other}"
        f"{rng.choice(EXTRA)}."
        if kind != "class"
        else f"Keeps {noun} and {other} records together{rng.choice(EXTRA)}."
    )
    return SearchRecord(
        qualname=qualname,
        kind=kind,
        module=module,
        page=page,
        signature=f"({params}) -> {noun.title()} | None",
        summary=summary,
        generated=rng.random() < 0.3,
        quality=rng.randint(40, 100),
    )


def build_demo() -> Path:
    """Build demo_project with the real extension; return the HTML folder."""
    source = WORK / "demo"
    if source.exists():
        shutil.rmtree(source)
    (WORK).mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "demo_project" / "docs", source / "docs")
    shutil.copytree(ROOT / "demo_project" / "inventory", source / "inventory")
    for stale in ("_build", "_aidoc"):
        shutil.rmtree(source / "docs" / stale, ignore_errors=True)
    out = source / "docs" / "_build" / "html"
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", "docs", str(out)],
        cwd=source,
        check=True,
    )
    return out


def index_figures(records: list[SearchRecord]) -> tuple[dict[str, Any], str]:
    started = time.perf_counter()
    index = build_index(records)
    text = dumps_index(index)
    elapsed = time.perf_counter() - started
    raw = len(text.encode("utf-8"))
    packed = len(gzip.compress(text.encode("utf-8"), compresslevel=9))
    n = len(records)
    print(f"index: {n} synthetic objects through build_index/dumps_index")
    print(f"  index.json: {raw:,} bytes = {raw / n:.1f} bytes/object raw")
    print(f"  gzipped:    {packed:,} bytes = {packed / n:.1f} bytes/object")
    print(f"  built and serialised in {elapsed * 1000:.0f} ms (Python)")
    return index, text


def time_to_first_result(
    driver: WebDriver, base: str, records: list[SearchRecord], repeat: int
) -> None:
    rng = random.Random(3)
    sample = rng.sample(records, 5)
    names = [r.qualname.rpartition(".")[2] for r in sample]
    queries = {
        "exact name": names,
        "prefix": [n[:4] for n in names],
        "typo": [n[:2] + n[3] + n[2] + n[4:] for n in names],
        "summary word": [r.summary.split()[3].strip(".,") for r in sample],
        "one letter": ["g", "s", "p", "u", "r"],
    }
    driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument", {"source": READY_JS}
    )
    driver.get(base + "aidoc-search.html")
    ready = None
    for _ in range(200):
        ready = driver.execute_script("return window.aidocReadyAt || null")
        if ready:
            break
        time.sleep(0.05)
    size = driver.execute_script(
        "var e = performance.getEntriesByType('resource').filter("
        "function (r) { return r.name.indexOf('index.js') >= 0; })[0];"
        "return e ? [e.duration, e.transferSize] : null"
    )
    print(
        f"browser: index.js loaded, parsed and prepared {ready:.0f} ms after navigation"
    )
    if size:
        print(f"  (index.js request {size[0]:.0f} ms, {size[1]:,} bytes over loopback)")
    all_dom: list[float] = []
    all_frame: list[float] = []
    print(
        f"time to first result, {len(records)} objects, median of {repeat} runs each:"
    )
    for label, group in queries.items():
        dom: list[float] = []
        frame: list[float] = []
        counts: list[int] = []
        for query in group:
            for _ in range(repeat):
                d, f, c = driver.execute_async_script(MEASURE_JS, query)
                dom.append(d)
                frame.append(f)
                counts.append(c)
        all_dom += dom
        all_frame += frame
        print(
            f"  {label:<13} results in DOM {statistics.median(dom):6.1f} ms, "
            f"painted frame {statistics.median(frame):6.1f} ms "
            f"(queries {', '.join(group)}; shown {min(counts)}-{max(counts)})"
        )
    print(
        f"  all queries   results in DOM {statistics.median(all_dom):6.1f} ms "
        f"(max {max(all_dom):.1f}), painted frame {statistics.median(all_frame):6.1f} ms"
    )


def ranking(driver: WebDriver, base: str) -> None:
    driver.get(base + "aidoc-search.html")
    for _ in range(200):
        if driver.execute_script("return !!window.AIDOC_INDEX"):
            break
        time.sleep(0.05)
    hits = 0
    print(f"ranking: {len(DEMO_QUERIES)} queries over demo_project")
    for query, expected in DEMO_QUERIES:
        top = driver.execute_script(TOP_JS, query)
        ok = top == expected
        hits += ok
        print(
            f"  {'ok  ' if ok else 'MISS'} {query!r:<26} -> {top}"
            + ("" if ok else f" (wanted {expected})")
        )
    print(
        f"  top-1: {hits}/{len(DEMO_QUERIES)} = {100 * hits / len(DEMO_QUERIES):.0f}%"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    records = synthetic_records(args.objects)
    index, _ = index_figures(records)
    problem = browser_problem()
    if problem:
        print(f"no browser figures: {problem}")
        return 1
    demo = build_demo()
    synth = WORK / "synth"
    shutil.rmtree(synth, ignore_errors=True)
    shutil.copytree(demo, synth)
    write_index(synth / "_static" / "aidoc", index)
    with (
        tempfile.TemporaryDirectory() as profile,
        chromium(Path(profile)) as driver,
        serve(synth) as synth_base,
        serve(demo) as demo_base,
    ):
        time_to_first_result(driver, synth_base, records, args.repeat)
        ranking(driver, demo_base)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
