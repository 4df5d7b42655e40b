"""Timing pages in real headless Chromium, shared by the browser benchmarks."""

from __future__ import annotations

import time
from pathlib import Path

from playwright.sync_api import Page

WAIT_MS = 120_000


def rss_mb(pid: int) -> float:
    """Resident memory of process `pid`, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wait_for_image(page: Page, image: str) -> None:
    """Wait until the first image matching the CSS selector `image` is visible and decoded."""
    page.locator(image).first.wait_for(state="visible", timeout=WAIT_MS)
    page.wait_for_function(
        "selector => { const i = document.querySelector(selector);"
        " return i && i.complete && i.naturalWidth > 0; }",
        arg=image,
        timeout=WAIT_MS,
    )


def load_to_first_image(page: Page, url: str, image: str) -> float:
    """Seconds from opening `url` to its first `image` shown."""
    start = time.perf_counter()
    page.goto(url)
    wait_for_image(page, image)
    return time.perf_counter() - start
