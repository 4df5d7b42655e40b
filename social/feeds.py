"""Feeds beyond Latest: Following, Trending, For you, a hashtag, a person's posts, remixes.

Each page is one cached statement (see `social.cards`): a picker walks an index to the page's
post ids, then only those are decorated. Pages are keyset-paginated: the cursor carries the
sort key of the last post shown, never an offset.

Trending walks `posts (hot_score, id)` from the top, within the last
`PLAZA_TRENDING_WINDOW_HOURS`; the score (see `social.trending`) is kept on the post in the
transaction of each like, comment and remix, so a post whose counts change while someone pages
may move, and so show twice or not at all.

For you reads the viewer's recommendations, computed ahead of the read from a candidate set of
bounded size (see `social.recommendations`) and computed again on the first page when stale.
Someone who has liked nothing yet, or whose likes nobody shares, gets Trending instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import String, bindparam, select, tuple_
from sqlalchemy.orm import Session

from social import cursors, recommendations
from social.cards import (
    AFTER_AT,
    AFTER_ID,
    AFTER_SCORE,
    PAGE_LIMIT,
    SINCE,
    VIEWER_ID,
    CardQuery,
    FeedPage,
    PostCard,
    decorated,
    feed_page,
    page_from_rows,
    page_rows,
)
from social.db import settings_of
from social.errors import Invalid
from social.hashtags import normalize_tag
from social.ids import checked_id
from social.models import ForYouEntry, Post, PostHashtag, TimelineEntry, User
from social.posts import POST_GONE, chronological_cursor, chronological_params, page_size
from social.users import lookup_key
from social.viewers import viewer_key
from social.visibility import visible_posts


def _newest_first(
    picker: Any, created_at: Any, post_id: Any, after: bool, author_id: Any = Post.author_id
) -> CardQuery:
    """Decorate a picker of (id, created_at) newest first, after the cursor if `after`; of
    posts by `author_id` (see `visible_posts`)."""
    picker = picker.where(visible_posts(VIEWER_ID, author_id))
    if after:
        picker = picker.where(tuple_(created_at, post_id) < tuple_(AFTER_AT, AFTER_ID))
    page = picker.order_by(created_at.desc(), post_id.desc()).limit(PAGE_LIMIT).subquery("page")
    return decorated(page, page.c.created_at.desc(), page.c.id.desc())


def _chronological(
    session: Session,
    statement: CardQuery,
    params: dict[str, Any],
    *,
    viewer: str | None,
    cursor: str | None,
    limit: int,
) -> FeedPage:
    page_size(limit)
    return feed_page(
        session,
        statement,
        {**params, **chronological_params(cursor)},
        viewer_key=viewer_key(viewer),
        limit=limit,
        cursor_after=chronological_cursor,
    )


@cache
def _following_statement(after: bool) -> CardQuery:
    # The viewer's timeline (`social.timelines`): one index, newest first.
    picker = (
        select(TimelineEntry.post_id.label("id"), TimelineEntry.created_at)
        .join(Post, Post.id == TimelineEntry.post_id)
        .where(TimelineEntry.user_id == VIEWER_ID)
    )
    return _newest_first(picker, TimelineEntry.created_at, TimelineEntry.post_id, after)


def following_feed(
    session: Session, *, viewer: str, cursor: str | None = None, limit: int = 20
) -> FeedPage:
    """Posts of the people `viewer` follows, newest first."""
    statement = _following_statement(cursor is not None)
    return _chronological(session, statement, {}, viewer=viewer, cursor=cursor, limit=limit)


@cache
def _hashtag_statement(after: bool) -> CardQuery:
    picker = (
        select(PostHashtag.post_id.label("id"), PostHashtag.created_at)
        .join(Post, Post.id == PostHashtag.post_id)
        .where(PostHashtag.tag == bindparam("tag", type_=String))
    )
    return _newest_first(picker, PostHashtag.created_at, PostHashtag.post_id, after)


def hashtag_feed(
    session: Session,
    *,
    tag: str,
    cursor: str | None = None,
    limit: int = 20,
    viewer: str | None = None,
) -> FeedPage:
    """Posts whose caption carries #`tag` (any letter case, "#" optional), newest first."""
    statement = _hashtag_statement(cursor is not None)
    params = {"tag": normalize_tag(tag)}
    return _chronological(session, statement, params, viewer=viewer, cursor=cursor, limit=limit)


@cache
def _author_statement(after: bool) -> CardQuery:
    key = bindparam("author_key", type_=String)
    author = select(User.id).where(User.name_key == key).correlate(None).scalar_subquery()
    picker = select(Post.id, Post.created_at).where(Post.author_id == author)
    return _newest_first(picker, Post.created_at, Post.id, after, author_id=author)


def user_posts(
    session: Session,
    *,
    name: str,
    cursor: str | None = None,
    limit: int = 20,
    viewer: str | None = None,
) -> FeedPage:
    """The posts of `name` (a profile's grid), newest first."""
    statement = _author_statement(cursor is not None)
    params = {"author_key": lookup_key(name)}
    return _chronological(session, statement, params, viewer=viewer, cursor=cursor, limit=limit)


@cache
def _remixes_statement(after: bool) -> CardQuery:
    picker = select(Post.id, Post.created_at).where(Post.remix_of_id == bindparam("original"))
    return _newest_first(picker, Post.created_at, Post.id, after)


