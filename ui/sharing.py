"""Share: publish a chat draft in one click. A guest gets a sign-in dialog in place, and the
post is published as soon as they are signed in; the draft is never lost."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from assistant.requests import GeneratedImage
from social.db import unit_of_work
from social.errors import SocialError
from social.posts import publish_post
from ui.identity import signed_in_user
from ui.resources import database
from ui.sign_in_forms import credentials_tabs
from ui.social_calls import message_for

PENDING_KEY = "share_pending"
ERRORS_KEY = "share_errors"


@dataclass(frozen=True)
class Draft:
    """What Share publishes: a picture of the chat, its alt text, and where it comes from."""

    image: GeneratedImage
    draft_key: str  # unique per chat and picture: sharing twice gives one post
    alt_text: str = ""
    remix_of_id: int | None = None


def share(key: str, draft: Draft, caption: str) -> None:
    """Publish `draft` with `caption`, or ask a guest to sign in first (then publish)."""
    if signed_in_user() is None:
        st.session_state[PENDING_KEY] = (key, draft, caption)
        return
    _publish(key, draft, caption)


def _publish(key: str, draft: Draft, caption: str) -> None:
    errors = st.session_state.setdefault(ERRORS_KEY, {})
    image = draft.image
    try:
        with unit_of_work(database()) as session:
            publish_post(
                session,
                author=signed_in_user() or "",
                caption=caption,
                prompt=image.prompt,
                alt_text=draft.alt_text,
                model="" if image.photo else image.model,
                image_sha256=image.sha256,
                remix_of_id=draft.remix_of_id,
                edit_steps=image.edits,
                draft_key=draft.draft_key,
                # Read at the click: the checkbox beside Share (shown by default).
                prompt_public=bool(st.session_state.get(f"prompt-public-{key}", True)),
            )
    except SocialError as error:
        errors[key] = message_for(error)
        return
    errors.pop(key, None)
    st.toast("Shared to the feed", icon=":material/check_circle:")


def _forget_pending() -> None:
    st.session_state.pop(PENDING_KEY, None)


def _publish_pending() -> None:
    if pending := st.session_state.pop(PENDING_KEY, None):
        _publish(*pending)


@st.dialog("Sign in to share", on_dismiss=_forget_pending)
def _sign_in_dialog() -> None:
    st.caption("Your picture is kept: it is shared as soon as you are signed in.")
    credentials_tabs("share-", on_signed_in=_publish_pending)
    if PENDING_KEY not in st.session_state:
        st.rerun()  # signed in and shared: close the dialog, show the post


def share_dialog() -> None:
    """Open the sign-in dialog while a guest's Share waits for an account."""
    if st.session_state.get(PENDING_KEY) and signed_in_user() is None:
        _sign_in_dialog()
