"""Calls into `social` from the UI: one unit of work each, refusals shown in place with st.error.

Clicks run in callbacks, before the page is drawn again, so an action keeps its error under a
name (`where`) and the widget that made it shows the message with `show_error(where)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from sqlalchemy.orm import Session

from social.db import unit_of_work
from social.errors import SignInRequired, SocialError
from ui.format import plain
from ui.resources import database

T = TypeVar("T")
ERRORS_KEY = "social_errors"
SIGN_IN_PROMPT = "Please sign in first: use **Sign in** or **Sign up** in the sidebar."


def message_for(error: SocialError) -> str:
    """What to tell the person about `error`, as markdown safe to show."""
    if isinstance(error, SignInRequired):
        return SIGN_IN_PROMPT
    # Messages quote what people typed (names, tags from the URL): shown as inert text.
    return plain(str(error))


def act(where: str, action: Callable[[Session], T]) -> T | None:
    """Run `action` in one unit of work; if `social` refuses, keep its message for `where`."""
    errors: dict[str, str] = st.session_state.setdefault(ERRORS_KEY, {})
    try:
        with unit_of_work(database()) as session:
            result = action(session)
    except SocialError as error:
        errors[where] = message_for(error)
        return None
    errors.pop(where, None)
    return result


def load(action: Callable[[Session], T]) -> T | None:
    """Read something for the page; if `social` refuses, say why here and return None."""
    try:
        with unit_of_work(database()) as session:
            return action(session)
    except SocialError as error:
        st.error(message_for(error))
        return None


def show_error(where: str) -> None:
    """Show, once, the message the last refused action at `where` left."""
    if message := st.session_state.get(ERRORS_KEY, {}).pop(where, None):
        st.error(message)
