"""Who is using this browser session: a signed-in account name, or nobody (a guest)."""

from __future__ import annotations

import streamlit as st

from social.accounts import sign_in_external
from ui.social_calls import act

USER_KEY = "signed_in_user"
# Set when the account came from the identity provider (st.login): signing out ends that too.
EXTERNAL_KEY = "signed_in_externally"


def signed_in_user() -> str | None:
    """The signed-in account's name, or None for a guest."""
    return st.session_state.get(USER_KEY)


def sign_in_as(name: str, *, external: bool = False) -> None:
    """Remember `name` as signed in for this browser session (after social.accounts checked it)."""
    st.session_state[USER_KEY] = name
    st.session_state[EXTERNAL_KEY] = external


def sign_out() -> None:
    """Forget the signed-in account (and the identity provider's sign-in, if it was one)."""
    st.session_state.pop(USER_KEY, None)
    if st.session_state.pop(EXTERNAL_KEY, False):
        st.logout()


def external_identity() -> tuple[str, str] | None:
    """(identity, name hint) of whoever st.login signed in, or None."""
    user = st.user
    if not user.get("is_logged_in"):
        return None
    email = str(user.get("email") or "")
    # Only an email the provider checked identifies a person; else its stable subject id.
    if email and user.get("email_verified") is not False:
        return email, email.split("@")[0]
    if subject := user.get("sub"):
        return f"{user.get('iss', '')}|{subject}", str(user.get("name") or "member")
    return None


def adopt_external_sign_in() -> None:
    """Sign in the account of the person the identity provider vouched for, once a session."""
    if signed_in_user() is not None or (found := external_identity()) is None:
        return
    identity, hint = found
    account = act("sign-in", lambda s: sign_in_external(s, identity=identity, name_hint=hint))
    if account is not None:
        sign_in_as(account.name, external=True)
