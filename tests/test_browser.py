"""The main flow in a real headless Chromium: type a prompt, press Share, see the post."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, plaza_server
from tests.test_browser_social import sign_up

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():  # CI installs it; say so loudly rather than pass silently
    pytest.fail(
        f"Chromium not found at {CHROMIUM}; install Debian's chromium package", pytrace=False
    )


@pytest.fixture
def page(data_dir: Path):
    with plaza_server(data_dir) as url, playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(url)
        yield page
        page.screenshot(path=str(data_dir.parent / "last-page.png"))
        browser.close()


def test_prompt_share_and_see_the_post_in_the_feed(page) -> None:
    expect = playwright_api.expect
    expect(page.get_by_text("No posts yet")).to_be_visible()
    sign_up(page, "ana")  # only signed-in people share
    chat_box = page.get_by_placeholder("Describe an image", exact=False)
    chat_box.fill("a poster of a red fox at dawn, watercolor")
    chat_box.press("Enter")

    share = page.get_by_role("button", name="Share", exact=True)
    expect(share).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Caption drafts")).to_be_visible()
    share.click()

    post = page.locator(".st-key-post-1")
    expect(post).to_be_visible()
    expect(post.get_by_role("button", name="@ana")).to_be_visible()
    expect(post.locator(".plaza-text")).to_contain_text("fox")
    expect(post.locator(".plaza-badge")).to_have_text("AI")
    expect(post.locator("img")).to_have_count(1)
    expect(page.get_by_text("No posts yet")).to_have_count(0)
