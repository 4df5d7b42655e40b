"""Moderators and what they do: the queue of reported items, hide, restore, dismiss, and
suspending an account.

A moderator is an account the operator made one (`plaza moderator NAME`). Every action here
checks that its caller is a moderator (Forbidden otherwise), resolves the open reports of the
item, and tells the author why: a hidden post or comment carries the reason (its author still
sees it, marked), with a notification; a suspended account is told at sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from social.accounts import account_user
from social.counters import adjust_counts
from social.errors import Forbidden, Invalid, NotFound
from social.ids import checked_id
from social.models import Comment, Post, Report, SignInSession, User, as_utc, utcnow
from social.notifications import notify
from social.reports import MAX_REASON_LENGTH, ReportView, view_of
from social.text import clean_text
from social.users import find_user

MODERATOR = "moderator"
MAX_QUEUE = 200
Kind = Literal["post", "comment"]
Resolution = Literal["hidden", "restored", "dismissed", "suspended"]


@dataclass(frozen=True)
class ReportedItem:
    """A post or comment with its open reports, oldest report first, as the queue shows it."""

    kind: Kind
    item_id: int
    post_id: int
    author: str
    text: str
    hidden_reason: str | None
    author_suspended: bool
    reports: tuple[ReportView, ...]


def set_moderator(session: Session, *, name: str, moderator: bool = True) -> str:
    """Make account `name` a moderator (or no longer one); the operator's command, unchecked."""
    user = find_user(session, name)
    if user is None or user.password_hash is None:
        raise NotFound(f"There is no account called {name!r} here.")
    user.role = MODERATOR if moderator else None
    session.flush()
    return user.name


def is_moderator(session: Session, name: str | None) -> bool:
    """Whether `name` is a signed-up, unsuspended moderator."""
    user = find_user(session, name) if name else None
    return user is not None and user.role == MODERATOR and user.suspended_at is None


def _moderator(session: Session, name: str) -> User:
    user = account_user(session, name)
    if user.role != MODERATOR:
        raise Forbidden("Only moderators can do this.")
    return user


def moderation_queue(session: Session, *, moderator: str, limit: int = 50) -> list[ReportedItem]:
    """Items with open reports, the longest waiting first, each with all its open reports."""
    _moderator(session, moderator)
    if not isinstance(limit, int) or not 1 <= limit <= MAX_QUEUE:
        raise Invalid(f"The queue shows 1 to {MAX_QUEUE} items at a time.")
    reporter = User.__table__.alias("reporter")
    rows = session.execute(
        select(Report, reporter.c.name, Comment.post_id)
        .join(reporter, Report.reporter_id == reporter.c.id)
        .outerjoin(Comment, Report.comment_id == Comment.id)
        .where(Report.resolved_at.is_(None))
        .order_by(Report.id)
    ).all()
    grouped: dict[tuple[Kind, int], list[ReportView]] = {}
    for report, name, comment_post in rows:
        key: tuple[Kind, int] = (
            ("comment", report.comment_id) if report.comment_id else ("post", report.post_id)
        )
        grouped.setdefault(key, []).append(view_of(report, name, comment_post))
    keys = list(grouped)[:limit]
    return [
        _item(session, kind, item_id, tuple(grouped[(kind, item_id)])) for kind, item_id in keys
    ]


def _item(
    session: Session, kind: Kind, item_id: int, reports: tuple[ReportView, ...]
) -> ReportedItem:
    row = _row(session, kind, item_id)
    author = session.get(User, row.author_id)
    assert author is not None  # a post's or comment's author is a foreign key
    return ReportedItem(
        kind=kind,
        item_id=item_id,
        post_id=row.id if isinstance(row, Post) else row.post_id,
        author=author.name,
        text=row.caption if isinstance(row, Post) else row.body,
        hidden_reason=row.hidden_reason if row.hidden_at is not None else None,
        author_suspended=author.suspended_at is not None,
        reports=reports,
    )


def _row(session: Session, kind: Kind, item_id: int) -> Post | Comment:
    if kind not in ("post", "comment"):
        raise Invalid("Moderators act on a post or a comment.")
    gone = f"That {kind} does not exist (any more)."
    item_id = checked_id(item_id, gone)
    row: Post | Comment | None = (
        session.get(Post, item_id) if kind == "post" else session.get(Comment, item_id)
    )
    if row is None:
        raise NotFound(gone)
    return row


