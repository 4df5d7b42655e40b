"""Search, steering and "More like this" on the page, through AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from social import migrate
from social.db import default_engine, unit_of_work
from social.posts import publish_post
from tests.accounts import ensure_account
from tests.openai_server import make_png
from tests.test_ui_app import APP, markdown_text

POSTS = {
    "cafe": ("ana", "Rain streaking the window of my favourite coffee shop #cozy"),
    "car": ("bo", "Red sports car tearing down an empty highway #cars"),
    "fox": ("ana", "A watercolor fox curled up asleep in fresh snow #fox"),
    "truck": ("bo", "Vintage pickup truck parked by a barn #cars"),
}


@pytest.fixture
def ids() -> dict[str, int]:
    engine = default_engine()
    migrate.upgrade(engine)
    with unit_of_work(engine) as session:
        for author in {author for author, _ in POSTS.values()}:
            ensure_account(session, author)
        return {
            key: publish_post(
                session, author=author, caption=caption, image_bytes=make_png(8, 8, caption)
            ).id
            for key, (author, caption) in POSTS.items()
        }


def page(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> list[str]:
    """Which of POSTS the page shows, top to bottom, by their captions' words."""
    text = markdown_text(at)
    found = {key: text.find(caption.split(" #")[0]) for key, (_, caption) in POSTS.items()}
    return sorted((key for key, at_index in found.items() if at_index >= 0), key=found.__getitem__)


def test_search_by_meaning_replaces_the_feed_until_cleared(ids: dict[str, int]) -> None:
    at = page()
    assert set(shown(at)) == set(POSTS)
    at.text_input(key="feed-search-query").set_value("cozy rainy cafés").run()
    assert not at.exception, at.exception
    assert "Results for “cozy rainy cafés”" in "\n".join(s.value for s in at.subheader)
    assert shown(at)[0] == "cafe"  # best match first, though no word of the query is in it
    at.text_input(key="feed-search-query").set_value("").run()
    assert set(shown(at)) == set(POSTS)
    assert "Plaza feed" in [s.value for s in at.subheader]


def test_search_filters_by_author_and_hashtag(ids: dict[str, int]) -> None:
    at = page()
    at.text_input(key="feed-search-author").set_value("bo")
    at.text_input(key="feed-search-query").set_value("snow animal").run()
    assert set(shown(at)) == {"car", "truck"}
    at.text_input(key="feed-search-author").set_value("")
    at.text_input(key="feed-search-tag").set_value("#fox").run()
    assert shown(at) == ["fox"]


def test_steering_shows_what_was_understood_and_undo_restores(ids: dict[str, int]) -> None:
    at = page()
    at.text_input(key="feed-steer-text").set_value("more watercolor, fewer cars").run()
    assert not at.exception, at.exception
    assert "boosting: watercolor · hiding: cars" in markdown_text(at)
    assert "car" not in shown(at) and "truck" not in shown(at)
    assert shown(at)[0] == "fox"
    at.button(key="feed-steer-undo").click().run()
    assert set(shown(at)) == set(POSTS)
    assert at.text_input(key="feed-steer-text").value == ""


def test_steering_that_says_nothing_is_refused_in_place(ids: dict[str, int]) -> None:
    at = page()
    at.text_input(key="feed-steer-text").set_value("more , fewer").run()
    assert "more watercolor, fewer cars" in "\n".join(e.value for e in at.error)
    assert set(shown(at)) == set(POSTS)


def test_post_page_shows_more_like_this(ids: dict[str, int]) -> None:
    at = page(post=str(ids["car"]))
    assert "**More like this**" in markdown_text(at)
    opened = [
        b.key for b in at.button if b.key and b.key.startswith(f"more-like-{ids['car']}-open-")
    ]
    assert opened[0] == f"more-like-{ids['car']}-open-{ids['truck']}"
    assert f"more-like-{ids['car']}-open-{ids['car']}" not in opened


def test_an_answer_from_the_feed_lists_its_sources_and_remixes_one(ids: dict[str, int]) -> None:
    at = page()
    at.chat_input[0].set_value("what are people posting about foxes this week?").run()
    assert not at.exception, at.exception
    keys = [(b, b.key or "") for b in at.button]
    sources = [b for b, key in keys if key.startswith("cite-") and "remix" not in key]
    assert sources and sources[0].label.startswith("@ana: A watercolor fox")
    remix = next(b for b in at.button if (b.key or "").startswith("cite-remix-"))
    remix.click().run()
    assert at.session_state["base_image"].remix_of_id == ids["fox"]
    sources[0].click().run()
    assert at.query_params["post"] == str(ids["fox"])
