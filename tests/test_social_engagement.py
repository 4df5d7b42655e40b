"""Likes, comments, follows, remixes, reports, deleting, notifications, and who may do what."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from social.accounts import sign_up
from social.comments import add_comment, delete_comment, list_comments
from social.db import unit_of_work
from social.errors import Forbidden, Invalid, NotFound
from social.follows import follow, followers, following, unfollow
from social.likes import LikeState, like_post, unlike_post
from social.models import Comment, Image, Like, Post, PostHashtag
from social.notifications import list_notifications, mark_read, unread_count
from social.posts import delete_post, get_post, latest_feed, publish_post
from social.profiles import get_profile
from social.reports import list_reports, report_post
from tests.test_posts import count, png_bytes

PASSWORD = "correct horse battery"


@pytest.fixture
def post_id(engine: Engine) -> int:
    """Accounts ana, bo and cy; a post by ana."""
    with unit_of_work(engine) as session:
        for name in ("ana", "bo", "cy"):
            sign_up(session, name=name, password=PASSWORD)
        return publish_post(session, author="ana", caption="fox #Dawn", image_bytes=png_bytes()).id


def notes(engine: Engine, user: str) -> list[tuple[str, str]]:
    with unit_of_work(engine) as session:
        page = list_notifications(session, user=user)
    return [(note.kind, note.actor) for note in page.notifications]


# --- likes ----------------------------------------------------------------------------------


def test_like_twice_counts_once_and_unlike(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session:
        assert like_post(session, user="bo", post_id=post_id) == LikeState(post_id, True, 1)
        assert like_post(session, user="bo", post_id=post_id).like_count == 1
        assert like_post(session, user="cy", post_id=post_id).like_count == 2
    with unit_of_work(engine) as session:
        card = get_post(session, post_id, viewer="bo")
        assert (card.like_count, card.liked_by_viewer) == (2, True)
        assert get_post(session, post_id, viewer="ana").liked_by_viewer is False
        assert unlike_post(session, user="bo", post_id=post_id) == LikeState(post_id, False, 1)
        assert unlike_post(session, user="bo", post_id=post_id).like_count == 1
    assert notes(engine, "ana") == [("like", "cy")]  # bo's like notification went with it


def test_one_like_per_user_is_a_database_constraint(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session:
        like_post(session, user="bo", post_id=post_id)
    with pytest.raises(IntegrityError):
        with unit_of_work(engine) as session:
            user_id = session.scalars(select(Like.user_id)).one()
            session.add(Like(post_id=post_id, user_id=user_id))
    assert count(engine, Like) == 1


def test_liking_own_post_notifies_nobody(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session:
        like_post(session, user="ana", post_id=post_id)
    assert notes(engine, "ana") == []


def test_like_missing_post_is_not_found(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session, pytest.raises(NotFound):
        like_post(session, user="bo", post_id=post_id + 100)


# --- comments -------------------------------------------------------------------------------


def test_comments_thread_one_level(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session:
        top = add_comment(session, user="bo", post_id=post_id, body="Lovely!")
        reply = add_comment(session, user="ana", post_id=post_id, body="Thanks", reply_to=top.id)
        # A reply to a reply joins the same thread, under the top comment.
        deeper = add_comment(session, user="cy", post_id=post_id, body="+1", reply_to=reply.id)
        other = add_comment(session, user="cy", post_id=post_id, body="<script>x()</script>")
    assert (reply.parent_id, deeper.parent_id, other.parent_id) == (top.id, top.id, None)
    with unit_of_work(engine) as session:
        page = list_comments(session, post_id)
        assert get_post(session, post_id).comment_count == 4
    assert [c.body for c in page.comments] == ["Lovely!", "<script>x()</script>"]
    assert [r.body for r in page.comments[0].replies] == ["Thanks", "+1"]
    assert page.next_cursor is None
    assert notes(engine, "ana") == [("comment", "cy"), ("comment", "cy"), ("comment", "bo")]
    assert notes(engine, "bo") == [("reply", "cy"), ("reply", "ana")]


def test_comment_pages_are_keyset_paginated(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session:
        ids = [add_comment(session, user="bo", post_id=post_id, body=f"c{i}").id for i in range(5)]
    seen, cursor = [], None
    for _ in range(3):
        with unit_of_work(engine) as session:
            page = list_comments(session, post_id, cursor=cursor, limit=2)
        seen += [c.id for c in page.comments]
        cursor = page.next_cursor
    assert cursor is None and seen == ids


def test_reply_to_a_comment_of_another_post_is_refused(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session:
        other = publish_post(session, author="bo", caption="other", image_bytes=png_bytes((1,) * 3))
        comment = add_comment(session, user="cy", post_id=other.id, body="hi")
    with unit_of_work(engine) as session, pytest.raises(Invalid, match="another post"):
        add_comment(session, user="cy", post_id=post_id, body="hi", reply_to=comment.id)
    with unit_of_work(engine) as session, pytest.raises(NotFound):
        add_comment(session, user="cy", post_id=post_id, body="hi", reply_to=99999)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "comment is empty"),
        ("  \n ", "comment is empty"),
        ("x" * 2001, "limit is 2000"),
        ("x" * 10 * 1024 * 1024, "far too long"),
        ("esc\x1b[31m", "control characters"),
        ("nul\x00", "control characters"),
    ],
)
def test_bad_comments_are_refused(engine: Engine, post_id: int, body: str, message: str) -> None:
    with unit_of_work(engine) as session, pytest.raises(Invalid, match=message):
        add_comment(session, user="bo", post_id=post_id, body=body)
    assert count(engine, Comment) == 0


def test_ten_megabyte_caption_is_refused(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session, pytest.raises(Invalid, match="too long"):
        publish_post(session, author="bo", caption="x" * 10 * 1024 * 1024, image_bytes=png_bytes())


def test_delete_own_comment_only(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session:
        top = add_comment(session, user="bo", post_id=post_id, body="first")
        add_comment(session, user="cy", post_id=post_id, body="reply", reply_to=top.id)
    for user in ("ana", "cy"):  # not even the post's author deletes bo's words
        with unit_of_work(engine) as session, pytest.raises(Forbidden):
            delete_comment(session, user=user, comment_id=top.id)
    assert count(engine, Comment) == 2
    with unit_of_work(engine) as session:
        delete_comment(session, user="bo", comment_id=top.id)
    assert count(engine, Comment) == 0  # the reply went with its thread
    assert notes(engine, "bo") == []
    with unit_of_work(engine) as session, pytest.raises(NotFound):
        delete_comment(session, user="bo", comment_id=top.id)


# --- deleting posts -------------------------------------------------------------------------


def test_delete_own_post_only(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session:
        like_post(session, user="bo", post_id=post_id)
        add_comment(session, user="bo", post_id=post_id, body="nice")
        report_post(session, user="cy", post_id=post_id, reason="spam")
        remix = publish_post(
            session, author="cy", caption="mine", image_bytes=png_bytes(), remix_of_id=post_id
        )
    for user in ("bo", "cy"):
        with unit_of_work(engine) as session, pytest.raises(Forbidden):
            delete_post(session, user=user, post_id=post_id)
    assert count(engine, Post) == 2
    with unit_of_work(engine) as session:
        delete_post(session, user="ana", post_id=post_id)
    with unit_of_work(engine) as session:
        assert [card.id for card in latest_feed(session).posts] == [remix.id]
        kept = get_post(session, remix.id)
        assert (kept.remix_of_id, kept.remix_of_author) == (None, None)
        assert session.scalar(select(func.count()).select_from(PostHashtag)) == 0
    assert (count(engine, Like), count(engine, Comment)) == (0, 0)
    # The like and comment notifications went with the post; the remix (cy's post) remains.
    assert notes(engine, "ana") == [("remix", "cy")]
    assert count(engine, Image) == 1  # images are shared by hash; the file stays
    with unit_of_work(engine) as session, pytest.raises(NotFound):
        delete_post(session, user="ana", post_id=post_id)


# --- remixes --------------------------------------------------------------------------------


def test_remix_links_back_and_is_counted(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session:
        remix = publish_post(
            session, author="bo", caption="my take", image_bytes=png_bytes(), remix_of_id=post_id
        )
        publish_post(
            session, author="ana", caption="again", image_bytes=png_bytes(), remix_of_id=post_id
        )
    assert (remix.remix_of_id, remix.remix_of_author) == (post_id, "ana")
    with unit_of_work(engine) as session:
        assert get_post(session, post_id).remix_count == 2
        assert get_post(session, remix.id).remix_of_author == "ana"
    assert notes(engine, "ana") == [("remix", "bo")]  # remixing oneself notifies nobody


# --- follows --------------------------------------------------------------------------------


def test_follow_and_unfollow(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session:
        assert follow(session, user="bo", name="ANA").following is True
        follow(session, user="bo", name="ana")  # again: no change
        follow(session, user="cy", name="ana")
        follow(session, user="ana", name="bo")
    with unit_of_work(engine) as session:
        profile = get_profile(session, "ana", viewer="bo")
        assert (profile.follower_count, profile.following_count) == (2, 1)
        assert profile.followed_by_viewer is True
        assert get_profile(session, "ana", viewer="ana").followed_by_viewer is False
        assert followers(session, "ana") == ["cy", "bo"]
        assert following(session, "ana") == ["bo"]
    assert notes(engine, "ana") == [("follow", "cy"), ("follow", "bo")]
    with unit_of_work(engine) as session:
        assert unfollow(session, user="bo", name="ana").following is False
    with unit_of_work(engine) as session:
        assert get_profile(session, "ana").follower_count == 1
    assert notes(engine, "ana") == [("follow", "cy")]


def test_follow_oneself_or_nobody_is_refused(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session, pytest.raises(Invalid, match="yourself"):
        follow(session, user="ana", name="Ana")
    with unit_of_work(engine) as session, pytest.raises(NotFound):
        follow(session, user="ana", name="nobody")


# --- notifications --------------------------------------------------------------------------


def test_unread_count_and_mark_read(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session:
        like_post(session, user="bo", post_id=post_id)
        like_post(session, user="cy", post_id=post_id)
        follow(session, user="ana", name="bo")
    with unit_of_work(engine) as session:
        assert unread_count(session, user="ana") == 2
        page = list_notifications(session, user="ana")
        bo_note = list_notifications(session, user="bo").notifications[0]
        # ana cannot mark bo's notification read: it is simply not among hers.
        assert mark_read(session, user="ana", ids=[page.notifications[0].id, bo_note.id]) == 1
    with unit_of_work(engine) as session:
        assert unread_count(session, user="ana") == 1
        assert unread_count(session, user="bo") == 1
        assert [n.read for n in list_notifications(session, user="ana").notifications] == [
            True,
            False,
        ]
        assert mark_read(session, user="ana") == 1
        assert unread_count(session, user="ana") == 0


def test_notifications_page_newest_first(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session:
        for i in range(5):
            add_comment(session, user="bo", post_id=post_id, body=f"c{i}")
    seen, cursor = [], None
    for _ in range(3):
        with unit_of_work(engine) as session:
            page = list_notifications(session, user="ana", cursor=cursor, limit=2)
        seen += [n.id for n in page.notifications]
        cursor = page.next_cursor
    assert cursor is None
    assert len(seen) == 5 and seen == sorted(seen, reverse=True)
    with unit_of_work(engine) as session, pytest.raises(Invalid, match="broken"):
        list_notifications(session, user="ana", cursor="garbage")


# --- reports --------------------------------------------------------------------------------


def test_report_a_post_once(engine: Engine, post_id: int) -> None:
    with unit_of_work(engine) as session:
        report = report_post(session, user="bo", post_id=post_id, reason=" Spam <a href=x> ")
    assert (report.reporter, report.reason) == ("bo", "Spam <a href=x>")
    with unit_of_work(engine) as session, pytest.raises(Invalid, match="already reported"):
        report_post(session, user="bo", post_id=post_id, reason="again")
    with unit_of_work(engine) as session:
        assert [r.reason for r in list_reports(session)] == ["Spam <a href=x>"]


@pytest.mark.parametrize(
    ("user", "reason", "message"),
    [
        ("bo", "", "reason is empty"),
        ("bo", "x" * 1001, "limit is 1000"),
        ("bo", "\x00", "control characters"),
        ("ana", "mine", "your own post"),
    ],
)
def test_bad_reports_are_refused(
    engine: Engine, post_id: int, user: str, reason: str, message: str
) -> None:
    with unit_of_work(engine) as session, pytest.raises(Invalid, match=message):
        report_post(session, user=user, post_id=post_id, reason=reason)
