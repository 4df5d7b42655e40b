"""The chat panel: the conversation, the input (words and/or a photo), and streamed answers
whose pictures can be shared."""

from __future__ import annotations

import secrets
from typing import Any

import streamlit as st
from langchain_core.messages import BaseMessage, HumanMessage

from assistant.agent import TextDelta, ToolStarted, TurnDone, TurnFailed, stream_turn
from assistant.conversation import last_turn_start, turns_from_messages
from assistant.photos import attached_photo
from assistant.requests import BaseImage, ChatRequest, Turn, request_of
from social.db import unit_of_work
from social.errors import RateLimited, SocialError
from social.media import Provenance, store_image
from social.posts import draft_key_of, shared_drafts
from social.rate_limits import check_rate
from ui.chat_history import forget_last, restore_from_link, save_messages
from ui.citations import render_citations
from ui.draft_card import DraftView, render_draft
from ui.format import plain, show_answer, show_text
from ui.identity import CHAT_TOKEN_KEY, client_address, ensure_sign_in_restored, signed_in_user
from ui.pictures import show_picture
from ui.resources import assistant, database, social_settings
from ui.sharing import Draft, share_dialog
from ui.social_calls import message_for
from ui.styles import card_styles

CHAT_INPUT_KEY = "chat_prompt"
PHOTO_TYPES = ["jpg", "jpeg", "png", "webp"]
EXAMPLES = [
    "a poster of a red fox at dawn, watercolor",
    "make me 3 square options of a neon city at night",
    "a cozy cabin in the snow under the northern lights",
    "a bowl of ramen, pixel art",
]


def chat_panel() -> None:
    """Render the chat; call it inside any Streamlit container."""
    ensure_sign_in_restored()
    state = st.session_state
    state.setdefault("history", [])
    card_styles()
    restore_from_link()
    providers, agent = assistant()
    if providers.offline:
        st.caption(":material/cloud_off: **Offline mode**: built-in drafting engine and painter.")
    turns = turns_from_messages(state.history)
    messages = st.container(key="plaza-chat-scroll", height=560, border=False, autoscroll=True)
    with messages:
        if not turns:
            _welcome()
        shared = _shared_drafts(turns)
        for index, turn in enumerate(turns):
            _render_turn(index, turn, turns, shared, last=index == len(turns) - 1)
    share_dialog()
    _base_note()
    value = st.chat_input(
        "Describe an image, or attach a photo",
        key=CHAT_INPUT_KEY,
        accept_file=True,
        file_type=PHOTO_TYPES,
        max_chars=4000,
    )
    request = state.pop("retry_request", None) or state.pop("example_request", None)
    if request is None and value is not None:
        request = _request_from(value)
    if request is not None and _may_generate():
        with messages:
            _run_turn(agent, request, vision=not providers.offline)


def _may_generate() -> bool:
    """Count one turn against the person's limit; past it, say when to try again."""
    # The account, else the browser's address, else this browser session.
    session_key = st.session_state.setdefault("rate_key", secrets.token_hex(8))
    who = signed_in_user() or client_address() or session_key
    try:
        check_rate("generation", who, social_settings())
    except RateLimited as error:
        st.warning(str(error), icon=":material/hourglass_top:")
        return False
    return True


def _welcome() -> None:
    with st.chat_message("assistant"):
        st.markdown("Describe a picture, or attach a photo of yours: I'll draft captions to share.")
        with st.container(horizontal=True, gap="small"):
            for number, example in enumerate(EXAMPLES):
                st.button(
                    example,
                    key=f"example-{number}",
                    icon=":material/auto_awesome:",
                    on_click=_use_example,
                    args=(example,),
                )


def _use_example(example: str) -> None:
    st.session_state.example_request = ChatRequest(text=example)


def _base_note() -> None:
    base: BaseImage | None = st.session_state.get("base_image")
    if base is None:
        return
    thumb, note, clear = st.columns([1, 6, 2], vertical_alignment="center")
    show_picture(base.sha256, where=thumb, width=56)
    what = f"remixes post #{base.remix_of_id}" if base.remix_of_id else "edits this image"
    with note:
        st.caption(f"Your next message {what}, made from:")
        show_text(base.lineage or "(a photo)")
    clear.button("Start fresh", key="clear-base", on_click=st.session_state.pop,
                 args=("base_image", None), icon=":material/close:")  # fmt: skip


