"""Who is using this browser: a signed-in account name, or nobody (a guest).

A sign-in is a server-side session (`social.sessions`). This browser session remembers its id;
a reload or a new tab finds it again through the HttpOnly cookie the server set, which the page
reads with `st.context.cookies` and which `ui.server`'s route set from a one-time code.
"""

from __future__ import annotations

import streamlit as st

from social.accounts import sign_in_external
from social.conversations import adopt_conversation
from social.db import unit_of_work
from social.errors import SocialError
from social.sessions import end_session, open_session, user_of_session, user_of_token
from ui.cookie_routes import COOKIE
from ui.resources import database
from ui.social_calls import act

USER_KEY = "signed_in_user"
SESSION_KEY = "sign_in_session"
HANDOFF_KEY = "sign_in_handoff"
SIGNED_OUT_KEY = "signed_out"
CHAT_TOKEN_KEY = "chat_token"
# Set when the account came from the identity provider (st.login): signing out ends that too.
EXTERNAL_KEY = "signed_in_externally"
RESTORED_KEY = "sign_in_restored"


def signed_in_user() -> str | None:
    """The signed-in account's name, or None for a guest."""
    return st.session_state.get(USER_KEY)


def restore_sign_in() -> None:
    """Check this browser's sign-in is still valid, or pick it up again from the cookie."""
    state = st.session_state
    with unit_of_work(database()) as session:
        if SESSION_KEY in state:
            name = user_of_session(session, state[SESSION_KEY])
            found = (state[SESSION_KEY], name) if name else None
        elif isinstance(token := _cookie(), str) and not state.get(SIGNED_OUT_KEY):
            found = user_of_token(session, token)
        else:
            found = None
    if found is None:
        for key in (USER_KEY, SESSION_KEY):
            state.pop(key, None)
    else:
        state[SESSION_KEY], state[USER_KEY] = found
    state[RESTORED_KEY] = True
    adopt_external_sign_in()


def ensure_sign_in_restored() -> None:
    """Restore the sign-in once per browser session if the host page never did (embedding)."""
    if not st.session_state.get(RESTORED_KEY):
        restore_sign_in()


def _cookie() -> str | None:
    try:
        return st.context.cookies.get(COOKIE)
    except Exception:  # no web request behind this run (AppTest, bare mode)
        return None


def client_address() -> str | None:
    """The browser's address as the server saw it, for limits per client (None if unknown)."""
    try:
        address = st.context.ip_address
    except Exception:  # no web request behind this run (AppTest, bare mode)
        return None
    return address if isinstance(address, str) and address else None


def sign_in_as(name: str, *, external: bool = False) -> None:
    """Open a session for `name` (already checked by `social.accounts`) in this browser."""
    state = st.session_state
    with unit_of_work(database()) as session:
        opened = open_session(session, user=name)
        if chat := state.get(CHAT_TOKEN_KEY):
            try:  # the chat started as a guest becomes the account's own
                adopt_conversation(session, chat, user=opened.user)
            except SocialError:
                pass  # someone else's chat: it stays theirs
    state[SESSION_KEY], state[USER_KEY] = opened.session_id, opened.user
    state[HANDOFF_KEY] = opened.handoff_code
    state[EXTERNAL_KEY] = external
    state.pop(SIGNED_OUT_KEY, None)


def sign_out() -> None:
    """End the session on the server (the cookie stops working) and here."""
    state = st.session_state
    if (session_id := state.pop(SESSION_KEY, None)) is not None:
        with unit_of_work(database()) as session:
            end_session(session, session_id=session_id)
    state.pop(USER_KEY, None)
    state.pop(HANDOFF_KEY, None)
    state[SIGNED_OUT_KEY] = True
    if state.pop(EXTERNAL_KEY, False):
        st.logout()


def cookie_exchange() -> None:
    """The invisible image that has the server set (or clear) this browser's session cookie."""
    state = st.session_state
    if code := state.get(HANDOFF_KEY):
        st.html(f'<img src="plaza/session?code={code}" alt="" width="1" height="1">')
    elif state.get(SIGNED_OUT_KEY):
        st.html('<img src="plaza/signout" alt="" width="1" height="1">')


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
    if signed_in_user() is not None or st.session_state.get(SIGNED_OUT_KEY):
        return
    if (found := external_identity()) is None:
        return
    identity, hint = found
    account = act("sign-in", lambda s: sign_in_external(s, identity=identity, name_hint=hint))
    if account is not None:
        sign_in_as(account.name, external=True)
