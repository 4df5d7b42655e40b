"""One post as a card in a feed: image first (a click opens the post), then who and when, the
caption with its #tags as links, and one row of actions."""

from __future__ import annotations

import streamlit as st

from social.posts import PostCard
from ui.credentials_view import credentials_line
from ui.format import plain, relative_time, show_text
from ui.navigation import open_post, open_profile
from ui.pictures import show_picture
from ui.post_actions import render_post_actions

AI_BADGE = '<span class="plaza-badge" title="AI-generated">AI</span>'


def render_post_card(post: PostCard, viewer: str | None) -> None:
    """The post's image (opens the post), header, caption and action row."""
    where = f"card-{post.id}"
    with st.container(border=True, key=f"post-{post.id}"):
        clickable_image(post, where, thumbnail=True)
        render_post_header(post, where)
        credentials_line(post.image_sha256)
        show_hidden_note(post.hidden_reason)
        show_text(post.caption)
        render_post_actions(post, viewer, where=where)


def show_hidden_note(reason: str | None) -> None:
    """On a post or comment a moderator hid (only its author sees it): why."""
    if reason is not None:
        st.warning(
            f"Hidden by a moderator: only you can see this. Reason: {plain(reason)}",
            icon=":material/visibility_off:",
        )


def clickable_image(post: PostCard, where: str, *, thumbnail: bool) -> None:
    """The post's picture; a click anywhere on it opens the post's own page."""
    with st.container(key=f"plaza-open-{where}", gap=None):
        show_picture(
            post.image_sha256,
            full_size=not thumbnail,
            width="stretch",
            alt=post.alt_text or None,
        )
        st.button(
            "Open post",
            key=f"{where}-open",
            on_click=open_post,
            args=(post.id,),
            help="Open this post",
        )


def render_post_header(post: PostCard, where: str) -> None:
    """The author (a link to their profile), the post's age, the AI badge, what it remixes."""
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        if post.author_avatar_sha256:
            show_picture(post.author_avatar_sha256, width=28)
        st.button(
            f"**@{plain(post.author)}**",
            key=f"{where}-author",
            type="tertiary",
            on_click=open_profile,
            args=(post.author,),
            help="Open profile",
        )
        # The age links to the post's own page, its permalink, as on most social sites.
        st.button(
            f":gray[{relative_time(post.created_at)}]",
            key=f"{where}-link",
            type="tertiary",
            on_click=open_post,
            args=(post.id,),
            help="Open this post's page (permalink)",
        )
        if post.ai_generated:
            st.html(AI_BADGE, width="content")
    if post.remix_of_id is not None and post.remix_of_author:
        st.button(
            f"remix of @{plain(post.remix_of_author)}'s post",
            key=f"{where}-original",
            type="tertiary",
            icon=":material/autorenew:",
            on_click=open_post,
            args=(post.remix_of_id,),
        )
