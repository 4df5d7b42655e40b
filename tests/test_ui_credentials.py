"""Content Credentials and prompt visibility on the page (AppTest): the AI badge and a summary
on feed cards and post pages, none on a person's photo; Share can keep the prompt private."""

from __future__ import annotations

import io

from PIL import Image as PILImage

from social import accounts, migrate
from social.db import default_engine, unit_of_work
from social.posts import publish_post
from tests.test_ui_app import PASSWORD, ask, button, feed_posts, markdown_text, png_bytes
from tests.test_ui_social import captions, page, run, seed
from ui.post_card import AI_BADGE


def badges(at) -> int:  # type: ignore[no-untyped-def]
    return sum(h.value.count(AI_BADGE) for h in at.get("html"))


def photo_post(author: str = "bo") -> int:
    migrate.upgrade(default_engine())
    with unit_of_work(default_engine()) as session:
        accounts.sign_up(session, name=author, password=PASSWORD)
        card = publish_post(session, author=author, caption="my cat", image_bytes=png_bytes(9))
    return card.id


def test_feed_card_shows_the_badge_and_credentials_but_not_on_a_photo() -> None:
    seed("ana")
    photo_post()
    at = page()
    lines = [c for c in captions(at).split("\n") if "Content Credentials" in c]
    assert len(lines) == 1  # the photo has none
    assert "AI-generated with test" in lines[0] and "Trusted" in lines[0]
    assert badges(at) == 1


def test_post_page_summarises_the_credentials_and_offers_the_signed_file() -> None:
    ids = seed("ana")
    at = page(post=str(ids["ana"]))
    text = markdown_text(at)
    assert "Content Credentials (C2PA)" in text
    assert "Credentials: Trusted, verified, signed by this Plaza" in text.replace("**", "")
    assert "trainedAlgorithmicMedia" in text and "Signed with Plaza" in text
    assert [d.label for d in at.get("download_button")] == ["Download image"]
    assert badges(at) == 1


def test_a_photo_post_page_has_no_ai_badge_or_claim() -> None:
    post_id = photo_post()
    at = page(post=str(post_id))
    text = markdown_text(at)
    assert "Photo · 64×48" in text and "None: a photo as its author uploaded it" in text
    assert "AI-generated" not in text and badges(at) == 0


def test_a_jpeg_photo_downloads_as_the_jpeg_it_is_stored_as() -> None:
    migrate.upgrade(default_engine())
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), "teal").save(buffer, format="JPEG")
    with unit_of_work(default_engine()) as session:
        accounts.sign_up(session, name="bo", password=PASSWORD)
        post = publish_post(session, author="bo", caption="cat", image_bytes=buffer.getvalue())
    [download] = page(post=str(post.id)).get("download_button")
    assert download.proto.url.endswith(".jpg")  # served as image/jpeg


def test_share_can_keep_the_prompt_to_the_author() -> None:
    migrate.upgrade(default_engine())
    run(lambda s: accounts.sign_up(s, name="ana", password=PASSWORD))
    run(lambda s: accounts.sign_up(s, name="bo", password=PASSWORD))
    at = page("ana")
    ask(at, "a red fox in the snow")
    [checkbox] = [c for c in at.checkbox if (c.key or "").startswith("prompt-public-")]
    assert checkbox.value is True  # shown unless the author says otherwise
    checkbox.uncheck().run()
    button(at, "Share").click().run()
    assert not at.exception, at.exception

    [post] = feed_posts()  # read as a guest
    assert post.prompt == "" and not post.prompt_public and post.ai_generated
    theirs = captions(page("bo", post=str(post.id))).split("\n")
    assert "The author keeps the prompt private." in theirs and "Prompt" not in theirs
    mine = page("ana", post=str(post.id))
    assert "Prompt (only you see it)" in captions(mine).split("\n")
    assert "a red fox in the snow" in markdown_text(mine)
