"""The shared feed: newest posts first, more on demand. Interactions rerun only this panel."""

from __future__ import annotations

import streamlit as st

from social.db import unit_of_work
from social.errors import SocialError
from social.posts import FeedPage, latest_feed
from ui.post_card import render_post_card
from ui.resources import database

PAGE_SIZE = 10


@st.fragment
def feed_panel() -> None:
    """Render the feed; call it inside any Streamlit container."""
    state = st.session_state
    state.setdefault("feed_pages", 1)
    header, refresh = st.columns([4, 1], vertical_alignment="center")
    header.subheader("Plaza feed")
    refresh.button("↻", key="feed-refresh", help="Show the newest posts")
    try:
        pages = _load_pages(state.feed_pages)
    except SocialError as error:
        st.error(str(error))
        return
    posts = [post for page in pages for post in page.posts]
    if not posts:
        st.info("No posts yet. Make something in the chat and press **Share**.")
    for post in posts:
        render_post_card(post)
    if pages and pages[-1].next_cursor:
        st.button("Load more", key="feed-more", on_click=_more, width="stretch")


def _more() -> None:
    st.session_state.feed_pages += 1


def _load_pages(count: int) -> list[FeedPage]:
    pages: list[FeedPage] = []
    cursor: str | None = None
    with unit_of_work(database()) as session:
        for _ in range(count):
            page = latest_feed(session, cursor=cursor, limit=PAGE_SIZE)
            pages.append(page)
            cursor = page.next_cursor
            if cursor is None:
                break
    return pages
