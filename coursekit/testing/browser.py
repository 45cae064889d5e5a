"""Debian's chromium, driven by Playwright, for the tests that need a real browser.

Imported only by browser tests (not from ``coursekit.testing``), so that grading an exercise
never pays for importing Playwright. Chromium must be installed (``apt-get install -y
chromium``; ``.ci/run`` does it): without it a browser test fails rather than skips, so a CI run
can never pass without having exercised the page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
#: Headless and quiet: without the background-networking flags chromium keeps trying to reach
#: Google's hosts, which this closed network refuses, many at a time.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium_page(**page_options: Any) -> Iterator[Page]:
    """A fresh page in a fresh headless chromium, closed on exit; options go to ``new_page``."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium with `apt-get install -y chromium`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(**page_options)
        finally:
            browser.close()