def remixes_of(
    session: Session,
    *,
    post_id: int,
    cursor: str | None = None,
    limit: int = 20,
    viewer: str | None = None,
) -> FeedPage:
    """The remixes of post `post_id`, newest first."""
    params = {"original": checked_id(post_id, POST_GONE)}
    statement = _remixes_statement(cursor is not None)
    return _chronological(session, statement, params, viewer=viewer, cursor=cursor, limit=limit)


@lru_cache(maxsize=16)
def _before_this_second(second: int, earlier: float) -> datetime:
    """`earlier` seconds before `second` (whole seconds since the epoch). The times a page is
    read against (where the Trending window starts, since when For you entries are fresh) move
    by whole seconds, so the pages read within one second share them: kept here, and their
    parameters converted once (`social.cards`)."""
    return datetime.fromtimestamp(second, UTC) - timedelta(seconds=earlier)


def _window_start(session: Session) -> datetime:
    hours = settings_of(session).plaza_trending_window_hours
    return _before_this_second(int(time.time()), hours * 3600)


def _ranked(picker: Any, score: Any, post_id: Any, after: bool) -> CardQuery:
    """Decorate a picker of (id, rank) highest rank first, after the cursor if `after`."""
    picker = picker.where(visible_posts(VIEWER_ID))
    if after:
        picker = picker.where(tuple_(score, post_id) < tuple_(AFTER_SCORE, AFTER_ID))
    page = picker.order_by(score.desc(), post_id.desc()).limit(PAGE_LIMIT).subquery("page")
    return decorated(page, page.c.rank.desc(), page.c.id.desc())


@cache
def _trending_statement(after: bool) -> CardQuery:
    picker = select(Post.id, Post.hot_score.label("rank")).where(Post.created_at > SINCE)
    return _ranked(picker, Post.hot_score, Post.id, after)


@cache
def _ranked_cursor(kind: str, rank: type[int] | type[float]) -> Callable[[PostCard, Any], str]:
    """The cursor after the last card of a ranked page (its rank read back exactly)."""

    def cursor_after(card: PostCard, card_rank: Any) -> str:
        return cursors.encode(kind, rank(card_rank), card.id)

    return cursor_after


def trending_feed(
    session: Session, *, cursor: str | None = None, limit: int = 20, viewer: str | None = None
) -> FeedPage:
    """Recent posts ranked by engagement against recency (`social.trending`), highest first."""
    page_size(limit)
    params: dict[str, Any] = {"since": _window_start(session)}
    if cursor is not None:
        params["after_score"], params["after_id"] = cursors.decode(cursor, "t", float, int)
    return feed_page(
        session,
        _trending_statement(cursor is not None),
        params,
        viewer_key=viewer_key(viewer),
        limit=limit,
        cursor_after=_ranked_cursor("t", float),
    )


@cache
def _for_you_statement(after: bool) -> CardQuery:
    # The page's columns after its id: on the first page, whether the entries need computing
    # again; then the rank (last, as every ranked page has it).
    first_page = () if after else (recommendations.stale(VIEWER_ID).label("stale"),)
    picker = (
        select(ForYouEntry.post_id.label("id"), *first_page, ForYouEntry.affinity.label("rank"))
        .join(Post, Post.id == ForYouEntry.post_id)
        .where(ForYouEntry.user_id == VIEWER_ID, Post.created_at > SINCE)
    )
    return _ranked(picker, ForYouEntry.affinity, ForYouEntry.post_id, after)


_STALE = -2  # where a first For you page's rows say whether its entries are stale


def for_you_feed(
    session: Session, *, viewer: str | None, cursor: str | None = None, limit: int = 20
) -> FeedPage:
    """The posts recommended to `viewer` (`social.recommendations`), highest affinity first;
    Trending for guests and for people with nothing to recommend yet. The first page computes
    the recommendations again when they are stale."""
    page_size(limit)
    if viewer is None:
        return trending_feed(session, cursor=cursor, limit=limit, viewer=viewer)
    params: dict[str, Any] = {"since": _window_start(session)}
    key, cursor_after = lookup_key(viewer), _ranked_cursor("f", int)
    if cursor is not None:
        try:
            params["after_score"], params["after_id"] = cursors.decode(cursor, "f", int, int)
        except Invalid:
            if cursors.kind_of(cursor) != "t":
                raise
            # The pages after a Trending first page (nothing to recommend then) stay Trending.
            return trending_feed(session, cursor=cursor, limit=limit, viewer=viewer)
        statement = _for_you_statement(True)
        return feed_page(
            session, statement, params, viewer_key=key, limit=limit, cursor_after=cursor_after
        )
    minutes = settings_of(session).plaza_for_you_refresh_minutes
    params["fresh_since"] = _before_this_second(int(time.time()), minutes * 60)
    statement = _for_you_statement(False)
    rows = page_rows(session, statement, params, viewer_key=key, limit=limit)
    if rows[0][_STALE] if rows else recommendations.is_stale(session, key, params["fresh_since"]):
        recommendations.refresh(session, key, since=params["since"])
        rows = page_rows(session, statement, params, viewer_key=key, limit=limit)
    page = page_from_rows(rows, limit, cursor_after)
    return page if page.posts else trending_feed(session, limit=limit, viewer=viewer)
