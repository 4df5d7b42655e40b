"""Moderation in real headless Chromium: a refused Share says which rule, in place, and the
draft is shared once its caption is edited."""

from __future__ import annotations

import re

import pytest

from tests.test_browser_journeys import FIRST_RENDER, ask
from tests.test_browser_social import browser, expect, open_page, sign_up  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_refused_share_is_explained_and_the_edited_draft_shares(browser) -> None:  # noqa: F811
    page = open_page(browser)
    sign_up(page, "mo")
    ask(page, "a red fox in the snow")
    expect(page.get_by_role("button", name="Share", exact=True)).to_be_visible(timeout=FIRST_RENDER)
    page.get_by_text("Edit caption").first.click()
    caption = page.get_by_label("Caption", exact=True)
    caption.fill("What the fuck, a fox")
    caption.press("Control+Enter")
    page.get_by_role("button", name="Share with this caption").click()
    # A word joiner follows the colon (see ui.format.plain), so the text is matched around it.
    refusal = re.compile(r"Not shared:\W*this breaks the rule on profanity")
    expect(page.get_by_role("alert").filter(has_text=refusal)).to_be_visible()
    expect(page.get_by_role("button", name="Shared ✓ — view post")).to_have_count(0)
    expect(page.locator(".st-key-post-1")).to_have_count(0)

    caption = page.get_by_label("Caption", exact=True)  # still open, the draft kept
    expect(caption).to_have_value("What the fuck, a fox")
    caption.fill("What a fox")
    caption.press("Control+Enter")
    page.get_by_role("button", name="Share with this caption").click()
    expect(page.get_by_role("button", name="Shared ✓ — view post")).to_be_visible()
    expect(page.locator(".st-key-post-1").get_by_text("What a fox")).to_be_visible()
