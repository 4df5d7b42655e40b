"""What one can do to a post: like, open its comments, remix, link to, delete it; or report it,
mute or block its author."""

from __future__ import annotations

import streamlit as st

from assistant.requests import BaseImage
from social.likes import like_post, unlike_post
from social.posts import PostCard, delete_post
from social.relations import Relation, set_relation
from social.reports import report_post
from ui.format import plain
from ui.navigation import current_view, open_feed, open_post
from ui.sidebar_state import sidebar_changed
from ui.social_calls import act, show_error


def render_post_actions(post: PostCard, viewer: str | None, *, where: str) -> None:
    """The row of buttons under a post; `where` names the place it is shown (card or page)."""
    on_page = where.startswith("page-")
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.button(
            f":red[:material/favorite:] {post.like_count}"
            if post.liked_by_viewer
            else f":material/favorite_border: {post.like_count}",
            key=f"{where}-like",
            help="Unlike" if post.liked_by_viewer else "Like",
            on_click=_toggle_like,
            args=(post, viewer, where),
        )
        if not on_page:
            st.button(
                f":material/chat_bubble_outline: {post.comment_count}",
                key=f"{where}-comments",
                help="Comments",
                on_click=open_post,
                args=(post.id,),
            )
        if st.button(
            "Remix",
            key=f"{where}-remix",
            icon=":material/autorenew:",
            help="Open in the chat with this post's prompt and image",
        ):
            start_remix(post)
            st.rerun(scope="app")  # the chat, outside this fragment, must show the base image
        # Made only while open: closed, every card of a feed would build and send a field and
        # four buttons nobody sees on every run.
        more = st.popover(
            "", icon=":material/more_horiz:", key=f"{where}-more", type="tertiary",
            help="Report, mute, block, delete", on_change="rerun",
        )  # fmt: skip
        if more.open:
            with more:
                _more(post, viewer, where)
    show_error(where)


def _more(post: PostCard, viewer: str | None, where: str) -> None:
    if viewer is None:
        st.caption("Sign in to report a post, or to mute or block its author.")
    elif viewer == post.author:
        st.caption("Delete this post with its likes and comments? This cannot be undone.")
        st.button(
            "Yes, delete post",
            key=f"{where}-delete",
            type="primary",
            on_click=_delete,
            args=(post.id, viewer, where),
        )
    else:
        st.text_input("Why should a moderator look at it?", key=f"{where}-reason", max_chars=1000)
        st.button(
            "Report post", key=f"{where}-report", on_click=_report, args=(post.id, viewer, where)
        )
        st.caption("It disappears for you at once; a moderator reviews it.")
        st.divider()
        for relation in ("mute", "block"):
            st.button(
                f"{relation.title()} @{plain(post.author)}",
                key=f"{where}-{relation}",
                icon=":material/volume_off:" if relation == "mute" else ":material/block:",
                on_click=_relate,
                args=(post.author, relation, viewer, where),
            )
        st.caption(
            "Mute hides their posts, comments and notifications from you. Block also hides you "
            "from them and stops them commenting on, liking or remixing your posts."
        )


def _toggle_like(post: PostCard, viewer: str | None, where: str) -> None:
    change = unlike_post if post.liked_by_viewer else like_post
    # A guest's click goes to `social` too, which refuses it with the sign-in prompt.
    act(where, lambda s: change(s, user=viewer or "", post_id=post.id))


def _delete(post_id: int, viewer: str, where: str) -> None:
    if not act(where, lambda s: delete_post(s, user=viewer, post_id=post_id) or True):
        return
    sidebar_changed()  # the notifications about the post go with it
    st.toast("Post deleted")
    _leave_post_page(post_id)


def _report(post_id: int, viewer: str, where: str) -> None:
    reason = st.session_state.get(f"{where}-reason", "")
    if act(where, lambda s: report_post(s, user=viewer, post_id=post_id, reason=reason)):
        sidebar_changed()  # the notifications about the post are hidden with it
        st.toast("Reported. Thank you: the post is hidden for you.")
        _leave_post_page(post_id)


def _relate(name: str, relation: Relation, viewer: str, where: str) -> None:
    if act(where, lambda s: set_relation(s, user=viewer, name=name, relation=relation)):
        sidebar_changed()  # the sidebar lists them, and hides their notifications
        done = "Muted" if relation == "mute" else "Blocked"
        st.toast(f"{done} @{name}. Undo in the sidebar, under Blocked and muted.")
        if current_view()[0] == "post":
            open_feed()


def _leave_post_page(post_id: int) -> None:
    if current_view() == ("post", str(post_id)):
        open_feed()


def start_remix(post: PostCard) -> None:
    """Open the chat on this post: its image is the base the next message changes."""
    st.session_state.base_image = BaseImage(
        sha256=post.image_sha256,
        prompt=post.prompt,
        edits=post.edit_steps,
        remix_of_id=post.id,
    )
