"""Likes: one per user and post (a unique constraint), with the post's count returned at once."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from social.accounts import account_user
from social.counters import adjust_counts
from social.models import Like, Notification, Post
from social.notifications import notify
from social.posts import find_post
from social.relations import ensure_may_interact


@dataclass(frozen=True)
class LikeState:
    """Whether the user likes the post now, and the post's like count after the change."""

    post_id: int
    liked: bool
    like_count: int


def _state(session: Session, post_id: int, liked: bool) -> LikeState:
    count = session.scalar(select(Post.like_count).where(Post.id == post_id)) or 0
    return LikeState(post_id=post_id, liked=liked, like_count=count)


def like_post(session: Session, *, user: str, post_id: int) -> LikeState:
    """`user` likes post `post_id`; liking again changes nothing."""
    me = account_user(session, user)
    post = find_post(session, post_id)
    ensure_may_interact(session, me, post, "like")
    already = select(Like.id).where(Like.post_id == post_id, Like.user_id == me.id)
    if session.scalar(already) is None:
        try:
            # A savepoint: a double click racing this one trips the unique constraint, and
            # the caller's transaction must survive that.
            with session.begin_nested():
                session.add(Like(post_id=post_id, user_id=me.id))
        except IntegrityError:
            return _state(session, post_id, liked=True)
        counts = adjust_counts(session, post_id, likes=1)
        notify(session, recipient_id=post.author_id, actor_id=me.id, kind="like", post_id=post_id)
        session.flush()
        return LikeState(post_id=post_id, liked=True, like_count=counts.likes)
    return _state(session, post_id, liked=True)


def unlike_post(session: Session, *, user: str, post_id: int) -> LikeState:
    """`user` takes back their like of post `post_id` (and its notification, if any)."""
    me = account_user(session, user)
    find_post(session, post_id)
    removed = session.execute(
        delete(Like).where(Like.post_id == post_id, Like.user_id == me.id).returning(Like.id)
    ).all()
    if not removed:
        return _state(session, post_id, liked=False)
    counts = adjust_counts(session, post_id, likes=-1)
    session.execute(
        delete(Notification).where(
            Notification.kind == "like",
            Notification.actor_id == me.id,
            Notification.post_id == post_id,
        )
    )
    return LikeState(post_id=post_id, liked=False, like_count=counts.likes)
