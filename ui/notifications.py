"""Notifications: the sidebar's entry with its unread count, and the page that lists them."""

from __future__ import annotations

import streamlit as st

from social.notifications import NotificationView, list_notifications, mark_read
from ui.format import plain, relative_time
from ui.navigation import back_to_feed_button, open_notifications, open_post, open_profile
from ui.sidebar_state import sidebar_changed
from ui.social_calls import act, load, show_error

PAGE = 50
FRESH_KEY = "fresh_notifications"
WHAT = {
    "like": "liked your post",
    "comment": "commented on your post",
    "reply": "replied to your comment",
    "follow": "started following you",
    "remix": "remixed your post",
}
HIDDEN = "A moderator hid your post or comment: open it to see why"


def notifications_entry(user: str, unread: int) -> None:
    """The sidebar button to `user`'s notifications, with the `unread` count as its badge."""
    label = f"Notifications :red-badge[{unread} new]" if unread else "Notifications"
    if st.button(label, key="open-notifications", icon=":material/notifications:", width="stretch"):
        _open(user)
        st.rerun(scope="app")  # the social column is outside the badges' fragment


def _open(user: str) -> None:
    """Go to the notifications, marking them read but remembering which were new."""
    page = act("notifications", lambda s: list_notifications(s, user=user, limit=PAGE))
    if page is not None:
        st.session_state[FRESH_KEY] = {n.id for n in page.notifications if not n.read}
        act("notifications", lambda s: mark_read(s, user=user))
        sidebar_changed()
    open_notifications()


def render_notifications_page(viewer: str | None) -> None:
    """The signed-in user's notifications, newest first, the new ones marked."""
    back_to_feed_button("notifications-back")
    st.subheader("Notifications")
    if viewer is None:
        st.info("Sign in to see who liked, commented on, remixed your posts or followed you.")
        return
    show_error("notifications")
    page = load(lambda s: list_notifications(s, user=viewer, limit=PAGE))
    if page is None:
        return
    if not page.notifications:
        st.info("Nothing yet. Likes, comments, follows and remixes of your posts show up here.")
    fresh = st.session_state.get(FRESH_KEY, set())
    unread = [n.id for n in page.notifications if not n.read]
    for note in page.notifications:
        _render(note, new=not note.read or note.id in fresh)
    if unread:
        st.button("Mark all read", key="notifications-read", on_click=_mark_read, args=(viewer,))


def _render(note: NotificationView, *, new: bool) -> None:
    with st.container(horizontal=True, vertical_alignment="center", key=f"note-{note.id}"):
        dot = ":orange[●] " if new else ""
        if note.kind == "hidden":
            label = f"{dot}{HIDDEN}"
        else:
            label = f"{dot}**@{plain(note.actor)}** {WHAT.get(note.kind, note.kind)}"
        target = (open_post, (note.post_id,)) if note.post_id else (open_profile, (note.actor,))
        st.button(
            label, key=f"note-open-{note.id}", type="tertiary", on_click=target[0], args=target[1]
        )
        st.caption(relative_time(note.created_at))


def _mark_read(user: str) -> None:
    act("notifications", lambda s: mark_read(s, user=user))
    st.session_state.pop(FRESH_KEY, None)
    sidebar_changed()
