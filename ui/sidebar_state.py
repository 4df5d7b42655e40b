"""What the sidebar keeps between runs of the page, and how the rest of the page tells it that
something it shows changed.

The badges (unread notifications; open reports, for moderators) are read when the sidebar first
shows for an account, on the badges' own timer, and after `sidebar_changed`: any other rerun,
such as a like or a chat turn, shows the kept ones. A click in the feed column reruns only that
column (a fragment); after one that changed what the sidebar shows, the whole page runs again.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from sqlalchemy.orm import Session

from social.moderators import is_moderator, open_report_count
from social.notifications import unread_count
from ui.social_calls import load

BADGES_KEY = "sidebar_badges"
PAGE_RUN_KEY = "sidebar_page_run"
CHANGED_KEY = "sidebar_changed"


@dataclass(frozen=True)
class Badges:
    """The counts the sidebar's entries show to `user`."""

    user: str
    unread: int
    open_reports: int | None  # None: not a moderator


def sidebar_run() -> None:
    """Note that the whole page runs, sidebar included: call it before drawing the sidebar."""
    st.session_state.pop(CHANGED_KEY, None)
    st.session_state[PAGE_RUN_KEY] = True


def kept_badges(user: str | None) -> Badges | None:
    """`user`'s badges: the kept ones on a run of the whole page, read again on the badges' own
    runs (the caller is their fragment), for another account or after `sidebar_changed`."""
    page_run = st.session_state.pop(PAGE_RUN_KEY, False)
    if user is None:
        return None
    kept = st.session_state.get(BADGES_KEY)
    if page_run and isinstance(kept, Badges) and kept.user == user:
        return kept
    badges = load(lambda s: _read(s, user))
    if badges is not None:
        st.session_state[BADGES_KEY] = badges
    return badges


def _read(session: Session, user: str) -> Badges:
    reports = open_report_count(session, moderator=user) if is_moderator(session, user) else None
    return Badges(user=user, unread=unread_count(session, user=user), open_reports=reports)


def sidebar_changed() -> None:
    """Say that an action changed what the sidebar shows (whom one blocks, what is unread, the
    open reports): the badges are read again and the whole page runs again."""
    st.session_state.pop(BADGES_KEY, None)
    st.session_state[CHANGED_KEY] = True


def rerun_if_sidebar_changed() -> None:
    """In a fragment: run the whole page if an action since the sidebar was drawn changed it."""
    if st.session_state.pop(CHANGED_KEY, False):
        st.rerun(scope="app")
