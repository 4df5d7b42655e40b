"""The sidebar: who you post as, which engines answer, a fresh chat."""

from __future__ import annotations

import streamlit as st

from ui.chat_history import chat_history_sidebar
from ui.resources import assistant


def sidebar() -> None:
    """Display name, provider label and a New chat button."""
    state = st.session_state
    state.setdefault("display_name", "guest")
    with st.sidebar:
        st.title("Plaza")
        st.text_input(
            "Display name",
            key="display_name",
            max_chars=40,
            help="Your posts appear under this name.",
        )
        providers, _agent = assistant()
        if providers.offline:
            st.info(providers.label, icon="🔌")
        else:
            st.success(providers.label, icon="☁️")
        chat_history_sidebar()
