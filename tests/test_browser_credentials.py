"""Content Credentials in real headless Chromium: a shared picture shows the AI badge and its
credentials, and the files downloaded from the chat and from the post page validate with c2pa."""

from __future__ import annotations

import io
import json
from pathlib import Path

import c2pa
import pytest

from social.signing_keys import instance_ca_pem
from tests.test_browser_journeys import FIRST_RENDER, ask, share_first
from tests.test_browser_social import browser, expect, open_page, sign_up  # noqa: F401

pytestmark = pytest.mark.browser


def validate(data: bytes, ca_pem: str) -> dict:
    """What an outside C2PA reader says of `data`, trusting the instance's CA."""
    context = c2pa.Context.from_dict(
        {"trust": {"user_anchors": ca_pem}, "verify": {"remote_manifest_fetch": False}}
    )
    with c2pa.Reader("image/png", io.BytesIO(data), context=context) as reader:
        store = json.loads(reader.json())
        return {"state": reader.get_validation_state(), "store": store}


def test_a_shared_picture_shows_its_credentials_and_downloads_signed(
    browser,  # noqa: F811
) -> None:
    page = open_page(browser)
    sign_up(page, "ana")
    ask(page, "a red fox at dawn, watercolor")
    with page.expect_download() as from_chat:
        page.get_by_role("button", name="Download", exact=True).first.click(timeout=FIRST_RENDER)
    share_first(page)
    card = page.locator(".st-key-post-1")
    expect(card.locator(".plaza-badge")).to_have_text("AI")
    expect(card.get_by_text("Content Credentials", exact=False)).to_be_visible()

    page.goto(browser.url + "/?post=1")
    expect(page.get_by_text("Content Credentials (C2PA)")).to_be_visible(timeout=FIRST_RENDER)
    expect(page.get_by_text("verified, signed by this Plaza", exact=False)).to_be_visible()
    with page.expect_download() as from_post:
        page.get_by_role("button", name="Download image").click()

    ca_pem = instance_ca_pem()  # what `plaza ca` prints
    for download in (from_chat.value, from_post.value):
        result = validate(Path(download.path()).read_bytes(), ca_pem)
        assert result["state"] == "Trusted"
        active = result["store"]["manifests"][result["store"]["active_manifest"]]
        [actions] = [a for a in active["assertions"] if a["label"].startswith("c2pa.actions")]
        sources = [a.get("digitalSourceType", "") for a in actions["data"]["actions"]]
        assert any(source.endswith("/trainedAlgorithmicMedia") for source in sources)
