"""The social column: the feed, or a post, profile, hashtag or notifications, as the URL says.

A fragment: likes, comments and paging rerun only this column, never the chat; and it reruns by
itself every few seconds, so other people's new posts and fresh counts appear without a click
(the reader's scroll position and any half-typed comment stay as they are).
"""

from __future__ import annotations

import streamlit as st

from assistant.plugins import FeedRanker, default_registry
from social.feeds import following_feed, hashtag_feed
from ui.feed_search import render_feed_search
from ui.format import plain
from ui.identity import ensure_sign_in_restored, signed_in_user
from ui.moderation_page import render_moderation_page
from ui.navigation import back_to_feed_button, current_view
from ui.notifications import render_notifications_page
from ui.post_list import PAGE_SIZE, render_post_list
from ui.post_page import render_post_page
from ui.profile_page import render_profile_page
from ui.sidebar_state import rerun_if_sidebar_changed
from ui.styles import card_styles

FOLLOWING = "Following"
EMPTY = {
    "latest": "No posts yet. Be the first: describe a picture in the chat (or attach a photo "
    "of yours) and press Share.",
    "trending": "Nothing is trending yet: nothing was posted recently.",
    "for-you": "Nothing to suggest yet. Like a few posts and come back.",
}
POLL_SECONDS = 10


@st.fragment(run_every=POLL_SECONDS)
def feed_panel() -> None:
    """Render the social column; call it inside any Streamlit container."""
    rerun_if_sidebar_changed()
    ensure_sign_in_restored()
    card_styles()
    view, argument = current_view()
    viewer = signed_in_user()
    if view == "feed":
        _feed_header()
    with st.container(key="plaza-feed-scroll", height=720, border=False):
        _view(view, argument, viewer)


def _view(view: str, argument: str, viewer: str | None) -> None:
    if view == "post":
        render_post_page(argument, viewer)
    elif view == "user":
        render_profile_page(argument, viewer)
    elif view == "tag":
        _hashtag(argument, viewer)
    elif view == "notifications":
        render_notifications_page(viewer)
    elif view == "moderation":
        render_moderation_page(viewer)
    else:
        render_feed_search(viewer, show_feed=_feed)


def _feed_header() -> None:
    st.subheader("Plaza feed")
    st.segmented_control(
        "Feed",
        list(_orders()),
        key="feed-kind",
        default="Latest",
        required=True,
        label_visibility="collapsed",
        width="stretch",
    )


def _orders() -> dict[str, FeedRanker | None]:
    """The feed's tabs: every registered ranker (Plaza's own and plugins'), and Following."""
    rankers = {ranker.label: ranker for ranker in default_registry().feed_rankers.values()}
    labels = list(rankers)
    labels.insert(1, FOLLOWING)  # the people one follows, second as on most social apps
    return {label: rankers.get(label) for label in labels}


def _feed(viewer: str | None) -> None:
    kind = st.session_state.get("feed-kind", "Latest")
    ranker = _orders().get(kind)
    size = PAGE_SIZE
    if ranker is None:  # Following
        if viewer is None:
            st.info("Sign in to see the posts of the people you follow.")
            return
        render_post_list(
            "following",
            lambda s, cursor: following_feed(s, viewer=viewer, cursor=cursor, limit=size),
            viewer,
            empty="Nobody you follow has posted yet. Open someone's profile and press Follow.",
        )
        return
    if ranker.name == "for-you" and viewer is None:
        st.caption("Showing Trending: sign in and like posts to get picks for you.")
    render_post_list(
        ranker.name,
        lambda s, cursor: ranker.page(s, viewer=viewer, cursor=cursor, limit=size),
        viewer,
        empty=EMPTY.get(ranker.name, "Nothing here yet."),
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
