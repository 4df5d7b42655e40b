"""Refusals by moderation in the page: Share and comments say which rule, in place, and keep
what was written so it can be changed and tried again."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from social.comments import list_comments
from tests.test_ui_app import APP, ask, button, feed_posts
from tests.test_ui_social import errors, page, run, seed, signed_in
from ui.format import WORD_JOINER

REFUSED = "Not shared: this breaks the rule on profanity (a word on the profanity list)."


def shown_errors(at: AppTest) -> str:
    """The page's error messages as the person reads them (without markdown escapes)."""
    return errors(at).replace(WORD_JOINER, "").replace("\\", "")


def test_a_refused_share_says_why_keeps_the_draft_and_shares_once_edited() -> None:
    seed("ana")
    at = AppTest.from_file(APP, default_timeout=60)
    signed_in(at, "ana").run()
    ask(at, "a red fox")
    [caption] = [t for t in at.text_area if t.label == "Caption"]
    caption.set_value("What the fuck, a fox").run()
    button(at, "Share with this caption").click().run()
    assert not at.exception, at.exception
    assert REFUSED in shown_errors(at)
    assert [post.author for post in feed_posts()] == ["ana"]  # only the seeded post
    [caption] = [t for t in at.text_area if t.label == "Caption"]
    assert caption.value == "What the fuck, a fox"  # the draft is kept, open for editing
    assert [e for e in at.expander if e.label == "Edit caption"][0].proto.expanded

    caption.set_value("What a fox").run()
    button(at, "Share with this caption").click().run()
    assert not at.exception, at.exception
    assert REFUSED not in shown_errors(at)
    assert [post.caption for post in feed_posts()][0] == "What a fox"


def test_a_refused_comment_says_why_and_keeps_the_text() -> None:
    ids = seed("ana", "bo")
    at = page("bo", post=str(ids["ana"]))
    key = f"comment-{ids['ana']}"
    at.text_area(key=f"{key}-text").set_value("this is shit")
    button(at, "Comment").click().run()
    assert not at.exception, at.exception
    assert "Not posted: this breaks the rule on profanity" in shown_errors(at)
    assert at.text_area(key=f"{key}-text").value == "this is shit"
    assert run(lambda s: list_comments(s, ids["ana"])).comments == []
