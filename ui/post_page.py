"""A post's own page (`?post=<id>`, its permalink): full image, details, actions, remixes and
comments."""

from __future__ import annotations

import streamlit as st

from social.feeds import remixes_of
from social.image_formats import file_name, mime_of
from social.posts import PostCard, get_post
from ui.comments import render_comments
from ui.credentials_view import credentials_summary
from ui.feed_search import render_more_like_this
from ui.format import plain, show_text
from ui.navigation import back_to_feed_button
from ui.pictures import picture_bytes
from ui.post_actions import render_post_actions
from ui.post_card import clickable_image, render_post_header, show_hidden_note
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
        clickable_image(post, where, thumbnail=False)
        render_post_header(post, where)
        show_hidden_note(post.hidden_reason)
        show_text(post.caption)
        render_post_actions(post, viewer, where=where)
        _details(post)
    if post.remix_count:
        st.markdown(f"**Remixes ({post.remix_count})**")
        page = load(lambda s: remixes_of(s, post_id=post.id, limit=MAX_REMIXES, viewer=viewer))
        if page is not None:
            render_post_grid(page.posts, key=f"remixes-{post.id}")
    render_more_like_this(post.id, viewer)
    render_comments(post.id, viewer)


def _details(post: PostCard) -> None:
    """Where the picture came from: prompt and edit steps, model, size, Content Credentials and
    the signed file to download; and its permalink."""
    with st.expander("Details", icon=":material/info:", expanded=True):
        if post.ai_generated:
            made_by = "the offline painter" if "offline" in post.model else plain(post.model)
            st.caption(f"AI-generated with {made_by} · {post.width}×{post.height}")
            if post.lineage:
                hidden = "" if post.prompt_public else " (only you see it)"
                st.caption("Prompt" + (" and edits" if post.edit_steps else "") + hidden)
                show_text(post.lineage)
            elif not post.prompt_public:
                st.caption("The author keeps the prompt private.")
        else:
            st.caption(f"Photo · {post.width}×{post.height}")
        credentials_summary(post.image_sha256)
        stored = picture_bytes(post.image_sha256, full_size=True)
        if stored is not None:
            st.download_button(
                "Download image",
                data=stored,
                file_name=file_name(f"plaza-post-{post.id}", stored),
                mime=mime_of(stored),
                key=f"download-post-{post.id}",
                icon=":material/download:",
                on_click="ignore",
                help="The file as stored, with its Content Credentials",
            )
        if post.alt_text:
            st.caption("Alt text")
            show_text(post.alt_text)
        if base := st.context.url:
            st.caption("Permalink")
            st.code(f"{base.split('?')[0].rstrip('/')}/?post={post.id}", language=None)
