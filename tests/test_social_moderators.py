"""Reports, the moderators' queue and actions, suspension, block and mute, and that every feed,
comment list, notification list, search and the assistant's search_feed honour them."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from assistant.feed_requests import FeedRequest
from assistant.feed_search import find_posts
from social.accounts import authenticate, sign_up
from social.comments import add_comment, list_comments
from social.db import unit_of_work
from social.errors import Forbidden, Invalid, NotFound
from social.feeds import following_feed, hashtag_feed, trending_feed, user_posts
from social.follows import follow, followers
from social.likes import like_post
from social.moderators import (
    dismiss_reports,
    hide_item,
    moderation_queue,
    restore_item,
    set_moderator,
    suspend_account,
    suspended_accounts,
    unsuspend_account,
)
from social.notifications import list_notifications, unread_count
from social.posts import get_post, latest_feed, publish_post
from social.profiles import get_profile
from social.relations import related_names, set_relation
from social.reports import list_reports, report_comment, report_post
from social.search.queries import search_posts
from tests.test_posts import png_bytes

PASSWORD = "correct horse battery"


@pytest.fixture
def post_id(engine: Engine) -> int:
    """Accounts ana, bo, cy and the moderator mod; a post by ana."""
    with unit_of_work(engine) as session:
        for name in ("ana", "bo", "cy", "mod"):
            sign_up(session, name=name, password=PASSWORD)
        set_moderator(session, name="mod")
        return publish_post(session, author="ana", caption="fox #Dawn", image_bytes=png_bytes()).id


def latest_ids(engine: Engine, viewer: str | None) -> list[int]:
    with unit_of_work(engine) as session:
        return [card.id for card in latest_feed(session, viewer=viewer).posts]


def comment_bodies(engine: Engine, post_id: int, viewer: str | None) -> list[str]:
    with unit_of_work(engine) as session:
        page = list_comments(session, post_id, viewer=viewer)
    return [c.body for c in page.comments] + [r.body for c in page.comments for r in c.replies]


def note_kinds(engine: Engine, user: str) -> list[tuple[str, str]]:
    with unit_of_work(engine) as session:
        return [(n.kind, n.actor) for n in list_notifications(session, user=user).notifications]


# --- reports --------------------------------------------------------------------------------


def test_a_report_hides_the_post_from_the_reporter_only(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session:
        report_post(session, user="bo", post_id=post_id, reason="spam")
    assert latest_ids(engine, "bo") == []
    assert latest_ids(engine, "cy") == latest_ids(engine, None) == [post_id]
    with unit_of_work(engine) as session:
        with pytest.raises(NotFound):
            get_post(session, post_id, viewer="bo")
        assert hashtag_feed(session, tag="dawn", viewer="bo").posts == []
        assert user_posts(session, name="ana", viewer="bo").posts == []
        assert trending_feed(session, viewer="bo").posts == []


def test_a_reported_comment_is_hidden_from_the_reporter(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session:
        comment = add_comment(session, user="cy", post_id=post_id, body="rude words")
        add_comment(session, user="cy", post_id=post_id, body="a reply", reply_to=comment.id)
        report = report_comment(session, user="bo", comment_id=comment.id, reason="insulting")
    assert (report.post_id, report.comment_id) == (post_id, comment.id)
    assert comment_bodies(engine, post_id, "bo") == []  # the thread goes with its comment
    assert comment_bodies(engine, post_id, "ana") == ["rude words", "a reply"]
    with unit_of_work(engine) as session:
        with pytest.raises(Invalid, match="already reported this comment"):
            report_comment(session, user="bo", comment_id=comment.id, reason="again")
    with unit_of_work(engine) as session:
        with pytest.raises(Invalid, match="your own comment"):
            report_comment(session, user="cy", comment_id=comment.id, reason="oops")
    with unit_of_work(engine) as session:
        with pytest.raises(NotFound):
            report_comment(session, user="bo", comment_id=comment.id + 99, reason="x")


# --- the queue and the moderators' actions ------------------------------------------------


def test_only_moderators_moderate(engine: Engine, post_id: int) -> None:
    actions = [
        lambda s: moderation_queue(s, moderator="bo"),
        lambda s: hide_item(s, moderator="bo", kind="post", item_id=post_id, reason="x"),
        lambda s: restore_item(s, moderator="bo", kind="post", item_id=post_id),
        lambda s: dismiss_reports(s, moderator="bo", kind="post", item_id=post_id),
        lambda s: suspend_account(s, moderator="bo", name="ana", reason="x"),
        lambda s: unsuspend_account(s, moderator="bo", name="ana"),
    ]
    for action in actions:
        with unit_of_work(engine) as session, pytest.raises(Forbidden, match="Only moderators"):
            action(session)
    with unit_of_work(engine) as session:
        set_moderator(session, name="mod", moderator=False)
    with unit_of_work(engine) as session, pytest.raises(Forbidden):
        moderation_queue(session, moderator="mod")


def test_queue_groups_open_reports_by_item(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session:
        comment = add_comment(session, user="cy", post_id=post_id, body="buy my stuff")
        report_post(session, user="bo", post_id=post_id, reason="spam")
        report_post(session, user="cy", post_id=post_id, reason="stolen picture")
        report_comment(session, user="bo", comment_id=comment.id, reason="advert")
    with unit_of_work(engine) as session:
        queue = moderation_queue(session, moderator="mod")
    assert [(item.kind, item.item_id, item.author) for item in queue] == [
        ("post", post_id, "ana"),
        ("comment", comment.id, "cy"),
    ]
    assert [r.reason for r in queue[0].reports] == ["spam", "stolen picture"]
    assert (queue[1].post_id, queue[1].text) == (post_id, "buy my stuff")
    with unit_of_work(engine) as session:
        assert dismiss_reports(session, moderator="mod", kind="comment", item_id=comment.id) == 1
        assert [item.kind for item in moderation_queue(session, moderator="mod")] == ["post"]
        assert {r.resolution for r in list_reports(session)} == {None, "dismissed"}


def test_hidden_post_shows_only_to_its_author_with_the_reason(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session:
        report_post(session, user="bo", post_id=post_id, reason="spam")
        hidden = hide_item(session, moderator="mod", kind="post", item_id=post_id, reason="Spam")
    assert hidden.hidden_reason == "Spam"
    assert latest_ids(engine, None) == latest_ids(engine, "cy") == []
    with unit_of_work(engine) as session:
        card = get_post(session, post_id, viewer="ana")
        assert card.hidden_reason == "Spam"
        assert moderation_queue(session, moderator="mod") == []
        assert [r.resolution for r in list_reports(session)] == ["hidden"]
        with pytest.raises(NotFound):
            like_post(session, user="cy", post_id=post_id)
    assert note_kinds(engine, "ana") == [("hidden", "mod")]
    with unit_of_work(engine) as session:
        restored = restore_item(session, moderator="mod", kind="post", item_id=post_id)
    assert restored.hidden_reason is None
    assert latest_ids(engine, "cy") == [post_id]
    assert latest_ids(engine, "bo") == []  # bo reported it: it stays out of bo's sight
    with unit_of_work(engine) as session:
        assert get_post(session, post_id, viewer="ana").hidden_reason is None


def test_hidden_comment_shows_only_to_its_author(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session:
        comment = add_comment(session, user="cy", post_id=post_id, body="rude")
        hide_item(session, moderator="mod", kind="comment", item_id=comment.id, reason="Insult")
    assert comment_bodies(engine, post_id, "ana") == comment_bodies(engine, post_id, None) == []
    with unit_of_work(engine) as session:
        [own] = list_comments(session, post_id, viewer="cy").comments
    assert own.hidden_reason == "Insult"
    # The post's author no longer sees the comment's notification; cy hears why.
    assert note_kinds(engine, "ana") == []
    assert note_kinds(engine, "cy") == [("hidden", "mod")]


def test_suspended_account_cannot_sign_in_or_write_and_its_posts_go(
    engine: Engine, post_id: int
) -> None:
    with unit_of_work(engine) as session:
        add_comment(session, user="ana", post_id=post_id, body="my own words")
        like_post(session, user="bo", post_id=post_id)
        report_post(session, user="cy", post_id=post_id, reason="spam account")
        suspend_account(session, moderator="mod", name="ana", reason="Spam account")
    with unit_of_work(engine) as session:
        assert [(a.name, a.reason) for a in suspended_accounts(session, moderator="mod")] == [
            ("ana", "Spam account")
        ]
        assert moderation_queue(session, moderator="mod") == []
    suspended = "suspended by a moderator: Spam account"
    writes = [
        lambda s: authenticate(s, name="ana", password=PASSWORD),
        lambda s: publish_post(s, author="ana", caption="again", image_bytes=png_bytes()),
        lambda s: add_comment(s, user="ana", post_id=post_id, body="hi"),
        lambda s: like_post(s, user="ana", post_id=post_id),
    ]
    for write in writes:
        with unit_of_work(engine) as session, pytest.raises(Forbidden, match=suspended):
            write(session)
    assert latest_ids(engine, None) == latest_ids(engine, "bo") == []
    assert note_kinds(engine, "bo") == []
    with unit_of_work(engine) as session:
        assert get_profile(session, "ana", viewer="bo").post_count == 0
    with unit_of_work(engine) as session:
        unsuspend_account(session, moderator="mod", name="ana")
    with unit_of_work(engine) as session:
        authenticate(session, name="ana", password=PASSWORD)
    assert latest_ids(engine, "bo") == [post_id]


def test_a_moderator_cannot_suspend_themself(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session, pytest.raises(Invalid):
        suspend_account(session, moderator="mod", name="mod", reason="x")
    with unit_of_work(engine) as session, pytest.raises(Invalid, match="reason"):
        hide_item(session, moderator="mod", kind="post", item_id=post_id, reason="  ")
    with unit_of_work(engine) as session, pytest.raises(Invalid):
        hide_item(session, moderator="mod", kind="user", item_id=1, reason="x")  # type: ignore[arg-type]


# --- block and mute -------------------------------------------------------------------------


def test_mute_hides_posts_comments_and_notifications_for_the_muter(
    engine: Engine, post_id: int
) -> None:
    with unit_of_work(engine) as session:
        cy_post = publish_post(session, author="cy", caption="cy's fox", image_bytes=png_bytes()).id
        add_comment(session, user="bo", post_id=cy_post, body="bo was here")
        like_post(session, user="bo", post_id=post_id)
        assert set_relation(session, user="ana", name="@bo", relation="mute").active
    assert comment_bodies(engine, cy_post, "ana") == []
    assert comment_bodies(engine, cy_post, "cy") == ["bo was here"]
    assert note_kinds(engine, "ana") == []
    with unit_of_work(engine) as session:
        assert unread_count(session, user="ana") == 0
        set_relation(session, user="bo", name="cy", relation="mute")
        assert related_names(session, user="bo", relation="mute") == ["cy"]
        # Muting is one way: bo still sees ana, and may still comment.
        add_comment(session, user="bo", post_id=post_id, body="still here")
    assert latest_ids(engine, "bo") == [post_id]
    with unit_of_work(engine) as session:
        set_relation(session, user="ana", name="bo", relation="mute", active=False)
    assert note_kinds(engine, "ana") == [("comment", "bo"), ("like", "bo")]


def test_block_works_both_ways_and_stops_interaction(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session:
        bo_post = publish_post(session, author="bo", caption="bo's fox", image_bytes=png_bytes()).id
        follow(session, user="ana", name="bo")
        follow(session, user="bo", name="ana")
        set_relation(session, user="ana", name="bo", relation="block")
        assert followers(session, "ana") == followers(session, "bo") == []
        assert related_names(session, user="ana", relation="block") == ["bo"]
    assert latest_ids(engine, "ana") == [post_id]
    assert latest_ids(engine, "bo") == [bo_post]
    blocked = "@ana has blocked you"
    tries = [
        lambda s: like_post(s, user="bo", post_id=post_id),
        lambda s: add_comment(s, user="bo", post_id=post_id, body="hey"),
        lambda s: publish_post(
            s, author="bo", caption="remix", image_bytes=png_bytes(), remix_of_id=post_id
        ),
    ]
    for attempt in tries:
        with unit_of_work(engine) as session, pytest.raises(Forbidden, match=blocked):
            attempt(session)
    with unit_of_work(engine) as session, pytest.raises(Forbidden, match="You have blocked @bo"):
        like_post(session, user="ana", post_id=bo_post)
    with unit_of_work(engine) as session, pytest.raises(Forbidden, match="@ana has blocked you"):
        follow(session, user="bo", name="ana")
    with unit_of_work(engine) as session:
        assert following_feed(session, viewer="ana").posts == []
        assert get_profile(session, "ana").follower_count == 0
        set_relation(session, user="ana", name="bo", relation="block", active=False)
    with unit_of_work(engine) as session:
        like_post(session, user="bo", post_id=post_id)
    assert latest_ids(engine, "ana") == [bo_post, post_id]


def test_block_and_mute_refuse_oneself_and_strangers(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session, pytest.raises(Invalid, match="block yourself"):
        set_relation(session, user="ana", name="ana", relation="block")
    with unit_of_work(engine) as session, pytest.raises(NotFound):
        set_relation(session, user="ana", name="nobody", relation="mute")
    with unit_of_work(engine) as session, pytest.raises(Invalid):
        set_relation(session, user="ana", name="bo", relation="ban")  # type: ignore[arg-type]
    with unit_of_work(engine) as session:
        set_relation(session, user="ana", name="bo", relation="block")
        assert set_relation(
            session, user="ana", name="bo", relation="block"
        ).active  # twice changes nothing
        assert related_names(session, user="ana", relation="block") == ["bo"]


# --- search and the assistant ---------------------------------------------------------------


def test_search_and_search_feed_leave_out_what_the_viewer_may_not_see(
    engine: Engine, post_id: int
) -> None:
    with unit_of_work(engine) as session:
        cy_post = publish_post(
            session, author="cy", caption="a fox too", image_bytes=png_bytes()
        ).id
        set_relation(session, user="bo", name="cy", relation="block")
        report_post(session, user="bo", post_id=post_id, reason="spam")
    with unit_of_work(engine) as session:
        assert {r.post.id for r in search_posts(session, "fox", viewer="cy")} == {post_id, cy_post}
        assert search_posts(session, "fox", viewer="bo") == []
    everyone = find_posts(engine, FeedRequest(query="", author="", days=0))
    assert {p.id for p in everyone} == {post_id, cy_post}
    assert find_posts(engine, FeedRequest(query="", author="", days=0), viewer="bo") == []
    assert find_posts(engine, FeedRequest(query="fox", author="", days=0), viewer="bo") == []
