"""What a new user feels in the first minutes, in real headless Chromium, as ratios:

- another user's Share to the post showing in a watching browser (no click), against the time
  the sharer's own page takes to show it;
- page load to the first feed image, against a bare Streamlit app showing one image;
- resident memory of the server with 10 open sessions, against the bare app with 10 sessions.

Run with `python -m bench.first_minutes` (part of `make bench`).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from bench.browser_timing import WAIT_MS, load_to_first_image, rss_mb
from tests.browser import CHROMIUM, CHROMIUM_ARGS, streamlit_server

SESSIONS = 10
PASSWORD = "correct horse battery"


def _sign_up(page: Page, name: str) -> None:
    page.get_by_role("tab", name="Sign up").click()
    page.locator(".st-key-sign-up-name input").fill(name)
    page.locator(".st-key-sign-up-password input").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_text(f"Signed in as @{name}").wait_for(timeout=WAIT_MS)


def _share(page: Page, prompt: str) -> None:
    box = page.get_by_placeholder("Describe an image", exact=False)
    box.fill(prompt)
    box.press("Enter")
    share = page.get_by_role("button", name="Share", exact=True).first
    share.wait_for(timeout=WAIT_MS)
    share.click()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        data = Path(folder) / "plaza"
        data.mkdir()
        with streamlit_server("ui/server.py", data) as (url, server):
            new_page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page
            ana, watcher = new_page(), new_page()
            ana.goto(url)
            _sign_up(ana, "ana")
            watcher.goto(url)
            watcher.get_by_text("Plaza feed").wait_for(timeout=WAIT_MS)
            seen, own = [], []
            for number in range(1, 4):
                _share(ana, f"a red fox number {number}")
                shared = time.perf_counter()
                ana.locator(f".st-key-post-{number}").wait_for(timeout=WAIT_MS)
                own.append(time.perf_counter() - shared)
                watcher.locator(f".st-key-post-{number}").wait_for(timeout=WAIT_MS)
                seen.append(time.perf_counter() - shared)
            loads = [
                load_to_first_image(new_page(), url, '[class*="st-key-post-"] img')
                for _ in range(3)
            ]
            pages = [new_page() for _ in range(SESSIONS)]
            for page in pages:
                page.goto(url)
                page.get_by_text("Plaza feed").wait_for(timeout=WAIT_MS)
            plaza_rss = rss_mb(server.pid)
        bare_dir = Path(folder) / "bare"
        bare_dir.mkdir()
        with streamlit_server("bench/bare_app.py", bare_dir) as (url, server):
            bare_loads = [
                load_to_first_image(new_page(), url, '[data-testid="stImage"] img')
                for _ in range(3)
            ]
            for _ in range(SESSIONS):
                page = new_page()
                page.goto(url)
                page.get_by_text("Bare").wait_for(timeout=WAIT_MS)
            bare_rss = rss_mb(server.pid)
        browser.close()
    share_s, own_s = statistics.median(seen), statistics.median(own)
    load_s, bare_s = statistics.median(loads), statistics.median(bare_loads)
    print(
        f"another user's Share → post in a watching browser: {share_s:.1f} s "
        f"(the sharer's own page: {own_s:.1f} s → {share_s / own_s:.1f}×)"
    )
    print(
        f"page load → first feed image: {load_s:.2f} s "
        f"(bare Streamlit app with one image: {bare_s:.2f} s → {load_s / bare_s:.1f}×)"
    )
    print(
        f"server memory with {SESSIONS} open sessions: {plaza_rss:.0f} MB "
        f"(bare app: {bare_rss:.0f} MB → {plaza_rss / bare_rss:.1f}×)"
    )


if __name__ == "__main__":
    main()
