"""The social column: the feed, or a post, profile, hashtag or notifications, as the URL says.

A fragment: likes, comments and paging rerun only this column, never the chat.
"""

from __future__ import annotations

import streamlit as st

from social.feeds import following_feed, for_you_feed, hashtag_feed, trending_feed
from social.posts import latest_feed
from ui.format import plain
from ui.identity import signed_in_user
from ui.navigation import back_to_feed_button, current_view
from ui.notifications import render_notifications_page
from ui.post_list import PAGE_SIZE, render_post_list
from ui.post_page import render_post_page
from ui.profile_page import render_profile_page

FEEDS = ["Latest", "Following", "Trending", "For you"]


@st.fragment
def feed_panel() -> None:
    """Render the social column; call it inside any Streamlit container."""
    view, argument = current_view()
    viewer = signed_in_user()
    if view == "post":
        render_post_page(argument, viewer)
    elif view == "user":
        render_profile_page(argument, viewer)
    elif view == "tag":
        _hashtag(argument, viewer)
    elif view == "notifications":
        render_notifications_page(viewer)
    else:
        _feed(viewer)


def _feed(viewer: str | None) -> None:
    header, refresh = st.columns([4, 1], vertical_alignment="center")
    header.subheader("Plaza feed")
    refresh.button("↻", key="feed-refresh", help="Show the newest posts")
    kind = st.segmented_control(
        "Feed",
        FEEDS,
        key="feed-kind",
        default="Latest",
        required=True,
        label_visibility="collapsed",
        width="stretch",
    )
    size = PAGE_SIZE
    if kind == "Following":
        if viewer is None:
            st.info("Sign in to see the posts of the people you follow.")
            return
        render_post_list(
            "following",
            lambda s, cursor: following_feed(s, viewer=viewer, cursor=cursor, limit=size),
            viewer,
            empty="Nobody you follow has posted yet. Open someone's profile and press Follow.",
        )
    elif kind == "Trending":
        render_post_list(
            "trending",
            lambda s, cursor: trending_feed(s, cursor=cursor, limit=size, viewer=viewer),
            viewer,
            empty="Nothing is trending yet: nothing was posted recently.",
        )
    elif kind == "For you":
        if viewer is None:
            st.caption("Showing Trending: sign in and like posts to get picks for you.")
        render_post_list(
            "for-you",
            lambda s, cursor: for_you_feed(s, viewer=viewer, cursor=cursor, limit=size),
            viewer,
            empty="Nothing to suggest yet. Like a few posts and come back.",
        )
    else:
        render_post_list(
            "feed",
            lambda s, cursor: latest_feed(s, cursor=cursor, limit=size, viewer=viewer),
            viewer,
            empty="No posts yet. Make something in the chat and press **Share**.",
        )


def _hashtag(tag: str, viewer: str | None) -> None:
    back_to_feed_button("tag-back")
    st.subheader(plain(f"#{tag}"))
    render_post_list(
        f"tag-{tag}",
        lambda s, cursor: hashtag_feed(s, tag=tag, cursor=cursor, limit=PAGE_SIZE, viewer=viewer),
        viewer,
        empty="No posts carry this hashtag yet.",
    )
