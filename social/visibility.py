"""Who sees what, as SQL: the one place that decides whether a post, a comment or a
notification is shown to a viewer.

A post or comment is shown unless a moderator hid it (its author still sees it, marked), its
author is suspended, the viewer reported it, the viewer muted its author, or one of the two
blocked the other. A notification is shown unless its actor is suspended, muted or blocked
either way, or it points at a post or comment the recipient cannot see.

`viewer` is the viewer's user id: an int or a scalar subquery (`posts.viewer_id`), None for a
guest, who sees everything not hidden and not by a suspended author.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, or_, select

from social.models import Block, Comment, Mute, Notification, Post, Report, User
from social.sql import any_row

Viewer = Any  # an int, a scalar subquery giving one, or None for a guest


def suspended(user_id: Any) -> ColumnElement[bool]:
    """Whether the user `user_id` (a column or a value) is suspended."""
    # Uncorrelated (so the database runs it once) and without an alias of `users`, whose
    # many columns make an alias slow to build on every query.
    suspended_ids = select(User.id).where(User.suspended_at.is_not(None)).correlate(None)
    return user_id.in_(suspended_ids)


def kept_apart(viewer: Viewer, other_id: Any) -> ColumnElement[bool]:
    """Whether `viewer` muted `other_id`, or either of the two blocked the other."""
    if viewer is None:
        return false()
    return or_(
        any_row(Mute.muter_id == viewer, Mute.muted_id == other_id),
        any_row(Block.blocker_id == viewer, Block.blocked_id == other_id),
        any_row(Block.blocker_id == other_id, Block.blocked_id == viewer),
    )


def _shown(
    viewer: Viewer, author_id: Any, hidden_at: Any, reported: ColumnElement[bool]
) -> ColumnElement[bool]:
    if viewer is None:
        return and_(hidden_at.is_(None), ~suspended(author_id))
    return and_(
        or_(hidden_at.is_(None), author_id == viewer),
        ~suspended(author_id),
        ~kept_apart(viewer, author_id),
        ~reported,
    )


def visible_posts(viewer: Viewer, author_id: Any = Post.author_id) -> ColumnElement[bool]:
    """A predicate on `Post`: whether `viewer` may see the post. For the posts of one author,
    `author_id` is their id (a value or an uncorrelated subquery), so that whether the viewer
    may see that author is asked once, not for each post."""
    reported = any_row(Report.post_id == Post.id, Report.reporter_id == viewer)
    return _shown(viewer, author_id, Post.hidden_at, reported)


def visible_comments(viewer: Viewer) -> ColumnElement[bool]:
    """A predicate on `Comment`: whether `viewer` may see the comment."""
    reported = any_row(Report.comment_id == Comment.id, Report.reporter_id == viewer)
    return _shown(viewer, Comment.author_id, Comment.hidden_at, reported)


def visible_notifications(viewer: Viewer) -> ColumnElement[bool]:
    """A predicate on `Notification`: whether its recipient `viewer` may see it."""
    post_shown = exists(
        select(Post.id).where(Post.id == Notification.post_id, visible_posts(viewer))
    )
    comment_shown = exists(
        select(Comment.id).where(Comment.id == Notification.comment_id, visible_comments(viewer))
    )
    return and_(
        ~suspended(Notification.actor_id),
        ~kept_apart(viewer, Notification.actor_id),
        or_(Notification.post_id.is_(None), post_shown),
        or_(Notification.comment_id.is_(None), comment_shown),
    )
