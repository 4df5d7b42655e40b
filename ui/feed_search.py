"""Search and steering above the feed, and "More like this" on a post's page.

A search ("cozy rainy cafés", narrowed by author, hashtag and dates) or a steering ("more
watercolor, fewer cars") replaces the feed while it is active; clearing it brings the feed back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import streamlit as st
from sqlalchemy.orm import Session

from social.errors import Invalid
from social.posts import FeedPage, latest_feed
from social.search.queries import SearchFilters, more_like_this, search_posts
from social.search.steering import FeedSteering, parse_steering, steer_posts
from ui.format import plain
from ui.post_grid import render_post_grid
from ui.post_list import PAGE_SIZE, render_post_list
from ui.social_calls import load

STEERING_KEY = "feed-steering"
SEARCH_RESULTS = 20
MORE_LIKE_THIS = 6


def render_feed_search(viewer: str | None, show_feed: Callable[[str | None], None]) -> None:
    """Search box, filters and steering; their results, or `show_feed` when none is active."""
    query = st.text_input(
        "Search the feed",
        key="feed-search-query",
        placeholder="Search by meaning, e.g. cozy rainy cafés",
        label_visibility="collapsed",
    ).strip()
    with st.expander("Filters and steering"):
        filters = _filters()
        _steering_input()
    steering: FeedSteering | None = st.session_state.get(STEERING_KEY)
    if steering is not None:
        with st.container(horizontal=True, vertical_alignment="center"):
            st.caption(plain(steering.describe()))
            st.button("Undo", key="feed-steer-undo", on_click=_undo, type="tertiary")
    if query:
        _results(query, filters, viewer, steering)
    elif steering is not None:
        st.subheader("Latest, steered")
        render_post_list(
            "steered",
            lambda s, cursor: _steered_page(s, cursor, viewer, steering),
            viewer,
            empty="Nothing left on this page: everything matched what you hid.",
        )
    else:
        show_feed(viewer)


def render_more_like_this(post_id: int, viewer: str | None) -> None:
    """Posts closest in meaning to post `post_id`, as a grid (nothing when there are none)."""
    similar = load(lambda s: more_like_this(s, post_id, limit=MORE_LIKE_THIS, viewer=viewer))
    if similar:
        st.markdown("**More like this**")
        render_post_grid([result.post for result in similar], key=f"more-like-{post_id}")


def _filters() -> SearchFilters:
    author, tag = st.columns(2)
    name = author.text_input("Author", key="feed-search-author", placeholder="ana").strip()
    hashtag = tag.text_input("Hashtag", key="feed-search-tag", placeholder="fox").strip()
    since_column, until_column = st.columns(2)
    since = since_column.date_input("From", value=None, key="feed-search-since")
    until = until_column.date_input("Until", value=None, key="feed-search-until")
    return SearchFilters(
        author=name or None,
        hashtag=hashtag or None,
        since=_start_of(since),
        until=_start_of(until + timedelta(days=1)) if isinstance(until, date) else None,
    )


def _start_of(day: object) -> datetime | None:
    return datetime.combine(day, time(), tzinfo=UTC) if isinstance(day, date) else None


def _steering_input() -> None:
    st.text_input(
        "Steer the feed",
        key="feed-steer-text",
        placeholder="more watercolor, fewer cars",
        on_change=_steer,
    )
    if error := st.session_state.pop("feed-steer-error", None):
        st.error(plain(error))


def _steer() -> None:
    text = st.session_state.get("feed-steer-text", "").strip()
    if not text:
        return
    try:
        st.session_state[STEERING_KEY] = parse_steering(text)
    except Invalid as error:
        st.session_state["feed-steer-error"] = str(error)
    st.session_state["steered-pages"] = 1


def _undo() -> None:
    st.session_state.pop(STEERING_KEY, None)
    st.session_state["feed-steer-text"] = ""


def _results(
    query: str, filters: SearchFilters, viewer: str | None, steering: FeedSteering | None
) -> None:
    def fetch(session: Session, cursor: str | None) -> FeedPage:
        found = search_posts(session, query, filters=filters, limit=SEARCH_RESULTS, viewer=viewer)
        posts = [result.post for result in found]
        return FeedPage(posts=steer_posts(posts, steering) if steering else posts, next_cursor=None)

    st.subheader(plain(f"Results for “{query}”"))
    render_post_list("search", fetch, viewer, empty="No posts match this search.")


def _steered_page(
    session: Session, cursor: str | None, viewer: str | None, steering: FeedSteering
) -> FeedPage:
    page = latest_feed(session, cursor=cursor, limit=PAGE_SIZE, viewer=viewer)
    return FeedPage(posts=steer_posts(page.posts, steering), next_cursor=page.next_cursor)