def _resolve(session: Session, moderator: User, condition: object, resolution: Resolution) -> int:
    result = session.execute(
        update(Report)
        .where(Report.resolved_at.is_(None), condition)  # type: ignore[arg-type]
        .values(resolved_at=utcnow(), resolution=resolution, resolved_by_id=moderator.id)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _of_item(kind: Kind, item_id: int) -> object:
    return Report.post_id == item_id if kind == "post" else Report.comment_id == item_id


def _reason(reason: str) -> str:
    return clean_text(reason, "reason", max_length=MAX_REASON_LENGTH, required=True)


def hide_item(
    session: Session, *, moderator: str, kind: Kind, item_id: int, reason: str
) -> ReportedItem:
    """Hide a post or comment from everyone but its author, who sees `reason` and is notified."""
    me = _moderator(session, moderator)
    row = _row(session, kind, item_id)
    if isinstance(row, Comment) and row.hidden_at is None:
        adjust_counts(session, row.post_id, comments=-1)  # cards count what everyone sees
    row.hidden_at, row.hidden_reason = utcnow(), _reason(reason)
    _resolve(session, me, _of_item(kind, item_id), "hidden")
    post_id = row.id if isinstance(row, Post) else row.post_id
    comment_id = row.id if isinstance(row, Comment) else None
    notify(
        session,
        recipient_id=row.author_id,
        actor_id=me.id,
        kind="hidden",
        post_id=post_id,
        comment_id=comment_id,
    )
    session.flush()
    return _item(session, kind, item_id, ())


def restore_item(session: Session, *, moderator: str, kind: Kind, item_id: int) -> ReportedItem:
    """Show a hidden post or comment again, and close its open reports as restored."""
    me = _moderator(session, moderator)
    row = _row(session, kind, item_id)
    if isinstance(row, Comment) and row.hidden_at is not None:
        adjust_counts(session, row.post_id, comments=1)
    row.hidden_at, row.hidden_reason = None, None
    _resolve(session, me, _of_item(kind, item_id), "restored")
    session.flush()
    return _item(session, kind, item_id, ())


def dismiss_reports(session: Session, *, moderator: str, kind: Kind, item_id: int) -> int:
    """Close the open reports of an item without acting on it; how many were closed."""
    me = _moderator(session, moderator)
    _row(session, kind, item_id)
    return _resolve(session, me, _of_item(kind, item_id), "dismissed")


def suspend_account(session: Session, *, moderator: str, name: str, reason: str) -> str:
    """Suspend account `name`: its sign-ins end, it cannot sign in or write, its posts and
    comments are not shown, and the open reports of them close as suspended."""
    me = _moderator(session, moderator)
    user = find_user(session, name)
    if user is None:
        raise NotFound(f"There is nobody called {name!r} here.")
    if user.id == me.id:
        raise Invalid("You cannot suspend yourself.")
    user.suspended_at, user.suspended_reason = utcnow(), _reason(reason)
    session.execute(
        update(SignInSession)
        .where(SignInSession.user_id == user.id, SignInSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    theirs = Report.post_id.in_(select(Post.id).where(Post.author_id == user.id)) | (
        Report.comment_id.in_(select(Comment.id).where(Comment.author_id == user.id))
    )
    _resolve(session, me, theirs, "suspended")
    session.flush()
    return user.name


def unsuspend_account(session: Session, *, moderator: str, name: str) -> str:
    """Lift the suspension of account `name`."""
    _moderator(session, moderator)
    user = find_user(session, name)
    if user is None:
        raise NotFound(f"There is nobody called {name!r} here.")
    user.suspended_at, user.suspended_reason = None, None
    session.flush()
    return user.name


@dataclass(frozen=True)
class SuspendedAccount:
    """A suspended account, why and since when."""

    name: str
    reason: str
    since: datetime


def suspended_accounts(session: Session, *, moderator: str) -> list[SuspendedAccount]:
    """The suspended accounts, most recently suspended first."""
    _moderator(session, moderator)
    rows = session.execute(
        select(User.name, User.suspended_reason, User.suspended_at)
        .where(User.suspended_at.is_not(None))
        .order_by(User.suspended_at.desc())
    )
    return [
        SuspendedAccount(name, reason or "", as_utc(since))
        for name, reason, since in rows
        if since is not None
    ]


def open_report_count(session: Session, *, moderator: str) -> int:
    """How many reports wait for a moderator."""
    _moderator(session, moderator)
    return session.scalar(select(func.count(Report.id)).where(Report.resolved_at.is_(None))) or 0
