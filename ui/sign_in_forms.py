"""The sign-in and sign-up forms, used in the sidebar and in the dialog that opens on Share."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from social.accounts import MIN_PASSWORD_LENGTH, authenticate, sign_up
from ui.format import plain
from ui.identity import client_address, sign_in_as
from ui.social_calls import act, show_error

PASSWORD_RULE = f"At least {MIN_PASSWORD_LENGTH} characters; a short sentence works well."


def credentials_tabs(prefix: str, on_signed_in: Callable[[], None] | None = None) -> None:
    """ "Sign in" and "Sign up" tabs; `on_signed_in` runs once the person is signed in."""
    sign_in_tab, sign_up_tab = st.tabs(["Sign in", "Sign up"])
    with sign_in_tab:
        _form(f"{prefix}sign-in", "Sign in", new=False, on_signed_in=on_signed_in)
    with sign_up_tab:
        _form(f"{prefix}sign-up", "Create account", new=True, on_signed_in=on_signed_in)


def _form(form: str, submit: str, *, new: bool, on_signed_in: Callable[[], None] | None) -> None:
    with st.form(form, border=False):
        st.text_input("Name", key=f"{form}-name", max_chars=40)
        st.text_input(
            "Password",
            key=f"{form}-password",
            type="password",
            max_chars=1024,
            help=PASSWORD_RULE if new else None,
        )
        if new:
            st.caption(PASSWORD_RULE)
        st.form_submit_button(
            submit,
            type="primary",
            width="stretch",
            on_click=_submit,
            args=(form, new, on_signed_in),
        )
    show_error(form)


def _submit(form: str, new: bool, on_signed_in: Callable[[], None] | None) -> None:
    state = st.session_state
    name, password = state.get(f"{form}-name", ""), state.get(f"{form}-password", "")
    check = sign_up if new else authenticate
    client = client_address()
    account = act(form, lambda s: check(s, name=name, password=password, client=client))
    state[f"{form}-password"] = ""  # never kept in the session longer than needed
    if account is None:
        return
    sign_in_as(account.name)
    st.toast(f"Welcome, @{plain(account.name)}!")
    if on_signed_in is not None:
        on_signed_in()
