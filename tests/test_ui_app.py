"""The page through Streamlit's AppTest: prompt → image and captions → Share → feed."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from assistant.conversation import turns_from_messages
from assistant.requests import Turn
from social import migrate
from social.db import default_engine, unit_of_work
from social.posts import latest_feed, publish_post
from social.sessions import open_session
from tests.accounts import make_accounts
from ui.format import WORD_JOINER
from ui.identity import SESSION_KEY, USER_KEY

APP = str(Path(__file__).parent.parent / "ui" / "app.py")
PASSWORD = "correct horse battery"


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    return at.run()


def signed_in(at: AppTest, name: str) -> AppTest:
    """`at` with a server-side session of the existing account `name`, as after a sign-in."""
    with unit_of_work(default_engine()) as session:
        opened = open_session(session, user=name)
    at.session_state[SESSION_KEY] = opened.session_id
    at.session_state[USER_KEY] = opened.user
    return at


def sign_up(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    """Create the account `name` through the sidebar's Sign up form (and so sign in)."""
    at.text_input(key="sign-up-name").set_value(name)
    at.text_input(key="sign-up-password").set_value(password)
    button(at, "Create account").click().run()
    assert not at.exception, at.exception
    assert at.session_state["signed_in_user"].casefold() == name.casefold(), at.error
    return at


def sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    """Sign in as the existing account `name` through the sidebar's Sign in form."""
    at.text_input(key="sign-in-name").set_value(name)
    at.text_input(key="sign-in-password").set_value(password)
    button(at, "Sign in").click().run()
    assert not at.exception, at.exception
    assert at.session_state["signed_in_user"].casefold() == name.casefold(), at.error
    return at


def turns(at: AppTest) -> list[Turn]:
    """The chat's turns as the page shows them."""
    return turns_from_messages(at.session_state["history"])


def ask(at: AppTest, text: str) -> AppTest:
    at.chat_input[0].set_value(text).run()
    assert not at.exception, at.exception
    return at


def open_section(at: AppTest, key: str) -> AppTest:
    """`at` after the person opened the expander or popover `key` (which reruns the page)."""
    at.session_state[key] = True
    at.run()
    assert not at.exception, at.exception
    return at


def button(at: AppTest, label: str, nth: int = 0):
    matches = [b for b in at.button if b.label == label]
    assert len(matches) > nth, f"no button {label!r}: {[b.label for b in at.button]}"
    return matches[nth]


def feed_posts():
    with unit_of_work(default_engine()) as session:
        return latest_feed(session, limit=50).posts


def markdown_text(at: AppTest) -> str:
    """Everything the page shows as text: markdown, captions, and people's and models' text
    (without the invisible word joiners labels carry after colons)."""
    return "\n".join(
        [m.value.replace(WORD_JOINER, "") for m in at.markdown]
        + [c.value.replace(WORD_JOINER, "") for c in at.caption]
        + [html.unescape(re.sub(r"<[^>]*>", "", h.value)) for h in at.get("html")]
    )


def test_empty_page_shows_chat_feed_and_offline_label(app: AppTest) -> None:
    assert not app.exception
    assert "Offline mode" in "\n".join(c.value for c in app.caption)
    assert any("No posts yet" in i.value for i in app.info)
    assert [t.label for t in app.sidebar.tabs] == ["Sign in", "Sign up"]
    assert "signed_in_user" not in app.session_state  # a guest until they sign in


def test_prompt_then_share_puts_the_post_at_the_top_of_the_feed(app: AppTest) -> None:
    sign_up(app, "ana")
    ask(app, "a poster of a red fox at dawn, watercolor")
    assert "Caption drafts" in markdown_text(app)
    assert len(app.image) == 1
    first_caption = app.text_area[0].value
    assert "fox" in first_caption.lower()

    button(app, "Share").click().run()

    [post] = feed_posts()
    assert post.caption == first_caption and post.author == "ana"
    assert "fox" in post.prompt
    assert first_caption in markdown_text(app)  # the feed column shows it, no reload
    assert not [b for b in app.button if b.label == "Share"]  # shared once, then a link
    button(app, "Shared ✓ — view post").click().run()
    assert app.query_params["post"] == str(post.id)
    assert "AI-generated with the offline painter · 768×768" in [c.value for c in app.caption]

    app.button(key=f"page-{post.id}-open").click().run()  # the image itself opens the post
    assert app.query_params["post"] == str(post.id)


