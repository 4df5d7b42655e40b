"""A paged list of post cards, newest page last, with "Load more" (used by every feed view)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from sqlalchemy.orm import Session

from social.posts import FeedPage
from ui.post_card import render_post_card
from ui.social_calls import load

PAGE_SIZE = 10
FetchPage = Callable[[Session, str | None], FeedPage]


def render_post_list(key: str, fetch: FetchPage, viewer: str | None, *, empty: str) -> None:
    """Cards of the pages `fetch` returns for cursors; `key` remembers how many pages are open."""
    pages_key = f"{key}-pages"
    st.session_state.setdefault(pages_key, 1)
    pages = load(lambda session: _pages(session, fetch, st.session_state[pages_key]))
    if pages is None:
        return
    posts = [post for page in pages for post in page.posts]
    if not posts:
        st.info(empty)
    for post in posts:
        render_post_card(post, viewer)
    if pages and pages[-1].next_cursor:
        st.button(
            "Load more", key=f"{key}-more", on_click=_more, args=(pages_key,), width="stretch"
        )


def _more(pages_key: str) -> None:
    st.session_state[pages_key] += 1


def _pages(session: Session, fetch: FetchPage, count: int) -> list[FeedPage]:
    # Every open page is read again on each run, so counts and likes are always current.
    pages: list[FeedPage] = []
    cursor: str | None = None
    for _ in range(count):
        page = fetch(session, cursor)
        pages.append(page)
        cursor = page.next_cursor
        if cursor is None:
            break
    return pages
