"""Reporting, muting and blocking from the page, the sidebar's undo, and the moderators' page
through AppTest."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from social.comments import add_comment, list_comments
from social.moderators import hide_item, moderation_queue, set_moderator
from social.notifications import list_notifications
from social.posts import latest_feed
from social.relations import related_names
from social.reports import report_post
from tests.test_ui_app import markdown_text, open_section
from tests.test_ui_social import captions, click, errors, labels, page, run, seed
from ui.relations_sidebar import OPEN_KEY


def feed_ids(viewer: str | None) -> list[int]:
    return [p.id for p in run(lambda s: latest_feed(s, viewer=viewer)).posts]


def warnings(at: AppTest) -> str:
    return "\n".join(w.value for w in at.warning)


def test_mute_from_a_card_hides_them_and_the_sidebar_undoes_it() -> None:
    ids = seed()
    at = page("ana")
    click(open_section(at, f"card-{ids['bo']}-more"), f"card-{ids['bo']}-mute")
    assert feed_ids("ana") == [ids["ana"]]
    assert f"card-{ids['bo']}-like" not in [b.key for b in at.button]
    assert "unmute-bo" in [b.key for b in open_section(at, OPEN_KEY).sidebar.button]
    at.sidebar.button(key="unmute-bo").click().run()
    assert run(lambda s: related_names(s, user="ana", relation="mute")) == []
    assert f"card-{ids['bo']}-like" in [b.key for b in at.button]
    assert f"card-{ids['bo']}-mute" not in [b.key for b in at.button]  # its menu closed


def test_block_from_a_post_page_returns_to_the_feed_and_stops_comments() -> None:
    ids = seed()
    at = page("bo", post=str(ids["ana"]))
    click(open_section(at, f"page-{ids['ana']}-more"), f"page-{ids['ana']}-block")
    assert at.query_params.get("post") is None
    assert "unblock-ana" in [b.key for b in open_section(at, OPEN_KEY).sidebar.button]
    assert feed_ids("ana") == [ids["ana"]]  # bo is hidden from ana too
    at = page("bo", post=str(ids["ana"]))
    assert "does not exist" in errors(at)


def test_report_a_comment_hides_it_for_the_reporter() -> None:
    ids = seed("ana", "bo", "cy")
    post = ids["ana"]
    comment = run(lambda s: add_comment(s, user="cy", post_id=post, body="buy my stuff"))
    at = page("bo", post=str(post))
    assert "report-comment-" + str(comment.id) in [b.key for b in at.button]
    at.text_input(key=f"report-comment-{comment.id}-reason").set_value("advert")
    click(at, f"report-comment-{comment.id}")
    assert "buy my stuff" not in markdown_text(at)
    assert run(lambda s: list_comments(s, post, viewer="bo")).comments == []
    assert [c.body for c in run(lambda s: list_comments(s, post, viewer="ana")).comments] == [
        "buy my stuff"
    ]
    at = page("cy", post=str(post))  # one's own comment has no Report
    assert f"report-comment-{comment.id}" not in [b.key for b in at.button]


def test_the_moderation_page_is_for_moderators_only() -> None:
    seed()
    at = page("ana")
    assert "open-moderation" not in [b.key for b in at.sidebar.button]
    at = page("ana", view="moderation")
    assert any("Only moderators" in i.value for i in at.info)


def test_moderator_hides_a_reported_post_and_its_author_sees_why() -> None:
    ids = seed("ana", "bo", "mod")
    run(lambda s: set_moderator(s, name="mod"))
    run(lambda s: report_post(s, user="bo", post_id=ids["ana"], reason="spam"))
    at = page("mod")
    assert any("1 open" in label for label in labels(at))
    click(at, "open-moderation")
    assert at.query_params.get("view") == "moderation"
    key = f"mod-post-{ids['ana']}"
    assert "@bo" in captions(at) and "spam" in captions(at)
    click(at, f"{key}-hide")
    assert "The reason is empty" in errors(at)  # said in place; nothing changed
    at.text_input(key=f"{key}-reason").set_value("Looks like spam")
    click(at, f"{key}-hide")
    assert run(lambda s: moderation_queue(s, moderator="mod")) == []
    assert any("No open reports" in i.value for i in at.info)
    assert ids["ana"] not in feed_ids(None)

    at = page("ana", post=str(ids["ana"]))
    assert "Reason: Looks like spam" in warnings(at)
    [note] = run(lambda s: list_notifications(s, user="ana")).notifications
    assert note.kind == "hidden"
    at = page("ana", view="notifications")
    assert any("A moderator hid your post" in label for label in labels(at))


def test_moderator_suspends_and_unsuspends_from_the_queue() -> None:
    ids = seed("ana", "bo", "mod")
    run(lambda s: set_moderator(s, name="mod"))
    run(lambda s: report_post(s, user="bo", post_id=ids["ana"], reason="spam account"))
    at = page("mod", view="moderation")
    key = f"mod-post-{ids['ana']}"
    at.text_input(key=f"{key}-reason").set_value("Spam account")
    click(at, f"{key}-suspend")
    assert feed_ids(None) == [ids["mod"], ids["bo"]]
    assert "unsuspend-ana" in [b.key for b in at.button]
    click(at, "unsuspend-ana")
    assert ids["ana"] in feed_ids(None)


def test_a_hidden_comment_shows_its_author_the_reason() -> None:
    ids = seed("ana", "cy", "mod")
    run(lambda s: set_moderator(s, name="mod"))
    comment = run(lambda s: add_comment(s, user="cy", post_id=ids["ana"], body="rude"))
    run(lambda s: hide_item(s, moderator="mod", kind="comment", item_id=comment.id, reason="Rude"))
    at = page("cy", post=str(ids["ana"]))
    assert "Reason: Rude" in warnings(at)
    at = page("ana", post=str(ids["ana"]))
    assert "Reason: Rude" not in warnings(at) and "rude" not in markdown_text(at)
