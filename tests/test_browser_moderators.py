"""A report's whole way in real headless Chromium: a reader reports a post and no longer sees
it; a moderator hides it with a reason from the queue; its author sees the reason. And a block
from a card shows at once in the sidebar's open list."""

from __future__ import annotations

import pytest

from social import accounts, migrate
from social.db import make_engine, unit_of_work
from social.moderators import set_moderator
from social.posts import publish_post
from social.settings import get_settings
from tests.test_browser_social import browser, expect, open_page  # noqa: F401 (a fixture)
from tests.test_ui_app import PASSWORD, png_bytes

pytestmark = pytest.mark.browser


def sign_in(page, name: str) -> None:
    """Sign in as the existing account `name` in the sidebar's Sign in tab."""
    page.locator(".st-key-sign-in-name input").fill(name)
    page.locator(".st-key-sign-in-password input").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_text(f"Signed in as @{name}")).to_be_visible()


def test_report_then_a_moderator_hides_it_and_the_author_sees_why(browser) -> None:  # noqa: F811
    engine = make_engine(get_settings().url)
    migrate.upgrade(engine)
    with unit_of_work(engine) as session:
        for name in ("ana", "bo", "mod"):
            accounts.sign_up(session, name=name, password=PASSWORD)
        set_moderator(session, name="mod")
        publish_post(session, author="ana", caption="buy followers here", image_bytes=png_bytes(1))
    engine.dispose()

    bo = open_page(browser)
    sign_in(bo, "bo")
    card = bo.locator(".st-key-post-1")
    expect(card).to_be_visible()
    card.locator(".st-key-card-1-more button").first.click()
    bo.locator(".st-key-card-1-reason input").fill("spam")
    bo.get_by_role("button", name="Report post").click()
    expect(bo.locator(".st-key-post-1")).to_have_count(0)  # gone for bo at once

    mod = open_page(browser)
    sign_in(mod, "mod")
    expect(mod.locator(".st-key-post-1")).to_be_visible()  # everyone else still sees it
    entry = mod.locator(".st-key-open-moderation button")
    expect(entry).to_contain_text("1 open")
    entry.click()
    queued = mod.locator(".st-key-mod-post-1")
    expect(queued.get_by_text("buy followers here")).to_be_visible()
    expect(queued.get_by_text("@bo", exact=False)).to_be_visible()
    queued.locator(".st-key-mod-post-1-reason input").fill("Selling followers is spam")
    queued.get_by_role("button", name="Hide").click()
    expect(mod.get_by_text("No open reports.")).to_be_visible()

    ana = open_page(browser, "/?post=1")
    sign_in(ana, "ana")
    expect(ana.get_by_text("Reason: Selling followers is spam")).to_be_visible()
    guest = open_page(browser, "/?post=1")
    expect(guest.get_by_text("That post does not exist")).to_be_visible()
    assert bo.dialogs == mod.dialogs == ana.dialogs == []


def test_a_block_from_a_card_shows_at_once_in_the_open_sidebar_list(browser) -> None:  # noqa: F811
    engine = make_engine(get_settings().url)
    migrate.upgrade(engine)
    with unit_of_work(engine) as session:
        for name in ("ana", "bo"):
            accounts.sign_up(session, name=name, password=PASSWORD)
        publish_post(session, author="ana", caption="a quiet harbour", image_bytes=png_bytes(1))
    engine.dispose()

    bo = open_page(browser)
    sign_in(bo, "bo")
    bo.locator(".st-key-relations-open summary").click()
    expect(bo.get_by_text("Blocked: nobody")).to_be_visible()
    bo.locator(".st-key-card-1-more button").first.click()
    bo.get_by_role("button", name="Block @ana").click()
    expect(bo.locator(".st-key-post-1")).to_have_count(0)
    # The click reran the feed column only; the sidebar it changed was drawn again too.
    expect(bo.locator(".st-key-unblock-ana button").first).to_be_visible()
    expect(bo.get_by_text("Blocked: nobody")).to_have_count(0)
    assert bo.dialogs == []
