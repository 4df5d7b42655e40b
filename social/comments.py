"""Comments on posts, threaded one level deep.

A reply names the comment it answers. Replying to a reply is allowed and attaches the new
comment to that reply's top-level comment (as most apps do), so a thread never nests deeper;
both the top comment's author and the replied-to author are notified.
Deleting a top-level comment deletes its replies too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import delete, func, or_, select, tuple_
from sqlalchemy.orm import Session

from social import cursors
from social.accounts import account_user
from social.counters import adjust_counts
from social.db import settings_of
from social.errors import Forbidden, Invalid, NotFound
from social.ids import checked_id
from social.models import Comment, User, as_utc
from social.moderation import moderate_comment
from social.notifications import notify
from social.posts import find_post, viewer_id
from social.rate_limits import check_rate
from social.relations import ensure_may_interact
from social.text import clean_text
from social.visibility import visible_comments

MAX_COMMENT_LENGTH = 2000
MAX_THREADS_PAGE = 100


@dataclass(frozen=True)
class CommentView:
    """A comment as shown; `replies` holds a top-level comment's replies, oldest first."""

    id: int
    post_id: int
    author: str
    body: str
    created_at: datetime
    parent_id: int | None
    replies: tuple[CommentView, ...] = ()
    # Why a moderator hid this comment; only its author is ever shown a hidden comment.
    hidden_reason: str | None = None


@dataclass(frozen=True)
class CommentPage:
    """Top-level comments oldest first, each with all its replies, and the next page's cursor."""

    comments: list[CommentView]
    next_cursor: str | None


def _view(comment: Comment, author: str) -> CommentView:
    return CommentView(
        id=comment.id,
        post_id=comment.post_id,
        author=author,
        body=comment.body,
        created_at=as_utc(comment.created_at),
        parent_id=comment.parent_id,
        hidden_reason=comment.hidden_reason if comment.hidden_at is not None else None,
    )


def add_comment(
    session: Session, *, user: str, post_id: int, body: str, reply_to: int | None = None
) -> CommentView:
    """`user` comments on post `post_id`, or replies to comment `reply_to` on that post.

    RateLimited past the account's commenting limit; Refused when a moderation check refuses it."""
    me = account_user(session, user)
    body = clean_text(body, "comment", max_length=MAX_COMMENT_LENGTH, required=True)
    moderate_comment(body)
    post = find_post(session, post_id)
    ensure_may_interact(session, me, post, "comment on")
    parent = answered = None
    if reply_to is not None:
        deleted = "The comment you are replying to was deleted."
        answered = session.get(Comment, checked_id(reply_to, deleted))
        if answered is None:
            raise NotFound(deleted)
        if answered.post_id != post_id:
            raise Invalid("That comment belongs to another post.")
        parent = session.get(Comment, answered.parent_id) if answered.parent_id else answered
    check_rate("comment", me.name_key, settings_of(session))
    comment = Comment(
        post_id=post_id, author_id=me.id, body=body, parent_id=parent.id if parent else None
    )
    session.add(comment)
    session.flush()
    adjust_counts(session, post_id, comments=1)
    notify(
        session,
        recipient_id=post.author_id,
        actor_id=me.id,
        kind="comment",
        post_id=post_id,
        comment_id=comment.id,
    )
    if parent is not None and answered is not None:
        # The post's author already has a "comment" notification for this one.
        for recipient in {parent.author_id, answered.author_id} - {post.author_id}:
            notify(
                session,
                recipient_id=recipient,
                actor_id=me.id,
                kind="reply",
                post_id=post_id,
                comment_id=comment.id,
            )
    session.flush()
    return _view(comment, me.name)


def list_comments(
    session: Session,
    post_id: int,
    *,
    cursor: str | None = None,
    limit: int = 50,
    viewer: str | None = None,
) -> CommentPage:
    """The comments of post `post_id` that `viewer` may see: `limit` threads a page, in two
    queries whatever the size."""
    if not isinstance(limit, int) or not 1 <= limit <= MAX_THREADS_PAGE:
        raise Invalid(f"A page holds 1 to {MAX_THREADS_PAGE} comments.")
    find_post(session, post_id)
    shown = visible_comments(None if viewer is None else viewer_id(viewer))
    tops_query = (
        select(Comment, User.name)
        .join(User, Comment.author_id == User.id)
        .where(Comment.post_id == post_id, Comment.parent_id.is_(None), shown)
        .order_by(Comment.created_at, Comment.id)
    )
    if cursor is not None:
        moment, comment_id = cursors.decode(cursor, "c", datetime, int)
        tops_query = tops_query.where(tuple_(Comment.created_at, Comment.id) > (moment, comment_id))
    tops = session.execute(tops_query.limit(limit + 1)).all()
    page = tops[:limit]
    replies: dict[int, list[CommentView]] = {}
    if page:
        reply_rows = session.execute(
            select(Comment, User.name)
            .join(User, Comment.author_id == User.id)
            .where(Comment.parent_id.in_([top.id for top, _ in page]), shown)
            .order_by(Comment.created_at, Comment.id)
        ).all()
        for reply, author in reply_rows:
            replies.setdefault(reply.parent_id, []).append(_view(reply, author))  # type: ignore[arg-type]
    views = [
        replace(_view(top, author), replies=tuple(replies.get(top.id, []))) for top, author in page
    ]
    next_cursor = None
    if len(tops) > limit:
        last = views[-1]
        next_cursor = cursors.encode("c", last.created_at, last.id)
    return CommentPage(comments=views, next_cursor=next_cursor)


def delete_comment(session: Session, *, user: str, comment_id: int) -> None:
    """Delete `user`'s own comment (a top-level one with its replies)."""
    me = account_user(session, user)
    gone = "That comment does not exist (any more)."
    comment = session.get(Comment, checked_id(comment_id, gone))
    if comment is None:
        raise NotFound(gone)
    if comment.author_id != me.id:
        raise Forbidden("You can only delete your own comments.")
    # The post's count leaves out comments a moderator hid (see social.moderators).
    counted = select(func.count(Comment.id)).where(
        or_(Comment.id == comment_id, Comment.parent_id == comment_id), Comment.hidden_at.is_(None)
    )
    removed = session.scalar(counted) or 0
    # Replies and the comment's notifications go by ON DELETE CASCADE.
    session.execute(delete(Comment).where(Comment.id == comment_id))
    adjust_counts(session, comment.post_id, comments=-removed)
