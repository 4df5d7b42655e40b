"""What arrives from links and callers is checked in `social`: never a database error."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from social import (
    comments,
    feeds,
    follows,
    likes,
    moderators,
    notifications,
    posts,
    profiles,
    reports,
)
from social.accounts import authenticate, change_password, sign_up, update_profile
from social.conversations import load_messages
from social.cursors import encode
from social.db import unit_of_work
from social.errors import Invalid, NotFound, SocialError
from social.feeds import for_you_feed, trending_feed
from social.posts import latest_feed, publish_post
from tests.accounts import PASSWORD, make_accounts, tiny_png

BAD_IDS = [0, -1, 2**31, 2**63, 10**30, True, "12", 1.5]


@pytest.fixture
def world(engine: Engine) -> Engine:
    """Accounts ana (a moderator) and bo, and one post by bo."""
    make_accounts(engine, "ana", "bo")
    with unit_of_work(engine) as session:
        moderators.set_moderator(session, name="ana")
        publish_post(session, author="bo", caption="hi", image_bytes=tiny_png())
    return engine


BY_ID: dict[str, Callable[..., object]] = {
    "get_post": lambda s, i: posts.get_post(s, i),
    "delete_post": lambda s, i: posts.delete_post(s, user="bo", post_id=i),
    "like_post": lambda s, i: likes.like_post(s, user="ana", post_id=i),
    "unlike_post": lambda s, i: likes.unlike_post(s, user="ana", post_id=i),
    "add_comment": lambda s, i: comments.add_comment(s, user="ana", post_id=i, body="hi"),
    "reply_to": lambda s, i: comments.add_comment(s, user="ana", post_id=1, body="x", reply_to=i),
    "list_comments": lambda s, i: comments.list_comments(s, i),
    "delete_comment": lambda s, i: comments.delete_comment(s, user="ana", comment_id=i),
    "report_post": lambda s, i: reports.report_post(s, user="ana", post_id=i, reason="spam"),
    "report_comment": lambda s, i: reports.report_comment(s, user="ana", comment_id=i, reason="x"),
    "hide_post": lambda s, i: moderators.hide_item(
        s, moderator="ana", kind="post", item_id=i, reason="spam"
    ),
    "restore_comment": lambda s, i: moderators.restore_item(
        s, moderator="ana", kind="comment", item_id=i
    ),
    "dismiss_reports": lambda s, i: moderators.dismiss_reports(
        s, moderator="ana", kind="post", item_id=i
    ),
    "remixes_of": lambda s, i: feeds.remixes_of(s, post_id=i),
    "remix_of_id": lambda s, i: publish_post(
        s, author="ana", caption="x", image_bytes=tiny_png(), remix_of_id=i
    ),
}


@pytest.mark.parametrize("call", BY_ID.values(), ids=BY_ID.keys())
def test_ids_no_row_can_have_are_not_found(world: Engine, call: Callable) -> None:
    for bad_id in BAD_IDS:
        with unit_of_work(world) as session, pytest.raises(NotFound):
            call(session, bad_id)


def test_mark_read_ignores_ids_no_notification_can_have(world: Engine) -> None:
    with unit_of_work(world) as session:
        likes.like_post(session, user="ana", post_id=1)
    with unit_of_work(world) as session:
        assert notifications.mark_read(session, user="bo", ids=[2**31, -5, 10**20]) == 0
        assert notifications.mark_read(session, user="bo", ids=[1, 2**40]) == 1
    with unit_of_work(world) as session, pytest.raises(Invalid):
        notifications.mark_read(session, user="bo", ids="1")  # type: ignore[arg-type]


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


BAD_CURSORS = [
    b64(f"2025-05-01T12:00:00+00:00|{2**31}"),
    b64("2025-05-01T12:00:00+00:00|99999999999999999999999"),
    b64("0001-01-01T00:00:00+14:00|3"),
    encode("t", 2**40, 1.0, 1).replace("=", ""),
    b64(f"n|{2**31}"),
    b64(f"f|{2**63}|1"),
    b64("t|2025-05-01T12:00:00+00:00|nan|1"),
    "x" * 10_000,
    "\x00",
    "\ud800",
    12,
]


FEEDS: dict[str, Callable[..., object]] = {
    "latest": lambda s, c: latest_feed(s, cursor=c),
    "trending": lambda s, c: trending_feed(s, cursor=c),
    "for you": lambda s, c: for_you_feed(s, viewer="ana", cursor=c),
    "notifications": lambda s, c: notifications.list_notifications(s, user="bo", cursor=c),
    "comments": lambda s, c: comments.list_comments(s, 1, cursor=c),
}


@pytest.mark.parametrize("feed", FEEDS.values(), ids=FEEDS.keys())
def test_cursors_with_big_numbers_or_junk_are_invalid(world: Engine, feed: Callable) -> None:
    for cursor in BAD_CURSORS:
        with unit_of_work(world) as session, pytest.raises(Invalid):
            feed(session, cursor)


ODD_NAMES = ["\x00", "a\x00b", "\ud800", "x" * 10_000, 12, None]


def test_odd_names_in_links_are_not_found(world: Engine) -> None:
    for name in ODD_NAMES:
        odd_name_is_nobody(world, name)


def odd_name_is_nobody(world: Engine, name: object) -> None:
    with unit_of_work(world) as session:
        with pytest.raises(NotFound):
            profiles.get_profile(session, name)  # type: ignore[arg-type]
        with pytest.raises(NotFound):
            follows.followers(session, name)  # type: ignore[arg-type]
        assert feeds.user_posts(session, name=name).posts == []  # type: ignore[arg-type]
        assert latest_feed(session, viewer=name).posts  # type: ignore[arg-type]
        with pytest.raises(NotFound):
            load_messages(session, name, user=None)  # type: ignore[arg-type]


LONE = "caption \ud83d broken"


def long_enough(password: object) -> object:
    """`password` padded past the minimum length, so only its odd character can refuse it."""
    return password + "12345678" if isinstance(password, str) else password


TEXT_WRITES: dict[str, Callable[..., object]] = {
    "caption": lambda s, t: publish_post(s, author="ana", caption=t, image_bytes=tiny_png()),
    "prompt": lambda s, t: publish_post(
        s, author="ana", caption="x", prompt=t, image_bytes=tiny_png()
    ),
    "comment": lambda s, t: comments.add_comment(s, user="ana", post_id=1, body=t),
    "bio": lambda s, t: update_profile(s, name="ana", bio=t),
    "reason": lambda s, t: reports.report_post(s, user="ana", post_id=1, reason=t),
    "sign up name": lambda s, t: sign_up(s, name=t, password=PASSWORD),
    "sign up password": lambda s, t: sign_up(s, name="cy", password=long_enough(t)),
    "new password": lambda s, t: change_password(
        s, name="ana", old_password=PASSWORD, new_password=long_enough(t)
    ),
}


@pytest.mark.parametrize("write", TEXT_WRITES.values(), ids=TEXT_WRITES.keys())
def test_bad_text_is_invalid_and_changes_nothing(world: Engine, write: Callable) -> None:
    for text in (LONE, "nul \x00 byte", 42):
        with pytest.raises(Invalid):
            with unit_of_work(world) as session:
                write(session, text)
    with unit_of_work(world) as session:
        assert [p.id for p in latest_feed(session).posts] == [1]
        assert comments.list_comments(session, 1).comments == []
        assert authenticate(session, name="ana", password=PASSWORD).bio == ""


def test_odd_passwords_at_sign_in_are_just_wrong(world: Engine) -> None:
    for password in (LONE, "\x00" * 9, 12):
        with unit_of_work(world) as session, pytest.raises(Invalid):
            authenticate(session, name="ana", password=password)  # type: ignore[arg-type]


def test_odd_page_sizes_are_invalid(world: Engine) -> None:
    for limit in (0, -1, 10**9, "5", None):
        odd_page_size_is_refused(world, limit)


def odd_page_size_is_refused(world: Engine, limit: object) -> None:
    with unit_of_work(world) as session:
        for call in (
            lambda: latest_feed(session, limit=limit),  # type: ignore[arg-type]
            lambda: follows.followers(session, "bo", limit=limit),  # type: ignore[arg-type]
            lambda: reports.list_reports(session, limit=limit),  # type: ignore[arg-type]
            lambda: comments.list_comments(session, 1, limit=limit),  # type: ignore[arg-type]
        ):
            with pytest.raises(SocialError):
                call()
