"""Who is using this browser session: a signed-in account name, or nobody (a guest)."""

from __future__ import annotations

import streamlit as st

USER_KEY = "signed_in_user"


def signed_in_user() -> str | None:
    """The signed-in account's name, or None for a guest."""
    return st.session_state.get(USER_KEY)


def sign_in_as(name: str) -> None:
    """Remember `name` as signed in for this browser session (after social.accounts checked it)."""
    st.session_state[USER_KEY] = name


def sign_out() -> None:
    """Forget the signed-in account."""
    st.session_state.pop(USER_KEY, None)
