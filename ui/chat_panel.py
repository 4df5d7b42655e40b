"""The chat panel: the conversation, the input, and streamed answers with shareable drafts."""

from __future__ import annotations

from typing import Any

import streamlit as st

from assistant.agent import TextDelta, ToolFinished, ToolStarted, TurnDone, TurnFailed, stream_turn
from ui.draft_card import render_draft
from ui.format import plain
from ui.resources import assistant


def chat_panel() -> None:
    """Render the chat; call it inside any Streamlit container."""
    state = st.session_state
    state.setdefault("turns", [])
    state.setdefault("history", [])
    providers, agent = assistant()
    if providers.offline:
        st.caption("🔌 **Offline mode** — built-in drafting engine and painter, no API key set.")
    messages = st.container(height=640, border=False, autoscroll=True)
    with messages:
        if not state.turns:
            with st.chat_message("assistant"):
                st.markdown("Describe a picture — I'll make it and draft captions to share.")
        for index, turn in enumerate(state.turns):
            _render_turn(index, turn)
    base = state.get("base_image")
    if base:
        note, clear = st.columns([4, 1], vertical_alignment="center")
        note.caption(f"✏️ Your next message edits image `{base['ref']}` ({plain(base['prompt'])}).")
        clear.button("Start fresh", key="clear-base", on_click=state.pop, args=("base_image", None))
    request = st.chat_input("Describe an image, e.g. a poster of a red fox at dawn, watercolor")
    if retry := state.pop("retry_request", None):
        request = retry
    if request:
        with messages:
            _run_turn(agent, request)


def _render_turn(index: int, turn: dict[str, Any]) -> None:
    with st.chat_message(turn["role"]):
        if turn["role"] == "user":
            st.markdown(plain(turn["text"]))
            return
        if turn["text"]:
            st.markdown(turn["text"])
        _render_results(index, turn)


def _render_results(index: int, turn: dict[str, Any]) -> None:
    images = turn.get("images", [])
    if images:
        captions = turn.get("captions") or _latest_captions(index)
        columns = st.columns(min(len(images), 2))
        for position, image in enumerate(images):
            with columns[position % len(columns)]:
                render_draft(f"{index}-{image['ref']}", image, captions, turn.get("alt_text", ""))
    if turn.get("error"):
        st.error(turn["error"])
        if turn.get("retryable", True):
            st.button("Retry", key=f"retry-{index}", on_click=_retry, args=(index,))


def _latest_captions(before: int) -> list[str]:
    for turn in reversed(st.session_state.turns[:before]):
        if turn.get("captions"):
            return turn["captions"]
    return []


def _retry(index: int) -> None:
    turns = st.session_state.turns
    failed = turns[index]
    del turns[index - 1 : index + 1]  # the failed answer and the request it answered
    st.session_state.retry_request = failed.get("request", "")
    if failed.get("base"):
        st.session_state.base_image = failed["base"]


def _run_turn(agent: Any, request: str) -> None:
    state = st.session_state
    state.turns.append({"role": "user", "text": request})
    with st.chat_message("user"):
        st.markdown(plain(request))
    base = state.pop("base_image", None)
    turn: dict[str, Any] = {"role": "assistant", "text": "", "request": request, "base": base}
    with st.chat_message("assistant"):
        status = st.status("Thinking…", expanded=False)

        def answer_text():  # type: ignore[no-untyped-def]
            ref = base["ref"] if base else None
            for event in stream_turn(agent, state.history, request, base_image=ref):
                if isinstance(event, TextDelta):
                    yield event.text
                elif isinstance(event, ToolStarted):
                    status.update(label=event.label, state="running")
                    status.write(event.label)
                elif isinstance(event, ToolFinished):
                    _collect(turn, event.artifact)
                elif isinstance(event, TurnFailed):
                    turn["error"], turn["retryable"] = event.message, event.retryable
                elif isinstance(event, TurnDone):
                    state.history.extend(event.messages)

        text = st.write_stream(answer_text())
        turn["text"] = text if isinstance(text, str) else "".join(map(str, text))
        failed = bool(turn.get("error"))
        status.update(
            label="Something went wrong" if failed else "Done",
            state="error" if failed else "complete",
        )
        state.turns.append(turn)
        _render_results(len(state.turns) - 1, turn)


def _collect(turn: dict[str, Any], artifact: dict[str, Any]) -> None:
    """Fold one tool's artifact into the turn being answered."""
    turn.setdefault("images", []).extend(artifact.get("images", []))
    for field in ("captions", "alt_text", "hashtags"):
        if field in artifact:
            turn[field] = artifact[field]
    if "error" in artifact:
        turn["error"], turn["retryable"] = artifact["error"], artifact.get("retryable", True)
