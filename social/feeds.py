"""Feeds beyond Latest: Following, Trending, For you, a hashtag, a person's posts, remixes.

Every page is one SQL statement (For you: at most two, when it falls back to Trending), with
counts and the viewer's likes inside it, and keyset-paginated: the cursor carries the sort key
of the last post shown, never an offset.

Trending ranks the posts of the last `PLAZA_TRENDING_WINDOW_HOURS` by

    score = (like_weight * likes + comment_weight * comments + remix_weight * remixes + 1)
            / (age_hours + 2) ** gravity

(Hacker News' formula with weighted engagement). The first page fixes the moment ages are
measured from and its cursor carries it, so later pages rank on the same clock; a post whose
counts change while someone pages may move, and so show twice or not at all.

For you ranks posts by how many likes they got from people who like what the viewer likes
(each such person counts once per post the two both liked), leaving out the viewer's own posts
and those they already liked. Someone who has liked nothing yet, or whose likes nobody shares,
gets Trending instead.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, DateTime, Float, cast, extract, func, literal, select, tuple_
from sqlalchemy.orm import Session, aliased

from social import cursors
from social.hashtags import normalize_tag
from social.ids import checked_id
from social.models import Follow, Like, Post, PostHashtag, User, utcnow
from social.posts import (
    POST_GONE,
    FeedPage,
    card_from_row,
    card_query,
    chronological_page,
    engagement_counts,
    page_size,
    viewer_id,
)
from social.settings import get_settings
from social.users import lookup_key


def following_feed(
    session: Session, *, viewer: str, cursor: str | None = None, limit: int = 20
) -> FeedPage:
    """Posts of the people `viewer` follows, newest first."""
    followed = select(Follow.followee_id).where(Follow.follower_id == viewer_id(viewer))
    query = card_query(viewer).where(Post.author_id.in_(followed))
    return chronological_page(session, query, cursor=cursor, limit=limit)


def hashtag_feed(
    session: Session,
    *,
    tag: str,
    cursor: str | None = None,
    limit: int = 20,
    viewer: str | None = None,
) -> FeedPage:
    """Posts whose caption carries #`tag` (any letter case, "#" optional), newest first."""
    query = (
        card_query(viewer)
        .join(PostHashtag, PostHashtag.post_id == Post.id)
        .where(PostHashtag.tag == normalize_tag(tag))
    )
    return chronological_page(session, query, cursor=cursor, limit=limit)


def user_posts(
    session: Session,
    *,
    name: str,
    cursor: str | None = None,
    limit: int = 20,
    viewer: str | None = None,
) -> FeedPage:
    """The posts of `name` (a profile's grid), newest first."""
    query = card_query(viewer).where(User.name_key == lookup_key(name))
    return chronological_page(session, query, cursor=cursor, limit=limit)


def remixes_of(
    session: Session,
    *,
    post_id: int,
    cursor: str | None = None,
    limit: int = 20,
    viewer: str | None = None,
) -> FeedPage:
    """The remixes of post `post_id`, newest first."""
    post_id = checked_id(post_id, POST_GONE)
    query = card_query(viewer).where(Post.remix_of_id == post_id)
    return chronological_page(session, query, cursor=cursor, limit=limit)


def _age_hours(session: Session, as_of: datetime) -> ColumnElement[Any]:
    if session.get_bind().dialect.name == "postgresql":
        elapsed = literal(as_of, DateTime(timezone=True)) - Post.created_at
        return cast(extract("epoch", elapsed), Float) / 3600.0
    # SQLite keeps datetimes as UTC text, which julianday() reads (in days).
    as_of_text = as_of.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    return (func.julianday(as_of_text) - func.julianday(Post.created_at)) * 24.0


def trending_score(session: Session, as_of: datetime) -> ColumnElement[float]:
    """The trending score of a post at `as_of`, as SQL (formula in the module docstring)."""
    settings = get_settings()
    likes, comments, remixes = engagement_counts()
    engagement = (
        likes * settings.plaza_trending_like_weight
        + comments * settings.plaza_trending_comment_weight
        + remixes * settings.plaza_trending_remix_weight
        + 1.0
    )
    decay = func.power(_age_hours(session, as_of) + 2.0, settings.plaza_trending_gravity)
    # Double precision on both databases, so a score read back into a cursor compares exactly.
    return cast(engagement / decay, Float)


def trending_feed(
    session: Session, *, cursor: str | None = None, limit: int = 20, viewer: str | None = None
) -> FeedPage:
    """Recent posts ranked by engagement decaying with age, highest first."""
    page_size(limit)
    if cursor is None:
        as_of, after = utcnow(), None
    else:
        as_of, score, post_id = cursors.decode(cursor, "t", datetime, float, int)
        after = (score, post_id)
    window = timedelta(hours=get_settings().plaza_trending_window_hours)
    score = trending_score(session, as_of)
    query = (
        card_query(viewer)
        .add_columns(score.label("rank"))
        # Posts newer than the first page wait for a reload, so pages do not shift under it.
        .where(Post.created_at > as_of - window, Post.created_at <= as_of)
        .order_by(score.desc(), Post.id.desc())
    )
    if after is not None:
        query = query.where(tuple_(score, Post.id) < tuple_(*after))
    rows = session.execute(query.limit(limit + 1)).all()
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = cursors.encode("t", as_of, float(last.rank), last.id)
    return FeedPage(posts=[card_from_row(row) for row in rows[:limit]], next_cursor=next_cursor)


def _affinity_query(viewer: str) -> Any:
    me = viewer_id(viewer)
    # Separate aliases of `likes`: a shared one would be correlated into the wrong scope.
    mine, theirs, candidate = aliased(Like), aliased(Like), aliased(Like)
    my_posts = select(mine.post_id).where(mine.user_id == me)
    neighbours = (
        select(theirs.user_id.label("user_id"), func.count().label("weight"))
        .where(theirs.post_id.in_(my_posts), theirs.user_id != me)
        .group_by(theirs.user_id)
        .subquery()
    )
    return (
        select(candidate.post_id.label("post_id"), func.sum(neighbours.c.weight).label("affinity"))
        .join(neighbours, candidate.user_id == neighbours.c.user_id)
        .where(candidate.post_id.not_in(my_posts))
        .group_by(candidate.post_id)
        .subquery()
    )


def for_you_feed(
    session: Session, *, viewer: str | None, cursor: str | None = None, limit: int = 20
) -> FeedPage:
    """Posts liked by people whose likes match `viewer`'s; Trending for guests and new users."""
    page_size(limit)
    if viewer is None or (cursor is not None and cursors.kind_of(cursor) == "t"):
        return trending_feed(session, cursor=cursor, limit=limit, viewer=viewer)
    after = None if cursor is None else cursors.decode(cursor, "f", int, int)
    scores = _affinity_query(viewer)
    window = timedelta(hours=get_settings().plaza_trending_window_hours)
    query = (
        card_query(viewer)
        .add_columns(scores.c.affinity)
        .join(scores, scores.c.post_id == Post.id)
        .where(Post.author_id != viewer_id(viewer), Post.created_at > utcnow() - window)
        .order_by(scores.c.affinity.desc(), Post.id.desc())
    )
    if after is not None:
        query = query.where(tuple_(scores.c.affinity, Post.id) < tuple_(*after))
    rows = session.execute(query.limit(limit + 1)).all()
    if not rows and cursor is None:
        return trending_feed(session, limit=limit, viewer=viewer)
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = cursors.encode("f", int(last.affinity), last.id)
    return FeedPage(posts=[card_from_row(row) for row in rows[:limit]], next_cursor=next_cursor)
