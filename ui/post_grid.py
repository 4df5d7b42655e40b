"""Posts as a grid of thumbnails that open the post's page (a profile, a post's remixes)."""

from __future__ import annotations

import streamlit as st

from social.posts import PostCard
from ui.navigation import open_post
from ui.post_card import clickable_image

COLUMNS = 3


def render_post_grid(posts: list[PostCard], key: str) -> None:
    """Thumbnails in rows of three, each with its likes and comments; a click opens the post."""
    for start in range(0, len(posts), COLUMNS):
        columns = st.columns(COLUMNS)
        for column, post in zip(columns, posts[start : start + COLUMNS], strict=False):
            with column, st.container(key=f"{key}-{post.id}"):
                clickable_image(post, f"{key}-tile-{post.id}", thumbnail=True)
                counts = f"{post.like_count} · :material/chat_bubble: {post.comment_count}"
                st.button(
                    f":material/favorite: {counts}",
                    key=f"{key}-open-{post.id}",
                    type="tertiary",
                    help="Open post",
                    on_click=open_post,
                    args=(post.id,),
                )
