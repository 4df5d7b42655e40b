"""Model and user text carrying image markdown makes the browser fetch nothing from outside
(real headless Chromium; every outside request is counted and blocked, none is sent)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from social import accounts, migrate
from social.db import make_engine, unit_of_work
from social.posts import publish_post
from social.settings import get_settings
from tests.browser import CHROMIUM, CHROMIUM_ARGS, plaza_server
from tests.openai_server import OpenAITestServer
from tests.test_browser_social import expect, playwright_api, sign_up
from tests.test_ui_app import PASSWORD, png_bytes

pytestmark = pytest.mark.browser
TRAP = "![x](http://tracker.invalid/pixel.png)"

if not Path(CHROMIUM).exists():  # CI installs it; say so loudly rather than pass silently
    pytest.fail(
        f"Chromium not found at {CHROMIUM}; install Debian's chromium package", pytrace=False
    )


def _watched_page(pw, url: str, outside: list[str]):
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(60_000)

    def guard(route) -> None:
        if urlparse(route.request.url).hostname not in ("127.0.0.1", "localhost"):
            outside.append(route.request.url)
            route.abort()  # counted, never sent
        else:
            route.continue_()

    page.route("**/*", guard)
    page.goto(url)
    return browser, page


def test_image_markdown_in_prompts_captions_and_remixes_loads_nothing(data_dir: Path) -> None:
    engine = make_engine(get_settings().url)
    migrate.upgrade(engine)
    with unit_of_work(engine) as session:
        accounts.sign_up(session, name="mallory", password=PASSWORD)
        publish_post(
            session,
            author="mallory",
            caption=f"look {TRAP}",
            prompt=f"a fox {TRAP}",
            model="test-painter",
            image_bytes=png_bytes(3),
        )
    engine.dispose()
    outside: list[str] = []
    with plaza_server(data_dir) as url, playwright_api.sync_playwright() as pw:
        browser, page = _watched_page(pw, url, outside)
        expect(page.locator(".st-key-post-1")).to_be_visible()
        sign_up(page, "ana")
        box = page.get_by_placeholder("Describe an image", exact=False)
        box.fill(f"a red fox {TRAP}")
        box.press("Enter")
        expect(page.get_by_role("button", name="Share", exact=True)).to_be_visible()
        page.locator(".st-key-card-1-remix button:visible").click()  # its prompt has the trap
        box.fill(f"make it wider {TRAP}")
        box.press("Enter")
        expect(page.get_by_text("Made from:", exact=False).first).to_be_visible()
        page.goto(url + "/?post=1")
        expect(page.get_by_text("Comments (0)")).to_be_visible()
        browser.close()
    assert outside == [], outside


def test_a_models_image_markdown_loads_nothing(data_dir: Path) -> None:
    outside: list[str] = []
    server = OpenAITestServer().start()
    env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "test-key"}
    try:
        server.queue_chat_text(f"Here you go {TRAP} and [a link](http://tracker.invalid/x).")
        with plaza_server(data_dir, env) as url, playwright_api.sync_playwright() as pw:
            browser, page = _watched_page(pw, url, outside)
            box = page.get_by_placeholder("Describe an image", exact=False)
            box.fill("say something")
            box.press("Enter")
            answer = page.locator(".plaza-answer").last
            expect(answer).to_contain_text("a link (http://tracker.invalid/x)")
            expect(answer.locator("img")).to_have_count(0)
            expect(answer.locator("a")).to_have_count(0)
            browser.close()
    finally:
        server.stop()
    assert outside == [], outside
