"""Reports: a signed-in user flags a post, with a reason, for whoever moderates the server."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from social.accounts import account_user
from social.errors import Invalid
from social.models import Report, User, as_utc
from social.posts import find_post
from social.text import clean_text

MAX_REASON_LENGTH = 1000
MAX_REPORTS = 1000


@dataclass(frozen=True)
class ReportView:
    """A report as a moderator sees it."""

    id: int
    post_id: int
    reporter: str
    reason: str
    created_at: datetime


def report_post(session: Session, *, user: str, post_id: int, reason: str) -> ReportView:
    """`user` reports post `post_id` for `reason`; once per person and post."""
    me = account_user(session, user)
    reason = clean_text(reason, "reason", max_length=MAX_REASON_LENGTH, required=True)
    post = find_post(session, post_id)
    if post.author_id == me.id:
        raise Invalid("This is your own post; you can delete it instead of reporting it.")
    report = Report(post_id=post_id, reporter_id=me.id, reason=reason)
    try:
        with session.begin_nested():
            session.add(report)
    except IntegrityError as error:
        raise Invalid("You have already reported this post; thank you.") from error
    return ReportView(
        id=report.id,
        post_id=post_id,
        reporter=me.name,
        reason=reason,
        created_at=as_utc(report.created_at),
    )


def list_reports(session: Session, *, limit: int = 100) -> list[ReportView]:
    """The newest reports, for a moderator's script or page."""
    if not isinstance(limit, int) or not 1 <= limit <= MAX_REPORTS:
        raise Invalid(f"A page holds 1 to {MAX_REPORTS} reports.")
    query = (
        select(Report, User.name)
        .join(User, Report.reporter_id == User.id)
        .order_by(Report.id.desc())
        .limit(limit)
    )
    return [
        ReportView(
            id=report.id,
            post_id=report.post_id,
            reporter=name,
            reason=report.reason,
            created_at=as_utc(report.created_at),
        )
        for report, name in session.execute(query)
    ]
