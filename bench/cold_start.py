"""Cold start and memory, in real headless Chromium: from `streamlit run ui/server.py` to the
first full page (the chat input and the feed's first image shown, with 20 posts in the feed),
and the server's resident memory then, against a bare Streamlit app showing one image
(bench/bare_app.py). Plaza and the bare app are started alternately, a fresh process each time.

Run with `python -m bench.cold_start` (SQLite and the local PostgreSQL server).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from bench.browser_timing import WAIT_MS, rss_mb, wait_for_image
from bench.report import Figure, markdown
from bench.sandbox import POSTGRES_URL, plaza_sandbox, png_bytes
from social import accounts, migrate
from social.db import default_engine, unit_of_work
from social.posts import publish_post
from social.settings import get_settings
from tests.browser import CHROMIUM, CHROMIUM_ARGS, streamlit_server

POSTS = 20
STARTS = 3
PLAZA = "ui/server.py"
BARE = "bench/bare_app.py"
FEED_IMAGE = '[class*="st-key-post-"] img'
BARE_IMAGE = '[data-testid="stImage"] img'


def run(*, smoke: bool = False, postgres_url: str | None = None) -> list[Figure]:
    """Cold starts on SQLite, and on PostgreSQL at `postgres_url` if given; smoke: one each."""
    starts = 1 if smoke else STARTS
    databases: list[tuple[str, str | None]] = [("SQLite", None)]
    if postgres_url:
        databases.append(("PostgreSQL", postgres_url))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return [
                figure
                for database, url in databases
                for figure in measure(browser, starts, database, url)
            ]
        finally:
            browser.close()


def measure(browser: Browser, starts: int, database: str, postgres_url: str | None) -> list[Figure]:
    """Seconds to the first full page and MB resident after it, Plaza against the bare app."""
    with plaza_sandbox(postgres_url) as data:
        _seed()
        server_env = {"DATABASE_URL": get_settings().url} if postgres_url else {}
        bare_data = data.parent / "bare"
        bare_data.mkdir()
        plaza_runs, bare_runs = [], []
        for _ in range(starts):
            plaza_runs.append(cold_start(browser, PLAZA, data, server_env, _plaza_shown))
            bare_runs.append(cold_start(browser, BARE, bare_data, {}, _bare_shown))
    seconds, mb = (statistics.median(values) for values in zip(*plaza_runs, strict=True))
    bare_seconds, bare_mb = (statistics.median(values) for values in zip(*bare_runs, strict=True))
    return [
        Figure(
            f"cold start to first full page, {database}",
            "bare Streamlit app",
            seconds,
            bare_seconds,
            unit="s",
        ),  # fmt: skip
        Figure(
            f"resident memory after the first page, {database}",
            "bare Streamlit app",
            mb,
            bare_mb,
            unit="MB",
        ),  # fmt: skip
    ]


def cold_start(
    browser: Browser, script: str, data: Path, env: dict[str, str], shown: Callable[[Page], None]
) -> tuple[float, float]:
    """Start `script`'s server, open its page and wait until `shown`: (seconds, resident MB)."""
    start = time.perf_counter()
    with streamlit_server(script, data, env) as (url, server):
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        page.goto(url)
        shown(page)
        seconds = time.perf_counter() - start
        memory = rss_mb(server.pid)
        context.close()
    return seconds, memory


def _plaza_shown(page: Page) -> None:
    page.locator('[data-testid="stChatInput"]').wait_for(state="visible", timeout=WAIT_MS)
    wait_for_image(page, FEED_IMAGE)


def _bare_shown(page: Page) -> None:
    wait_for_image(page, BARE_IMAGE)


def _seed() -> None:
    """An author and POSTS posts (768² pictures), in the sandbox's database."""
    engine = default_engine()
    migrate.upgrade(engine)
    with unit_of_work(engine) as session:
        accounts.sign_up(session, name="ana", password="correct horse battery")
        for i in range(POSTS):
            publish_post(session, author="ana", caption=f"Post {i}: a walk #sea", model="bench",
                         image_bytes=png_bytes(i))  # fmt: skip


if __name__ == "__main__":
    print(markdown(run(postgres_url=POSTGRES_URL)))
