"""The sidebar's account section: sign in or up as a guest; profile, inbox and sign out after."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st
from streamlit.errors import StreamlitAuthError

from ui.format import plain
from ui.identity import cookie_exchange, sign_out, signed_in_user
from ui.moderation_page import moderation_entry
from ui.navigation import open_profile
from ui.notifications import notifications_entry
from ui.sidebar_state import kept_badges
from ui.sign_in_forms import credentials_tabs

POLL_SECONDS = 15


def account_section() -> None:
    """Sign-in and sign-up forms for guests; who you are, notifications and sign out otherwise."""
    cookie_exchange()
    user = signed_in_user()
    if user is None:
        _guest()
        return
    st.markdown(f"Signed in as **@{plain(user)}**")
    _badged_entries()
    profile, leave = st.columns(2)
    profile.button("My profile", key="my-profile", on_click=open_profile, args=(user,))
    leave.button("Sign out", key="sign-out", on_click=sign_out, width="stretch")


@st.fragment(run_every=POLL_SECONDS)
def _badged_entries() -> None:
    """Notifications and, for moderators, Moderation, with their counts as badges; the counts
    are read again on this fragment's own runs, so news shows without touching the page."""
    user = signed_in_user()
    badges = kept_badges(user)  # None for a guest, or when `social` refused (said above)
    if user is None:
        return
    notifications_entry(user, badges.unread if badges else 0)
    if badges is not None and badges.open_reports is not None:
        moderation_entry(badges.open_reports)


def _guest() -> None:
    st.caption("Browse as a guest; sign in to post, like, comment and follow.")
    credentials_tabs("")
    for provider, label in _identity_providers():
        if st.button(f"Sign in with {label}", key=f"login-{provider}", width="stretch"):
            try:
                st.login(provider)
            except StreamlitAuthError as error:  # e.g. an incomplete [auth] section
                st.error(f"Single sign-on is not available: {plain(str(error))}")


def _identity_providers() -> list[tuple[str | None, str]]:
    """(provider, label) for each OIDC provider the operator set up in secrets.toml's [auth]."""
    # load_if_toml_exists: reading st.secrets without a secrets file would raise.
    if not st.secrets.load_if_toml_exists() or "auth" not in st.secrets:
        return []
    auth = st.secrets["auth"]
    named = [key for key, value in auth.items() if isinstance(value, Mapping)]
    if named:
        return [(name, name.replace("-", " ").title()) for name in named]
    return [(None, "single sign-on")]
