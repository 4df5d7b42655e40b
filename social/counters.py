"""A post's like, comment and remix counts and its Trending score, kept on its row.

Every change goes through `adjust_counts` in the transaction of the like, comment or remix
that causes it: the UPDATE takes the row's write lock, so concurrent likes of one post queue
and the counts stay exact, and the score is rewritten from the counts it just returned.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from social.db import settings_of
from social.models import Post
from social.trending import Engagement, hot_score


def adjust_counts(
    session: Session, post_id: int, *, likes: int = 0, comments: int = 0, remixes: int = 0
) -> Engagement:
    """Add to post `post_id`'s counts (negative to take away) and rescore it; the new counts."""
    row = session.execute(
        update(Post)
        .where(Post.id == post_id)
        .values(
            like_count=Post.like_count + likes,
            comment_count=Post.comment_count + comments,
            remix_count=Post.remix_count + remixes,
        )
        .returning(Post.like_count, Post.comment_count, Post.remix_count, Post.created_at)
        .execution_options(synchronize_session=False)
    ).one()
    engagement = Engagement(likes=row[0], comments=row[1], remixes=row[2])
    session.execute(
        update(Post)
        .where(Post.id == post_id)
        .values(hot_score=hot_score(engagement, row[3], settings_of(session)))
        .execution_options(synchronize_session=False)
    )
    return engagement


def rescore_posts(session: Session, post_ids: Sequence[int] | None = None) -> int:
    """Recompute the Trending score of these posts (all if None) from their counts and time,
    as after changing the Trending settings (`plaza rescore`); how many were rescored."""
    settings = settings_of(session)
    query = select(Post.id, Post.like_count, Post.comment_count, Post.remix_count, Post.created_at)
    if post_ids is not None:
        query = query.where(Post.id.in_(list(post_ids)))
    scores = [
        {"id": row.id, "hot_score": hot_score(Engagement(*row[1:4]), row.created_at, settings)}
        for row in session.execute(query)
    ]
    if scores:
        session.execute(update(Post), scores)  # an UPDATE by primary key for each
    return len(scores)
