"""The sidebar's account section: sign in or up as a guest; profile, inbox and sign out after."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st
from streamlit.errors import StreamlitAuthError

from social.accounts import authenticate, sign_up
from ui.format import plain
from ui.identity import adopt_external_sign_in, sign_in_as, sign_out, signed_in_user
from ui.navigation import open_profile
from ui.notifications import notifications_entry
from ui.social_calls import act, show_error


def account_section() -> None:
    """Sign-in and sign-up forms for guests; who you are, notifications and sign out otherwise."""
    adopt_external_sign_in()
    user = signed_in_user()
    if user is None:
        _guest()
        return
    st.markdown(f"Signed in as **@{plain(user)}**")
    notifications_entry()
    profile, leave = st.columns(2)
    profile.button("My profile", key="my-profile", on_click=open_profile, args=(user,))
    leave.button("Sign out", key="sign-out", on_click=sign_out, width="stretch")


def _guest() -> None:
    st.caption("Browse as a guest; sign in to post, like, comment and follow.")
    sign_in_tab, sign_up_tab = st.tabs(["Sign in", "Sign up"])
    with sign_in_tab:
        _credentials_form("sign-in", "Sign in")
    with sign_up_tab:
        _credentials_form("sign-up", "Create account")
    for provider, label in _identity_providers():
        if st.button(f"Sign in with {label}", key=f"login-{provider}", width="stretch"):
            try:
                st.login(provider)
            except StreamlitAuthError as error:  # e.g. an incomplete [auth] section
                st.error(f"Single sign-on is not available: {plain(str(error))}")


def _credentials_form(form: str, submit: str) -> None:
    with st.form(form, border=False):
        st.text_input("Name", key=f"{form}-name", max_chars=40)
        st.text_input("Password", key=f"{form}-password", type="password", max_chars=1024)
        st.form_submit_button(
            submit, type="primary", width="stretch", on_click=_submit, args=(form,)
        )
    show_error(form)


def _submit(form: str) -> None:
    state = st.session_state
    name, password = state.get(f"{form}-name", ""), state.get(f"{form}-password", "")
    check = sign_up if form == "sign-up" else authenticate
    account = act(form, lambda s: check(s, name=name, password=password))
    state[f"{form}-password"] = ""  # never kept in the session longer than needed
    if account is not None:
        sign_in_as(account.name)
        st.toast(f"Welcome, @{plain(account.name)}!")


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
