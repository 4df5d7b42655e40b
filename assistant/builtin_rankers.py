"""Plaza's own feed orders as a plugin: Latest, Trending and For you, from `social.feeds`."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from assistant.hookspecs import hookimpl
from assistant.plugins import FeedRanker
from social.feeds import for_you_feed, trending_feed
from social.posts import FeedPage, latest_feed


def _latest(session: Session, *, viewer: str | None, cursor: str | None, limit: int) -> FeedPage:
    return latest_feed(session, cursor=cursor, limit=limit, viewer=viewer)


def _trending(session: Session, *, viewer: str | None, cursor: str | None, limit: int) -> FeedPage:
    return trending_feed(session, cursor=cursor, limit=limit, viewer=viewer)


def _for_you(session: Session, *, viewer: str | None, cursor: str | None, limit: int) -> FeedPage:
    return for_you_feed(session, viewer=viewer, cursor=cursor, limit=limit)


@hookimpl
def register_feed_rankers(register: Any) -> None:
    """Latest, Trending and For you."""
    register(FeedRanker(name="latest", label="Latest", page=_latest))
    register(FeedRanker(name="trending", label="Trending", page=_trending))
    register(FeedRanker(name="for-you", label="For you", page=_for_you))
