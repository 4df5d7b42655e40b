"""Two people in real headless Chromium: sign up, post, like, comment, get notified; and text
that looks like HTML or script stays inert."""

from __future__ import annotations

from pathlib import Path

import pytest

from social import accounts, migrate
from social.comments import add_comment
from social.db import make_engine, unit_of_work
from social.posts import publish_post
from social.settings import get_settings
from tests.browser import CHROMIUM, CHROMIUM_ARGS, plaza_server
from tests.test_ui_app import PASSWORD, png_bytes

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser
expect = playwright_api.expect
XSS = "<img src=x onerror=alert(1)>"

if not Path(CHROMIUM).exists():  # CI installs it; say so loudly rather than pass silently
    pytest.fail(
        f"Chromium not found at {CHROMIUM}; install Debian's chromium package", pytrace=False
    )


@pytest.fixture
def browser(data_dir: Path):
    """A Plaza server and a Chromium; `browser.url` is the server's address."""
    with plaza_server(data_dir) as url, playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        chromium.url = url  # type: ignore[attr-defined]
        yield chromium
        chromium.close()


def open_page(browser, path: str = "/"):
    """A fresh browser session (its own cookies, so its own Plaza session) at `path`."""
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(30_000)
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(browser.url + path)
    expect(page.get_by_role("heading", name="Plaza", exact=True)).to_be_visible()
    return page


def sign_up(page, name: str) -> None:
    """Create the account `name` in the sidebar's Sign up tab."""
    page.get_by_role("tab", name="Sign up").click()
    page.locator(".st-key-sign-up-name input").fill(name)
    page.locator(".st-key-sign-up-password input").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text(f"Signed in as @{name}")).to_be_visible()


def record_reruns(page) -> list[str]:
    """The fragment id of every rerun the page asks for ("" when the whole app reruns)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    reruns: list[str] = []

    def on_frame(payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            message = BackMsg()
            message.ParseFromString(payload)
            if message.WhichOneof("type") == "rerun_script":
                reruns.append(message.rerun_script.fragment_id)

    page.on("websocket", lambda socket: socket.on("framesent", on_frame))
    return reruns


def test_post_then_another_user_likes_and_comments_and_the_author_is_notified(browser) -> None:
    ana = open_page(browser)
    sign_up(ana, "ana")
    chat_box = ana.get_by_placeholder("Describe an image", exact=False)
    chat_box.fill("a poster of a red fox at dawn, watercolor")
    chat_box.press("Enter")
    ana.get_by_role("button", name="Share", exact=True).click(timeout=60_000)
    post = ana.locator(".st-key-post-1")
    expect(post.get_by_role("button", name="@ana")).to_be_visible()

    bo = open_page(browser)
    reruns = record_reruns(bo)
    bo.reload()
    sign_up(bo, "bo")
    card = bo.locator(".st-key-post-1")
    like = card.locator(".st-key-card-1-like button:visible")
    expect(like).to_have_text("favorite_border 0")
    before = len(reruns)
    assert "" in reruns  # signing up reran the whole app: the recorder sees reruns
    like.click()
    expect(like).to_have_text("favorite 1")  # the count changes at once
    assert reruns[before:] and all(reruns[before:]), reruns  # only the feed fragment reran

    card.locator(".st-key-card-1-comments button:visible").click()
    expect(bo).to_have_url(f"{browser.url}/?post=1")
    bo.locator(".st-key-comment-1-text textarea").fill("What a glow! <b>wow</b>")
    bo.get_by_role("button", name="Comment", exact=True).click()
    expect(bo.get_by_text("What a glow! <b>wow</b>")).to_be_visible()
    expect(bo.get_by_text("Comments (1)")).to_be_visible()

    # Ana's page was not touched: the badge's own timer brings the news.
    entry = ana.locator(".st-key-open-notifications button")
    expect(entry).to_contain_text("2 new", timeout=40_000)
    entry.click()
    expect(ana.get_by_text("@bo liked your post")).to_be_visible()
    expect(ana.get_by_text("@bo commented on your post")).to_be_visible()
    expect(entry).not_to_contain_text("new")
    ana.get_by_text("@bo commented on your post").click()
    expect(ana.get_by_text("What a glow! <b>wow</b>")).to_be_visible()
    assert ana.dialogs == [] and bo.dialogs == []


def test_html_in_captions_and_comments_is_shown_as_text_and_never_runs(browser) -> None:
    engine = make_engine(get_settings().url)
    migrate.upgrade(engine)
    with unit_of_work(engine) as session:
        accounts.sign_up(session, name="mallory", password=PASSWORD)
        publish_post(session, author="mallory", caption=XSS, prompt=XSS, image_bytes=png_bytes(1))
        add_comment(session, user="mallory", post_id=1, body=f"{XSS}<script>alert(2)</script>")
    engine.dispose()
    for path in ("/", "/?post=1"):
        page = open_page(browser, path)
        expect(page.get_by_text(XSS, exact=True).first).to_be_visible()
        page.wait_for_timeout(1000)  # give any injected handler time to fire
        assert page.dialogs == []
        expect(page.locator('img[src="x"]')).to_have_count(0)
        expect(page.locator("script", has_text="alert")).to_have_count(0)
    expect(page.get_by_text(f"{XSS}<script>alert(2)</script>")).to_be_visible()