def test_edited_caption_is_what_gets_published(app: AppTest) -> None:
    sign_up(app, "ana")
    ask(app, "a lighthouse in a storm, oil painting")
    app.text_area[0].set_value("Stormy night at the lighthouse, my own words")
    button(app, "Share with this caption").click().run()

    [post] = feed_posts()
    assert post.caption == "Stormy night at the lighthouse, my own words"
    assert post.author == "ana"
    assert "@ana" in markdown_text(app)


def test_empty_caption_is_refused_with_a_message(app: AppTest) -> None:
    sign_up(app, "ana")
    ask(app, "a blue whale")
    app.text_area[0].set_value("   ")
    button(app, "Share with this caption").click().run()
    assert feed_posts() == []
    assert app.error and "caption" in app.error[0].value.lower()


def test_several_candidates_each_have_their_own_share(app: AppTest) -> None:
    sign_up(app, "ana")
    ask(app, "make me 3 square options of a neon city at night")
    shares = [b for b in app.button if b.label == "Share"]
    assert len(shares) == 3
    shares[2].click().run()
    assert len(feed_posts()) == 1
    assert len([b for b in app.button if b.label == "Share"]) == 2


def test_load_more_pages_through_older_posts() -> None:
    migrate.upgrade(default_engine())
    make_accounts(default_engine(), "bo")
    with unit_of_work(default_engine()) as session:
        for index in range(12):
            publish_post(
                session, author="bo", caption=f"post number {index}", image_bytes=png_bytes(index)
            )
    at = AppTest.from_file(APP, default_timeout=60).run()
    shown = re.findall(r"post number \d+", markdown_text(at))
    assert shown == [f"post number {i}" for i in range(11, 1, -1)]
    button(at, "Load more").click().run()
    shown = re.findall(r"post number \d+", markdown_text(at))
    assert shown == [f"post number {i}" for i in range(11, -1, -1)]
    assert not [b for b in at.button if b.label == "Load more"]


def png_bytes(seed: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (seed * 20 % 256, 80, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_use_as_base_makes_the_next_message_edit_that_image(app: AppTest) -> None:
    ask(app, "make me 2 square options of a red barn")
    first, second = [i for i in turns(app)[-1].images]
    button(app, "Use as base", nth=1).click().run()
    assert app.session_state["base_image"].sha256 == second.sha256
    assert "Your next message edits this image, made from:" in markdown_text(app)

    ask(app, "make it black and white")

    edited = turns(app)[-1].images
    assert len(edited) == 1 and edited[0].sha256 not in (first.sha256, second.sha256)
    calls = [m for m in app.session_state["history"] if getattr(m, "tool_calls", None)]
    edit_call = calls[-1].tool_calls[0]
    assert edit_call["name"] == "edit_image" and edit_call["args"]["image_ref"] == second.ref
    assert len([b for b in app.button if b.label == "Share"]) == 3


def test_provider_failure_shows_retry_and_retry_recovers(openai_server, monkeypatch) -> None:
    monkeypatch.setenv("PLAZA_MAX_RETRIES", "0")
    openai_server.fail_next(status=500, route="chat")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert "127.0.0.1" in "\n".join(s.value for s in at.sidebar.success)
    ask(at, "a red fox")
    assert at.error and "retry" in at.error[0].value.lower()
    assert turns(at)[0].text == "a red fox"  # the request is kept

    openai_server.queue_chat_text("Fine now, here you go.")
    button(at, "Retry").click().run()

    assert not at.error
    assert [t.role for t in turns(at)] == ["user", "assistant"]
    assert "Fine now, here you go." in markdown_text(at)
