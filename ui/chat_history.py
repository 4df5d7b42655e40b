"""Saved chats: every turn is stored, `?chat=<token>` reopens one after a reload, and a
signed-in user's chats are listed in the sidebar (read while that list is open)."""

from __future__ import annotations

import streamlit as st
from langchain_core.messages import BaseMessage

from assistant.conversation import conversation_title, from_payloads, to_payloads
from assistant.requests import ChatRequest
from social.conversations import (
    append_messages,
    drop_last_messages,
    list_conversations,
    load_messages,
    start_conversation,
)
from social.db import unit_of_work
from social.errors import SocialError
from ui.format import plain, relative_time
from ui.identity import CHAT_TOKEN_KEY, signed_in_user
from ui.lazy_expander import lazy_expander
from ui.resources import database

OPEN_KEY = "saved-chats-open"


def restore_from_link() -> None:
    """Load the conversation named by `?chat=` unless it is already the one on screen."""
    token = st.query_params.get("chat")
    if not token or token == st.session_state.get(CHAT_TOKEN_KEY):
        return
    try:
        with unit_of_work(database()) as session:
            payloads = load_messages(session, token, user=signed_in_user())
    except SocialError as error:
        st.warning(f"Couldn't open that chat: {error}")
        del st.query_params["chat"]
        return
    st.session_state.history = from_payloads(payloads)
    st.session_state[CHAT_TOKEN_KEY] = token


def save_messages(messages: list[BaseMessage], request: ChatRequest) -> None:
    """Store new messages, starting a saved conversation (and its link) with the first ones."""
    state = st.session_state
    started = CHAT_TOKEN_KEY not in state
    with unit_of_work(database()) as session:
        token = state.get(CHAT_TOKEN_KEY)
        if token is None:
            title = conversation_title(request)
            token = start_conversation(session, owner=signed_in_user(), title=title).token
        append_messages(session, token, to_payloads(messages), user=signed_in_user())
    state[CHAT_TOKEN_KEY] = token
    st.query_params["chat"] = token
    if started:
        st.rerun()  # so the sidebar, drawn before the chat, lists the new conversation


def forget_last(count: int) -> None:
    """Drop the newest `count` stored messages (a turn about to be retried)."""
    token = st.session_state.get(CHAT_TOKEN_KEY)
    if token and count:
        with unit_of_work(database()) as session:
            drop_last_messages(session, token, count, user=signed_in_user())


def new_chat() -> None:
    """Leave the current conversation (it stays saved) and start an empty one."""
    for key in ("history", CHAT_TOKEN_KEY, "base_image", "share_errors"):
        st.session_state.pop(key, None)
    st.query_params.pop("chat", None)


def _open(token: str) -> None:
    st.session_state.pop(CHAT_TOKEN_KEY, None)
    st.query_params["chat"] = token


def chat_history_sidebar() -> None:
    """'New chat' and, for a signed-in user, their saved chats to reopen."""
    st.button("New chat", key="new-chat", on_click=new_chat, width="stretch", icon=":material/add:")
    user = signed_in_user()
    if user is None:
        st.caption("Sign in to keep a list of your chats. This chat's link reopens it.")
        return
    with lazy_expander("Your chats", key=OPEN_KEY, icon=":material/history:") as shown:
        if shown:
            _saved_chats(user)


def _saved_chats(user: str) -> None:
    with unit_of_work(database()) as session:
        chats = list_conversations(session, owner=user, limit=20)
    if not chats:
        st.caption("None yet: each chat you start is kept here.")
    current = st.session_state.get(CHAT_TOKEN_KEY)
    for chat in chats:
        st.button(
            f"{plain(chat.title)} · {relative_time(chat.updated_at)}",
            key=f"chat-{chat.token}",
            on_click=_open,
            args=(chat.token,),
            type="primary" if chat.token == current else "tertiary",
            width="stretch",
        )
