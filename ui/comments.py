"""A post's comments, threaded one level: each comment with its replies, reply, delete and
report."""

from __future__ import annotations

import streamlit as st

from social.comments import CommentView, add_comment, delete_comment, list_comments
from social.reports import report_comment
from ui.format import plain, relative_time, show_text
from ui.post_card import show_hidden_note
from ui.sidebar_state import sidebar_changed
from ui.social_calls import act, load, show_error

MAX_THREADS = 100


def render_comments(post_id: int, viewer: str | None) -> None:
    """The comments of post `post_id`, and a box to add one when signed in."""
    page = load(lambda s: list_comments(s, post_id, limit=MAX_THREADS, viewer=viewer))
    if page is None:
        return
    count = sum(1 + len(c.replies) for c in page.comments)
    st.markdown(f"**Comments ({count})**")
    if viewer is None:
        st.info("Sign in to comment (sidebar).")
    else:
        _comment_box(f"comment-{post_id}", "Add a comment", post_id, viewer, reply_to=None)
    if not page.comments:
        st.caption("No comments yet.")
    for comment in page.comments:
        _render(comment, viewer)
        if comment.replies:
            _, replies = st.columns([1, 14])
            with replies:
                for reply in comment.replies:
                    _render(reply, viewer)


def _render(comment: CommentView, viewer: str | None) -> None:
    with st.container(key=f"comment-{comment.id}"):
        st.markdown(f"**@{plain(comment.author)}** · :gray[{relative_time(comment.created_at)}]")
        show_hidden_note(comment.hidden_reason)
        show_text(comment.body)
        if viewer is None:
            return
        with st.container(horizontal=True, gap="small"):
            with st.popover(
                "Reply", key=f"reply-open-{comment.id}", type="tertiary", on_change="rerun"
            ):
                _comment_box(
                    f"reply-{comment.id}",
                    "Your reply",
                    comment.post_id,
                    viewer,
                    reply_to=comment.id,
                )
            if viewer == comment.author:
                with st.popover("Delete", key=f"delete-open-{comment.id}", type="tertiary"):
                    st.caption("Delete this comment and its replies?")
                    st.button(
                        "Yes, delete",
                        key=f"delete-comment-{comment.id}",
                        type="primary",
                        on_click=_delete,
                        args=(comment.id, viewer),
                    )
            else:
                with st.popover("Report", key=f"report-open-{comment.id}", type="tertiary"):
                    st.text_input(
                        "Why should a moderator look at it?",
                        key=f"report-comment-{comment.id}-reason",
                        max_chars=1000,
                    )
                    st.button(
                        "Report comment",
                        key=f"report-comment-{comment.id}",
                        on_click=_report,
                        args=(comment.id, viewer),
                    )
        show_error(f"comment-{comment.id}")


def _comment_box(key: str, label: str, post_id: int, viewer: str, reply_to: int | None) -> None:
    with st.form(key, border=False):
        st.text_area(label, key=f"{key}-text", max_chars=2000, height=80)
        st.form_submit_button(
            "Reply" if reply_to else "Comment",
            on_click=_send,
            args=(key, post_id, viewer, reply_to),
        )
    show_error(key)


def _send(key: str, post_id: int, viewer: str, reply_to: int | None) -> None:
    body = st.session_state.get(f"{key}-text", "")
    added = act(
        key, lambda s: add_comment(s, user=viewer, post_id=post_id, body=body, reply_to=reply_to)
    )
    if added is not None:
        st.session_state[f"{key}-text"] = ""  # kept when refused, so nothing typed is lost
        if reply_to is not None:
            st.session_state[f"reply-open-{reply_to}"] = False  # the reply box closes


def _delete(comment_id: int, viewer: str) -> None:
    if act(
        f"comment-{comment_id}",
        lambda s: delete_comment(s, user=viewer, comment_id=comment_id) or True,
    ):
        sidebar_changed()  # the notifications about the comment go with it


def _report(comment_id: int, viewer: str) -> None:
    reason = st.session_state.get(f"report-comment-{comment_id}-reason", "")
    reported = act(
        f"comment-{comment_id}",
        lambda s: report_comment(s, user=viewer, comment_id=comment_id, reason=reason),
    )
    if reported is not None:
        sidebar_changed()  # the notifications about the comment are hidden with it
        st.toast("Reported. Thank you: the comment is hidden for you.")
