"""One post in the feed, and its full-size view."""

from __future__ import annotations

import streamlit as st

from social.media import image_path, thumbnail_path
from social.posts import PostCard
from ui.format import plain, relative_time


def render_post_card(post: PostCard) -> None:
    """Image, caption, author, age and prompt of one post."""
    with st.container(border=True, key=f"post-{post.id}"):
        st.markdown(f"**@{plain(post.author)}** · {relative_time(post.created_at)}")
        st.image(str(thumbnail_path(post.image_sha256)), width="stretch", alt=post.alt_text or None)
        st.markdown(plain(post.caption))
        if post.prompt:
            st.caption(f"Prompt: {plain(post.prompt)}")
        if st.button("View full size", key=f"view-{post.id}", type="tertiary"):
            show_post(post)


@st.dialog("Post", width="large")
def show_post(post: PostCard) -> None:
    """The full-size image with everything about the post."""
    st.image(str(image_path(post.image_sha256)), width="stretch", alt=post.alt_text or None)
    st.markdown(f"**@{plain(post.author)}** · {relative_time(post.created_at)}")
    st.markdown(plain(post.caption))
    if post.prompt:
        st.caption(f"Prompt: {plain(post.prompt)}")
    st.caption(
        f"{post.width}×{post.height} · AI-generated · {plain(post.model or 'unknown model')}"
    )
