"""A post's own page (`?post=<id>`, its permalink): full image, actions, remixes and comments."""

from __future__ import annotations

import streamlit as st

from social.feeds import remixes_of
from social.media import image_path
from social.posts import get_post
from ui.comments import render_comments
from ui.format import plain
from ui.navigation import back_to_feed_button
from ui.post_actions import render_post_actions
from ui.post_card import render_post_header, render_post_text
from ui.post_grid import render_post_grid
from ui.social_calls import load

MAX_REMIXES = 30


def render_post_page(argument: str, viewer: str | None) -> None:
    """Everything about one post; anyone may read it, signed in or not."""
    back_to_feed_button("post-back")
    # ASCII digits, and few enough to be a database id (a longer number would overflow it).
    if not (argument.isascii() and argument.isdigit() and len(argument) <= 12):
        st.error("That is not a link to a post.")
        return
    post = load(lambda s: get_post(s, int(argument), viewer=viewer))
    if post is None:
        return
    where = f"page-{post.id}"
    with st.container(border=True, key=f"post-page-{post.id}"):
        render_post_header(post, where)
        st.image(str(image_path(post.image_sha256)), width="stretch", alt=post.alt_text or None)
        render_post_text(post, where)
        model = plain(post.model) if post.model else "unknown model"
        st.caption(f"{post.width}×{post.height} · AI-generated · {model}")
        render_post_actions(post, viewer, where=where)
    if base := st.context.url:
        st.caption("Permalink")
        st.code(f"{base.rstrip('/')}/?post={post.id}", language=None)
    if post.remix_count:
        st.markdown(f"**Remixes ({post.remix_count})**")
        page = load(lambda s: remixes_of(s, post_id=post.id, limit=MAX_REMIXES, viewer=viewer))
        if page is not None:
            render_post_grid(page.posts, key=f"remixes-{post.id}")
    render_comments(post.id, viewer)
