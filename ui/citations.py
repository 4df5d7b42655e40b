"""The feed posts an answer used: each opens the post, and one click starts a remix of it."""

from __future__ import annotations

import streamlit as st

from assistant.feed_requests import Citation
from social.posts import get_post
from ui.format import plain
from ui.navigation import open_post
from ui.post_actions import start_remix
from ui.social_calls import load


def render_citations(index: int, citations: list[Citation]) -> None:
    """A "Sources" list under an answer, each with Open and Remix."""
    st.caption("Sources from the feed")
    for number, citation in enumerate(citations):
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.button(
                f"@{plain(citation.author)}: {plain(citation.caption)}",
                key=f"cite-{index}-{number}",
                type="tertiary",
                icon=":material/article:",
                on_click=open_post,
                args=(citation.post_id,),
                help="Open this post",
            )
            st.button(
                "Remix",
                key=f"cite-remix-{index}-{number}",
                icon=":material/autorenew:",
                on_click=_remix,
                args=(citation.post_id,),
            )


def _remix(post_id: int) -> None:
    if post := load(lambda s: get_post(s, post_id)):
        start_remix(post)