def _request_from(value: Any) -> ChatRequest | None:
    """The typed request for what was sent; None (with a note in place) if it was empty."""
    text = (value.text or "").strip()
    files = list(value.files or [])
    if not text and not files:
        st.warning("Type what you'd like, or attach a photo.", icon=":material/edit:")
        return None
    photo = None
    if files:
        try:
            with unit_of_work(database()) as session:
                # A person's own photo: stored without its location, never labelled AI-made.
                row = store_image(
                    session, files[0].getvalue(), provenance=Provenance(ai_generated=False)
                )
                photo = attached_photo(row.sha256, row.width, row.height)
        except SocialError as error:
            st.error(message_for(error), icon=":material/error:")
            return None
    return ChatRequest(text=text, base=st.session_state.pop("base_image", None), photo=photo)


def _shared_drafts(turns: list[Turn]) -> dict[str, int]:
    token = st.session_state.get(CHAT_TOKEN_KEY)
    if not token:
        return {}
    keys = [draft_key_of(token, image.sha256) for turn in turns for image in turn.images]
    with unit_of_work(database()) as session:
        return shared_drafts(session, keys)


def _render_turn(
    index: int, turn: Turn, turns: list[Turn], shared: dict[str, int], *, last: bool
) -> None:
    with st.chat_message(turn.role):
        if turn.role == "user":
            _render_request(turn.request)
            return
        if turn.text:
            show_answer(turn.text)
        _render_results(index, turn, turns, shared, last=last)


def _render_request(request: ChatRequest) -> None:
    if request.text:
        show_text(request.text)
    if request.photo is not None:
        show_picture(request.photo.sha256, width=96, caption="Your photo")
    if request.base is not None:
        what = f"Remix of post #{request.base.remix_of_id}" if request.base.remix_of_id else None
        show_picture(request.base.sha256, width=96, caption=what or "Base image")


def _render_results(
    index: int, turn: Turn, turns: list[Turn], shared: dict[str, int], *, last: bool
) -> None:
    if turn.images:
        captions = turn.captions or _latest_captions(turns, index)
        token = st.session_state.get(CHAT_TOKEN_KEY, "")
        several = len(turn.images) > 1
        columns = st.columns(min(len(turn.images), 3)) if several else [st.container()]
        remix_of = turn.request.base.remix_of_id if turn.request.base else None
        for position, image in enumerate(turn.images):
            key = draft_key_of(token, image.sha256) if token else ""
            draft = Draft(image=image, draft_key=key, alt_text=turn.alt_text, remix_of_id=remix_of)
            view = DraftView(
                key=f"{index}-{image.ref}",
                draft=draft,
                captions=captions,
                number=position + 1 if several else None,
                shared_post_id=shared.get(key),
            )
            with columns[position % len(columns)]:
                render_draft(view)
    if turn.citations:
        render_citations(index, turn.citations)
    if turn.error:
        st.error(plain(turn.error), icon=":material/error:")
        if last and turn.retryable:
            st.button("Retry", key=f"retry-{index}", on_click=_retry, icon=":material/refresh:")


def _latest_captions(turns: list[Turn], before: int) -> list[str]:
    for turn in reversed(turns[:before]):
        if turn.captions:
            return turn.captions
    return []


def _retry() -> None:
    """Run the last request again, in place of its failed answer."""
    history: list[BaseMessage] = st.session_state.history
    start = last_turn_start(history)
    if isinstance(asked := history[start], HumanMessage):
        st.session_state.retry_request = request_of(asked)
    forget_last(len(history) - start)
    del history[start:]


def _run_turn(agent: Any, request: ChatRequest, *, vision: bool) -> None:
    state = st.session_state
    with st.chat_message("user"):
        _render_request(request)
    new_messages: list[BaseMessage] = []
    with st.chat_message("assistant"):
        status = st.status("Thinking…", expanded=False)
        answer = st.empty()
        written = ""
        turn = stream_turn(agent, state.history, request, vision=vision, viewer=signed_in_user())
        for event in turn:
            if isinstance(event, TextDelta):
                written += event.text
                # Sanitised as it grows: nothing a model writes ever renders unsanitised.
                with answer.container():
                    show_answer(written)
            elif isinstance(event, ToolStarted):
                status.update(label=event.label, state="running")
                status.write(event.label)
            elif isinstance(event, TurnFailed | TurnDone):
                new_messages.extend(event.messages)
        state.history.extend(new_messages)
        turns = turns_from_messages(state.history)
        failed = bool(turns[-1].error)
        status.update(
            label="Something went wrong" if failed else "Done",
            state="error" if failed else "complete",
        )
    save_messages(new_messages, request)
    st.rerun()  # draw the finished turn with its drafts, numbered and shareable
