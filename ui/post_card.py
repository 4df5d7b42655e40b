"""One post: its header (author, age, "remix of"), text and hashtags, as a card in a feed."""

from __future__ import annotations

import streamlit as st

from social.media import thumbnail_path
from social.posts import PostCard
from ui.format import plain, relative_time
from ui.navigation import open_post, open_profile, open_tag
from ui.post_actions import render_post_actions


def render_post_card(post: PostCard, viewer: str | None) -> None:
    """Author, image, caption, hashtags, prompt and the like/comment/remix/... buttons."""
    where = f"card-{post.id}"
    with st.container(border=True, key=f"post-{post.id}"):
        render_post_header(post, where)
        st.image(str(thumbnail_path(post.image_sha256)), width="stretch", alt=post.alt_text or None)
        st.button(
            ":material/open_in_full: Full size",
            key=f"{where}-full",
            type="tertiary",
            on_click=open_post,
            args=(post.id,),
            help="Open the full-size image on the post's own page",
        )
        render_post_text(post, where)
        render_post_actions(post, viewer, where=where)


def render_post_header(post: PostCard, where: str) -> None:
    """The author (a link to their profile), the post's age, and what it remixes."""
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        if post.author_avatar_sha256:
            st.image(str(thumbnail_path(post.author_avatar_sha256)), width=28)
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
        if post.remix_count and not where.startswith("page-"):
            remixes = f"{post.remix_count} remix" + ("es" if post.remix_count > 1 else "")
            st.button(
                f":material/autorenew: {remixes}",
                key=f"{where}-remixes",
                type="tertiary",
                on_click=open_post,
                args=(post.id,),
                help="See the remixes of this post",
            )
    if post.remix_of_id is not None and post.remix_of_author:
        st.button(
            f":material/autorenew: remix of @{plain(post.remix_of_author)}'s post",
            key=f"{where}-original",
            type="tertiary",
            on_click=open_post,
            args=(post.remix_of_id,),
        )


def render_post_text(post: PostCard, where: str) -> None:
    """Caption (inert text), its #hashtags as links, and the prompt."""
    st.markdown(plain(post.caption))
    if post.hashtags:
        with st.container(horizontal=True, gap="small"):
            for tag in post.hashtags:
                st.button(
                    plain(f"#{tag}"),
                    key=f"{where}-tag-{tag}",
                    type="tertiary",
                    on_click=open_tag,
                    args=(tag,),
                )
    if post.prompt:
        st.caption(f"Prompt: {plain(post.prompt)}")
    if post.model:
        made_by = "the offline painter" if "offline" in post.model else plain(post.model)
        st.caption(f"AI-generated with {made_by}")
