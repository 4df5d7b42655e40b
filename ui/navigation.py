"""Which view the social column shows: the feed, a post, a profile, a hashtag or notifications.

The view lives in the URL's query parameters, so each one is a link: `?post=12` is a post's
permalink, `?user=ana` a profile, `?tag=sunset` a hashtag, `?view=notifications` the inbox,
`?view=moderation` the moderators' queue.
"""

from __future__ import annotations

from typing import Literal

import streamlit as st

View = Literal["feed", "post", "user", "tag", "notifications", "moderation"]
_PARAMS = ("post", "user", "tag", "view")


def current_view() -> tuple[View, str]:
    """The view the URL asks for and its argument (a post id, a name, a tag), else the feed."""
    params = st.query_params
    for name in ("post", "user", "tag"):
        if value := params.get(name):
            return name, value  # type: ignore[return-value]
    if (view := params.get("view")) in ("notifications", "moderation"):
        return view, ""  # type: ignore[return-value]
    return "feed", ""


def _go(name: str | None = None, value: str = "") -> None:
    # Only our own parameters change: an embedding app may keep its own in the URL.
    for param in _PARAMS:
        if param in st.query_params:
            del st.query_params[param]
    if name:
        st.query_params[name] = value


def open_feed() -> None:
    """Show the feed."""
    _go()


def open_post(post_id: int) -> None:
    """Show the page of post `post_id` (its permalink)."""
    _go("post", str(post_id))


def open_profile(name: str) -> None:
    """Show the profile of `name`."""
    _go("user", name)


def open_tag(tag: str) -> None:
    """Show the posts tagged #`tag`."""
    _go("tag", tag)


def open_notifications() -> None:
    """Show the signed-in user's notifications."""
    _go("view", "notifications")


def open_moderation() -> None:
    """Show the moderators' queue."""
    _go("view", "moderation")


def back_to_feed_button(key: str) -> None:
    """A small "← Feed" button that returns to the feed."""
    st.button("← Feed", key=key, type="tertiary", on_click=open_feed)
