"""Reports: a signed-in user flags a post or a comment, with a reason, for the moderators.

The reported item is hidden from the reporter at once (`social.visibility`) and waits in the
moderators' queue (`social.moderators`) until one of them hides it, restores it or dismisses
the reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from social.accounts import account_user
from social.errors import Invalid, NotFound
from social.ids import checked_id
from social.models import Comment, Report, User, as_utc
from social.posts import find_post
from social.text import clean_text

MAX_REASON_LENGTH = 1000
MAX_REPORTS = 1000
COMMENT_GONE = "That comment does not exist (any more)."


@dataclass(frozen=True)
class ReportView:
    """A report as a moderator sees it; `comment_id` is set for a report of a comment (then
    `post_id` is the post it is on), `resolution` once a moderator acted on it."""

    id: int
    post_id: int
    reporter: str
    reason: str
    created_at: datetime
    comment_id: int | None = None
    resolution: str | None = None


def _file(session: Session, report: Report, what: str) -> Report:
    try:
        with session.begin_nested():
            session.add(report)
    except IntegrityError as error:
        raise Invalid(f"You have already reported this {what}; thank you.") from error
    return report


def report_post(session: Session, *, user: str, post_id: int, reason: str) -> ReportView:
    """`user` reports post `post_id` for `reason`; once per person and post."""
    me = account_user(session, user)
    reason = clean_text(reason, "reason", max_length=MAX_REASON_LENGTH, required=True)
    post = find_post(session, post_id)
    if post.author_id == me.id:
        raise Invalid("This is your own post; you can delete it instead of reporting it.")
    report = _file(session, Report(post_id=post.id, reporter_id=me.id, reason=reason), "post")
    return ReportView(report.id, post.id, me.name, reason, as_utc(report.created_at))


def report_comment(session: Session, *, user: str, comment_id: int, reason: str) -> ReportView:
    """`user` reports comment `comment_id` for `reason`; once per person and comment."""
    me = account_user(session, user)
    reason = clean_text(reason, "reason", max_length=MAX_REASON_LENGTH, required=True)
    comment = session.get(Comment, checked_id(comment_id, COMMENT_GONE))
    if comment is None:
        raise NotFound(COMMENT_GONE)
    if comment.author_id == me.id:
        raise Invalid("This is your own comment; you can delete it instead of reporting it.")
    report = Report(comment_id=comment.id, reporter_id=me.id, reason=reason)
    _file(session, report, "comment")
    return ReportView(
        report.id, comment.post_id, me.name, reason, as_utc(report.created_at), comment.id
    )


def list_reports(session: Session, *, limit: int = 100) -> list[ReportView]:
    """The newest reports, open and resolved, for the operator's command line."""
    if not isinstance(limit, int) or not 1 <= limit <= MAX_REPORTS:
        raise Invalid(f"A page holds 1 to {MAX_REPORTS} reports.")
    query = (
        select(Report, User.name, Comment.post_id)
        .join(User, Report.reporter_id == User.id)
        .outerjoin(Comment, Report.comment_id == Comment.id)
        .order_by(Report.id.desc())
        .limit(limit)
    )
    return [
        view_of(report, name, comment_post) for report, name, comment_post in session.execute(query)
    ]


def view_of(report: Report, reporter: str, comment_post_id: int | None) -> ReportView:
    """The view of a report row (for `social.moderators` too)."""
    post_id = report.post_id if report.post_id is not None else comment_post_id
    assert post_id is not None  # a report is of a post, or of a comment on one
    return ReportView(
        id=report.id,
        post_id=post_id,
        reporter=reporter,
        reason=report.reason,
        created_at=as_utc(report.created_at),
        comment_id=report.comment_id,
        resolution=report.resolution,
    )
