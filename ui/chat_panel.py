"""The chat panel: the conversation, the input, and streamed answers with shareable drafts."""

from __future__ import annotations

from typing import Any

import streamlit as st
from langchain_core.messages import BaseMessage, HumanMessage

from assistant.agent import TextDelta, ToolStarted, TurnDone, TurnFailed, stream_turn
from assistant.conversation import last_turn_start, turns_from_messages, with_base_image
from ui.chat_history import forget_last, restore_from_link, save_messages
from ui.draft_card import render_draft
from ui.format import plain
from ui.resources import assistant

CHAT_INPUT_KEY = "chat_prompt"


def chat_panel() -> None:
    """Render the chat; call it inside any Streamlit container."""
    state = st.session_state
    state.setdefault("history", [])
    restore_from_link()
    if prefill := state.pop("chat_prefill", None):
        state[CHAT_INPUT_KEY] = prefill  # e.g. a remixed post's prompt, ready to send
    providers, agent = assistant()
    if providers.offline:
        st.caption("🔌 **Offline mode** — built-in drafting engine and painter, no API key set.")
    state.turns = turns_from_messages(state.history)
    messages = st.container(height=640, border=False, autoscroll=True)
    with messages:
        if not state.turns:
            with st.chat_message("assistant"):
                st.markdown("Describe a picture — I'll make it and draft captions to share.")
        for index, turn in enumerate(state.turns):
            _render_turn(index, turn, last=index == len(state.turns) - 1)
    if base := state.get("base_image"):
        note, clear = st.columns([4, 1], vertical_alignment="center")
        what = "remixes" if base.get("remix_of_id") else "edits"
        note.caption(f"✏️ Your next message {what} image `{base['ref']}` ({plain(base['prompt'])}).")
        clear.button("Start fresh", key="clear-base", on_click=state.pop, args=("base_image", None))
    request = st.chat_input(
        "Describe an image, e.g. a poster of a red fox at dawn, watercolor", key=CHAT_INPUT_KEY
    )
    if retry := state.pop("retry_request", None):
        request = retry
    elif request and (base := state.pop("base_image", None)):
        request = with_base_image(request, base["ref"], base.get("remix_of_id"))
    if request:
        with messages:
            _run_turn(agent, request)


def _render_turn(index: int, turn: dict[str, Any], *, last: bool) -> None:
    with st.chat_message(turn["role"]):
        if turn["role"] == "user":
            st.markdown(plain(turn["text"]))
            if turn.get("base"):
                st.caption(f"working from image `{turn['base']}`")
            return
        if turn["text"]:
            st.markdown(turn["text"])
        _render_results(index, turn, last=last)


def _render_results(index: int, turn: dict[str, Any], *, last: bool) -> None:
    images = turn.get("images", [])
    if images:
        captions = turn.get("captions") or _latest_captions(index)
        columns = st.columns(min(len(images), 2))
        for position, image in enumerate(images):
            with columns[position % len(columns)]:
                draft = {**image, "remix_of_id": turn.get("remix_of_id")}
                render_draft(f"{index}-{image['ref']}", draft, captions, turn.get("alt_text", ""))
    if turn.get("error"):
        st.error(turn["error"])
        if last and turn.get("retryable", True):
            st.button("Retry", key=f"retry-{index}", on_click=_retry)


def _latest_captions(before: int) -> list[str]:
    for turn in reversed(st.session_state.turns[:before]):
        if turn.get("captions"):
            return turn["captions"]
    return []


def _retry() -> None:
    """Run the last request again, in place of its failed answer."""
    history = st.session_state.history
    start = last_turn_start(history)
    st.session_state.retry_request = str(history[start].content)
    forget_last(len(history) - start)
    del history[start:]


def _run_turn(agent: Any, request: str) -> None:
    state = st.session_state
    user_turn = turns_from_messages([HumanMessage(request)])[0]
    _render_turn(len(state.turns), user_turn, last=False)
    new_messages: list[BaseMessage] = []
    with st.chat_message("assistant"):
        status = st.status("Thinking…", expanded=False)

        def answer_text():  # type: ignore[no-untyped-def]
            for event in stream_turn(agent, state.history, request):
                if isinstance(event, TextDelta):
                    yield event.text
                elif isinstance(event, ToolStarted):
                    status.update(label=event.label, state="running")
                    status.write(event.label)
                elif isinstance(event, TurnFailed | TurnDone):
                    new_messages.extend(event.messages)

        st.write_stream(answer_text())
        state.history.extend(new_messages)
        save_messages(new_messages)
        state.turns = turns_from_messages(state.history)
        answered = state.turns[-1]
        failed = bool(answered.get("error"))
        status.update(
            label="Something went wrong" if failed else "Done",
            state="error" if failed else "complete",
        )
        _render_results(len(state.turns) - 1, answered, last=True)
