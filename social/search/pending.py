"""The database's list of posts whose search-index entry is out of date (the index's to-do)."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from social.models import SearchPending, utcnow


def mark_for_indexing(session: Session, post_id: int) -> None:
    """Note, in the caller's transaction, that post `post_id` was published or deleted."""
    marked = session.execute(
        update(SearchPending).where(SearchPending.post_id == post_id).values(marked_at=utcnow())
    )
    if not marked.rowcount:  # type: ignore[attr-defined]
        session.add(SearchPending(post_id=post_id))


def pending_count(session: Session) -> int:
    """How many posts wait for the search index."""
    return session.scalar(select(func.count()).select_from(SearchPending)) or 0
