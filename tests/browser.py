"""Headless Debian Chromium for the search page tests.

The browser is the system one (``/usr/bin/chromium``), driven by Selenium
through the system ``/usr/bin/chromedriver``: Selenium Manager is skipped
because the driver path is given, so nothing is ever downloaded. When the
two are missing and we run as root with apt, :func:`browser_problem`
installs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` does the
same up front); otherwise it returns the reason to skip.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
#: As this machine's notes say: no sandbox (root), no GPU, and no
#: background traffic (the network is closed; those requests only fail).
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1200,900",
)


def _present() -> bool:
    return CHROMIUM.is_file() and CHROMEDRIVER.is_file()


@functools.cache
def browser_problem() -> str | None:
    """Return why the browser tests cannot run, or None when they can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    if _present():
        return None
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return (
            f"{CHROMIUM} or {CHROMEDRIVER} is missing and cannot be installed "
            "(needs root and apt-get: apt-get install chromium chromium-driver)"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "chromium", "chromium-driver"]
    for command in (install, ["apt-get", "update", "-q"], install):
        try:
            subprocess.run(
                command, env=env, capture_output=True, check=False, timeout=900
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"could not install chromium: {exc}"
        if _present():
            return None
    return "apt-get could not install chromium and chromium-driver"


@contextlib.contextmanager
def chromium(profile: Path) -> Iterator[Any]:
    """Start headless Chromium with a fresh profile in *profile*; yield the driver."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    # Report alerts instead of dismissing them silently, so a test sees one.
    options.unhandled_prompt_behavior = "ignore"
    driver = webdriver.Chrome(
        options=options, service=Service(executable_path=str(CHROMEDRIVER))
    )
    try:
        yield driver
    finally:
        driver.quit()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        del format, args


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve *directory* on 127.0.0.1 (a free port); yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
