"""Notifications: someone liked, commented on, replied to or remixed your post, followed you,
or a moderator hid your post or comment. Muted and blocked people's are not shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Literal

from sqlalchemy import Integer, bindparam, func, select, update
from sqlalchemy.orm import Session

from social.accounts import account_user
from social.cursors import decode, encode
from social.errors import Invalid
from social.ids import is_id
from social.models import Notification, User, as_utc, utcnow
from social.visibility import visible_notifications

Kind = Literal["like", "comment", "reply", "follow", "remix", "hidden"]
MAX_PAGE = 100


@dataclass(frozen=True)
class NotificationView:
    """One notification as shown: who did what, on which post or comment."""

    id: int
    kind: str
    actor: str
    post_id: int | None
    comment_id: int | None
    created_at: datetime
    read: bool


@dataclass(frozen=True)
class NotificationPage:
    """Newest notifications first, and the cursor of the next page (None at the end)."""

    notifications: list[NotificationView]
    next_cursor: str | None


def notify(
    session: Session,
    *,
    recipient_id: int,
    actor_id: int,
    kind: Kind,
    post_id: int | None = None,
    comment_id: int | None = None,
) -> None:
    """Record a notification for `recipient_id`; nobody is notified of their own actions."""
    if recipient_id == actor_id:
        return
    session.add(
        Notification(
            recipient_id=recipient_id,
            actor_id=actor_id,
            kind=kind,
            post_id=post_id,
            comment_id=comment_id,
        )
    )


def list_notifications(
    session: Session, *, user: str, cursor: str | None = None, limit: int = 20
) -> NotificationPage:
    """`user`'s notifications, newest first, `limit` at a time (one query per page)."""
    if not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
        raise Invalid(f"A page holds 1 to {MAX_PAGE} notifications.")
    me = account_user(session, user)
    query = (
        select(Notification, User.name)
        .join(User, Notification.actor_id == User.id)
        .where(Notification.recipient_id == me.id, visible_notifications(me.id))
        .order_by(Notification.id.desc())
    )
    if cursor is not None:
        (before,) = decode(cursor, "n", int)
        query = query.where(Notification.id < before)
    rows = session.execute(query.limit(limit + 1)).all()
    views = [
        NotificationView(
            id=note.id,
            kind=note.kind,
            actor=actor,
            post_id=note.post_id,
            comment_id=note.comment_id,
            created_at=as_utc(note.created_at),
            read=note.read_at is not None,
        )
        for note, actor in rows[:limit]
    ]
    next_cursor = encode("n", views[-1].id) if len(rows) > limit else None
    return NotificationPage(notifications=views, next_cursor=next_cursor)


@cache
def _unread_statement() -> Any:
    # Built once: the visibility rule makes a statement that takes milliseconds to build, and
    # the count is asked on every page.
    me = bindparam("me", type_=Integer)
    return select(func.count(Notification.id)).where(
        Notification.recipient_id == me,
        Notification.read_at.is_(None),
        visible_notifications(me),
    )


def unread_count(session: Session, *, user: str) -> int:
    """How many of `user`'s notifications are unread."""
    me = account_user(session, user)
    return session.scalar(_unread_statement(), {"me": me.id}) or 0


def mark_read(session: Session, *, user: str, ids: list[int] | None = None) -> int:
    """Mark `user`'s notifications `ids` (all when None) read; return how many changed.

    Ids that no notification can have match nothing, like other people's ids."""
    me = account_user(session, user)
    if ids is not None and not isinstance(ids, list | tuple | set | frozenset):
        raise Invalid("The notifications to mark read must be a list of ids.")
    # Restricting to the recipient is the authorization: other people's ids match nothing.
    statement = (
        update(Notification)
        .where(Notification.recipient_id == me.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if ids is not None:
        statement = statement.where(Notification.id.in_([i for i in ids if is_id(i)]))
    result = session.execute(statement)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
